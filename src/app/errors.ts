/**
 * Where a bad input sits: the component (or environment) it belongs to, the environment it
 * applies in, and the field that holds it.
 */
export interface DitErrorLocation {
  /** Component or environment name (the construct the value belongs to). */
  readonly component: string;
  /** Environment the value applies in; absent for values shared by every environment. */
  readonly environment?: string;
  /** Dotted path of the field, as the user wrote it. */
  readonly field: string;
}

/**
 * The base class of every refusal of bad input: definitions, CI-owned files, a tree the
 * writer will not touch. Its message is meant for the user as it is (one line per problem,
 * no stack trace); any other error is a bug and is shown with its stack.
 */
export class DitInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DitInputError';
  }
}

/**
 * The one error type bad input in the definitions raises. Its message always reads
 * `<component> [<environment>] <field>: <what was wrong>; expected <what is allowed>` so a
 * user finds the line to fix without a stack trace.
 */
export class DitError extends DitInputError {
  public readonly location: DitErrorLocation;
  /** The message without its location: what was wrong and what is allowed. */
  public readonly problem: string;

  constructor(location: DitErrorLocation, problem: string) {
    super(formatLocated(location, problem));
    this.name = 'DitError';
    this.location = location;
    this.problem = problem;
  }
}

/** `<component> [<environment>] <field>: <problem>`, the one shape every bad-input message has. */
export function formatLocated(location: DitErrorLocation, problem: string): string {
  const env = location.environment ? ` [${location.environment}]` : '';
  return `${location.component}${env} ${location.field}: ${problem}`;
}

/** Renders a received value for an error message. */
export function received(value: unknown): string {
  if (value === undefined) return 'nothing';
  // JSON.stringify turns NaN and Infinity into "null", which hides what the user wrote.
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (typeof value === 'bigint' || typeof value === 'symbol' || typeof value === 'function') return `a ${typeof value}`;
  if (value instanceof RegExp) return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
