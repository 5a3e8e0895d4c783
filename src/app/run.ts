import { DitError } from './errors';
import { DitValidationError, formatProblem } from './validation';
import { GitOpsApp, GitOpsAppProps } from './gitops-app';
import { GitHead, SynthSummary, formatSummary } from '../tree/tree-writer';

/**
 * Entry point for `src/main.ts`: builds the app with the team's definitions, writes the tree
 * and prints one summary line. On bad input it prints one line naming the problem, sets a
 * non-zero exit code and leaves the previous tree in place: when `cdk8s synth` had already
 * deleted it, the committed tree is restored from git HEAD.
 */
export function runSynth(define: (app: GitOpsApp) => void, props: GitOpsAppProps = {}): SynthSummary | undefined {
  const app = new GitOpsApp(props);
  try {
    define(app);
    const summary = app.synth();
    console.log(formatSummary(summary));
    return summary;
  } catch (error) {
    const restored = new GitHead(app.outdir).restore();
    const reason = error instanceof DitValidationError
      ? `${error.problems.length} problem${error.problems.length === 1 ? '' : 's'} in the definitions:\n${error.problems.map((p) => `  ${formatProblem(p)}`).join('\n')}`
      : error instanceof DitError || isConstructIdClash(error) ? (error as Error).message : error instanceof Error ? error.stack ?? error.message : String(error);
    console.error(`dit-gitops: synthesis failed, ${app.outdir}/ ${restored ? 'restored from git HEAD' : 'left as it was'}: ${reason}`);
    process.exitCode = 1;
    return undefined;
  }
}

// Two constructs with one id in one scope (for example two cdk8s objects added to a
// DitManifests chart under one id) is a mistake in the definitions, and constructs' message
// names the id and the scope: the stack trace would only hide it.
function isConstructIdClash(error: unknown): boolean {
  return error instanceof Error && /^There is already a Construct with name '/.test(error.message);
}
