import { Command, Option } from 'commander';
import { DitError } from '../app/errors';
import { GitOpsApp } from '../app/gitops-app';
import { verifyDirectory } from '../testing/verify';
import { formatVerifyProblem } from '../verify/verify-problem';
import { loadDefinitions } from './definitions';
import { RenderFlags, withRenderOptions } from './render';

/** Exit codes of `dit-gitops verify`: check's. */
export enum VerifyExit {
  CLEAN = 0,
  PROBLEMS = 1,
  COULD_NOT_RUN = 2,
}

interface VerifyFlags extends RenderFlags {
  readonly definitions: string;
  readonly format: 'text' | 'json';
}

/**
 * `dit-gitops verify [environment…]`: renders each environment (every one by default) and
 * checks it as a running system (docs/verify.md). Exit 0 clean, 1 with problems (one line
 * each, sorted), 2 when it could not run (definitions that fail, an unknown environment, a
 * tree that does not build, a chart not found).
 */
export function verifyCommand(): Command {
  // Whole environments only (no --component): a call has two ends.
  return withRenderOptions(new Command('verify')
    .description('check that each environment would run: images, references, Flux references, every dialed host against the Cilium policies on both ends, ingress reachability')
    .argument('[environments...]', 'environments to verify (default: every one)'), { component: false })
    .option('--definitions <file>', 'module exporting the team definitions', 'src/main.ts')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action((environments: string[], flags: VerifyFlags) => {
    try {
      process.exitCode = runVerify(environments, flags);
    } catch (error) {
      const reason = error instanceof DitError ? error.message : String(error instanceof Error ? error.message : error).split('\n')[0];
      process.stderr.write(`dit-gitops: verify could not run: ${reason}\n`);
      process.exitCode = VerifyExit.COULD_NOT_RUN;
    }
  });
}

function runVerify(environments: readonly string[], flags: VerifyFlags): VerifyExit {
  const app = new GitOpsApp({ outdir: flags.outdir });
  loadDefinitions(flags.definitions)(app);
  app.plan();
  const report = verifyDirectory(app, flags.outdir, { charts: flags.charts, environments: environments.length > 0 ? environments : undefined });
  if (flags.format === 'json') {
    process.stdout.write(`${JSON.stringify(report, undefined, 2)}\n`);
  } else {
    for (const note of report.notes) process.stderr.write(`dit-gitops: note: ${note.environment} ${note.component}: ${note.message}\n`);
    if (report.problems.length === 0) {
      console.log(`dit-gitops: verified ${report.environments.join(', ')}: no problems`);
    } else {
      console.log(report.problems.map(formatVerifyProblem).join('\n'));
      console.error(`dit-gitops: ${report.problems.length} problem${report.problems.length === 1 ? '' : 's'} in ${report.environments.join(', ')}`);
    }
  }
  return report.problems.length === 0 ? VerifyExit.CLEAN : VerifyExit.PROBLEMS;
}
