import * as path from 'path';
import { Command } from 'commander';
import { DitError, received } from '../app/errors';
import { runSynth } from '../app/run';
import { loadDefinitions } from './definitions';

/** `dit-gitops synth`: the same synthesis as `npm run synth`. */
export function synthCommand(): Command {
  return new Command('synth')
    .description('synthesize the team definitions into the output directory')
    .option('--definitions <file>', 'module exporting the team definitions', 'src/main.ts')
    .option('--outdir <dir>', 'output directory', 'dist')
    .action((flags: { definitions: string; outdir: string }) => {
      assertScratchOutput(process.env.CDK8S_OUTDIR, flags.outdir);
      runSynth(loadDefinitions(flags.definitions), { outdir: flags.outdir });
    });
}

/**
 * `cdk8s synth` has deleted its output folder by the time the app runs. When that folder is the
 * tree (or holds it), the staged CI edits and hand-written files in it are gone: writing a
 * fresh tree there would hide the loss, so say what happened instead.
 */
export function assertScratchOutput(scratch: string | undefined, outdir: string): void {
  if (!scratch) return;
  const [s, o] = [path.resolve(scratch), path.resolve(outdir)];
  if (s === o || o.startsWith(`${s}${path.sep}`) || s.startsWith(`${o}${path.sep}`)) {
    throw new DitError({ component: 'synth', field: 'cdk8s.yaml output' },
      `is ${received(scratch)}, which overlaps the tree ${outdir}/, and cdk8s synth deletes it before every run `
      + `(\`git checkout -- ${outdir}\` brings back what was committed); expected a scratch folder of its own, \`output: .cdk8s-out\`, gitignored`);
  }
}
