import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { GitOpsApp } from 'dit-gitops';
import { effectiveObjects, identity, synthTree } from 'dit-gitops/testing';
import { defineTeam } from '../../src/main';
import { tempDir } from '../support';

const app = new GitOpsApp();
defineTeam(app);
// Moved from test/testing/effective-release.test.ts: it runs kubectl.
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
