import { Command, Option } from 'commander';
import { GitOpsApp } from '../app/gitops-app';
import { NetworkGraph, findEnvironment, networkGraph, toDot, toMermaid } from '../network/graph';
import { policyDisagreements } from '../testing/policy-agreement';
import { synthTree } from '../testing/synth-tree';
import { loadDefinitions } from './definitions';

/** Flags of `dit-gitops graph`. */
interface GraphFlags {
  readonly definitions: string;
  readonly env?: string;
  readonly format: 'mermaid' | 'dot' | 'json';
}

/**
 * `dit-gitops graph`: who may talk to whom, per environment, from the model: components,
 * outside peers and the allowed connections with their ports. The rendered policies are
 * checked to agree first; a disagreement is an engine bug and exits 1.
 */
export function graphCommand(): Command {
  return new Command('graph')
    .description('print the network graph of an environment: components, outside peers and allowed connections')
    .option('--definitions <file>', 'module exporting the team definitions', 'src/main.ts')
    .option('--env <name>', 'the environment (default: every environment)')
    .addOption(new Option('--format <format>', 'output format').choices(['mermaid', 'dot', 'json']).default('mermaid'))
    .action((flags: GraphFlags) => {
      const app = new GitOpsApp({ outdir: 'unused' });
      loadDefinitions(flags.definitions)(app);
      const tree = synthTree(app);
      const environments = flags.env === undefined ? app.environments.map((e) => e.name) : [findEnvironment(app, flags.env).name];
      const disagreements = environments.flatMap((env) => policyDisagreements(app, tree, env));
      if (disagreements.length > 0) {
        throw new Error(`the rendered Cilium policies disagree with the model (an engine bug; please report it):\n${disagreements.join('\n')}`);
      }
      const graphs = environments.map((env) => networkGraph(app, env));
      process.stdout.write(formatGraphs(graphs, flags.format));
    });
}

function formatGraphs(graphs: readonly NetworkGraph[], format: GraphFlags['format']): string {
  if (format === 'json') return `${JSON.stringify(graphs.length === 1 ? graphs[0] : graphs, null, 2)}\n`;
  // `dot` reads several graphs from one input; Mermaid wants one flowchart, and the node ids
  // already carry their environment.
  if (format === 'dot') return graphs.map(toDot).join('\n');
  return `flowchart LR\n${graphs.map((g) => toMermaid(g).split('\n').slice(1).join('\n')).join('')}`;
}
