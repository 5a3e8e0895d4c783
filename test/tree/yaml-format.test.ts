import { parse, parseAllDocuments } from 'yaml';
import { GENERATED_HEADER, isAmbiguousScalar, toYaml } from '../../src';
import { synthTree } from '../../src/testing';
import { NON_STRING_SCALAR, emitDocument, formatDocument } from '../../src/tree/yaml-format';
import { compareEmitters } from './yaml-fuzz';
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
  it('writes the same bytes as the yaml library wherever it answers, on 3,000 generated documents (test/e2e runs 200,000)', () => {
    const { answered, mismatches } = compareEmitters(13, 3_000);
    expect(mismatches.slice(0, 5)).toStrictEqual([]);
    // The test must exercise the fast path, not just its fallback.
    expect(answered).toBeGreaterThan(600);
  });

  it('answers for every document of the example tree but the block scalar, with the same bytes', () => {
    const tree = synthTree(defineTeam);
    const documents = Object.values(tree).flatMap((text) => parseAllDocuments(text).map((d) => d.toJS()));
    const fallbacks = documents.filter((d) => emitDocument(d) === undefined);
    // The block scalar, and the dotted chart versions (15.5.3, 20.13.4), which are number-like and left to the library.
    expect(fallbacks.map((d) => `${d.kind}/${d.metadata.name}`)).toStrictEqual(['HelmRelease/rabbitmq', 'OCIRepository/redis', 'ImageUpdateAutomation/users']);
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
