import { Command } from 'commander';
import { formatRendered, renderDirectory } from '../testing/render';

/** Flags of `dit-gitops render`, which `lint` shares. */
export interface RenderFlags {
  readonly component?: string;
  readonly outdir: string;
  readonly charts?: string;
}

/** Adds the flags of `render` to a command that renders an environment as `render` does. */
export function withRenderOptions(command: Command, options: { readonly component?: boolean } = {}): Command {
  if (options.component !== false) command.option('--component <name>', 'only this component');
  return command
    .option('--outdir <dir>', 'output directory', 'dist')
    .option('--charts <dir>', 'directory of the golden charts (default: ./charts, else the ones shipped with dit-gitops)');
}

/**
 * `dit-gitops render <env>`: what Flux will apply in the environment, with every golden-chart
 * HelmRelease rendered by helm template (seed 000's "View Applied Manifests").
 */
export function renderCommand(): Command {
  return withRenderOptions(new Command('render')
    .description('print the manifests Flux will apply in an environment, golden charts rendered with helm template')
    .argument('<environment>', 'environment name (dist/main/<environment>)'))
    .action((environment: string, flags: RenderFlags) => {
      const objects = renderDirectory(flags.outdir, environment, {
        component: flags.component,
        charts: flags.charts,
        onNote: (note) => process.stderr.write(`dit-gitops: note: ${note}\n`),
      });
      process.stdout.write(formatRendered(objects));
    });
}
