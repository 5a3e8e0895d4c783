import { PlainObject, deepEqual, isPlainObject } from '../tree/strategic-patch';
import { BuiltObject, buildKustomization, identity } from './kustomize-model';
import { environmentRoots } from './validate-environments';
import type { Tree } from './synth-tree';

/** What changes for one component in one environment, as Flux applies it. */
export interface EffectiveChange {
  readonly environment: string;
  /** The component's directory (`my-api`), or the first path segment of the object's file. */
  readonly component: string;
  /** `Kind/name` of each object that changed, in build order. */
  readonly objects: readonly string[];
  /**
   * One line per changed field, values first: `replicas 2 → 3`, `image.tag a → b`,
   * `egress + payments-api:8000`, `HelmRelease/x added`.
   */
  readonly changes: readonly string[];
}

/**
 * The effective view of a synthesis: for every environment (`main/<env>`) and component,
 * each object as kustomize builds it (base, patches, image.yaml last, the namespace) before
 * and after, and the fields that differ. A HelmRelease's chart values are named without
 * their `spec.values.` prefix, and named Cilium rules by peer and ports, because that is how
 * a reviewer reads them.
 */
export function effectiveDiff(before: Tree, after: Tree): EffectiveChange[] {
  const environments = [...new Set([...environmentRoots(before), ...environmentRoots(after)])]
    .filter((root) => root.startsWith('main/')).map((root) => root.slice('main/'.length));
  const out: EffectiveChange[] = [];
  for (const environment of environments) {
    const a = objectsByComponent(before, environment);
    const b = objectsByComponent(after, environment);
    for (const component of [...new Set([...a.keys(), ...b.keys()])].sort()) {
      const was = a.get(component) ?? new Map<string, PlainObject>();
      const now = b.get(component) ?? new Map<string, PlainObject>();
      const objects: string[] = [];
      const changes: string[] = [];
      for (const id of [...new Set([...now.keys(), ...was.keys()])]) {
        const lines = objectChanges(id, was.get(id), now.get(id));
        if (lines.length === 0) continue;
        objects.push(id);
        changes.push(...lines);
      }
      if (changes.length > 0) out.push({ environment, component, objects, changes });
    }
  }
  return out;
}

/** `staging my-api: replicas 2 → 3; egress + payments-api:8000`, one line per change set. */
export function formatEffectiveChange(change: EffectiveChange): string {
  return `${change.environment} ${change.component}: ${change.changes.join('; ')}`;
}

function objectsByComponent(tree: Tree, environment: string): Map<string, Map<string, PlainObject>> {
  const out = new Map<string, Map<string, PlainObject>>();
  if (tree[`main/${environment}/kustomization.yaml`] === undefined) return out;
  for (const built of buildKustomization(tree, `main/${environment}`).objects) {
    const component = componentOf(built);
    if (!out.has(component)) out.set(component, new Map());
    out.get(component)!.set(identity(built.object), built.object);
  }
  return out;
}

function componentOf(built: BuiltObject): string {
  return built.sources[0].file.split('/')[0];
}

function objectChanges(id: string, before: PlainObject | undefined, after: PlainObject | undefined): string[] {
  if (before === undefined) return [`${id} added`];
  if (after === undefined) return [`${id} removed`];
  if (deepEqual(before, after)) return [];
  const isRelease = after.kind === 'HelmRelease';
  const lines: string[] = [];
  walk(before, after, [], (path, a, b) => {
    const named = isRelease ? releasePath(path) : path;
    const rule = ciliumRule(named, a, b);
    lines.push(rule ?? `${isRelease ? '' : `${id} `}${named.join('.')} ${describe(a, b)}`);
  });
  return lines;
}

// Maps merge and are walked; anything else (scalars, lists) is one change, as kustomize
// replaces lists whole.
function walk(a: unknown, b: unknown, path: string[], emit: (path: string[], a: unknown, b: unknown) => void): void {
  if (deepEqual(a, b)) return;
  if (isPlainObject(a) && isPlainObject(b) && !isCiliumRule(path)) {
    for (const key of [...new Set([...Object.keys(b), ...Object.keys(a)])]) walk(a[key], b[key], [...path, key], emit);
    return;
  }
  emit(path, a, b);
}

function isCiliumRule(path: readonly string[]): boolean {
  return path.length >= 3 && path[path.length - 3] === 'ciliumNetworkPolicy' && /^(ingress|egress)$/.test(path[path.length - 2]);
}

function releasePath(path: readonly string[]): string[] {
  return path[0] === 'spec' && path[1] === 'values' ? path.slice(2) : [...path];
}

/** `egress + payments-api:8000`, `ingress - traefik:8080`, `egress rabbitmq:5672 → rabbitmq:5671,5672`. */
function ciliumRule(path: readonly string[], a: unknown, b: unknown): string | undefined {
  if (!isCiliumRule(path)) return undefined;
  const [direction, name] = path.slice(-2);
  if (a === undefined || a === null) return `${direction} + ${ruleText(name, b)}`;
  if (b === undefined || b === null) return `${direction} - ${ruleText(name, a)}`;
  const [was, now] = [ruleText(name, a), ruleText(name, b)];
  return was === now ? `${direction} ${name}: selector ${compact(a)} → ${compact(b)}` : `${direction} ${was} → ${now}`;
}

function ruleText(name: string, rule: unknown): string {
  const toPorts = isPlainObject(rule) && Array.isArray(rule.toPorts) ? rule.toPorts : [];
  const ports = toPorts.flatMap((tp) => (isPlainObject(tp) && Array.isArray(tp.ports) ? tp.ports : []))
    .map((p) => (isPlainObject(p) ? (p.protocol ? `${String(p.port)}/${String(p.protocol)}` : String(p.port)) : '?'));
  return `${name}:${ports.join(',')}`;
}

function describe(a: unknown, b: unknown): string {
  if (a === undefined) return `+ ${compact(b)}`;
  if (b === undefined) return `- ${compact(a)}`;
  return `${compact(a)} → ${compact(b)}`;
}

function compact(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
