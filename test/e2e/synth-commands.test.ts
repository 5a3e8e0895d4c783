import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { readTree } from '../support';
import { cli, git, run, scratchProject } from './scratch-project';

function editMain(dir: string, edit: (source: string) => string): void {
  const file = path.join(dir, 'src/main.ts');
  const before = fs.readFileSync(file, 'utf8');
  const after = edit(before);
  expect(after).not.toBe(before);
  fs.writeFileSync(file, after);
}

describe.each(['npm run synth', 'npx cdk8s synth'] as const)('%s', (command) => {
  let dir: string;
  let ciBytes: string;
  let fluxBytes: string;
  const image = () => path.join(dir, 'dist/my-api/production/image.yaml');
  const automated = () => path.join(dir, 'dist/users/production/image.yaml');

  beforeAll(() => {
    dir = scratchProject();
    // What set-image does: a new tag and digest, and the tag the digest was recorded for
    // (metadata.annotations.dit-gitops.io/digest-tag), committed.
    ciBytes = fs.readFileSync(image(), 'utf8')
      .replace(/tag: v1\.2\.3/g, 'tag: v1.3.0')
      .replace(/digest: sha256:[0-9a-f]{64}/, `digest: sha256:${'ab'.repeat(32)}`);
    fs.writeFileSync(image(), ciBytes);
    git(dir, 'commit', '-qam', 'auto-deploy my-api v1.3.0');
    // What Flux image automation commits: new values behind every setter marker (the tag's
    // marker is on the tag and on the tag its digest was recorded for).
    fluxBytes = fs.readFileSync(automated(), 'utf8')
      .replace(/tag: v1\.4\.0 #/g, 'tag: v1.5.0 #')
      .replace(/digest: sha256:[0-9a-f]{64} #/, `digest: sha256:${'cd'.repeat(32)} #`);
    expect(fluxBytes).toContain('tag: v1.5.0 # {"$imagepolicy": "my-team:users:tag"}');
    fs.writeFileSync(automated(), fluxBytes);
    git(dir, 'commit', '-qam', 'my-team/users: update image');
  });

  it('reproduces the committed tree and keeps what CI and Flux image automation wrote', () => {
    const result = run(dir, command);
    expect(result.status).toBe(0);
    expect(fs.readFileSync(image(), 'utf8')).toBe(ciBytes);
    expect(fs.readFileSync(automated(), 'utf8')).toBe(fluxBytes);
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });

  it('a failing synthesis exits non-zero with one reason and leaves dist/ as it was', () => {
    const before = readTree(path.join(dir, 'dist'));
    editMain(dir, (s) => s.replace('replicas: 4,', 'replicas: -4,'));
    const result = run(dir, command);
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('my-api replicas: got -4; expected a whole number of at least 0');
    expect(readTree(path.join(dir, 'dist'))).toStrictEqual(before);
    git(dir, 'checkout', '-q', '--', 'src/main.ts');
  });

  it('keeps an image.yaml edit that is staged but not committed', () => {
    const staged = ciBytes.replace(/tag: v1\.3\.0/g, 'tag: v9.9.9').replace(/digest: sha256:[0-9a-f]{64}/, `digest: sha256:${'ef'.repeat(32)}`);
    fs.writeFileSync(image(), staged);
    git(dir, 'add', 'dist');
    const result = run(dir, command);
    expect(result.status).toBe(0);
    expect(fs.readFileSync(image(), 'utf8')).toBe(staged);
    git(dir, 'commit', '-qm', 'auto-deploy my-api v9.9.9');
    ciBytes = staged;
  });

  it('a syntax error in src/main.ts leaves every file of dist/ in place', () => {
    const before = readTree(path.join(dir, 'dist'));
    fs.appendFileSync(path.join(dir, 'src/main.ts'), '\nconst broken = ;\n');
    const result = run(dir, command);
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('src/main.ts');
    expect(readTree(path.join(dir, 'dist'))).toStrictEqual(before);
    expect(git(dir, 'status', '--porcelain')).toBe(' M src/main.ts\n');
    git(dir, 'checkout', '-q', '--', 'src/main.ts');
  });

  it('never touches the files people keep in dist/, committed or not', () => {
    const human = { 'dist/README.md': '# my-team GitOps\n', 'dist/my-api/OWNERS': 'platform-team\n', 'dist/infra/namespace.yaml': 'kind: Namespace\n' };
    for (const [rel, content] of Object.entries(human)) {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), content);
    }
    git(dir, 'add', 'dist/README.md');
    git(dir, 'commit', '-qm', 'README');
    expect(run(dir, command).status).toBe(0);
    for (const [rel, content] of Object.entries(human)) expect(fs.readFileSync(path.join(dir, rel), 'utf8')).toBe(content);
    fs.rmSync(path.join(dir, 'dist/my-api/OWNERS'));
    fs.rmSync(path.join(dir, 'dist/infra'), { recursive: true });
  });

  it('takes an image.yaml edited as the auto-deploy action edits it, and its tag reaches the release', () => {
    // The bytes ditkrg/update-gitops-image leaves after its three `yq -i` calls: the head
    // comment of `global` rewritten (its banner line ends in '#'), the tag and both
    // annotations beside `global` set. (mikefarah yq is not on this machine: written by hand.)
    const file = path.join(dir, 'dist/my-client/development/image.yaml');
    const byAction = [
      '---', 'apiVersion: helm.toolkit.fluxcd.io/v2', 'kind: HelmRelease', 'metadata:', '  name: my-client', 'spec:', '  values:',
      `    ${'#'.repeat(91)}`,
      '    # the lines below are automatically generated by the auto-deploy action. Do not edit manually.#',
      `    ${'#'.repeat(91)}`,
      '    # GITHUB_REPOSITORY: ditkrg/my-team-my-client',
      '    global:', '      image:', '        tag: dev-0a1b2c3',
      '    annotations:', '      GITHUB_REPO_URL: https://github.com/ditkrg/my-team-my-client', '      GITHUB_COMMIT_HASH: 0a1b2c3d4e5f60718293a4b5c6d7e8f901234567', '',
    ].join('\n');
    fs.writeFileSync(file, byAction);
    expect(run(dir, command).status).toBe(0);
    expect(fs.readFileSync(file, 'utf8')).toBe(byAction);
    expect(cli(dir, 'check')).toStrictEqual({ status: 0, stdout: `dit-gitops: ${path.join(dir, 'dist')}/ is up to date (76 files)\n`, stderr: '' });
    const built = execFileSync('kubectl', ['kustomize', path.join(dir, 'dist/my-client/development')], { encoding: 'utf8' });
    expect(built).toContain('\n        tag: dev-0a1b2c3\n');
    expect(built).toContain('\n      GITHUB_COMMIT_HASH: 0a1b2c3d4e5f60718293a4b5c6d7e8f901234567\n');
    git(dir, 'commit', '-qam', 'auto-deploy my-client dev-0a1b2c3');
  });

  it('refuses a production tag the action bumped without its digest, and writes nothing', () => {
    const before = readTree(path.join(dir, 'dist'));
    // DIT's action: yq sets .spec.values.global.image.tag, and nothing else.
    const bumped = ciBytes.replace(/^(\s+)tag: v9\.9\.9$/m, '$1tag: v10.0.0');
    fs.writeFileSync(image(), bumped);
    const result = run(dir, command);
    expect(result.status).toBe(1);
    expect(result.output).toContain('dit-gitops: synthesis failed, dist/ left as it was: 1 CI-owned file is not acceptable in dist/:\n  my-api [production] dist/my-api/production/image.yaml spec.values.global.image.digest: is the digest recorded for tag "v9.9.9" (metadata.annotations.dit-gitops.io/digest-tag), but the tag is now "v10.0.0": the pod would keep running the v9.9.9 image under the new tag; expected the digest of v10.0.0, recorded with npx dit-gitops set-image my-api --env production --tag v10.0.0 --digest sha256:<digest of v10.0.0>\n');
    expect(readTree(path.join(dir, 'dist'))).toStrictEqual({ ...before, 'my-api/production/image.yaml': bumped });
    git(dir, 'checkout', '-q', '--', 'dist');
  });

  it('removing a component prunes its directories', () => {
    editMain(dir, (s) => s.replace(/\n  const client = new DitClient[\s\S]*?client\.connections\.denyAllEgress\(\);\n/, '\n').replace('DitClient, ', ''));
    const result = run(dir, command);
    expect([result.status, result.output]).toStrictEqual([0, expect.any(String)]);
    expect(fs.existsSync(path.join(dir, 'dist/my-client'))).toBe(false);
    expect(fs.readFileSync(path.join(dir, 'dist/main/staging/kustomization.yaml'), 'utf8')).not.toContain('my-client');
    expect(fs.readFileSync(image(), 'utf8')).toBe(ciBytes);
  });
});
