import * as fs from 'fs';
import * as path from 'path';
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/** One object that failed validation, and why. */
export interface SchemaFinding {
  /** `<kind>/<name>` of the object. */
  readonly object: string;
  /** JSON pointer of the offending field, `/` for the object itself. */
  readonly field: string;
  readonly message: string;
}

/** Validates Kubernetes objects against JSON schemas in kubeconform's layout. */
export type SchemaValidator = (object: Record<string, unknown>) => SchemaFinding[];

/**
 * The schemas the package ships (`schemas/` at its root, generated from the vendored CRDs by
 * `npm run schemas`; schemas/SOURCES.md): Flux, Cilium, SealedSecret, InfisicalSecret,
 * ExternalSecret, and the core kinds of the pinned Kubernetes version. Found from the nearest
 * package.json above this file, so it is the same from src/ (tests) and lib/ (installed).
 */
export const DEFAULT_SCHEMAS_DIR: string = path.join(packageRoot(__dirname), 'schemas');

/** The nearest directory above `dir` holding a package.json: this package's root, from src/ or lib/. */
export function packageRoot(dir: string): string {
  for (let d = dir; ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, 'package.json'))) return d;
    if (path.dirname(d) === d) throw new Error(`dit-gitops: no package.json above ${dir}; the package is incomplete`);
  }
}

/**
 * Loads `<group>/<kind>_<version>.json` custom-resource schemas and the Kubernetes OpenAPI
 * definitions under `kubernetes/` from `schemasDir`. Objects with no schema are findings, not
 * passes: an unknown kind is exactly what strict validation is for. Kubernetes definitions
 * are made strict (no unknown fields), as `kubeconform -strict` does.
 */
export function createSchemaValidator(schemasDir: string = DEFAULT_SCHEMAS_DIR): SchemaValidator {
  const ajv = new Ajv({ strict: false, allErrors: true, code: { regExp: goRegExp } });
  addFormats(ajv);
  // Formats of the OpenAPI world that JSON Schema does not define; their types are checked.
  for (const f of ['int32', 'int64', 'double', 'float', 'byte', 'cidr', 'idn-hostname', 'int-or-string']) ajv.addFormat(f, true);
  const cache = new Map<string, ValidateFunction | undefined>();
  const core = loadKubernetesDefinitions(schemasDir);
  // Added once, so the definitions every workload kind shares (PodSpec, Container, …) compile once.
  if (core) ajv.addSchema({ $id: KUBERNETES_ID, definitions: core.definitions });

  const validatorFor = (apiVersion: string, kind: string): ValidateFunction | undefined => {
    const key = `${apiVersion}/${kind}`;
    if (!cache.has(key)) {
      const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
      const crdFile = path.join(schemasDir, group, `${kind.toLowerCase()}_${version}.json`);
      let schema: object | undefined;
      if (group && fs.existsSync(crdFile)) schema = JSON.parse(fs.readFileSync(crdFile, 'utf8'));
      else if (core) {
        const name = core.byGvk.get(`${group}/${version}/${kind}`);
        if (name) schema = { $ref: `${KUBERNETES_ID}#/definitions/${name}` };
      }
      cache.set(key, schema ? ajv.compile(schema) : undefined);
    }
    return cache.get(key);
  };

  return (object) => {
    const apiVersion = String(object.apiVersion ?? '');
    const kind = String(object.kind ?? '');
    const name = String((object.metadata as { name?: string } | undefined)?.name ?? '<unnamed>');
    const label = `${kind || '<no kind>'}/${name}`;
    const validate = validatorFor(apiVersion, kind);
    if (!validate) return [{ object: label, field: '/', message: `no schema for ${apiVersion} ${kind} in ${schemasDir}` }];
    if (validate(object)) return [];
    return (validate.errors ?? []).map((e) => ({ object: label, field: fieldOf(e), message: messageOf(e) }));
  };
}

/**
 * CRD patterns are Go regular expressions: Cilium's use the one-letter class form `\PC`,
 * which JavaScript spells `\P{C}`.
 */
const goRegExp = Object.assign(
  (pattern: string, flags: string) => new RegExp(pattern.replace(/\\([pP])([A-Z])/g, '\\$1{$2}'), flags),
  { code: 'new RegExp' },
);

function fieldOf(e: ErrorObject): string {
  const extra = e.keyword === 'additionalProperties' ? `/${(e.params as { additionalProperty: string }).additionalProperty}` : '';
  return `${e.instancePath}${extra}` || '/';
}

function messageOf(e: ErrorObject): string {
  return e.keyword === 'additionalProperties' ? 'unknown field' : e.message ?? e.keyword;
}

const KUBERNETES_ID = 'kubernetes-definitions.json';

interface KubernetesDefinitions {
  readonly definitions: Record<string, Record<string, unknown>>;
  readonly byGvk: Map<string, string>;
}

function loadKubernetesDefinitions(schemasDir: string): KubernetesDefinitions | undefined {
  const dir = path.join(schemasDir, 'kubernetes');
  const file = fs.existsSync(dir) ? fs.readdirSync(dir).find((f) => f.endsWith('definitions.json')) : undefined;
  if (!file) return undefined;
  const definitions = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')).definitions as Record<string, Record<string, unknown>>;
  const byGvk = new Map<string, string>();
  for (const [name, def] of Object.entries(definitions)) {
    if (def.properties && def.additionalProperties === undefined) def.additionalProperties = false;
    for (const gvk of (def['x-kubernetes-group-version-kind'] as Array<{ group: string; version: string; kind: string }> | undefined) ?? []) {
      byGvk.set(`${gvk.group}/${gvk.version}/${gvk.kind}`, name);
    }
  }
  return { definitions, byGvk };
}
