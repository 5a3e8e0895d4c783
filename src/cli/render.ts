import { Command } from 'commander';
import { formatRendered, renderDirectory } from '../testing/render';

interface RenderFlags {
  component?: string;
  outdir: string;
  charts?: string;
}

/**
 * `dit-gitops render <env>`: what Flux will apply in the environment, with every golden-chart
 * HelmRelease rendered by helm template (seed 000's "View Applied Manifests").
 */
export function renderCommand(): Command {
  return new Command('render')
    .description('print the manifests Flux will apply in an environment, golden charts rendered with helm template')
    .argument('<environment>', 'environment name (dist/main/<environment>)')
    .option('--component <name>', 'only this component')
    .option('--outdir <dir>', 'output directory', 'dist')
    .option('--charts <dir>', 'directory of the golden charts (default: ./charts, else the ones shipped with dit-gitops)')
    .action((environment: string, flags: RenderFlags) => {
      const objects = renderDirectory(flags.outdir, environment, {
        component: flags.component,
        charts: flags.charts,
        onNote: (note) => process.stderr.write(`dit-gitops: note: ${note}\n`),
      });
      process.stdout.write(formatRendered(objects));
    });
}
