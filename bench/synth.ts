// `npm run bench`: synthesis as users run it, as ratios to a floor measured in the same run.
//
// The floor is node loading cdk8s and constructs: what any cdk8s program pays before its
// first construct. Every case is a whole process:
//   - the package as a team installs it (`npm pack`, unpacked into a scratch node_modules whose
//     dependencies are this repository's), running `dit-gitops synth` on bench/team.ts at
//     N = 100 and 1,000 components over three environments: into an empty folder (full), and
//     again over its own output (no-op);
//   - this repository's `npm run synth` (the example, 76 files) over the committed tree, with
//     the synthesis cache warm (as a developer reruns it) and cleared;
//   - plain cdk8s at N = 1,000 for reference (bench/plain-cdk8s.ts), fewer runs: it is slow.
// Runs are interleaved round by round (every case once per round), so a change in the
// machine's load touches every case alike; medians, min and max, peak RSS (GNU time). The load
// average is recorded at the start and the end: read the ratios, not the seconds. Writes the
// measured block of docs/benchmark.md. No test asserts a timing.
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';

const ROOT = path.resolve(__dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const DOC = path.join(ROOT, 'docs/benchmark.md');
const START = '<!-- bench:start (written by npm run bench) -->';
const END = '<!-- bench:end -->';

interface Sample {
  readonly seconds: number;
  readonly rssKiB?: number;
}

interface Case {
  readonly key: string;
  readonly label: string;
  readonly command: readonly string[];
  readonly cwd: string;
  readonly env?: NodeJS.ProcessEnv;
  /** Runs before each sample, untimed (clears the output of a full run). */
  readonly before?: () => void;
  /** Fewer samples for a slow reference case. @default RUNS */
  readonly runs?: number;
}

function sample(c: Case): Sample {
  c.before?.();
  const argv = TIME ? [TIME, '-f', '%M', ...c.command] : [...c.command];
  const start = performance.now();
  const result = spawnSync(argv[0], argv.slice(1), { cwd: c.cwd, env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false', ...c.env }, encoding: 'utf8', maxBuffer: 64 << 20 });
  const seconds = (performance.now() - start) / 1000;
  if (result.status !== 0) throw new Error(`${c.label}: ${c.command.join(' ')} failed (${result.status}):\n${result.stderr}`);
  const rss = TIME ? Number(result.stderr.trim().split('\n').pop()) : undefined;
  return { seconds, rssKiB: Number.isFinite(rss) ? rss : undefined };
}

function stats(samples: readonly Sample[]) {
  const sorted = samples.map((s) => s.seconds).sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  const rss = samples.map((s) => s.rssKiB ?? 0);
  return { median, min: sorted[0], max: sorted[sorted.length - 1], rssMiB: rss.some((r) => r > 0) ? Math.max(...rss) / 1024 : undefined };
}

function load(): string {
  const [one, five, fifteen] = os.loadavg();
  return `load average ${one.toFixed(2)}, ${five.toFixed(2)}, ${fifteen.toFixed(2)} on ${os.cpus().length} cores`;
}

/** The package as `npm install` leaves it: packed, unpacked into node_modules, its dependencies beside it. */
function installPackage(scratch: string): string {
  const project = path.join(scratch, 'team');
  const modules = path.join(project, 'node_modules');
  fs.mkdirSync(modules, { recursive: true });
  const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', scratch], { cwd: ROOT, encoding: 'utf8' }).trim().split('\n').pop()!;
  const pkg = path.join(modules, 'dit-gitops');
  fs.mkdirSync(pkg);
  execFileSync('tar', ['xzf', path.join(scratch, tarball), '-C', pkg, '--strip-components=1']);
  for (const entry of fs.readdirSync(path.join(ROOT, 'node_modules'))) {
    if (entry !== 'dit-gitops' && entry !== '.bin') fs.symlinkSync(path.join(ROOT, 'node_modules', entry), path.join(modules, entry));
  }
  // The team's definitions import the package, as a team repository's do.
  fs.writeFileSync(path.join(project, 'team.ts'), fs.readFileSync(path.join(ROOT, 'bench/team.ts'), 'utf8').replace("from '../src'", "from 'dit-gitops'"));
  return project;
}

function cases(scratch: string, project: string): Case[] {
  const clear = (dir: string) => () => fs.rmSync(dir, { recursive: true, force: true });
  const synth = (out: string): Case['command'] => [process.execPath, 'node_modules/dit-gitops/bin/dit-gitops.js', 'synth', '--definitions', 'team.ts', '--outdir', out];
  const list: Case[] = [{ key: 'floor', label: 'floor: node loads cdk8s and constructs', command: [process.execPath, '-e', "require('cdk8s'); require('constructs')"], cwd: ROOT }];
  for (const n of [100, 1000]) {
    const out = path.join(scratch, `out-${n}`);
    const env = { BENCH_COMPONENTS: String(n) };
    list.push(
      { key: `full-${n}`, label: `installed \`dit-gitops synth\`, ${n.toLocaleString('en')} components × 3 envs, full`, command: synth(out), cwd: project, env, before: clear(out) },
      // The no-op reruns over the tree its own full run left, after it, every round.
      { key: `noop-${n}`, label: `the same, no-op rerun`, command: synth(out), cwd: project, env },
    );
  }
  const cache = path.join(ROOT, 'dist', '.dit-gitops-cache');
  list.push(
    { key: 'example', label: "the example's `npm run synth` (76 files), rerun", command: ['npm', 'run', '-s', 'synth'], cwd: ROOT },
    { key: 'example-cold', label: 'the same, synthesis cache cleared', command: ['npm', 'run', '-s', 'synth'], cwd: ROOT, before: clear(cache) },
    { key: 'plain-1000', label: 'plain cdk8s `app.synth()`, 1,000 components (reference)', command: [process.execPath, '--require', 'tsx/cjs', 'bench/plain-cdk8s.ts'], cwd: ROOT, env: { BENCH_COMPONENTS: '1000', CDK8S_OUTDIR: path.join(scratch, 'plain') }, before: clear(path.join(scratch, 'plain')), runs: 3 },
  );
  return list;
}

/** Goals of issue 19: a ratio of one case's median to another's. */
const GOALS: ReadonlyArray<{ key: string; of: string; goal: number }> = [
  { key: 'full-100', of: 'floor', goal: 2.2 },
  { key: 'noop-100', of: 'full-100', goal: 0.5 },
  { key: 'full-1000', of: 'floor', goal: 6.5 },
  { key: 'noop-1000', of: 'full-1000', goal: 0.3 },
  { key: 'example', of: 'floor', goal: 4 },
];
const RSS_GOAL_MIB = 150;

function main(): void {
  const base = fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir();
  const scratch = fs.mkdtempSync(path.join(base, 'dit-gitops-bench-'));
  const began = performance.now();
  const startLoad = load();
  console.log(`bench: ${startLoad}`);
  const samples = new Map<string, Sample[]>();
  let table: Case[] = [];
  try {
    const project = installPackage(scratch);
    table = cases(scratch, project);
    // One warm-up round (tsx's transform cache, the page cache), then RUNS interleaved rounds.
    for (const c of table) sample(c);
    for (let round = 0; round < RUNS; round++) {
      for (const c of table) {
        if (round >= (c.runs ?? RUNS)) continue;
        const list = samples.get(c.key) ?? [];
        list.push(sample(c));
        samples.set(c.key, list);
      }
      console.log(`bench: round ${round + 1} of ${RUNS} done`);
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  const measured = new Map(table.map((c) => [c.key, stats(samples.get(c.key)!)]));
  const median = (key: string) => measured.get(key)!.median;
  const ratioOf = (key: string) => {
    const goal = GOALS.find((g) => g.key === key);
    const of = goal?.of ?? 'floor';
    return { text: `${(median(key) / median(of)).toFixed(2)}× ${of === 'floor' ? 'floor' : 'of full'}`, goal, value: median(key) / median(of) };
  };
  const lines = [
    START, '',
    `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, node ${process.version}, output on ${base}, ${RUNS} interleaved rounds after one warm-up (plain cdk8s: 3).`,
    `Load at the start: ${startLoad}.`, '',
    '| case | median | min | max | peak RSS | ratio | goal | |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const c of table) {
    const m = measured.get(c.key)!;
    const r = c.key === 'floor' ? undefined : ratioOf(c.key);
    const verdict = r?.goal ? (r.value <= r.goal.goal ? 'met' : 'missed') : '';
    const goal = r?.goal ? `≤ ${r.goal.goal}×` : '';
    lines.push(`| ${c.label} | ${m.median.toFixed(2)} s | ${m.min.toFixed(2)} s | ${m.max.toFixed(2)} s | ${m.rssMiB === undefined ? 'n/a' : `${m.rssMiB.toFixed(0)} MiB`} | ${r?.text ?? '1×'} | ${goal} | ${verdict} |`);
  }
  const rss = measured.get('full-1000')!.rssMiB;
  lines.push('', `Peak RSS of the full synthesis at 1,000 components: ${rss === undefined ? 'n/a' : `${rss.toFixed(0)} MiB`} against ≤ ${RSS_GOAL_MIB} MiB: ${rss !== undefined && rss <= RSS_GOAL_MIB ? 'met' : 'missed'}.`);
  lines.push(`Plain cdk8s at 1,000 takes ${(median('plain-1000') / median('full-1000')).toFixed(1)}× the full \`dit-gitops synth\`.`);
  lines.push('', `Load at the end: ${load()}. The whole benchmark took ${((performance.now() - began) / 1000).toFixed(0)} s.`, '', END);
  const doc = fs.existsSync(DOC) ? fs.readFileSync(DOC, 'utf8') : `# Benchmark\n\n${START}\n${END}\n`;
  const [head, rest] = doc.split(START);
  fs.writeFileSync(DOC, `${head}${lines.join('\n')}${rest.split(END)[1] ?? '\n'}`);
  console.log(lines.slice(2, -2).join('\n'));
  console.log(`wrote ${path.relative(ROOT, DOC)}`);
}

main();
