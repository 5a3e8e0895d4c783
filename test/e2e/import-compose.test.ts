import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ComposeProject, GitOpsApp, readSources } from '../../src';
import { formatFindings, synthTree, validateTree } from '../../src/testing';
import { tempDir } from '../support';

const ROOT = path.join(__dirname, '..', '..');
const SHOP_DIR = path.join(ROOT, 'test', 'compose', 'fixtures', 'shop');
const SHOP = path.join(SHOP_DIR, 'docker-compose.yml');
const node = (args: string[], cwd = ROOT) => spawnSync('node', args, { cwd, encoding: 'utf8', env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' } });

function readTree(dir: string, prefix = ''): Record<string, string> {
  return Object.fromEntries(fs.readdirSync(path.join(dir, prefix), { withFileTypes: true }).flatMap((e) => {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    // The synthesis cache ignores itself in git: not part of the tree a team commits.
    if (rel === '.dit-gitops-cache') return [];
    return e.isDirectory() ? Object.entries(readTree(dir, rel)) : [[rel, fs.readFileSync(path.join(dir, rel), 'utf8')]];
  }));
}

/** A scratch team repository whose `dit-gitops` package is this checkout's src/. */
function scratchProject(): string {
  const dir = tempDir('dit-gitops-import-');
  const pkg = path.join(dir, 'node_modules', 'dit-gitops');
  fs.mkdirSync(pkg, { recursive: true });
  fs.writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name: 'dit-gitops', main: 'index.ts', types: 'index.ts' }));
  fs.writeFileSync(path.join(pkg, 'index.ts'), `export * from ${JSON.stringify(path.join(ROOT, 'src'))};\n`);
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      strict: true, noEmit: true, noUnusedLocals: true, module: 'commonjs', moduleResolution: 'node', target: 'ES2022', lib: ['ES2022'],
      skipLibCheck: true, esModuleInterop: true, types: ['node'], typeRoots: [path.join(ROOT, 'node_modules', '@types')],
    },
    files: ['src/main.ts'],
  }));
  return dir;
}

describe('dit-gitops import compose, as a team runs it', () => {
  const dir = scratchProject();
  const out = path.join(dir, 'src', 'main.ts');
  const imported = node([path.join(ROOT, 'bin', 'dit-gitops.js'), 'import', 'compose', SHOP, '--project', 'shop', '--domain', 'shop.example.com', '--out', out]);

  test('writes the file and prints the report', () => {
    expect(imported.stderr).toBe('');
    expect(imported.status).toBe(0);
    expect(imported.stdout).toMatch(/^api: port 8000 \(container side of ports:\)$/m);
  });

  test('the written TypeScript type-checks', () => {
    const tsc = node([path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir]);
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
  });

  test('and synthesizes (dit-gitops synth) to the tree the ComposeProject construct gives', () => {
    const outdir = path.join(dir, 'dist');
    const synth = node([path.join(ROOT, 'bin', 'dit-gitops.js'), 'synth', '--definitions', out, '--outdir', outdir], dir);
    expect(synth.stderr).toBe('');
    expect(synth.status).toBe(0);
    const app = new GitOpsApp();
    new ComposeProject(app, 'shop', { compose: { ...readSources([SHOP]), variables: { ...process.env } }, project: 'shop', domain: 'shop.example.com' });
    const expected = synthTree(app);
    expect(readTree(outdir)).toStrictEqual(expected);
    expect(formatFindings(validateTree(expected))).toBe('');
  });
});

describe('npm run test:corpus', () => {
  const corpus = tempDir('dit-gitops-corpus-');
  fs.copyFileSync(SHOP, path.join(corpus, 'shop.yml'));
  fs.copyFileSync(path.join(SHOP_DIR, 'api.env'), path.join(corpus, 'shop.api.env'));
  fs.writeFileSync(path.join(corpus, 'shop.prod.yml'), 'services:\n  api:\n    deploy: { replicas: 4 }\n');
  fs.writeFileSync(path.join(corpus, 'tabs.yml'), 'services:\n\tweb:\n\t\timage: nginx\n');
  // An unpinned database production waits for (suspended), and an app on a tag production refuses (pending).
  fs.writeFileSync(path.join(corpus, 'wait.yml'), 'services:\n  api: { image: "ghcr.io/o/api:sha-1234567", ports: ["8000"], depends_on: [db] }\n  db: { image: "postgres:16" }\n');
  const script = (...args: string[]) => node([path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(ROOT, 'scripts', 'test-corpus.ts'), ...args]);

  test('one line per file (an override merged into its base) and a total; a clear rejection passes', () => {
    const result = script(corpus);
    expect(result.stderr).toBe('');
    const lines = result.stdout.trimEnd().split('\n');
    // Rendered through the golden charts and verified in staging; the worker is a DitWorker, whose stated absence of probes lint accepts.
    expect(lines[0]).toMatch(/^ok {7}shop\.yml \+ shop\.prod\.yml: 4 components, \d+ decisions, all 4 in production \(1 pending, 0 suspended\), every environment builds and validates, renders through the golden charts \(0 lint findings\), verify clean in staging$/);
    expect(lines[1]).toBe('rejected tabs.yml: tabs.yml line 2: invalid YAML: Tabs are not allowed as indentation (the file has TAB characters; YAML indents with spaces only) (+1 more)');
    expect(lines[2]).toMatch(/^ok {7}wait\.yml: 2 components, \d+ decisions, all 2 in production \(1 pending, 1 suspended\), every environment builds and validates, renders through the golden charts \(\d+ lint findings?\), verify clean in staging$/);
    expect(lines.slice(3)).toStrictEqual([
      'test:corpus: 3 files: 2 converted, 1 rejected with a clear error, 0 failed; verify in staging: 2 of 2 clean (0 problems)',
      'test:corpus: in production, 6 of 6 components of the converted trees declared (2 pending, 1 suspended)',
    ]);
    expect(result.status).toBe(0);
  });

  test('an absent folder is said and passes', () => {
    const missing = path.join(corpus, 'nope');
    expect(script(missing)).toMatchObject({ status: 0, stdout: `test:corpus: ${missing} does not exist; nothing to convert\n` });
  });
});
