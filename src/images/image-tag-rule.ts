import * as semver from 'semver';

/**
 * Which image tags an environment accepts: CI's tag and the tag Flux image automation picks
 * are both checked against it. `ImageTagRule.pattern(/^dev-[0-9a-f]{7}$/)` for builds of
 * branches, `ImageTagRule.semver()` for releases.
 */
export class ImageTagRule {
  /** Tags matching a regular expression. */
  public static pattern(pattern: RegExp): ImageTagRule {
    return new ImageTagRule(`a tag matching ${pattern}`, (tag) => pattern.test(tag), pattern.source);
  }

  /** Semantic versions (a leading `v` allowed) within `range`. */
  public static semver(range = '*'): ImageTagRule {
    if (semver.validRange(range) === null) throw new Error(`ImageTagRule.semver: ${JSON.stringify(range)} is not a semver range`);
    return new ImageTagRule(range === '*' ? 'a semantic version such as v1.2.3' : `a semantic version in ${range}`,
      (tag) => semver.valid(tag) !== null && semver.satisfies(semver.valid(tag)!, range));
  }

  /** Any valid Docker tag. */
  public static any(): ImageTagRule {
    return new ImageTagRule('any Docker tag', () => true);
  }

  private constructor(
    /** What the rule accepts, for error messages. */
    public readonly description: string,
    private readonly test: (tag: string) => boolean,
    /** The regular expression, for ImagePolicy filterTags. @default - none */
    public readonly pattern?: string,
  ) {}

  public accepts(tag: string): boolean {
    return this.test(tag);
  }
}
