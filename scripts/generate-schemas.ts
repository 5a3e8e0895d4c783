// Generates the JSON schemas that `validateTree` uses by default (schemas/, shipped in the
// package) from the vendored CRDs (crds/, see crds/SOURCES.md):
//
//   npm run schemas                                   # schemas/<group>/<kind>_<version>.json
//   npm run schemas -- --kubernetes _definitions.json # also re-vendor schemas/kubernetes/
//
// Strict as `kubeconform -strict`: every object schema that lists its properties rejects
// unknown fields, unless the CRD says `x-kubernetes-preserve-unknown-fields`. The Kubernetes
// definitions are a subset of one pinned version's OpenAPI definitions (schemas/SOURCES.md):
// the kinds in KUBERNETES_KINDS and every definition they reference.
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';

type Schema = Record<string, unknown>;

/** The Kubernetes version whose OpenAPI definitions schemas/kubernetes/ holds (cdk8s-plus-28 targets it too). */
export const KUBERNETES_VERSION = 'v1.28.0';

/** The core kinds a tree or a rendered golden chart holds; validateTree reports any other as "no schema". */
export const KUBERNETES_KINDS: readonly string[] = [
  'v1/Namespace', 'v1/ConfigMap', 'v1/Secret', 'v1/Service', 'v1/ServiceAccount', 'v1/PersistentVolumeClaim',
  'apps/v1/Deployment', 'apps/v1/StatefulSet', 'apps/v1/DaemonSet', 'batch/v1/Job', 'batch/v1/CronJob',
  'networking.k8s.io/v1/Ingress', 'networking.k8s.io/v1/NetworkPolicy', 'policy/v1/PodDisruptionBudget',
  'autoscaling/v2/HorizontalPodAutoscaler',
  'rbac.authorization.k8s.io/v1/Role', 'rbac.authorization.k8s.io/v1/RoleBinding',
  'rbac.authorization.k8s.io/v1/ClusterRole', 'rbac.authorization.k8s.io/v1/ClusterRoleBinding',
];

/**
 * The strict JSON schema of every served version of every CRD in `documents`, by path in
 * kubeconform's layout (`<group>/<kind>_<version>.json`). Descriptions are dropped: they
 * validate nothing, and Cilium's would be most of the package.
 */
export function crdSchemas(documents: readonly unknown[]): Map<string, Schema> {
  const out = new Map<string, Schema>();
  for (const doc of documents) {
    const crd = doc as { kind?: string; spec?: { group: string; names: { kind: string }; versions?: Array<{ name: string; served?: boolean; schema?: { openAPIV3Schema?: Schema } }> } };
    if (crd?.kind !== 'CustomResourceDefinition' || !crd.spec) continue;
    for (const version of crd.spec.versions ?? []) {
      const schema = version.schema?.openAPIV3Schema;
      if (!version.served || !schema) continue;
      out.set(`${crd.spec.group}/${crd.spec.names.kind.toLowerCase()}_${version.name}.json`, strict(schema));
    }
  }
  return out;
}

/**
 * A copy of `schema` where each object schema with listed properties rejects unlisted ones.
 * Inside allOf/anyOf/oneOf/not, properties only restate constraints on fields the enclosing
 * schema lists (structural schemas), so nothing there is closed.
 */
export function strict(schema: Schema, closing = true): Schema {
  const out: Schema = {};
  const sub = (value: unknown) => (isSchema(value) ? strict(value, closing) : value);
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'description') continue;
    if (key === 'properties' || key === 'patternProperties') out[key] = mapValues(value as Record<string, Schema>, sub);
    else if (key === 'items' || key === 'additionalProperties') out[key] = Array.isArray(value) ? value.map(sub) : sub(value);
    else if (key === 'allOf' || key === 'anyOf' || key === 'oneOf') out[key] = (value as Schema[]).map((s) => strict(s, false));
    else if (key === 'not') out[key] = strict(value as Schema, false);
    else out[key] = value;
  }
  if (closing && schema.properties && schema.additionalProperties === undefined && schema['x-kubernetes-preserve-unknown-fields'] !== true) out.additionalProperties = false;
  return out;
}

