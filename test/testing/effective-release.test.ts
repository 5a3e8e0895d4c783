import { GitOpsApp } from 'dit-gitops';
import { Tree, buildKustomization, effectiveRelease, synthTree } from 'dit-gitops/testing';
import { defineTeam } from '../../src/main';

// test/e2e/effective-release.test.ts proves the model agrees with kubectl kustomize.
const app = new GitOpsApp();
defineTeam(app);
const tree = synthTree(app);

describe('effectiveRelease', () => {
  it('is the base with its patches, image.yaml last, in the environment namespace', () => {
    const release = effectiveRelease(tree, 'my-api', 'staging');
    // image.yaml's record of the tag its digest was recorded for lands on the HelmRelease (no chart sees it).
    expect(release.metadata).toStrictEqual({ name: 'my-api', namespace: 'my-team', annotations: { 'dit-gitops.io/digest-tag': 'main-843632a' } });
    expect(release.spec.values.replicas).toBe(2);
    expect(release.spec.values.global.image.tag).toBe('main-843632a');
    expect(release.spec.values.configs.MongoDB__DatabaseName).toBe('my-team-db');
  });

  it('says what the tree has when there is no such release', () => {
    expect(() => effectiveRelease(tree, 'api-docs', 'staging')).toThrow('no HelmRelease api-docs in staging; the tree has Deployment/api-docs, Service/api-docs, CiliumNetworkPolicy/api-docs for it');
  });

  it('lists replace whole and null deletes, as in kustomize', () => {
    const small: Tree = {
      'a/base/kustomization.yaml': 'resources: [release.yaml]\n',
      'a/base/release.yaml': 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: a}\nspec: {values: {hosts: [x, y], keep: 1, drop: 2}}\n',
      'a/e/kustomization.yaml': 'resources: [../base]\npatches: [{path: p.yaml}]\n',
      'a/e/p.yaml': 'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata: {name: a}\nspec: {values: {hosts: [z], drop: null}}\n',
    };
    expect(effectiveRelease(small, 'a', 'e').spec.values).toStrictEqual({ hosts: ['z'], keep: 1 });
    expect(buildKustomization(small, 'a/e').objects[0].sources.map((s) => s.file)).toStrictEqual(['a/base/release.yaml', 'a/e/p.yaml']);
  });
});
