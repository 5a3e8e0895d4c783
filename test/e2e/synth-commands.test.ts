import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { readTree, tempDir } from '../support';

// The two ways users synthesize, run as they run them, in a scratch git repository that
// links this project's node_modules and imports/.
const ROOT = path.join(__dirname, '..', '..');
const { CDK8S_OUTDIR: _inherited, ...inherited } = process.env;
const env = { ...inherited, CDK8S_CHECK_UPGRADE: 'false' };

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd, encoding: 'utf8' });
}

function run(cwd: string, command: 'npm run synth' | 'npx cdk8s synth') {
  const [bin, ...args] = command === 'npm run synth' ? ['npm', 'run', '-s', 'synth'] : ['npx', '--no-install', 'cdk8s', 'synth'];
  const result = spawnSync(bin, args, { cwd, env, encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

function scratchProject(): string {
  const dir = tempDir('dit-gitops-e2e-');
  for (const f of ['package.json', 'cdk8s.yaml', 'tsconfig.json']) fs.copyFileSync(path.join(ROOT, f), path.join(dir, f));
  fs.cpSync(path.join(ROOT, 'src'), path.join(dir, 'src'), { recursive: true });
  fs.cpSync(path.join(ROOT, 'dist'), path.join(dir, 'dist'), { recursive: true });
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  fs.symlinkSync(path.join(ROOT, 'imports'), path.join(dir, 'imports'));
  fs.writeFileSync(path.join(dir, '.gitignore'), 'node_modules\nimports\n');
  git(dir, 'init', '-q');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'init');
  return dir;
}

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
    // What the auto-deploy action does: a new tag and digest, committed.
    ciBytes = fs.readFileSync(image(), 'utf8')
      .replace('tag: v1.2.3', 'tag: v1.3.0')
      .replace(/digest: sha256:[0-9a-f]{64}/, `digest: sha256:${'ab'.repeat(32)}`);
    fs.writeFileSync(image(), ciBytes);
    git(dir, 'commit', '-qam', 'auto-deploy my-api v1.3.0');
    // What Flux image automation commits: new values behind the setter markers.
    fluxBytes = fs.readFileSync(automated(), 'utf8')
      .replace('tag: v1.4.0 #', 'tag: v1.5.0 #')
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

  it('removing a component prunes its directories', () => {
    editMain(dir, (s) => s.replace(/\n  const client = new DitClient[\s\S]*?client\.connections\.denyAllEgress\(\);\n/, '\n').replace('DitClient, ', ''));
    expect(run(dir, command).status).toBe(0);
    expect(fs.existsSync(path.join(dir, 'dist/my-client'))).toBe(false);
    expect(fs.readFileSync(path.join(dir, 'dist/main/staging/kustomization.yaml'), 'utf8')).not.toContain('my-client');
    expect(fs.readFileSync(image(), 'utf8')).toBe(ciBytes);
  });
});