/**
 * The definitions `kinds` (`<group>/<version>/<kind>`, `v1/<kind>` for the core group) map to
 * through `x-kubernetes-group-version-kind`, and every definition they reference, sorted.
 * Throws on a kind the definitions do not have.
 */
export function kubernetesSubset(definitions: Record<string, Schema>, kinds: readonly string[]): Record<string, Schema> {
  const byGvk = new Map<string, string>();
  for (const [name, def] of Object.entries(definitions)) {
    for (const g of (def['x-kubernetes-group-version-kind'] as Array<{ group: string; version: string; kind: string }> | undefined) ?? []) {
      byGvk.set([g.group, g.version, g.kind].filter(Boolean).join('/'), name);
    }
  }
  const wanted = kinds.map((k) => byGvk.get(k) ?? fail(`kubernetes definitions: no definition for ${k}`));
  const seen = new Set<string>();
  const visit = (name: string): void => {
    if (seen.has(name)) return;
    if (!definitions[name]) fail(`kubernetes definitions: ${name} is referenced but not defined`);
    seen.add(name);
    for (const ref of references(definitions[name])) visit(ref.replace(/^#\/definitions\//, ''));
  };
  wanted.forEach(visit);
  return Object.fromEntries([...seen].sort().map((name) => [name, definitions[name]]));
}

function references(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(references);
  if (!isSchema(node)) return [];
  return Object.entries(node).flatMap(([key, value]) => (key === '$ref' && typeof value === 'string' ? [value] : references(value)));
}

function mapValues<T, U>(record: Record<string, T>, fn: (value: T) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, fn(v)]));
}

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail(message: string): never {
  throw new Error(message);
}

/** Stable text of a generated schema file. */
export function schemaText(schema: unknown): string {
  return `${JSON.stringify(schema, null, 1)}\n`;
}

/** Every schema `crds/*.yaml` generate, by path under schemas/. */
export function schemasFromCrdDir(crdDir: string): Map<string, Schema> {
  const files = fs.readdirSync(crdDir).filter((f) => f.endsWith('.yaml')).sort();
  const documents = files.flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(crdDir, f), 'utf8')).map((d) => d.toJS()));
  return crdSchemas(documents);
}

function main(argv: readonly string[]): void {
  const root = path.resolve(__dirname, '..');
  const schemasDir = path.join(root, 'schemas');
  const generated = schemasFromCrdDir(path.join(root, 'crds'));
  // Regenerated groups start empty, so a version a CRD dropped goes too; other groups'
  // schemas (vendored as JSON, see schemas/SOURCES.md) are left alone.
  for (const group of new Set([...generated.keys()].map((rel) => rel.split('/')[0]))) fs.rmSync(path.join(schemasDir, group), { recursive: true, force: true });
  for (const [rel, schema] of generated) {
    fs.mkdirSync(path.dirname(path.join(schemasDir, rel)), { recursive: true });
    fs.writeFileSync(path.join(schemasDir, rel), schemaText(schema));
  }
  const k8s = argv.indexOf('--kubernetes');
  if (k8s >= 0) {
    const source = JSON.parse(fs.readFileSync(argv[k8s + 1], 'utf8')) as { definitions: Record<string, Schema> };
    const out = path.join(schemasDir, 'kubernetes', `${KUBERNETES_VERSION}-definitions.json`);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, schemaText({ definitions: kubernetesSubset(source.definitions, KUBERNETES_KINDS) }));
  }
  process.stdout.write(`generate-schemas: ${generated.size} custom-resource schemas${k8s >= 0 ? ', kubernetes definitions' : ''}\n`);
}

if (require.main === module) main(process.argv.slice(2));
