import { DitError, ImageTagRule } from '../../src';

describe('ImageTagRule', () => {
  it('refuses latest and empty tags unless the rule says otherwise', () => {
    expect(['latest', '', 'v1.0.0'].map((t) => ImageTagRule.any().accepts(t))).toStrictEqual([false, false, true]);
    expect(['latest', ''].map((t) => ImageTagRule.any({ allowLatest: true }).accepts(t))).toStrictEqual([true, false]);
    expect(ImageTagRule.pattern(/^latest$/).accepts('latest')).toBe(true);
    expect(ImageTagRule.pattern(/^[a-z]+$/).accepts('latest')).toBe(true);
    expect(ImageTagRule.pattern(/^dev-[0-9a-f]{7}$/).accepts('latest')).toBe(false);
    expect(ImageTagRule.semver().accepts('latest')).toBe(false);
  });

  it('a global pattern gives the same answer every time', () => {
    const rule = ImageTagRule.pattern(/^dev-/g);
    expect([rule.accepts('dev-1'), rule.accepts('dev-1'), rule.accepts('dev-1')]).toStrictEqual([true, true, true]);
  });

  it('semver within a range, a leading v allowed', () => {
    const rule = ImageTagRule.semver('>=1.2.0');
    expect(['v1.2.0', '1.3.0', 'v1.1.9', 'main-abc1234'].map((t) => rule.accepts(t))).toStrictEqual([true, true, false, false]);
  });

  it('invalid arguments do not throw: the environment using the rule reports them', () => {
    const where = { component: 'environment production', field: 'imageTagRule' };
    expect(() => ImageTagRule.semver('banana').validate(where)).toThrow(new DitError({ ...where, field: 'imageTagRule.semver' }, 'got "banana", which is not a semver range; expected a range such as *, >=1.0.0 or ^2.x'));
    expect(() => ImageTagRule.pattern('^dev-' as never).validate(where)).toThrow(new DitError({ ...where, field: 'imageTagRule.pattern' }, 'got "^dev-"; expected a regular expression such as /^dev-[0-9a-f]{7}$/'));
    // Meanwhile the rule accepts what any() does, so no tag is refused for the rule's own mistake.
    expect(['v1.2.3', 'main-abc1234', 'latest'].map((t) => ImageTagRule.semver('banana').accepts(t))).toStrictEqual([true, true, false]);
    expect(() => ImageTagRule.semver('>=1.0.0').validate(where)).not.toThrow();
  });
});
