import { Command } from 'commander';
import { runSynth } from '../app/run';
import { loadDefinitions } from './definitions';

/** `dit-gitops synth`: the same synthesis as `npm run synth`. */
export function synthCommand(): Command {
  return new Command('synth')
    .description('synthesize the team definitions into the output directory')
    .option('--definitions <file>', 'module exporting the team definitions', 'src/main.ts')
    .option('--outdir <dir>', 'output directory', 'dist')
    .action((flags: { definitions: string; outdir: string }) => {
      runSynth(loadDefinitions(flags.definitions), { outdir: flags.outdir });
    });
}
