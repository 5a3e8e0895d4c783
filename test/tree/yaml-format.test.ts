import { parse } from 'yaml';
import { GENERATED_HEADER, isAmbiguousScalar, toYaml } from '../../src';

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
