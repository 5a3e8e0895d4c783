/**
 * Compose variable interpolation (compose spec "Interpolation") and `.env` parsing. Pure: the
 * variables come in as a map.
 */

/** Variables by name; a name that is absent is unset, `''` is set but empty. */
export type Variables = { readonly [name: string]: string | undefined };

/** What interpolating one string found. */
export interface InterpolationResult {
  readonly value: string;
  /** `${VAR:?message}` / `${VAR?message}` failures, as messages. */
  readonly errors: readonly string[];
  /** Variables used without a default while unset: compose substitutes ''. */
  readonly unset: readonly string[];
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

/**
 * Expands `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?error}`,
 * `${VAR?error}`, `${VAR:+alt}`, `${VAR+alt}` (defaults may nest) and `$$` (a literal `$`).
 */
export function interpolate(text: string, variables: Variables): InterpolationResult {
  const errors: string[] = [];
  const unset: string[] = [];
  const value = expand(text, variables, errors, unset);
  return { value, errors, unset };
}

function expand(text: string, vars: Variables, errors: string[], unset: string[]): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c !== '$') {
      out += c;
      i++;
      continue;
    }
    const next = text[i + 1];
    if (next === '$') {
      out += '$';
      i += 2;
    } else if (next === '{') {
      const end = closingBrace(text, i + 2);
      if (end < 0) {
        errors.push(`unterminated \${ in ${JSON.stringify(text)}; expected a closing }`);
        return out + text.slice(i);
      }
      out += substitute(text.slice(i + 2, end), vars, errors, unset);
      i = end + 1;
    } else {
      const name = NAME.exec(text.slice(i + 1))?.[0];
      if (!name) {
        // A lone `$` (for example at the end) stays as written, as compose does.
        out += '$';
        i++;
        continue;
      }
      out += lookup(name, vars, unset);
      i += 1 + name.length;
    }
  }
  return out;
}

/** Index of the `}` that closes a `${` whose body starts at `from`, or -1. */
function closingBrace(text: string, from: number): number {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    if (text[i] === '$' && text[i + 1] === '{') {
      depth++;
      i++;
    } else if (text[i] === '}') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

function lookup(name: string, vars: Variables, unset: string[]): string {
  const value = vars[name];
  if (value === undefined) {
    if (!unset.includes(name)) unset.push(name);
    return '';
  }
  return value;
}

function substitute(body: string, vars: Variables, errors: string[], unset: string[]): string {
  const name = NAME.exec(body)?.[0];
  if (!name) {
    errors.push(`\${${body}} is not a variable reference; expected \${NAME} with letters, digits and '_'`);
    return '';
  }
  const rest = body.slice(name.length);
  if (rest === '') return lookup(name, vars, unset);
  const op = /^(:-|-|:\?|\?|:\+|\+)/.exec(rest)?.[0];
  if (!op) {
    errors.push(`\${${body}} has an unknown modifier ${JSON.stringify(rest)}; expected :-, -, :?, ?, :+ or +`);
    return '';
  }
  const arg = rest.slice(op.length);
  const value = vars[name];
  const missing = op.startsWith(':') ? value === undefined || value === '' : value === undefined;
  switch (op) {
    case ':-':
    case '-':
      return missing ? expand(arg, vars, errors, unset) : value!;
    case ':?':
    case '?':
      if (missing) errors.push(`variable ${name} is ${value === undefined ? 'not set' : 'empty'}: ${expand(arg, vars, errors, unset) || 'required'}`);
      return value ?? '';
    default:
      return missing ? '' : expand(arg, vars, errors, unset);
  }
}

/** One `.env` problem: the line number and what is wrong. */
export interface DotEnvIssue {
  readonly line: number;
  readonly message: string;
}

/**
 * Parses a `.env` (or `env_file`) text: `KEY=value`, `export KEY=value`, `# comments`, single
 * quotes (literal), double quotes (with `\n` escapes), and inline ` #` comments on unquoted
 * values. A bare `KEY` has no value (undefined).
 */
export function parseDotEnv(text: string): { readonly values: { [key: string]: string | undefined }; readonly issues: readonly DotEnvIssue[] } {
  const values: { [key: string]: string | undefined } = {};
  const issues: DotEnvIssue[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*(=(.*))?$/.exec(line);
    if (!match) {
      issues.push({ line: index + 1, message: `got ${JSON.stringify(line)}; expected KEY=value` });
      return;
    }
    const [, key, assignment, rawValue] = match;
    values[key] = assignment === undefined ? undefined : unquote(rawValue.trim());
  });
  return { values, issues };
}

function unquote(value: string): string {
  if (value.length >= 2 && value.startsWith("'") && value.endsWith("'")) return value.slice(1, -1);
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
    return value.slice(1, -1).replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
  }
  const comment = value.search(/\s#/);
  return comment >= 0 ? value.slice(0, comment).trimEnd() : value;
}
