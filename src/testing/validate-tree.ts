import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { PlainObject, isPlainObject } from '../tree/strategic-patch';
import { BuiltObject, TreeFinding, buildKustomization, identity } from './kustomize-model';
import { DEFAULT_SCHEMAS_DIR, SchemaValidator, createSchemaValidator } from './schema-validator';
import type { Tree } from './synth-tree';

/** Options of {@link validateTree}. */
export interface ValidateTreeOptions {
  /**
   * Directory of JSON schemas in kubeconform's layout (`<group>/<kind>_<version>.json`,
   * `kubernetes/`), for custom resources the package does not ship schemas for.
   * @default the schemas the package ships ({@link DEFAULT_SCHEMAS_DIR})
   */
  readonly schemas?: string;
  /** The kubectl binary (with kustomize v5). @default 'kubectl' from PATH */
  readonly kubectl?: string;
}

// Compiling the schemas takes about a second; a test file validates several trees.
const validators = new Map<string, SchemaValidator>();

const ROOT_KUSTOMIZATION = /^((?:main|clusters)\/[^/]+)\/kustomization\.yaml$/;

/**
 * Builds every environment (`main/<env>`) and every cluster directory (`clusters/<env>`) with
 * `kubectl kustomize`, and validates every object strictly against the schemas (by default
 * the ones the package ships). Returns the
 * findings, each naming the file to fix, the object and the field; none means valid. The tree
 * is written to a temporary directory for kubectl and removed afterwards.
 */
export function validateTree(tree: Tree, options: ValidateTreeOptions = {}): TreeFinding[] {
  const kubectl = options.kubectl ?? 'kubectl';
  const probe = spawnSync(kubectl, ['version', '--client'], { encoding: 'utf8' });
  if (probe.error) throw new Error(`validateTree: ${kubectl} (kubectl with kustomize v5) was not found; install it to build the environments`);
  const schemas = path.resolve(options.schemas ?? DEFAULT_SCHEMAS_DIR);
  if (!validators.has(schemas)) validators.set(schemas, createSchemaValidator(schemas));
  const validate = validators.get(schemas)!;
  const roots = Object.keys(tree).map((p) => ROOT_KUSTOMIZATION.exec(p)?.[1]).filter((p): p is string => p !== undefined).sort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dit-gitops-validate-'));
  try {
    for (const [rel, content] of Object.entries(tree)) {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), content);
    }
    const findings = new Map<string, TreeFinding>();
    const add = (f: TreeFinding) => findings.set(`${f.file}|${f.object}|${f.field}|${f.message}`, f);
    for (const root of roots) {
      const model = buildKustomization(tree, root);
      model.findings.forEach(add);
      const built = spawnSync(kubectl, ['kustomize', path.join(dir, root)], { encoding: 'utf8' });
      if (built.status !== 0) {
        if (model.findings.length === 0) add({ file: `${root}/kustomization.yaml`, object: '', field: '', message: `kubectl kustomize failed: ${built.stderr.trim().split('\n')[0]}` });
        continue;
      }
      for (const object of parseAllDocuments(built.stdout).map((d) => d.toJS()).filter(isPlainObject)) {
        const origin = model.objects.find((o) => identity(o.object) === identity(object));
        for (const finding of validate(object)) {
          const field = finding.field.split('/').filter(Boolean);
          add({ file: origin ? sourceOf(origin, field) : `${root}/kustomization.yaml`, object: finding.object, field: field.join('.') || '(object)', message: finding.message });
        }
      }
    }
    return [...findings.values()];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Formats findings one per line, for failure messages. */
export function formatFindings(findings: readonly TreeFinding[]): string {
  return findings.map((f) => `${f.file}: ${f.object} ${f.field}: ${f.message}`).join('\n');
}

// The last document that sets a field is the one to fix.
function sourceOf(object: BuiltObject, field: readonly string[]): string {
  for (let i = object.sources.length - 1; i >= 0; i--) {
    let node: unknown = object.sources[i].document;
    for (const key of field) node = isPlainObject(node) ? (node as PlainObject)[key] : Array.isArray(node) ? node[Number(key)] : undefined;
    if (node !== undefined) return object.sources[i].file;
  }
  return object.sources[0].file;
}
