import * as fs from 'fs';
import * as path from 'path';
import { JOURNAL_DIR, recoverTree } from '../../src';
import { SynthCommand, git, run, scratchProject, snapshot, start } from './scratch-project';

// kill -9 at chosen moments of a synthesis of a 300-component tree, through npm run synth and
// npx cdk8s synth. After each kill, and after the journal recovery every next run does first,
// the tree must be wholly the old one or wholly the new one, byte for byte, with no temp file;
// the next full run then gives the new tree. The kill points cover each phase of a run once
// per command, each at a random moment of its own span: by time, while rendering, writing and
// past the end; in the write, early and late while the journal stages the new files, and just
// after its commit point. Both commands work in one scratch repository, each picking up the
// tree the other left.
const COMPONENTS = 300;
// Fractions of one full run's time: rendering, then the end of the run, where the writes are.
const DELAYS: readonly (readonly [number, number])[] = [[0.6, 0.75], [0.8, 0.95], [1.0, 1.15]];
// In the write: milliseconds after the journal appears (staging the new files), and after its
// plan does (the commit point: the swap, which a next run completes).
const IN_WRITE: readonly { readonly after: string; readonly ms: readonly [number, number] }[] = [
  { after: JOURNAL_DIR, ms: [0, 10] },
  { after: JOURNAL_DIR, ms: [10, 60] },
  { after: path.join(JOURNAL_DIR, 'plan.json'), ms: [0, 10] },
];
const ROUNDS = DELAYS.length + IN_WRITE.length;
jest.setTimeout(15 * 60_000);

// Two versions of the definitions: B changes every base (replicas), drops a tenth of the
// components A has and adds a tenth A lacks (writes, prunes and new directories at once).
const DEFINITIONS = `import { DitApi, DitEnvironment, GitOpsApp, Peer, Port, runSynth } from '.';

const B = process.env.DIT_VARIANT === 'b';

export function defineTeam(app: GitOpsApp): void {
  for (const name of ['development', 'staging', 'production']) {
    new DitEnvironment(app, name, { namespace: 'kill', domain: name + '.example.com', pinImageDigests: false });
  }
  for (let i = 0; i < ${COMPONENTS}; i++) {
    if (i % 10 === (B ? 0 : 5)) continue;
    const api = new DitApi(app, 'svc-' + i, { replicas: B ? 3 : 2, image: { tag: 'v1.0.0' }, configs: { INDEX: i } });
    api.connections.allowFrom(Peer.traefik(), Port.tcp(8080));
  }
}

export default defineTeam;

if (require.main === module) runSynth(defineTeam);
`;

type Tree = Record<string, string>;

type Variant = 'a' | 'b';
const other = (v: Variant): Variant => (v === 'a' ? 'b' : 'a');
const between = ([low, high]: readonly [number, number]) => low + (high - low) * Math.random();

let dir: string;
let dist: string;
const trees: Record<Variant, Tree> = { a: {}, b: {} };
// The variant dist/ holds: each command's rounds start from where the last one left it.
let current: Variant = 'a';

beforeAll(() => {
  dir = scratchProject('dit-gitops-kill-');
  dist = path.join(dir, 'dist');
  fs.rmSync(dist, { recursive: true });
  fs.writeFileSync(path.join(dir, 'src/main.ts'), DEFINITIONS);
  fs.mkdirSync(dist);
  fs.writeFileSync(path.join(dist, 'README.md'), '# kept by people\n');
  for (const variant of ['b', 'a'] as const) {
    expect(run(dir, 'npm run synth', { DIT_VARIANT: variant }).status).toBe(0);
    trees[variant] = snapshot(dist);
  }
  expect(Object.keys(trees.a).length).toBeGreaterThan(COMPONENTS * 7);
  expect(trees.a).not.toStrictEqual(trees.b);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'tree a');
});

describe.each(['npm run synth', 'npx cdk8s synth'] as SynthCommand[])('kill -9 during %s', (command) => {
  it(`leaves the old or the new tree after each of ${ROUNDS} kills`, async () => {
    // One full run, timed: the delays are fractions of it.
    const startedAt = Date.now();
    expect(run(dir, command, { DIT_VARIANT: other(current) }).status).toBe(0);
    const duration = Date.now() - startedAt;
    current = other(current);
    expect(equal(snapshot(dist), trees[current])).toBe(true);
    // Delay and in-write kills alternate, each phase once, in random order within its kind.
    const shuffle = <T>(list: readonly T[]) => list.map((v) => [Math.random(), v] as const).sort((x, y) => x[0] - y[0]).map(([, v]) => v);
    const delays = shuffle(DELAYS);
    const inWrite = shuffle(IN_WRITE);
    const seen: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const next = other(current);
      const writing = round % 2 === 1;
      const delay = Math.round(duration * between(delays[Math.floor(round / 2)]));
      const child = start(dir, command, { DIT_VARIANT: next });
      let done = false;
      const exited = new Promise<void>((resolve) => child.once('exit', () => { done = true; resolve(); }));
      if (writing) {
        const { after, ms } = inWrite[Math.floor(round / 2)];
        while (!done && !fs.existsSync(path.join(dist, after))) await new Promise((resolve) => setTimeout(resolve, 2));
        await new Promise((resolve) => setTimeout(resolve, Math.round(between(ms))));
      } else {
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // The run had already finished.
      }
      await exited;
      const recovery = recoverTree(dist);
      const after = snapshot(dist);
      const state = equal(after, trees[current]) ? 'old' : equal(after, trees[next]) ? 'new' : 'torn';
      seen.push(`${writing ? `in the write, after ${path.basename(inWrite[Math.floor(round / 2)].after)}` : `${delay} ms`}: ${state} (${recovery})`);
      expect({ round, delay, state }).toStrictEqual({ round, delay, state: state === 'torn' ? 'old or new' : state });
      expect(run(dir, command, { DIT_VARIANT: next }).status).toBe(0);
      expect(equal(snapshot(dist), trees[next])).toBe(true);
      expect(fs.readdirSync(dir).filter((f) => f.endsWith('.lock') || f.endsWith('.stale'))).toStrictEqual([]);
      current = next;
    }
    process.stdout.write(`${command}, one run ${duration} ms; kills: ${seen.join(', ')}\n`);
  });
});

function equal(a: Tree, b: Tree): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}
