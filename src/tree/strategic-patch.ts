/**
 * The merge semantics kustomize applies to a HelmRelease patch (a custom resource without a
 * strategic-merge schema): maps merge key by key, lists and scalars are replaced whole, and
 * `null` deletes a key. Both functions are pure and never mutate their inputs.
 */

export type PlainObject = { [key: string]: unknown };

export function isPlainObject(value: unknown): value is PlainObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  // Class instances (Port, SealedSecret, …) are values, not maps to merge into.
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Deep structural equality for JSON-like values; key order does not matter. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}

/**
 * The smallest patch that turns `base` into `target` under merge-patch semantics, or
 * `undefined` when they are equal. A key present in `base` but absent from `target` becomes
 * `null`, which is how a patch removes it.
 */
export function diffPatch(base: unknown, target: unknown): unknown {
  if (deepEqual(base, target)) return undefined;
  if (!isPlainObject(base) || !isPlainObject(target)) return target;
  const patch: PlainObject = {};
  for (const key of Object.keys(target)) {
    const sub = key in base ? diffPatch(base[key], target[key]) : target[key];
    if (sub !== undefined) patch[key] = sub;
  }
  for (const key of Object.keys(base)) {
    if (!(key in target)) patch[key] = null;
  }
  return patch;
}

/** Applies a merge patch: the inverse of {@link diffPatch}. */
export function applyPatch(base: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return patch;
  const result: PlainObject = isPlainObject(base) ? { ...base } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = applyPatch(result[key], value);
  }
  return result;
}

/**
 * Merges typed overrides over defaults the way users expect of per-environment values: maps
 * merge, lists and scalars replace, `undefined` leaves the default in place.
 */
export function mergeDefined<T>(base: T, override: unknown): T {
  if (override === undefined) return base;
  if (!isPlainObject(base) || !isPlainObject(override)) return override as T;
  const result: PlainObject = { ...base };
  for (const [key, value] of Object.entries(override)) {
    if (value !== undefined) result[key] = mergeDefined(result[key], value);
  }
  return result as T;
}

/** Returns a copy with every map's keys sorted, so output bytes never depend on call order. */
export function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (!isPlainObject(value)) return value;
  const out: PlainObject = {};
  for (const key of Object.keys(value).sort()) out[key] = sortKeysDeep(value[key]);
  return out;
}

/** Orders an object as cdk8s does: apiVersion, kind, metadata first, every map's keys sorted. */
export function orderManifest(object: PlainObject): PlainObject {
  const sorted = sortKeysDeep(object) as PlainObject;
  const { apiVersion, kind, metadata, ...rest } = sorted;
  return { apiVersion, kind, metadata, ...rest };
}
