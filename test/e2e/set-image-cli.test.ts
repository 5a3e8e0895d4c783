import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { readTree, synthInto, tempDir } from '../support';

// set-image as CI runs it, a process (moved from test/images/set-image.test.ts).
const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;

describe('dit-gitops set-image (the CLI)', () => {
  const ROOT = path.join(__dirname, '..', '..');
  const outdir = tempDir();
  synthInto(outdir);
  const cli = (...args: string[]) => spawnSync('node', [path.join(ROOT, 'bin/dit-gitops.js'), 'set-image', ...args, '--outdir', outdir, '--definitions', path.join(ROOT, 'src/main.ts')], { encoding: 'utf8' });
  const file = path.join(outdir, 'my-api/production/image.yaml');

  it('writes image.yaml and says what it did', () => {
    const result = cli('my-api', '--env', 'production', '--tag', 'v1.2.4', '--digest', DIGEST);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(`dit-gitops: my-api production -> v1.2.4@${DIGEST} (${file})\n`);
    expect(fs.readFileSync(file, 'utf8')).toContain(`        tag: v1.2.4\n        digest: ${DIGEST}\n`);
  });

  it('fails on a new tag without its digest, with one line, and leaves every file untouched', () => {
    const before = readTree(outdir);
    const result = cli('my-api', '--env', 'production', '--tag', 'v1.2.5');
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(`dit-gitops: my-api [production] dist/my-api/production/image.yaml spec.values.global.image.digest: is ${DIGEST}, recorded for tag v1.2.4; the tag changes to v1.2.5 and no --digest was given; expected the digest of the new image\n`);
    expect(readTree(outdir)).toStrictEqual(before);
  });

  it('--from-ref picks the environment', () => {
    const result = cli('my-api', '--from-ref', 'refs/heads/main', '--tag', 'main-0a1b2c3', '--digest', `sha256:${'ab'.repeat(32)}`);
    expect(result.status).toBe(0);
    expect(fs.readFileSync(path.join(outdir, 'my-api/staging/image.yaml'), 'utf8')).toContain('        tag: main-0a1b2c3\n');
  });

  it('a second synthesis keeps what set-image wrote', () => {
    const before = fs.readFileSync(file, 'utf8');
    expect(synthInto(outdir).written).toStrictEqual([]);
    expect(fs.readFileSync(file, 'utf8')).toBe(before);
  });
});
