import { parse, parseAllDocuments } from 'yaml';
import { GENERATED_HEADER, isAmbiguousScalar, toYaml } from '../../src';
import { synthTree } from '../../src/testing';
import { NON_STRING_SCALAR, emitDocument, formatDocument } from '../../src/tree/yaml-format';
import { defineTeam } from '../../src/main';

describe('toYaml', () => {
  it('starts with the header, separates documents and ends with a newline', () => {
    expect(toYaml([{ a: 1 }, { b: 2 }])).toBe(`${GENERATED_HEADER}\n---\na: 1\n---\nb: 2\n`);
  });

  it('quotes strings a YAML 1.1 reader would take for numbers or booleans', () => {
    expect(toYaml([{ port: '8080', flag: 'on', yes: 'no', octal: '0755', text: 'my-api', n: 5672 }], '#'))
      .toBe('#\n---\nport: "8080"\nflag: "on"\n"yes": "no"\noctal: "0755"\ntext: my-api\n"n": 5672\n');
  });

  it('never folds long lines', () => {
    const long = 'x'.repeat(200);
    expect(toYaml([{ long }], '#')).toBe(`#\n---\nlong: ${long}\n`);
  });
});

describe('isAmbiguousScalar', () => {
  // Each sample is checked against the yaml library's own YAML 1.1 and 1.2 resolution too.
  const NON_STRINGS = ['0o17', '017', '0755', '8080', '1_000', '0x1F', '0b101', '1:20', '1.5', '.5', '1e3', '-1', '.inf', '-.Inf', '.NaN', '2024-01-02', '~', '', 'null', 'on', 'Off', 'y', 'N', 'yes', 'False'];
  const STRINGS = ['my-api', 'v1.2.3', '1.2.3', 'main-843632a', 'sha-abc', 'latest', 'sha256:abc', '1.2.3-rc1', '_1', 'v0o17'];

  it.each(NON_STRINGS)('quotes %j, which YAML 1.1 or 1.2 reads as no string', (value) => {
    expect(isAmbiguousScalar(value)).toBe(true);
    const v11 = parse(`v: ${value}`, { version: '1.1' }).v;
    const v12 = parse(`v: ${value}`, { version: '1.2' }).v;
    expect(typeof v11 !== 'string' || typeof v12 !== 'string').toBe(true);
  });

  it.each(STRINGS)('leaves %j plain: both versions read it as a string', (value) => {
    expect(isAmbiguousScalar(value)).toBe(false);
    expect(parse(`v: ${value}`, { version: '1.1' }).v).toBe(value);
    expect(parse(`v: ${value}`, { version: '1.2' }).v).toBe(value);
  });

  it('writes the tag 0o17 quoted, so kustomize does not read it as 15', () => {
    expect(toYaml([{ tag: '0o17' }], '#')).toBe('#\n---\ntag: "0o17"\n');
  });
});

