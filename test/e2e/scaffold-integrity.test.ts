import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { readTree, tempDir } from '../support';
import { ENV, ROOT, SynthCommand, git, run } from './scratch-project';

// The package as a team gets it: packed (prepack builds lib/), `dit-gitops init`, the tarball
// installed, committed. Then the integrity guarantees this repository has, through both
// commands a team runs. $DIT_GITOPS_TARBALL reuses a tarball .ci/run has packed already.
jest.setTimeout(600_000);

let work: string;
let team: string;
const sh = (cwd: string, bin: string, ...args: string[]) => execFileSync(bin, args, { cwd, env: ENV, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const image = () => path.join(team, 'dist/t-api/staging/image.yaml');

beforeAll(() => {
  work = tempDir('dit-gitops-scaffold-');
  const tarball = process.env.DIT_GITOPS_TARBALL ?? path.join(work, sh(ROOT, 'npm', 'pack', '--silent', '--pack-destination', work).trim().split('\n').pop()!);
  team = path.join(work, 'team');
  sh(ROOT, 'node', 'bin/dit-gitops.js', 'init', team, '--team', 't', '--environments', 'development,staging,production', '--domain', 't.example.com');
  // The package's dependencies are the ones this repository installed: npm's cache has them.
  sh(team, 'npm', 'install', '--prefer-offline', '--no-audit', '--no-fund', tarball);
  sh(team, 'npm', 'run', '-s', 'synth');
  sh(team, 'npm', 'test', '--', '--ci=false');
  git(team, 'init', '-q');
  git(team, 'add', '-A');
  git(team, 'commit', '-qm', 't: GitOps repository');
});

describe('the scaffold, installed', () => {
  it('runs npx cdk8s synth with the cdk8s-cli it installs, into a gitignored scratch folder', () => {
    expect(fs.existsSync(path.join(team, 'node_modules/.bin/cdk8s'))).toBe(true);
    expect(fs.readFileSync(path.join(team, 'cdk8s.yaml'), 'utf8')).toMatch(/^output: \.cdk8s-out$/m);
    expect(fs.readFileSync(path.join(team, '.gitignore'), 'utf8').split('\n')).toContain('.cdk8s-out/');
  });

  it('holds the golden charts its HelmCharts point at, as the package ships them', () => {
    const charts = readTree(path.join(team, 'charts'));
    expect(charts).toStrictEqual(readTree(path.join(ROOT, 'charts')));
    expect(Object.keys(charts)).toEqual(expect.arrayContaining(['dit-common-api/Chart.yaml', 'dit-common-client/Chart.yaml', 'dit-gateway/Chart.yaml', 'dit-library/Chart.yaml']));
  });

  it('render shows the golden releases rendered, and verify passes, with what the scaffold installs', () => {
    const rendered = sh(team, 'npx', 'dit-gitops', 'render', 'staging');
    expect(rendered).toMatch(/^kind: Deployment\nmetadata:\n  name: t-api\n/m);
    expect(rendered).toMatch(/image: "?ghcr\.io\/t\/t-api:v0\.1\.0"?\n/);
    expect(rendered).not.toMatch(/^kind: HelmRelease$/m);
    expect(sh(team, 'npx', 'dit-gitops', 'verify')).toBe('dit-gitops: verified development, staging, production: no problems\n');
  });

  it('init from the installed package copies its charts, wherever it runs', () => {
    const elsewhere = tempDir('dit-gitops-elsewhere-');
    fs.mkdirSync(path.join(elsewhere, 'charts/dit-common-api'), { recursive: true });
    fs.writeFileSync(path.join(elsewhere, 'charts/dit-common-api/Chart.yaml'), 'name: not-ours\n');
    sh(elsewhere, path.join(team, 'node_modules/.bin/dit-gitops'), 'init', 'second', '--team', 'u', '--domain', 'u.example.com');
    expect(fs.readFileSync(path.join(elsewhere, 'second/charts/dit-common-api/Chart.yaml'), 'utf8'))
      .toBe(fs.readFileSync(path.join(ROOT, 'charts/dit-common-api/Chart.yaml'), 'utf8'));
  });

  it('a CI deploy needs no snapshot update; the tests read the committed image.yaml', () => {
    sh(team, 'npx', 'dit-gitops', 'set-image', 't-api', '--env', 'staging', '--tag', 'main-0a1b2c3');
    git(team, 'commit', '-qam', 't-api: main-0a1b2c3 to staging');
    expect(sh(team, 'npx', 'dit-gitops', 'check')).toBe('dit-gitops: dist/ is up to date (9 files)\n');
    const snapshots = fs.readFileSync(path.join(team, 'test/__snapshots__/main.test.ts.snap'), 'utf8');
    expect([...snapshots.matchAll(/: (\S+) 1`\] = `$/gm)].map((m) => m[1])).toStrictEqual([
      'main/development/kustomization.yaml', 'main/production/kustomization.yaml', 'main/staging/kustomization.yaml',
      't-api/base/kustomization.yaml', 't-api/base/release.yaml', 't-api/development/kustomization.yaml', 't-api/staging/kustomization.yaml',
    ]);
    expect(spawnSync('npm', ['test', '--', '--ci'], { cwd: team, env: ENV }).status).toBe(0);
    // A committed image.yaml that patches no release breaks the tree Flux builds, and the tests.
    fs.writeFileSync(image(), fs.readFileSync(image(), 'utf8').replace('name: t-api', 'name: t-apj'));
    const broken = spawnSync('npm', ['test', '--', '--ci'], { cwd: team, env: ENV, encoding: 'utf8' });
    expect(broken.status).toBe(1);
    expect(broken.stderr).toContain('t-api/staging/image.yaml');
    git(team, 'checkout', '-q', '--', 'dist');
  });

  it('refuses a cdk8s.yaml whose output is dist/, saying what cdk8s did', () => {
    fs.writeFileSync(path.join(team, 'cdk8s.yaml'), fs.readFileSync(path.join(team, 'cdk8s.yaml'), 'utf8').replace('output: .cdk8s-out', 'output: dist'));
    const result = run(team, 'npx cdk8s synth');
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('dit-gitops: synth cdk8s.yaml output: is "dist", which overlaps the tree dist/, and cdk8s synth deletes it before every run');
    expect(fs.existsSync(path.join(team, 'dist/main'))).toBe(false);
    git(team, 'checkout', '-q', '--', 'cdk8s.yaml', 'dist');
  });
});

describe.each(['npx cdk8s synth', 'npm run synth'] as SynthCommand[])('%s in the scaffold', (command) => {
  afterEach(() => {
    git(team, 'reset', '-q', '--hard');
    git(team, 'clean', '-qfd', '--', 'dist', 'src');
  });

  it('reproduces the committed tree and writes nothing stray', () => {
    fs.rmSync(path.join(team, '.cdk8s-out'), { recursive: true, force: true });
    expect(run(team, command).status).toBe(0);
    // node_modules/ and .tools/ (the Helm render and verify unpack) are the installs'; the
    // synthesis cache in dist/ ignores itself (docs/tree.md).
    const notStray = ['!! node_modules/', '!! .tools/', '!! dist/.dit-gitops-cache/'];
    expect(git(team, 'status', '--porcelain', '--ignored', '--untracked-files=all').split('\n').filter((l) => !notStray.some((prefix) => l.startsWith(prefix))))
      .toStrictEqual(command === 'npx cdk8s synth' ? ['!! .cdk8s-out/dit-gitops-summary.yaml', ''] : ['']);
  });

  it('keeps a staged CI edit of image.yaml', () => {
    sh(team, 'npx', 'dit-gitops', 'set-image', 't-api', '--env', 'staging', '--tag', 'main-9f8e7d6');
    git(team, 'add', 'dist');
    const staged = fs.readFileSync(image(), 'utf8');
    expect(staged).toContain('\n        tag: main-9f8e7d6\n');
    expect(run(team, command).status).toBe(0);
    expect(fs.readFileSync(image(), 'utf8')).toBe(staged);
    expect(git(team, 'status', '--porcelain')).toBe('M  dist/t-api/staging/image.yaml\n');
  });

  it('keeps a committed hand-written file in a component folder', () => {
    fs.writeFileSync(path.join(team, 'dist/t-api/OWNERS.md'), '# Owners\n\n- platform-team\n');
    git(team, 'add', 'dist/t-api/OWNERS.md');
    git(team, 'commit', '-qm', 'owners');
    expect(run(team, command).status).toBe(0);
    expect(fs.readFileSync(path.join(team, 'dist/t-api/OWNERS.md'), 'utf8')).toBe('# Owners\n\n- platform-team\n');
    expect(git(team, 'status', '--porcelain')).toBe('');
    git(team, 'reset', '-q', '--hard', 'HEAD~1');
  });

  it('reruns from the synthesis cache, and still sees a definition change, a same-size CI edit and a hand edit', () => {
    expect(run(team, command).status).toBe(0);
    const manifest = JSON.parse(fs.readFileSync(path.join(team, 'dist/.dit-gitops-cache/manifest.json'), 'utf8')) as { owners: Record<string, { ci: string[] }> };
    expect(Object.keys(manifest.owners)).toStrictEqual(['t-api']);
    expect(manifest.owners['t-api'].ci).toStrictEqual(['t-api/development/image.yaml', 't-api/staging/image.yaml']);
    const rerun = run(team, command);
    expect(rerun.output).toMatch(/dit-gitops: 0 written, 9 unchanged, 0 pruned, 2 preserved/);
    // An edit of the same size, as `yq -i` leaves it, and a hand edit of a generated file.
    const before = fs.readFileSync(image(), 'utf8');
    const tag = /\n {8}tag: (\S+)\n/.exec(before)![1];
    const ci = before.replace(`tag: ${tag}`, `tag: ${tag.slice(0, -1)}${tag.endsWith('3') ? '4' : '3'}`);
    expect(ci).not.toBe(before);
    expect(ci).toHaveLength(before.length);
    fs.writeFileSync(image(), ci);
    const release = path.join(team, 'dist/t-api/base/release.yaml');
    const generated = fs.readFileSync(release, 'utf8');
    fs.appendFileSync(release, '# by hand\n');
    expect(run(team, command).output).toMatch(/dit-gitops: 1 written, 8 unchanged, 0 pruned, 2 preserved/);
    expect(fs.readFileSync(image(), 'utf8')).toBe(ci);
    expect(fs.readFileSync(release, 'utf8')).toBe(generated);
    // A change of the definitions.
    const main = path.join(team, 'src/main.ts');
    fs.writeFileSync(main, fs.readFileSync(main, 'utf8').replace("tag: 'v0.1.0' },", "tag: 'v0.1.0' },\n    replicas: 4,"));
    expect(run(team, command).status).toBe(0);
    expect(fs.readFileSync(release, 'utf8')).toMatch(/^    replicas: 4$/m);
    expect(sh(team, 'npx', 'dit-gitops', 'check')).toBe('dit-gitops: dist/ is up to date (9 files)\n');
    expect(git(team, 'status', '--porcelain')).toBe(' M dist/t-api/base/release.yaml\n M dist/t-api/staging/image.yaml\n M src/main.ts\n');
  });

  it('a syntax error in src/main.ts leaves every file of dist/ in place', () => {
    const before = readTree(path.join(team, 'dist'));
    fs.appendFileSync(path.join(team, 'src/main.ts'), '\nconst broken = ;\n');
    const result = run(team, command);
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('src/main.ts');
    expect(readTree(path.join(team, 'dist'))).toStrictEqual(before);
    expect(git(team, 'status', '--porcelain')).toBe(' M src/main.ts\n');
  });
});
