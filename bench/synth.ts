// `npm run bench`: synthesis as users run it, whole processes side by side, at N = 10, 100
// and 1,000 components over three environments (bench/team.ts):
//   - `npx dit-gitops synth` into an empty folder, and again over its own output (no-op);
//   - `node bin/dit-gitops.js synth`, the same without npx's start-up;
//   - `npx cdk8s synth` with the same team as its app;
//   - the same team as plain cdk8s (bench/plain-cdk8s.ts: a Chart per component and
//     environment with a HelmRelease and a CiliumNetworkPolicy, `app.synth()`).
// One warm-up run (counted when it takes over 10 s), then BENCH_RUNS (default 5) timed runs each: median, min, max, peak RSS
// (GNU time's maximum resident set size of the largest process) and ratios. Output goes to
// /dev/shm when it exists. Writes the measured block of docs/benchmark.md; `--profile` adds
// where the CPU time goes at the largest size (node --cpu-prof). Timings are never asserted
// in tests: the machine is shared and numbers are noisy, so the load is recorded with them.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';

const ROOT = path.resolve(__dirname, '..');
const SIZES = (process.env.BENCH_SIZES ?? '10,100,1000').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const PROFILE = process.argv.includes('--profile');
const TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const DOC = path.join(ROOT, 'docs/benchmark.md');
const START = '<!-- bench:start (written by npm run bench) -->';
const END = '<!-- bench:end -->';

/** Targets of issue 13, seconds and MiB (medians, as users run it). */
const TARGETS: Record<number, { full: number; noop: number; rssMiB?: number }> = {
  100: { full: 0.35, noop: 0.25 },
  1000: { full: 1.2, noop: 0.5, rssMiB: 150 },
};

interface Sample {
  readonly seconds: number;
  readonly rssKiB?: number;
}

interface Variant {
  readonly name: string;
  /** Runs before each sample (not timed): clears the output for a full run. */
  readonly before?: () => void;
  readonly command: readonly string[];
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
}

function run(variant: Variant): Sample {
  variant.before?.();
  const argv = TIME ? [TIME, '-f', '%M', ...variant.command] : [...variant.command];
  const start = performance.now();
  const result = spawnSync(argv[0], argv.slice(1), { cwd: variant.cwd, env: variant.env, encoding: 'utf8', maxBuffer: 64 << 20 });
  const seconds = (performance.now() - start) / 1000;
  if (result.status !== 0) throw new Error(`${variant.command.join(' ')} failed (${result.status}):\n${result.stderr}`);
  // GNU time writes its format line last on stderr.
  const rss = TIME ? Number(result.stderr.trim().split('\n').pop()) : undefined;
  return { seconds, rssKiB: Number.isFinite(rss) ? rss : undefined };
}

// The warm-up fills tsx's transform cache; a run that long (plain cdk8s at N=1,000 is
// quadratic) is warm enough to count, which keeps the whole benchmark under ten minutes.
function measure(variant: Variant): Sample[] {
  const first = run(variant);
  const samples = first.seconds > 10 ? [first] : [];
  while (samples.length < RUNS) samples.push(run(variant));
  return samples;
}

function stats(samples: readonly Sample[]) {
  const sorted = samples.map((s) => s.seconds).sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  const rss = samples.map((s) => s.rssKiB ?? 0);
  return { median, min: sorted[0], max: sorted[sorted.length - 1], rssMiB: rss.some((r) => r > 0) ? Math.max(...rss) / 1024 : undefined };
}

