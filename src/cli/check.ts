import { Command } from 'commander';
import { GitOpsApp } from '../app/gitops-app';
import { diffTree } from '../tree/tree-writer';
import { loadDefinitions } from './definitions';

/**
 * `dit-gitops check`: fails when the committed tree is not what the definitions synthesize
 * (someone edited dist/ by hand, or forgot to synthesize). Writes nothing.
 */
export function checkCommand(): Command {
  return new Command('check')
    .description('fail if the output directory differs from what the definitions synthesize (writes nothing)')
    .option('--definitions <file>', 'module exporting the team definitions', 'src/main.ts')
    .option('--outdir <dir>', 'output directory', 'dist')
    .action((flags: { definitions: string; outdir: string }) => {
      const app = new GitOpsApp({ outdir: flags.outdir });
      loadDefinitions(flags.definitions)(app);
      const { summary } = diffTree(flags.outdir, app.plan(), app.isPrunable);
      const drift = [...summary.written.map((p) => `  would write ${p}`), ...summary.pruned.map((p) => `  would prune ${p}`)];
      if (drift.length === 0) {
        console.log(`dit-gitops: ${flags.outdir}/ is up to date (${summary.unchanged.length} files)`);
        return;
      }
      console.error(`dit-gitops: ${flags.outdir}/ differs from the definitions; run npm run synth and commit:\n${drift.join('\n')}`);
      process.exitCode = 1;
    });
}
