import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ENV, SynthCommand, cli, git, scratchProject, start } from './scratch-project';

// set-image on three environments racing two synthesis runs: every set-image that reports
// success must be in the final tree, and nothing else may change.
jest.setTimeout(10 * 60_000);

const ROUNDS = 3;

function exitCode(child: ReturnType<typeof spawn>): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

function setImage(dir: string, env: string, tag: string, digest: string) {
  const child = spawn('node', [path.join(dir, 'bin/dit-gitops.js'), 'set-image', 'my-api', '--env', env, '--tag', tag, '--digest', digest,
    '--definitions', path.join(dir, 'src/main.ts'), '--outdir', path.join(dir, 'dist')], { cwd: dir, env: ENV, stdio: 'ignore' });
  return exitCode(child);
}

describe('set-image racing synthesis', () => {
  it(`keeps every successful set-image (${ROUNDS} rounds of 3 set-image and 2 synth runs)`, async () => {
    const dir = scratchProject('dit-gitops-race-');
    for (let round = 0; round < ROUNDS; round++) {
      const hex = (n: number) => `${round}${n}`.padStart(7, 'a');
      const updates = [
        { env: 'development', tag: `dev-${hex(1)}`, digest: `sha256:${`${round}1`.repeat(32)}` },
        { env: 'staging', tag: `main-${hex(2)}`, digest: `sha256:${`${round}2`.repeat(32)}` },
        { env: 'production', tag: `v3.${round}.0`, digest: `sha256:${`${round}3`.repeat(32)}` },
      ];
      const synths = (['npx cdk8s synth', 'npm run synth'] as SynthCommand[]).map((c) => exitCode(start(dir, c)));
      const sets = updates.map((u) => setImage(dir, u.env, u.tag, u.digest));
      const [synthCodes, setCodes] = await Promise.all([Promise.all(synths), Promise.all(sets)]);
      expect(synthCodes).toStrictEqual([0, 0]);
      expect(setCodes).toStrictEqual([0, 0, 0]);
      for (const u of updates) {
        const content = fs.readFileSync(path.join(dir, `dist/my-api/${u.env}/image.yaml`), 'utf8');
        expect(content).toContain(`\n        tag: ${u.tag}\n        digest: ${u.digest}\n`);
      }
      expect(git(dir, 'status', '--porcelain').split('\n').filter(Boolean).sort()).toStrictEqual(updates.map((u) => ` M dist/my-api/${u.env}/image.yaml`).sort());
      expect(cli(dir, 'check').status).toBe(0);
      git(dir, 'commit', '-qam', `auto-deploy round ${round}`);
    }
  });
});
