import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { GitOpsApp } from 'dit-gitops';
import { Tree, buildKustomization, effectiveObjects, effectiveRelease, identity, synthTree } from 'dit-gitops/testing';
import { defineTeam } from '../../src/main';
import { tempDir } from '../support';

const app = new GitOpsApp();
defineTeam(app);
const tree = synthTree(app);
const dir = tempDir();
for (const [rel, content] of Object.entries(tree)) {
  fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  fs.writeFileSync(path.join(dir, rel), content);
}
const cases = app.environments.flatMap((env) => app.components.filter((c) => c.deployedIn(app.environments).includes(env)).map((c) => [c.name, env.name] as const));

describe('effectiveRelease and effectiveObjects agree with kubectl kustomize', () => {
  const built = new Map(app.environments.map((env) => [
    env.name,
    parseAllDocuments(execFileSync('kubectl', ['kustomize', path.join(dir, 'main', env.name)], { encoding: 'utf8' })).map((d) => d.toJS()),
  ]));

  it('covers every component in every environment of the example', () => {
    expect(cases).toHaveLength(22);
  });

  it.each(cases)('%s in %s', (component, env) => {
    const objects = effectiveObjects(tree, component, env);
    expect(objects.length).toBeGreaterThan(0);
    for (const object of objects) expect(object).toStrictEqual(built.get(env)!.find((o) => identity(o) === identity(object)));
  });

  it('together they are exactly what kubectl builds', () => {
    for (const env of app.environments) {
      const ours = cases.filter(([, e]) => e === env.name).flatMap(([c]) => effectiveObjects(tree, c, env.name).map(identity)).sort();
      expect(ours).toStrictEqual(built.get(env.name)!.map(identity).sort());
    }
  });
});

describe('effectiveRelease', () => {
  it('is the base with its patches, image.yaml last, in the environment namespace', () => {
    const release = effectiveRelease(tree, 'my-api', 'staging');
    expect(release.metadata).toStrictEqual({ name: 'my-api', namespace: 'my-team' });
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
