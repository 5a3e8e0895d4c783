import * as semver from 'semver';
import { DitError, DitErrorLocation, received } from '../app/errors';

/** Options of {@link ImageTagRule.any}. */
export interface AnyTagOptions {
  /**
   * Accepts the floating `latest` tag. Off by default: `latest` names no build, so the
   * tree cannot say what runs, and a restart may change it.
   * @default false
   */
  readonly allowLatest?: boolean;
}

/** A rule built from a bad argument: what was wrong, reported by the environment that uses it. */
interface RuleProblem {
  readonly field: string;
  readonly message: string;
}

/**
 * Which image tags an environment accepts: CI's tag and the tag Flux image automation picks
 * are both checked against it. `ImageTagRule.pattern(/^dev-[0-9a-f]{7}$/)` for builds of
 * branches, `ImageTagRule.semver()` for releases. No rule accepts an empty tag, and only a
 * rule that says so accepts `latest`: `any({ allowLatest: true })` or a pattern that matches it.
 */
export class ImageTagRule {
  /** Tags matching a regular expression (a pattern that matches `latest` accepts it). */
  public static pattern(pattern: RegExp): ImageTagRule {
    if (!(pattern instanceof RegExp)) {
      return ImageTagRule.invalid({ field: 'pattern', message: `got ${received(pattern)}; expected a regular expression such as /^dev-[0-9a-f]{7}$/` });
    }
    // A global or sticky RegExp keeps state between test() calls; the rule must not.
    const stateless = new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ''));
    return new ImageTagRule(`a tag matching ${pattern}`, (tag) => stateless.test(tag), stateless.test('latest'), pattern.source);
  }

  /** Semantic versions (a leading `v` allowed) within `range`. */
  public static semver(range = '*'): ImageTagRule {
    if (typeof range !== 'string' || semver.validRange(range) === null) {
      return ImageTagRule.invalid({ field: 'semver', message: `got ${received(range)}, which is not a semver range; expected a range such as *, >=1.0.0 or ^2.x` });
    }
    return new ImageTagRule(range === '*' ? 'a semantic version such as v1.2.3' : `a semantic version in ${range}`,
      (tag) => semver.valid(tag) !== null && semver.satisfies(semver.valid(tag)!, range), false);
  }

  /** Any valid Docker tag except `latest`, unless `allowLatest` says otherwise. */
  public static any(options: AnyTagOptions = {}): ImageTagRule {
    const allowLatest = options.allowLatest ?? false;
    return new ImageTagRule(allowLatest ? 'any Docker tag' : 'any Docker tag except latest (a tag that names one build)', () => true, allowLatest);
  }

  // Accepts what any() accepts, so tags are not reported again for the rule's own mistake.
  private static invalid(problem: RuleProblem): ImageTagRule {
    return new ImageTagRule('any Docker tag except latest', () => true, false, undefined, problem);
  }

  private constructor(
    /** What the rule accepts, for error messages. */
    public readonly description: string,
    private readonly test: (tag: string) => boolean,
    /** Whether the rule accepts the floating `latest` tag. */
    public readonly allowsLatest: boolean,
    /** The regular expression, for ImagePolicy filterTags. @default - none */
    public readonly pattern?: string,
    private readonly problem?: RuleProblem,
  ) {}

  /**
   * Throws a DitError at `<where.field>.<semver|pattern>` when the rule was built from a bad
   * argument. The factories do not throw: the environment that uses the rule reports it with
   * every other problem.
   */
  public validate(where: DitErrorLocation): void {
    if (this.problem) throw new DitError({ ...where, field: `${where.field}.${this.problem.field}` }, this.problem.message);
  }

  public accepts(tag: string): boolean {
    if (typeof tag !== 'string' || tag === '') return false;
    if (tag === 'latest' && !this.allowsLatest) return false;
    return this.test(tag);
  }
}
