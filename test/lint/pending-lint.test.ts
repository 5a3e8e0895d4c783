import { lintRendered } from '../../src';
import { goodDeployment } from './fixtures';

// A pending release (issue 20) renders its pods with no image: nothing to lint about it.
function withoutImage(): any {
  const d = goodDeployment() as any;
  delete d.spec.template.spec.containers[0].image;
  return d;
}

describe('lint and a pending release', () => {
  test('no image-tag or image-digest finding while image.yaml holds no tag, or no digest where one is pinned', () => {
    for (const image of [{ tag: '' }, { tag: '', digest: '' }, { tag: 'v1.0.0', digest: '' }]) {
      expect(lintRendered([{ component: 'api', environment: 'production', object: withoutImage(), values: { global: { image } } }], { pinImageDigests: true }).filter((f) => f.rule !== 'network-policy')).toStrictEqual([]);
    }
  });

  test('a container with no image outside a pending release is still a finding', () => {
    const findings = lintRendered([{ component: 'api', environment: 'production', object: withoutImage(), values: { global: { image: { tag: 'v1.0.0' } } } }], { pinImageDigests: true });
    expect(findings.map((f) => f.rule).filter((r) => r !== 'network-policy')).toStrictEqual(['image-digest', 'image-tag']);
  });
});
