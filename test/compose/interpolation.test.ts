import { interpolate, parseDotEnv } from '../../src/compose/interpolation';

const vars = { SET: 'value', EMPTY: '', PORT: '8080' };

describe('interpolate', () => {
  test.each([
    ['${SET}', 'value'],
    ['$SET/path', 'value/path'],
    ['${UNSET:-fallback}', 'fallback'],
    ['${EMPTY:-fallback}', 'fallback'],
    ['${EMPTY-fallback}', ''],
    ['${UNSET-fallback}', 'fallback'],
    ['${SET:-fallback}', 'value'],
    ['${SET:+alt}', 'alt'],
    ['${EMPTY:+alt}', ''],
    ['${EMPTY+alt}', 'alt'],
    ['${UNSET:-${PORT}}', '8080'],
    ['${UNSET:-${ALSO_UNSET:-deep}}', 'deep'],
    ['$$SET and $${SET}', '$SET and ${SET}'],
    ['price: 5$', 'price: 5$'],
    ['127.0.0.1:${PORT}:80', '127.0.0.1:8080:80'],
  ])('%s → %s', (text, expected) => {
    expect(interpolate(text, vars)).toStrictEqual({ value: expected, errors: [], unset: [] });
  });

  test('an unset variable without default becomes empty and is listed', () => {
    expect(interpolate('${UNSET}-$UNSET', vars)).toStrictEqual({ value: '-', errors: [], unset: ['UNSET'] });
  });

  test('${VAR:?message} fails when unset or empty, ${VAR?message} only when unset', () => {
    expect(interpolate('${UNSET:?set the domain}', vars).errors).toStrictEqual(['variable UNSET is not set: set the domain']);
    expect(interpolate('${EMPTY:?must not be empty}', vars).errors).toStrictEqual(['variable EMPTY is empty: must not be empty']);
    expect(interpolate('${EMPTY?needed}', vars)).toStrictEqual({ value: '', errors: [], unset: [] });
    expect(interpolate('${SET:?needed}', vars)).toStrictEqual({ value: 'value', errors: [], unset: [] });
  });

  test('malformed references are errors, not silent text', () => {
    expect(interpolate('${SET', vars).errors).toStrictEqual(['unterminated ${ in "${SET"; expected a closing }']);
    expect(interpolate('${SET%x}', vars).errors).toStrictEqual(['${SET%x} has an unknown modifier "%x"; expected :-, -, :?, ?, :+ or +']);
    expect(interpolate('${1X}', vars).errors).toStrictEqual(["${1X} is not a variable reference; expected ${NAME} with letters, digits and '_'"]);
  });
});

describe('parseDotEnv', () => {
  test('reads assignments, export, quotes, comments and bare keys', () => {
    const text = [
      '# comment',
      'PLAIN=value',
      'export EXPORTED=yes',
      "SINGLE='a $literal # kept'",
      'DOUBLE="line\\nbreak"',
      'INLINE=value # comment',
      'EMPTY=',
      'BARE',
      '',
    ].join('\n');
    expect(parseDotEnv(text)).toStrictEqual({
      values: { PLAIN: 'value', EXPORTED: 'yes', SINGLE: 'a $literal # kept', DOUBLE: 'line\nbreak', INLINE: 'value', EMPTY: '', BARE: undefined },
      issues: [],
    });
  });

  test('a line that is no assignment is an issue with its number', () => {
    expect(parseDotEnv('OK=1\n= broken\n').issues).toStrictEqual([{ line: 2, message: 'got "= broken"; expected KEY=value' }]);
  });
});
