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
 * The one error type bad input raises. Its message always reads
 * `<component> [<environment>] <field>: <what was wrong>; expected <what is allowed>` so a
 * user finds the line to fix without a stack trace.
 */
export class DitError extends Error {
  public readonly location: DitErrorLocation;

  constructor(location: DitErrorLocation, problem: string) {
    const env = location.environment ? ` [${location.environment}]` : '';
    super(`${location.component}${env} ${location.field}: ${problem}`);
    this.name = 'DitError';
    this.location = location;
  }
}

/** Renders a received value for an error message. */
export function received(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}
