// `npx cdk8s synth` against `npm run synth` at 1,000 components (3,000 overlays), as users
// run them: in a scratch project, first write and a no-change rewrite, best of RUNS.
// `npm run bench:cdk8s`. The target: cdk8s synth within 1.5x npm run synth.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';

const ROOT = path.join(__dirname, '..');
const COMPONENTS = Number(process.env.BENCH_COMPONENTS ?? 1000);
const RUNS = 3;

const DEFINITIONS = `import { DitApi, DitEnvironment, GitOpsApp, Peer, Port, runSynth } from '.';

export function defineTeam(app: GitOpsApp): void {
  for (const name of ['development', 'staging', 'production']) {
    new DitEnvironment(app, name, { namespace: 'bench', domain: name + '.example.com', pinImageDigests: false });
  }
  for (let i = 0; i < ${COMPONENTS}; i++) {
    const api = new DitApi(app, 'svc-' + i, { replicas: 2, configs: { INDEX: i } });
    api.connections.allowFrom(Peer.traefik(), Port.tcp(8080));
  }
}

if (require.main === module) runSynth(defineTeam);
`;

function scratch(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dit-bench-cdk8s-'));
  for (const f of ['package.json', 'cdk8s.yaml', 'tsconfig.json']) fs.copyFileSync(path.join(ROOT, f), path.join(dir, f));
  fs.cpSync(path.join(ROOT, 'src'), path.join(dir, 'src'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'src/main.ts'), DEFINITIONS);
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  fs.symlinkSync(path.join(ROOT, 'imports'), path.join(dir, 'imports'));
  return dir;
}

const { CDK8S_OUTDIR: _ignored, ...env } = process.env;

function timed(dir: string, command: string[]): number {
  const start = performance.now();
  const result = spawnSync(command[0], command.slice(1), { cwd: dir, env: { ...env, CDK8S_CHECK_UPGRADE: 'false' }, encoding: 'utf8' });
  const ms = performance.now() - start;
  if (result.status !== 0) throw new Error(`${command.join(' ')} failed: ${result.stderr}`);
  return ms;
}

const commands: Record<string, string[]> = {
  'npm run synth': ['npm', 'run', '-s', 'synth'],
  'npx cdk8s synth': ['npx', '--no-install', 'cdk8s', 'synth'],
};
const best: Record<string, { first: number; again: number }> = {};
for (const [name, command] of Object.entries(commands)) {
  const firsts: number[] = [];
  const agains: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const dir = scratch();
    firsts.push(timed(dir, command));
    agains.push(timed(dir, command));
    fs.rmSync(dir, { recursive: true, force: true });
  }
  best[name] = { first: Math.min(...firsts), again: Math.min(...agains) };
  console.log(`${name.padEnd(16)} ${COMPONENTS} components: first ${best[name].first.toFixed(0)} ms, no-change ${best[name].again.toFixed(0)} ms (best of ${RUNS})`);
}
const ratio = (k: 'first' | 'again') => best['npx cdk8s synth'][k] / best['npm run synth'][k];
console.log(`npx cdk8s synth / npm run synth: first ${ratio('first').toFixed(2)}x, no-change ${ratio('again').toFixed(2)}x (target: at most 1.5x)`);
