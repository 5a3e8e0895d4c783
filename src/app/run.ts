import { DitInputError } from './errors';
import { DitValidationError, formatProblem } from './validation';
import { GitOpsApp, GitOpsAppProps } from './gitops-app';
import { SynthSummary, TreeProblemsError, UnsafeTreeError, formatSummary, writeScratchNote } from '../tree/tree-writer';
import { TreeLockedError } from '../tree/tree-lock';
import { TreeWriteError } from '../tree/tree-journal';

/**
 * Entry point for `src/main.ts`: builds the app with the team's definitions, writes the tree
 * and prints one summary line. On bad input it prints one line naming the problem, sets a
 * non-zero exit code and leaves the previous tree in place (writes are all or nothing).
 *
 * Under `cdk8s synth` ($CDK8S_OUTDIR set) the tree still goes to `outdir`; the CLI's own
 * output folder, which it deletes before every run, gets only a note saying where the tree is.
 */
export function runSynth(define: (app: GitOpsApp) => void, props: GitOpsAppProps = {}): SynthSummary | undefined {
  const app = new GitOpsApp(props);
  try {
    define(app);
    const summary = app.synth();
    const scratch = process.env.CDK8S_OUTDIR;
    if (scratch) {
      // The cdk8s CLI swallows the app's stdout and passes its stderr through.
      writeScratchNote(scratch, app.outdir, summary);
      console.error(`${formatSummary(summary)} (${app.outdir}/)`);
    } else {
      console.log(formatSummary(summary));
    }
    return summary;
  } catch (error) {
    // Bad input (definitions, CI-owned files, a held lock, a symlink) is one message; anything else is a bug: its stack.
    const expected = isBadInput(error);
    const reason = error instanceof DitValidationError
      ? `${error.problems.length} problem${error.problems.length === 1 ? '' : 's'} in the definitions:\n${error.problems.map((p) => `  ${formatProblem(p)}`).join('\n')}`
      : expected ? (error as Error).message : error instanceof Error ? error.stack ?? error.message : String(error);
    // A write error says itself what state the tree is in; any other failure came before the first write.
    console.error(`dit-gitops: synthesis failed, ${error instanceof TreeWriteError ? error.message : `${app.outdir}/ left as it was: ${reason}`}`);
    process.exitCode = 1;
    return undefined;
  }
}

/**
 * Bad input: a DitInputError. The tree's own refusals (a held lock, a symlink, CI-owned files
 * that are not acceptable) are listed until src/tree's errors extend DitInputError.
 */
function isBadInput(error: unknown): boolean {
  return error instanceof DitInputError || error instanceof TreeProblemsError || error instanceof TreeLockedError || error instanceof UnsafeTreeError;
}
