import { DitError, DitErrorLocation, formatLocated } from './errors';

/** One bad input found by the validation pass. */
export interface DitProblem extends DitErrorLocation {
  /** What was wrong and what is allowed, for example `got "x"; expected a DNS-1123 label`. */
  readonly message: string;
}

/** The problem as one line: `component [environment] field: message`. */
export function formatProblem(problem: DitProblem): string {
  return formatLocated(problem, problem.message);
}

/**
 * Every mistake the validation pass found, thrown once so a user fixes them all in one go.
 * The message has one line per problem, sorted by component and environment; `problems`
 * holds them as data for tests and tools. It is a DitError: `location` is the first problem.
 */
export class DitValidationError extends DitError {
  public readonly problems: readonly DitProblem[];

  constructor(problems: readonly DitProblem[]) {
    const sorted = sortProblems(problems);
    if (sorted.length === 0) throw new Error('DitValidationError needs at least one problem');
    const first = sorted[0];
    super({ component: first.component, environment: first.environment, field: first.field }, first.message);
    this.name = 'DitValidationError';
    this.problems = sorted;
    this.message = sorted.map(formatProblem).join('\n');
  }
}

/** Component, then environment (values shared by every environment first), then the order found. */
function sortProblems(problems: readonly DitProblem[]): DitProblem[] {
  const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return problems
    .map((problem, index) => ({ problem, index }))
    .sort((a, b) => compare(a.problem.component, b.problem.component)
      || compare(a.problem.environment ?? '', b.problem.environment ?? '')
      || a.index - b.index)
    .map(({ problem }) => problem);
}

/**
 * Collects problems instead of stopping at the first. Checks written as functions that throw
 * a DitError run through {@link Problems.check}; the rest call {@link Problems.add}.
 */
export class Problems {
  private readonly list: DitProblem[] = [];
  private readonly seen = new Set<string>();

  /** Records one problem. A problem already recorded, or recorded for every environment, is dropped. */
  public add(where: DitErrorLocation, message: string): void {
    const shared = formatProblem({ ...where, environment: undefined, message });
    const key = formatProblem({ ...where, message });
    // A base value is checked again merged into each environment: report it once, where it was written.
    if (this.seen.has(key) || (where.environment !== undefined && this.seen.has(shared))) return;
    this.seen.add(key);
    this.list.push({ component: where.component, ...(where.environment !== undefined ? { environment: where.environment } : {}), field: where.field, message });
  }

  /** Runs `check`; the DitError it throws (every problem of a DitValidationError) is recorded. Other errors pass through. */
  public check(check: () => void): void {
    try {
      check();
    } catch (error) {
      if (error instanceof DitValidationError) error.problems.forEach((p) => this.add(p, p.message));
      else if (error instanceof DitError) this.add(error.location, error.problem);
      else throw error;
    }
  }

  /** The problems so far, in the order found. */
  public get problems(): readonly DitProblem[] {
    return this.list;
  }

  /** Throws a DitValidationError when anything was recorded. */
  public throwIfAny(): void {
    if (this.list.length > 0) throw new DitValidationError(this.list);
  }
}