function variants(n: number, scratch: string): Variant[] {
  const env: NodeJS.ProcessEnv = { ...process.env, BENCH_COMPONENTS: String(n), CDK8S_CHECK_UPGRADE: 'false' };
  delete env.CDK8S_OUTDIR;
  const out = (name: string) => path.join(scratch, name);
  const clear = (dir: string) => () => fs.rmSync(dir, { recursive: true, force: true });
  const cdk8sProject = out('cdk8s-project');
  fs.mkdirSync(cdk8sProject, { recursive: true });
  fs.writeFileSync(path.join(cdk8sProject, 'cdk8s.yaml'), `language: typescript\napp: npx tsx ${path.join(ROOT, 'bench/team.ts')}\noutput: ${out('cdk8s')}\n`);
  if (!fs.existsSync(path.join(cdk8sProject, 'node_modules'))) fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(cdk8sProject, 'node_modules'));
  const synth = ['npx', '--no-install', 'dit-gitops', 'synth', '--definitions', 'bench/team.ts', '--outdir', out('dit')];
  return [
    { name: 'npx dit-gitops synth', before: clear(out('dit')), command: synth, cwd: ROOT, env },
    { name: 'npx dit-gitops synth, no-op rerun', command: synth, cwd: ROOT, env },
    // The same without npx (npm's own start-up): what the CLI itself costs.
    { name: 'node bin/dit-gitops.js synth (no npx)', before: clear(out('dit')), command: [process.execPath, 'bin/dit-gitops.js', ...synth.slice(3)], cwd: ROOT, env },
    { name: 'npx cdk8s synth (same team)', command: ['npx', '--no-install', 'cdk8s', 'synth'], cwd: cdk8sProject, env },
    { name: 'plain cdk8s, app.synth()', before: clear(out('plain')), command: ['npx', '--no-install', 'tsx', 'bench/plain-cdk8s.ts'], cwd: ROOT, env: { ...env, CDK8S_OUTDIR: out('plain') } },
  ];
}

/** Self CPU time by where the code lives (a package, a source file, node itself, GC). */
function profile(n: number, scratch: string): string[] {
  const dir = path.join(scratch, 'profile');
  fs.rmSync(dir, { recursive: true, force: true });
  const outdir = path.join(scratch, 'profile-out');
  fs.rmSync(outdir, { recursive: true, force: true });
  spawnSync(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, 'bin/dit-gitops.js', 'synth', '--definitions', 'bench/team.ts', '--outdir', outdir], { cwd: ROOT, env: { ...process.env, BENCH_COMPONENTS: String(n) } });
  const file = fs.readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))!;
  const prof = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as { nodes: Array<{ id: number; callFrame: { url: string; functionName: string } }>; samples: number[]; timeDeltas: number[] };
  const byId = new Map(prof.nodes.map((node) => [node.id, node]));
  const buckets = new Map<string, number>();
  let total = 0;
  prof.samples.forEach((id, i) => {
    const { url, functionName } = byId.get(id)!.callFrame;
    const where = url.includes('/node_modules/') ? `${url.split('/node_modules/').pop()!.split('/').slice(0, url.includes('/node_modules/@') ? 2 : 1).join('/')} (library)`
      : url.includes('/src/') ? `src/${url.split('/src/').pop()}`
        : url.startsWith('node:') ? 'node built-ins (module loading, fs)'
          : functionName.startsWith('(') ? functionName : 'native code (file writes, mkdir, regular expressions)';
    buckets.set(where, (buckets.get(where) ?? 0) + prof.timeDeltas[i]);
    total += prof.timeDeltas[i];
  });
  const rows = [...buckets].sort((a, b) => b[1] - a[1]).slice(0, 14);
  return [
    `CPU profile of \`dit-gitops synth\` at N=${n} (node --cpu-prof, self time by location; ${(total / 1e6).toFixed(2)} s sampled):`,
    '',
    '| where | self time | share |',
    '|---|---|---|',
    ...rows.map(([where, us]) => `| ${where} | ${(us / 1e6).toFixed(2)} s | ${((100 * us) / total).toFixed(0)}% |`),
  ];
}

/** In-process phases (bench/phases.ts): loading, definitions, plan, write; full then no-op. */
function phases(sizes: readonly number[], scratch: string): string[] {
  const rows = sizes.map((n) => {
    const result = spawnSync('npx', ['--no-install', 'tsx', 'bench/phases.ts', path.join(scratch, `phases-${n}`)], { cwd: ROOT, env: { ...process.env, BENCH_COMPONENTS: String(n) }, encoding: 'utf8' });
    const p = JSON.parse(result.stdout.trim().split('\n').pop()!) as { load: number; full: Record<string, number>; noop: Record<string, number> };
    const ms = (v: number) => `${v.toFixed(0)} ms`;
    return `| ${n} | ${ms(p.load)} | ${ms(p.full.define)} | ${ms(p.full.plan)} | ${ms(p.full.write)} | ${ms(p.noop.plan)} | ${ms(p.noop.write)} |`;
  });
  return [
    'In-process phases (bench/phases.ts, one process: the library loaded through tsx, then a full synthesis and a no-op one):',
    '',
    '| N | load library (tsx) | definitions | plan (full) | write (full) | plan (no-op) | write (no-op) |',
    '|---|---|---|---|---|---|---|',
    ...rows,
  ];
}

