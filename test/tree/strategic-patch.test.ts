import { applyPatch, deepEqual, diffPatch, mergeDefined, sortKeysDeep } from '../../src';

describe('diffPatch', () => {
  const base = { replicas: 4, configs: { A: '1', B: '2' }, hosts: ['a', 'b'], keep: { x: 1 } };

  it('holds only the changed keys, recursing into maps', () => {
    const target = { replicas: 2, configs: { A: '1', B: '2', C: '3' }, hosts: ['a', 'b'], keep: { x: 1 } };
    expect(diffPatch(base, target)).toStrictEqual({ replicas: 2, configs: { C: '3' } });
  });

  it('repeats a changed list whole, since kustomize replaces lists', () => {
    expect(diffPatch(base, { ...base, hosts: ['a', 'c'] })).toStrictEqual({ hosts: ['a', 'c'] });
  });

  it('deletes a removed key with null', () => {
    const { keep: _keep, ...rest } = base;
    expect(diffPatch(base, rest)).toStrictEqual({ keep: null });
  });

  it('is undefined when nothing differs', () => {
    expect(diffPatch(base, JSON.parse(JSON.stringify(base)))).toBeUndefined();
  });

  it('round-trips through applyPatch', () => {
    const target = { replicas: 1, configs: { B: '9' }, hosts: [], extra: { deep: { y: true } } };
    expect(applyPatch(base, diffPatch(base, target))).toStrictEqual(target);
  });
});

describe('mergeDefined', () => {
  it('merges maps, replaces lists, ignores undefined', () => {
    expect(mergeDefined({ a: { b: 1, c: 2 }, l: [1, 2], s: 'x' }, { a: { c: 3 }, l: [3], s: undefined }))
      .toStrictEqual({ a: { b: 1, c: 3 }, l: [3], s: 'x' });
  });

  it('treats class instances as values', () => {
    class Token { constructor(public readonly v: string) {} }
    const merged = mergeDefined({ t: new Token('a') }, { t: new Token('b') });
    expect(merged.t).toBeInstanceOf(Token);
    expect(merged.t.v).toBe('b');
  });
});

describe('helpers', () => {
  it('deepEqual ignores key order', () => {
    expect(deepEqual({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 })).toBe(true);
    expect(deepEqual({ a: 1 }, { a: 1, b: undefined })).toBe(false);
  });

  it('sortKeysDeep orders every level', () => {
    expect(JSON.stringify(sortKeysDeep({ b: 1, a: { d: 1, c: [{ f: 1, e: 2 }] } }))).toBe('{"a":{"c":[{"e":2,"f":1}],"d":1},"b":1}');
  });
});
