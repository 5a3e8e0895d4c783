import { Tree, synthTree, validateTree } from 'dit-gitops/testing';
import { defineTeam } from '../../src/main';

describe('validateTree with the schemas the package ships', () => {
  const tree = synthTree(defineTeam);

  it('finds nothing in the example', () => {
    expect(validateTree(tree)).toStrictEqual([]);
    expect(tree).toBeValidTree();
  });

  it('names the file, object and field of an unknown HelmRelease field, and of a patch that matches nothing', () => {
    const broken: Tree = {
      ...tree,
      'my-api/base/release.yaml': tree['my-api/base/release.yaml'].replace('  releaseName: my-api\n', '  releaseName: my-api\n  releaseNmae: my-api\n'),
      'my-api/staging/release.yaml': tree['my-api/staging/release.yaml'].replace('  name: my-api\n', '  name: my-apii\n'),
    };
    const findings = validateTree(broken);
    expect(findings).toContainEqual({ file: 'my-api/base/release.yaml', object: 'HelmRelease/my-api', field: 'spec.releaseNmae', message: 'unknown field' });
    expect(findings).toContainEqual({
      file: 'my-api/staging/release.yaml',
      object: 'HelmRelease/my-apii',
      field: 'metadata.name',
      message: expect.stringMatching(/^patch targets HelmRelease\/my-apii, which my-api\/staging does not contain; expected one of HelmRelease\/my-api$/),
    });
    expect(() => expect(broken).toBeValidTree()).toThrow(/my-api\/base\/release.yaml: HelmRelease\/my-api spec.releaseNmae: unknown field/);
  });

  it('blames the patch that set a bad field, not the base', () => {
    const broken: Tree = { ...tree, 'my-api/staging/release.yaml': tree['my-api/staging/release.yaml'].replace('spec:\n', 'spec:\n  suspended: true\n') };
    expect(validateTree(broken)).toStrictEqual([{ file: 'my-api/staging/release.yaml', object: 'HelmRelease/my-api', field: 'spec.suspended', message: 'unknown field' }]);
  });
});
