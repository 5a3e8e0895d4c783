import * as fs from 'fs';
import * as path from 'path';
import { ROOT, cli, git, run, scratchProject, snapshot } from './scratch-project';

// Issue 18's "done when": DIT's auto-deploy action bumps the tag of a production image.yaml
// with `yq -i '.spec.values.global.image.tag = "v1.2.4"'`, leaves the digest alone, and
// commits. With that commit as HEAD, the file itself says its digest belongs to another tag.
const FILE = 'dist/my-api/production/image.yaml';
const DIGEST = 'sha256:570965b16c53e7fe6c48d50d8601a8cd2327143dba14412692a5b8fc2c119bf9';
const STALE = 'my-api [production] dist/my-api/production/image.yaml spec.values.global.image.digest: is the digest recorded for tag "v1.2.3" '
  + '(metadata.annotations.dit-gitops.io/digest-tag), but the tag is now "v1.2.4": the pod would keep running the v1.2.3 image under the new tag; '
  + 'expected the digest of v1.2.4, recorded with npx dit-gitops set-image my-api --env production --tag v1.2.4 --digest sha256:<digest of v1.2.4>';

/**
 * The action's edit: mikefarah yq v4 `-i` changes the one scalar and keeps every other byte
 * (comments, key order, the record annotation). The yq on PATH here may be another program,
 * so the edit is made as its output is: the tag line alone.
 */
function actionBumpsTag(dir: string, tag: string): void {
  const file = path.join(dir, FILE);
  const before = fs.readFileSync(file, 'utf8');
  const after = before.replace(/^( {8}tag: )\S+$/m, `$1${tag}`);
  expect(after).not.toBe(before);
  fs.writeFileSync(file, after);
}

describe('a stale digest committed by the auto-deploy action', () => {
  const dir = scratchProject('dit-gitops-stale-digest-');

  beforeAll(() => {
    // The golden charts' values schemas are read at synthesis time.
    if (!fs.existsSync(path.join(dir, 'charts'))) fs.symlinkSync(path.join(ROOT, 'charts'), path.join(dir, 'charts'));
    fs.appendFileSync(path.join(dir, '.git/info/exclude'), 'charts\n');
    // The tree as earlier versions wrote it, committed: no digest records its tag.
    for (const rel of git(dir, 'ls-files', 'dist').split('\n').filter((f) => f.endsWith('/image.yaml'))) {
      const file = path.join(dir, rel);
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/^ {2}annotations:\n {4}dit-gitops\.io\/digest-tag: .*\n/m, ''));
    }
    git(dir, 'commit', '-qam', 'earlier version', '--allow-empty');
    // One synthesis migrates it: every digest records its tag (six files carry a digest).
    const migrated = run(dir, 'npm run synth');
    expect(migrated.output).toMatch(/^dit-gitops: 6 written, /);
    expect(migrated.status).toBe(0);
    git(dir, 'add', '-A');
    git(dir, 'commit', '-qm', 'migrate', '--allow-empty');
    expect(fs.readFileSync(path.join(dir, FILE), 'utf8')).toContain('metadata:\n  name: my-api\n  annotations:\n    dit-gitops.io/digest-tag: v1.2.3\n');
    actionBumpsTag(dir, 'v1.2.4');
    git(dir, 'commit', '-qam', 'auto-deploy: my-api v1.2.4');
    expect(git(dir, 'status', '--porcelain')).toBe('');
    expect(git(dir, 'show', `HEAD:${FILE}`)).toContain(`        tag: v1.2.4\n        digest: ${DIGEST}\n`);
  });

  it('fails synth with the stale-digest message and writes nothing', () => {
    const before = snapshot(path.join(dir, 'dist'));
    const result = run(dir, 'npm run synth');
    expect(result.status).toBe(1);
    expect(result.output).toBe(`dit-gitops: synthesis failed, dist/ left as it was: 1 CI-owned file is not acceptable in dist/:\n  ${STALE}\n`);
    expect(snapshot(path.join(dir, 'dist'))).toStrictEqual(before);
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });

  it('fails check with the same message (exit 1) and writes nothing', () => {
    const before = snapshot(path.join(dir, 'dist'));
    const result = cli(dir, 'check');
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`\n  invalid: ${STALE}\n`);
    expect(snapshot(path.join(dir, 'dist'))).toStrictEqual(before);
  });

  it('set-image without the digest is refused the same way; with it, synth and check pass again', () => {
    const refused = cli(dir, 'set-image', 'my-api', '--env', 'production', '--tag', 'v1.2.4');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toBe(`dit-gitops: ${STALE}\n`);
    const fixed = `sha256:${'ab'.repeat(32)}`;
    expect(cli(dir, 'set-image', 'my-api', '--env', 'production', '--tag', 'v1.2.4', '--digest', fixed).status).toBe(0);
    expect(fs.readFileSync(path.join(dir, FILE), 'utf8')).toContain(`    dit-gitops.io/digest-tag: v1.2.4\n`);
    expect(run(dir, 'npm run synth').status).toBe(0);
    expect(cli(dir, 'check').status).toBe(0);
  });
});
