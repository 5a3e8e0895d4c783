import * as fs from 'fs';
import * as path from 'path';
import { JOURNAL_DIR, recoverTree } from '../../src';
import { SynthCommand, git, run, scratchProject, snapshot, start } from './scratch-project';

// kill -9 at random moments of a synthesis of a 300-component tree (every other one while the
// files are being written). After each kill, and
// after the journal recovery every next run does first, the tree must be wholly the old one
// or wholly the new one, byte for byte, with no temp file; the next full run then gives the
// new tree. Bounded: ROUNDS kills per command, each within one synthesis time.
const COMPONENTS = 300;
const ROUNDS = 10;
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

describe.each(['npm run synth', 'npx cdk8s synth'] as SynthCommand[])('kill -9 during %s', (command) => {
  let dir: string;
  let dist: string;
  const trees: Record<'a' | 'b', Tree> = { a: {}, b: {} };

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

  it(`leaves the old or the new tree after each of ${ROUNDS} kills`, async () => {
    let current: 'a' | 'b' = 'a';
    const startedAt = Date.now();
    run(dir, command, { DIT_VARIANT: 'b' });
    const duration = Date.now() - startedAt;
    run(dir, command, { DIT_VARIANT: 'a' });
    const seen: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const next: 'a' | 'b' = current === 'a' ? 'b' : 'a';
      // From rendering to just after the end: the writes come last.
      const delay = Math.round(duration * (0.6 + 0.55 * Math.random()));
      const child = start(dir, command, { DIT_VARIANT: next });
      let done = false;
      const exited = new Promise<void>((resolve) => child.once('exit', () => { done = true; resolve(); }));
      if (round % 2 === 1) {
        // Every other kill lands while files are being swapped: once the journal appears.
        while (!done && !fs.existsSync(path.join(dist, JOURNAL_DIR))) await new Promise((resolve) => setTimeout(resolve, 2));
        await new Promise((resolve) => setTimeout(resolve, Math.round(Math.random() * 60)));
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
      seen.push(`${round % 2 === 1 ? 'in the write' : `${delay} ms`}: ${state} (${recovery})`);
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
