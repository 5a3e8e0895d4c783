import { ChildProcess, execFileSync, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { tempDir } from '../support';
import { CACHE_DIR } from '../../src/tree/tree-manifest';

// A scratch git repository that runs this project's code as a user runs it: its own src/,
// dist/ and cdk8s.yaml, this project's node_modules and imports/ linked in.
export const ROOT = path.join(__dirname, '..', '..');
const { CDK8S_OUTDIR: _inherited, ...inherited } = process.env;
export const ENV = { ...inherited, CDK8S_CHECK_UPGRADE: 'false' };

export type SynthCommand = 'npm run synth' | 'npx cdk8s synth';

export function git(cwd: string, ...args: string[]): string {
  // `status --ignored` lists an installed node_modules file by file: far past the 1 MiB default.
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
}

function argv(command: SynthCommand): [string, string[]] {
  return command === 'npm run synth' ? ['npm', ['run', '-s', 'synth']] : ['npx', ['--no-install', 'cdk8s', 'synth']];
}

/** Runs a synthesis to the end. */
export function run(cwd: string, command: SynthCommand, env: NodeJS.ProcessEnv = {}) {
  const [bin, args] = argv(command);
  const result = spawnSync(bin, args, { cwd, env: { ...ENV, ...env }, encoding: 'utf8' });
  return { status: result.status, output: `${result.stdout}${result.stderr}`.replace(/^npm warn .*\n/gm, '') };
}

/** Starts a synthesis in its own process group, so a kill reaches npm, tsx and node alike. */
export function start(cwd: string, command: SynthCommand, env: NodeJS.ProcessEnv = {}): ChildProcess {
  const [bin, args] = argv(command);
  return spawn(bin, args, { cwd, env: { ...ENV, ...env }, stdio: 'ignore', detached: true });
}

/** The scratch project's dit-gitops CLI, run in `cwd` on its definitions and dist/. */
export function cli(cwd: string, ...args: string[]) {
  const result = spawnSync('node', [path.join(cwd, 'bin/dit-gitops.js'), ...args, '--definitions', path.join(cwd, 'src/main.ts'), '--outdir', path.join(cwd, 'dist')], { cwd, env: ENV, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export function scratchProject(prefix = 'dit-gitops-e2e-'): string {
  const dir = tempDir(prefix);
  for (const f of ['package.json', 'cdk8s.yaml', 'tsconfig.json', '.gitignore']) fs.copyFileSync(path.join(ROOT, f), path.join(dir, f));
  for (const d of ['src', 'bin']) fs.cpSync(path.join(ROOT, d), path.join(dir, d), { recursive: true });
  fs.cpSync(path.join(ROOT, 'dist'), path.join(dir, 'dist'), { recursive: true });
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  fs.symlinkSync(path.join(ROOT, 'imports'), path.join(dir, 'imports'));
  // The golden charts: synthesis checks values against their schemas, as the package does.
  fs.symlinkSync(path.join(ROOT, 'charts'), path.join(dir, 'charts'));
  fs.appendFileSync(path.join(dir, '.gitignore'), 'node_modules\nimports\ncharts\n');
  git(dir, 'init', '-q');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'init');
  return dir;
}

/** Every file under `dir` (the journal and temp files included), by relative path. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!fs.existsSync(dir)) return out;
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const rel = path.relative(dir, path.join(entry.parentPath, entry.name));
    // The synthesis cache (it ignores itself in git) is no part of the tree.
    if (entry.isFile() && !rel.startsWith(`${CACHE_DIR}${path.sep}`)) out[rel] = fs.readFileSync(path.join(entry.parentPath, entry.name), 'utf8');
  }
  return out;
}
