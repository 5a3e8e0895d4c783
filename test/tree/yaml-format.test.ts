import { GENERATED_HEADER, toYaml } from '../../src';

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
