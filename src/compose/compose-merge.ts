import { PlainObject, isPlainObject } from '../tree/strategic-patch';

/**
 * Merges canonical compose documents in order (compose spec "Merge"): mappings merge key by
 * key, sequences append, `command`, `entrypoint` and `healthcheck.test` are replaced, and
 * `ports`, `volumes`, `secrets` and `configs` keep one entry per unique key with the later
 * file winning. The documents must already be canonical (see compose-parser.ts): ports,
 * volumes, secrets and configs in long form, environment and labels as maps.
 */
export function mergeComposeDocuments(documents: readonly PlainObject[]): PlainObject {
  return documents.reduce<PlainObject>((merged, doc) => mergeValue(merged, doc, []) as PlainObject, {});
}

const REPLACED = new Set(['command', 'entrypoint', 'test']);

// Unique key of an entry of each unique-resource sequence of a service.
const UNIQUE_KEYS: { readonly [key: string]: (entry: PlainObject) => string } = {
  ports: (p) => `${p.host_ip ?? ''}|${p.published ?? ''}|${p.target}|${p.protocol ?? 'tcp'}`,
  volumes: (v) => String(v.target),
  secrets: (s) => String(s.target ?? s.source),
  configs: (c) => String(c.target ?? c.source),
};

function mergeValue(base: unknown, override: unknown, path: readonly string[]): unknown {
  const key = path[path.length - 1];
  if (isPlainObject(base) && isPlainObject(override)) {
    const out: PlainObject = { ...base };
    for (const [k, v] of Object.entries(override)) out[k] = k in base ? mergeValue(base[k], v, [...path, k]) : v;
    return out;
  }
  if (Array.isArray(base) && Array.isArray(override) && !REPLACED.has(key)) {
    const inService = path.length === 3 && path[0] === 'services';
    const unique = inService ? UNIQUE_KEYS[key] : undefined;
    if (!unique) return [...base, ...override];
    const byKey = new Map<string, unknown>();
    for (const entry of [...base, ...override]) byKey.set(isPlainObject(entry) ? unique(entry) : JSON.stringify(entry), entry);
    return [...byKey.values()];
  }
  return override;
}