function load(): string {
  const [one, five, fifteen] = os.loadavg();
  return `load average ${one.toFixed(2)}, ${five.toFixed(2)}, ${fifteen.toFixed(2)} on ${os.cpus().length} cores`;
}

function main(): void {
  const base = fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir();
  const scratch = fs.mkdtempSync(path.join(base, 'dit-gitops-bench-'));
  const began = performance.now();
  const lines: string[] = [START, '', `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, node ${process.version}, output on ${base}, ${RUNS} runs after one warm-up.`, `Load at the start: ${load()}.`, ''];
  const medians = new Map<string, number>();
  const verdicts: string[] = [];
  try {
    for (const n of SIZES) {
      const dir = path.join(scratch, `n${n}`);
      fs.mkdirSync(dir, { recursive: true });
      const results = variants(n, dir).map((v) => ({ name: v.name, ...stats(measure(v)) }));
      const plain = results[results.length - 1].median;
      lines.push(`### N = ${n} (${11 * n + 3} files from dit-gitops)`, '', '| command | median | min | max | peak RSS | vs plain cdk8s |', '|---|---|---|---|---|---|');
      for (const r of results) {
        medians.set(`${n}/${r.name}`, r.median);
        lines.push(`| ${r.name} | ${r.median.toFixed(2)} s | ${r.min.toFixed(2)} s | ${r.max.toFixed(2)} s | ${r.rssMiB === undefined ? 'n/a' : `${r.rssMiB.toFixed(0)} MiB`} | ${(r.median / plain).toFixed(2)}× |`);
        console.log(`N=${n} ${r.name}: median ${r.median.toFixed(2)} s (min ${r.min.toFixed(2)}, max ${r.max.toFixed(2)})${r.rssMiB ? `, ${r.rssMiB.toFixed(0)} MiB` : ''}`);
      }
      lines.push('');
      const target = TARGETS[n];
      if (target) {
        const [full, noop] = results;
        const check = (what: string, got: number, limit: number, unit: string) => verdicts.push(`- N=${n} ${what}: ${got.toFixed(2)} ${unit} against ≤ ${limit} ${unit}: ${got <= limit ? 'met' : 'missed'}`);
        check('full synth', full.median, target.full, 's');
        check('no-op synth', noop.median, target.noop, 's');
        if (target.rssMiB && full.rssMiB !== undefined) check('peak RSS', full.rssMiB, target.rssMiB, 'MiB');
      }
    }
    const [small, large] = [SIZES[SIZES.length - 2], SIZES[SIZES.length - 1]];
    if (small && large) {
      const growth = (medians.get(`${large}/npx dit-gitops synth`)! / medians.get(`${small}/npx dit-gitops synth`)!);
      verdicts.push(`- Growth from N=${small} to N=${large} (×${large / small} components): ×${growth.toFixed(1)} in wall time (start-up is a fixed cost, so below ×${large / small} is linear)`);
    }
    lines.push('### Targets', '', ...verdicts, '');
    if (PROFILE) lines.push('### Where the time goes', '', ...phases(SIZES, scratch), '', ...profile(SIZES[SIZES.length - 1], scratch), '');
    lines.push(`Load at the end: ${load()}. The whole benchmark took ${((performance.now() - began) / 1000).toFixed(0)} s.`, '', END);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  const doc = fs.existsSync(DOC) ? fs.readFileSync(DOC, 'utf8') : `# Benchmark\n\n${START}\n${END}\n`;
  const [head, rest] = doc.split(START);
  fs.writeFileSync(DOC, `${head}${lines.join('\n')}${rest.split(END)[1] ?? '\n'}`);
  console.log(`wrote ${path.relative(ROOT, DOC)}`);
}

main();
