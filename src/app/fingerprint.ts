import { createHash } from 'crypto';
import { Construct, IConstruct } from 'constructs';
import { isGitOpsFile } from '../tree/gitops-file';

/**
 * The fingerprint of a construct's inputs: a hash of everything the definitions gave it, read
 * before the app plans. Two runs whose definitions build a component with the same fingerprint
 * render the same files for it, so a synthesis that finds the fingerprint (and the files) of the
 * last one unchanged neither renders nor re-reads them (docs/tree.md, "The no-op fast path").
 *
 * What is hashed: the construct's own fields and the objects they hold, all the way down
 * (ports, peers, options, overrides, connection rules), its children that the definitions added
 * (raw API objects), and, for every other construct it refers to (a peer, an environment, the
 * component whose image it follows), that construct's own fields one level deep: rendering a
 * component reads its peers' names, labels, ports and environments, never their peers'. A
 * function is hashed by its source text; what it closes over is not seen, which is why `check`
 * (CI's gate) always renders everything.
 */
export function fingerprint(construct: IConstruct, shallow: ShallowHashes = new ShallowHashes()): string {
  return sha1(serialize(construct, construct, shallow));
}

/**
 * The one-level hashes of referenced constructs, computed once per synthesis: every component
 * that names a peer (or an environment) reuses its hash instead of walking it again.
 */
export class ShallowHashes {
  private readonly hashes = new WeakMap<IConstruct, string>();

  public of(construct: IConstruct): string {
    let hash = this.hashes.get(construct);
    if (hash === undefined) {
      hash = sha1(serialize(construct, construct, undefined));
      this.hashes.set(construct, hash);
    }
    return hash;
  }
}

/**
 * What every component's files may read besides its own inputs: the app's fields (registry,
 * repository path) and each of `shared` (the environments, the Flux cluster), with `extra`
 * (the identity of the library that renders).
 */
export function appFingerprint(app: IConstruct, shared: readonly IConstruct[], extra: string): string {
  return sha1([extra, serialize(app, app, undefined), ...shared.map((c) => serialize(c, c, undefined))].join('\n'));
}

// The source of every method and accessor up a prototype chain, hashed once per prototype.
const METHODS = new WeakMap<object, string>();

function methodsHash(proto: object): string {
  let hash = METHODS.get(proto);
  if (hash === undefined) {
    const parts: string[] = [];
    for (let at: object | null = proto; at !== null && at !== Object.prototype; at = Object.getPrototypeOf(at) as object | null) {
      for (const key of Object.getOwnPropertyNames(at)) {
        const d = Object.getOwnPropertyDescriptor(at, key)!;
        for (const fn of [d.value, d.get, d.set]) if (typeof fn === 'function') parts.push(`${key}:${String(fn)}`);
      }
    }
    hash = sha1(parts.join('\n'));
    METHODS.set(proto, hash);
  }
  return hash;
}

function sha1(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

// `node` holds the whole tree (scope, children, metadata); children and references are
// walked on purpose below, so it is never serialized as a field.
const SKIPPED_FIELDS = new Set(['node']);

// `shallow` given: the owner's own fields, children and the one-level hash of every construct
// it refers to. Undefined: one level only (references as paths, no children).
function serialize(value: unknown, owner: IConstruct, shallow: ShallowHashes | undefined): string {
  const seen = new Map<object, number>();
  // A string grown in place: V8 joins these as ropes, cheaper than an array of parts.
  const out = { text: '', push(part: string) { this.text += part; } };
  const walk = (v: unknown): void => {
    if (v === null || v === undefined || typeof v === 'boolean' || typeof v === 'number' || typeof v === 'bigint') {
      out.push(String(v));
      return;
    }
    if (typeof v === 'string') {
      out.push(JSON.stringify(v));
      return;
    }
    if (typeof v === 'symbol') {
      out.push(v.toString());
      return;
    }
    if (typeof v === 'function') {
      out.push(`fn(${v.toString()})`);
      return;
    }
    const obj = v as object;
    const earlier = seen.get(obj);
    if (earlier !== undefined) {
      out.push(`#${earlier}`);
      return;
    }
    seen.set(obj, seen.size);
    if (Construct.isConstruct(obj) && obj !== owner && !isDescendant(obj, owner)) {
      // Another construct: who it is, whether it belongs to this app, and (walking from the
      // owner) its own fields with its references as paths. The app itself is hashed once for
      // all components (appFingerprint).
      const inApp = obj.node.root === owner.node.root;
      out.push(`ref(${obj.constructor.name} ${obj.node.path} ${inApp}`);
      if (shallow && obj.node.scope !== undefined) out.push(shallow.of(obj));
      out.push(')');
      return;
    }
    if (obj instanceof RegExp) {
      out.push(`re(${obj.toString()})`);
      return;
    }
    if (obj instanceof Date) {
      out.push(`date(${obj.toISOString()})`);
      return;
    }
    if (Array.isArray(obj)) {
      out.push('[');
      for (const item of obj) { walk(item); out.push(','); }
      out.push(']');
      return;
    }
    if (obj instanceof Map) {
      out.push('map{');
      for (const [k, item] of obj) { walk(k); out.push(':'); walk(item); out.push(','); }
      out.push('}');
      return;
    }
    if (obj instanceof Set) {
      out.push('set{');
      for (const item of obj) { walk(item); out.push(','); }
      out.push('}');
      return;
    }
    // A class instance is hashed with its class's methods (a subclass overriding one renders
    // differently), and through toJSON when it has one: a URL, or a class keeping its state
    // out of its own fields, renders through it.
    const proto = Object.getPrototypeOf(obj) as object | null;
    if (proto !== null && proto !== Object.prototype) out.push(`proto(${methodsHash(proto)})`);
    const toJSON = (obj as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function' && !Construct.isConstruct(obj)) {
      out.push('json(');
      walk(toJSON.call(obj));
      out.push(')');
    }
    out.push(`${obj.constructor?.name ?? 'Object'}{`);
    for (const key of Object.keys(obj)) {
      if (SKIPPED_FIELDS.has(key) && Construct.isConstruct(obj)) continue;
      out.push(`${JSON.stringify(key)}:`);
      walk((obj as Record<string, unknown>)[key]);
      out.push(',');
    }
    if (Construct.isConstruct(obj) && (shallow || obj !== owner)) {
      // What the definitions added under it (raw API objects); the files planning adds are
      // derived, and skipped.
      out.push('children[');
      for (const child of obj.node.children) {
        if (isDerived(child)) continue;
        out.push(`${JSON.stringify(child.node.id)}=`);
        walk(child);
        out.push(',');
      }
      out.push(']');
    }
    out.push('}');
  };
  walk(value);
  return out.text;
}

function isDescendant(construct: IConstruct, ancestor: IConstruct): boolean {
  for (let node = construct.node.scope; node; node = node.node.scope) if (node === ancestor) return true;
  return false;
}

// The file constructs planning creates, and the plain folders that only hold them.
function isDerived(construct: IConstruct): boolean {
  const file: unknown = construct;
  if (isGitOpsFile(file)) return true;
  return Object.getPrototypeOf(construct) === Construct.prototype && construct.node.children.every(isDerived);
}