describe('the fast emitter', () => {
  // A seeded generator (mulberry32): the same inputs on every run.
  function random(seed: number): () => number {
    return () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  const ALPHABET = ['a', 'b', 'y', 'n', 'o', 'x', 'e', 'E', 'T', '0', '1', '7', '9', '.', '-', '+', '_', ':', ' ', '#', '*', '"', "'", '\\', '\n', '\t', '@', '[', ']', '{', '}', ',', 'é', '/', '>', '<', '=', '~', '?', '!', '%', '&', '|', '`', '$', '^', '(', ')'];
  const WORDS = ['8080', 'on', 'yes', 'null', '~', '', '0o17', '1.5', '2024-01-02', 'my-api', 'sha256:abc', '*', '>=1.0.0', '.inf', '0x1F', 'a: b', 'a #b', 'x:', ' x', 'http://x.y/z?q=1&r=2', '<<', '='];

  function value(next: () => number, depth: number, shared: object[]): unknown {
    const r = next();
    if (depth > 0 && r < 0.25) {
      const map: Record<string, unknown> = {};
      const size = Math.floor(next() * 4);
      for (let i = 0; i < size; i++) map[string(next)] = value(next, depth - 1, shared);
      if (next() < 0.05) shared.push(map);
      return map;
    }
    if (depth > 0 && r < 0.45) {
      const list = Array.from({ length: Math.floor(next() * 4) }, () => value(next, depth - 1, shared));
      return list;
    }
    if (r < 0.48 && shared.length > 0) return shared[Math.floor(next() * shared.length)];
    if (r < 0.55) return [0, 1, -1, 5672, 1.5, -0, 1e21, 2 ** 60, Number.NaN, Infinity][Math.floor(next() * 10)];
    if (r < 0.6) return [true, false, null, undefined][Math.floor(next() * 4)];
    return string(next);
  }

  function string(next: () => number): string {
    if (next() < 0.3) return WORDS[Math.floor(next() * WORDS.length)];
    // Mostly the characters manifests use, now and then a tricky one.
    const length = Math.floor(next() * 9);
    let s = '';
    for (let i = 0; i < length; i++) s += next() < 0.85 ? 'abcxyz-019./'[Math.floor(next() * 12)] : ALPHABET[Math.floor(next() * ALPHABET.length)];
    return s;
  }

  it('writes the same bytes as the yaml library wherever it answers, on 20,000 generated documents', () => {
    // Generated data with tricky strings (indicators, quotes, number-like and 1.1 words),
    // numbers, nulls, empty and nested collections, and objects met twice.
    const next = random(13);
    let answered = 0;
    const mismatches: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      const shared: object[] = [];
      const data = next() < 0.8 ? Object.fromEntries(Array.from({ length: 1 + Math.floor(next() * 5) }, () => [string(next), value(next, 4, shared)])) : value(next, 4, shared);
      const fast = emitDocument(data);
      if (fast === undefined) continue;
      answered++;
      if (`---\n${fast}` !== formatDocument(data)) mismatches.push(JSON.stringify(data));
    }
    expect(mismatches.slice(0, 5)).toStrictEqual([]);
    // The test must exercise the fast path, not just its fallback.
    expect(answered).toBeGreaterThan(4_000);
  });

  it('answers for every document of the example tree but the block scalar, with the same bytes', () => {
    const tree = synthTree(defineTeam);
    const documents = Object.values(tree).flatMap((text) => parseAllDocuments(text).map((d) => d.toJS()));
    const fallbacks = documents.filter((d) => emitDocument(d) === undefined);
    expect(fallbacks.map((d) => `${d.kind}/${d.metadata.name}`)).toStrictEqual(['ImageUpdateAutomation/users']);
    expect(documents.filter((d) => emitDocument(d) !== undefined && `---\n${emitDocument(d)}` !== formatDocument(d))).toStrictEqual([]);
    expect(documents.length).toBeGreaterThan(90);
  });

  it('leaves anchors, floats, multi-line and non-ASCII strings to the library', () => {
    const shared = { a: 1 };
    expect([{ x: shared, y: shared }, { f: 1.5 }, { t: 'a\nb' }, { v: 'é' }, { z: -0 }, 'scalar', {}, []].map(emitDocument)).toStrictEqual(Array(8).fill(undefined));
    expect(toYaml([{ x: shared, y: shared }, { t: 'a\nb' }], '#')).toBe('#\n---\nx: &a1\n  a: 1\n"y": *a1\n---\nt: |-\n  a\n  b\n');
  });

  it('writes nested lists and maps as the library does', () => {
    const data = { list: [{ items: [1, [2, []]], empty: {} }, [{ name: 'x' }]], spec: { values: { name: '*' } }, skipped: undefined };
    expect(emitDocument(data)).toBe('list:\n  - items:\n      - 1\n      - - 2\n        - []\n    empty: {}\n  - - name: x\nspec:\n  values:\n    name: "*"\n');
    expect(`---\n${emitDocument(data)}`).toBe(formatDocument(data));
  });
});

describe('isAmbiguousScalar first-character shortcut', () => {
  it('agrees with the full pattern on every string of up to two ASCII characters and on the samples', () => {
    const ascii = Array.from({ length: 128 }, (_, i) => String.fromCharCode(i));
    const inputs = ['', ...ascii, ...ascii.flatMap((a) => ascii.map((b) => a + b)), 'null', 'True', 'off', '0o17', '.inf', '<<', '2024-01-02T10:00', 'my-api', 'é', 'én'];
    expect(inputs.filter((v) => isAmbiguousScalar(v) !== NON_STRING_SCALAR.test(v))).toStrictEqual([]);
    expect(inputs.filter((v) => isAmbiguousScalar(v)).length).toBeGreaterThan(100);
  });
});
