import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { readYaml, tempDir } from '../support';

// The README's example is code a new user copies first: it must synthesize as written.
describe('the README example', () => {
  const ROOT = path.join(__dirname, '..', '..');
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const example = /```ts\n([\s\S]*?)```/.exec(readme)![1];
  const dir = tempDir();
  const file = path.join(dir, 'main.ts');
  fs.writeFileSync(file, example.replace("from 'dit-gitops'", `from ${JSON.stringify(path.join(ROOT, 'src'))}`));
  const outdir = path.join(dir, 'dist');
  // The example writes to dist/ of the folder it runs in, as in a user's project.
  const { CDK8S_OUTDIR: _ignored, ...env } = process.env;
  const run = spawnSync(path.join(ROOT, 'node_modules/.bin/tsx'), [file], { encoding: 'utf8', cwd: dir, env });

  it('synthesizes and prints the summary line', () => {
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^dit-gitops: \d+ written, 0 unchanged, 0 pruned, 0 preserved\n$/);
  });

  it('gives my-api its database egress in staging only', () => {
    const patch = readYaml(path.join(outdir, 'my-api/staging/release.yaml'))[0] as any;
    expect(Object.keys(patch.spec.values.ciliumNetworkPolicy.egress)).toStrictEqual(['database']);
    expect(fs.existsSync(path.join(outdir, 'my-api/production/release.yaml'))).toBe(true);
  });
});
