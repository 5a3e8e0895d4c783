import { Command } from 'commander';
import { GitOpsApp } from '../app/gitops-app';
import { formatLintFindings, lintRendered } from '../lint/rendered-lint';
import { findEnvironment } from '../network/graph';
import { renderDirectory } from '../testing/render';
import { loadDefinitions } from './definitions';
import { RenderFlags, withRenderOptions } from './render';

interface LintFlags extends RenderFlags {
  readonly definitions: string;
}

/**
 * `dit-gitops lint <env>`: renders the environment as `render` does and checks every workload
 * (non-root, no escalation, dropped capabilities, read-only root, seccomp, resources, probes,
 * image tag and digest, no host access, no service account token, a Cilium policy both ways).
 * Exits 1 when there is a finding.
 */
export function lintCommand(): Command {
  return withRenderOptions(new Command('lint')
    .description('render an environment and check every workload against the security baseline')
    .argument('<environment>', 'environment name'))
    .option('--definitions <file>', 'module exporting the team definitions (says which environments pin digests)', 'src/main.ts')
    .action((environment: string, flags: LintFlags) => {
      const app = new GitOpsApp({ outdir: flags.outdir });
      loadDefinitions(flags.definitions)(app);
      const env = findEnvironment(app, environment);
      const objects = renderDirectory(flags.outdir, environment, { component: flags.component, charts: flags.charts });
      const findings = lintRendered(objects, { pinImageDigests: env.pinImageDigests });
      if (findings.length === 0) {
        console.log(`dit-gitops: ${environment}: ${objects.length} objects, no findings`);
        return;
      }
      console.error(`dit-gitops: ${environment}: ${findings.length} finding(s):\n${formatLintFindings(findings)}`);
      process.exitCode = 1;
    });
}
