import * as fs from 'fs';
import * as path from 'path';
import { Command } from 'commander';
import { DitError } from '../app/errors';
import { DitValidationError } from '../app/validation';
import { GitOpsApp } from '../app/gitops-app';
import { JOURNAL_DIR, hasPendingJournal } from '../tree/tree-journal';
import { withTreeLock } from '../tree/tree-lock';
import { diffTree, isLeftoverTemp, scanTree } from '../tree/tree-writer';
import { filePatch } from '../tree/tree-diff';
import { pendingNote } from '../verify/check-flux';
import { loadDefinitions } from './definitions';

/** Exit codes of `dit-gitops check`. */
export enum CheckExit {
  CLEAN = 0,
  DRIFT = 1,
  COULD_NOT_RUN = 2,
}

const DIFF_LINES = 40;

interface CheckFlags {
  definitions: string;
  outdir: string;
}

/**
 * `dit-gitops check`: the drift check. Exit 0 when the tree is exactly what the definitions
 * synthesize; 1 on drift (a unified diff per differing file, files synth would prune, stray
 * files in generated folders, leftover temp files or journal, invalid image.yaml); 2 when it
 * could not run (definitions that fail, a locked tree, a symlink). Writes nothing.
 */
export function checkCommand(): Command {
  return new Command('check')
    .description('exit 0 if the output directory is what the definitions synthesize, 1 on drift (with a diff), 2 if the check could not run; writes nothing')
    .option('--definitions <file>', 'module exporting the team definitions', 'src/main.ts')
    .option('--outdir <dir>', 'output directory', 'dist')
    .action((flags: CheckFlags) => {
      try {
        process.exitCode = runCheck(flags);
      } catch (error) {
        // A DitError is one line already; other errors (a module not found) carry a stack below.
        const reason = error instanceof DitError ? error.message : String(error instanceof Error ? error.message : error).split('\n')[0];
        process.stderr.write(`dit-gitops: check could not run: ${reason}\n`);
        process.exitCode = CheckExit.COULD_NOT_RUN;
      }
    });
}

function runCheck(flags: CheckFlags): CheckExit {
  const { outdir } = flags;
  const app = new GitOpsApp({ outdir });
  loadDefinitions(flags.definitions)(app);
  let planned;
  try {
    planned = app.plan();
  } catch (error) {
    // One pass: the definitions' problems with those of the CI-owned files the tree holds.
    if (error instanceof DitValidationError) throw new DitValidationError(app.problems(outdir));
    throw error;
  }
  const report = withTreeLock(outdir, () => {
    const lines: string[] = [];
    // One scan: the diff and the stray-file report read the same listing.
    const scan = scanTree(outdir);
    const files = scan.files;
    const { files: resolved, summary, problems } = diffTree(outdir, planned, app.isPrunable, scan);
    if (hasPendingJournal(outdir)) lines.push(`  unfinished write: ${outdir}/${JOURNAL_DIR} (a run was killed; the next synth completes it)`);
    for (const file of files.filter(isLeftoverTemp)) lines.push(`  leftover temp file: ${file} (the next synth deletes it)`);
    for (const problem of problems) lines.push(`  invalid: ${problem}`);
    const generatedDirs = new Set(planned.map((f) => path.posix.dirname(f.path)));
    const pruned = new Set(summary.pruned);
    for (const file of files) {
      if (resolved.has(file) || pruned.has(file) || isLeftoverTemp(file) || !generatedDirs.has(path.posix.dirname(file))) continue;
      lines.push(`  stray file in a generated folder: ${file} (not generated, so synth keeps it; move it out of ${path.posix.dirname(file)}/ or delete it)`);
    }
    for (const rel of summary.pruned) lines.push(`  would prune ${rel}`);
    for (const rel of summary.written) {
      const abs = path.join(outdir, rel);
      const before = fs.existsSync(abs) ? fs.readFileSync(abs, 'utf8') : '';
      lines.push(`  would write ${rel}:`, ...shortDiff(rel, before, resolved.get(rel)!));
    }
    // A pending release is no drift, but a reviewer should see what it waits for.
    const notes = [...resolved].filter(([rel]) => /^[^/]+\/[^/]+\/image\.yaml$/.test(rel))
      .map(([rel, content]) => pendingNote(rel, content, rel.split('/')[1])).filter((n): n is string => n !== undefined);
    return { lines, count: resolved.size, notes };
  }, { purpose: 'check' });
  for (const note of report.notes) process.stderr.write(`dit-gitops: note: ${note}\n`);
  if (report.lines.length === 0) {
    console.log(`dit-gitops: ${outdir}/ is up to date (${report.count} files)`);
    return CheckExit.CLEAN;
  }
  process.stderr.write(`dit-gitops: ${outdir}/ differs from the definitions; run npm run synth and commit:\n${report.lines.join('\n')}\n`);
  return CheckExit.DRIFT;
}

function shortDiff(rel: string, before: string, after: string): string[] {
  const all = filePatch(rel, before, after, 2).split('\n');
  const lines = all.slice(all.findIndex((l) => l.startsWith('@@'))).filter((l) => l !== '' && l !== '\\ No newline at end of file');
  const shown = lines.slice(0, DIFF_LINES).map((l) => `    ${l}`);
  if (lines.length > DIFF_LINES) shown.push(`    ... ${lines.length - DIFF_LINES} more diff lines`);
  return shown;
}
