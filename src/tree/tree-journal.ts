import * as fs from 'fs';
import * as path from 'path';

/**
 * The journal folder inside the output directory. It exists only while a write is under way,
 * or after a run was killed or failed beyond repair; the next writing run completes or rolls
 * back what it holds before it reads the tree.
 */
export const JOURNAL_DIR = '.dit-gitops-journal';

const PLAN = 'plan.json';

/** One all-or-nothing change to a tree: files to write (by path) and files to delete. */
export interface TreeChange {
  readonly writes: ReadonlyMap<string, string>;
  readonly prunes: readonly string[];
}

interface JournalPlan {
  readonly writes: readonly { readonly path: string; readonly existed: boolean }[];
  readonly prunes: readonly string[];
}

/** A write that failed, with what state the tree is in now. */
export class TreeWriteError extends Error {
  constructor(message: string, public readonly treeState: 'unchanged' | 'pending') {
    super(message);
    this.name = 'TreeWriteError';
  }
}

/** What {@link recoverTree} found. */
export type Recovery = 'none' | 'rolled back' | 'completed';

/**
 * Applies `change` to `outdir` all or nothing. Every new file is first written into the
 * journal; the journal's plan, renamed into place, is the commit point. Each target is then
 * swapped by rename, its old bytes kept in the journal until the end. A failure before the
 * commit point, or one that can be undone, leaves the old tree; a kill after it leaves a
 * journal that the next run completes. Callers hold the tree lock.
 */
export function commitTree(outdir: string, change: TreeChange): void {
  if (change.writes.size === 0 && change.prunes.length === 0) return;
  recoverTree(outdir);
  const journal = path.join(outdir, JOURNAL_DIR);
  const plan: JournalPlan = {
    writes: [...change.writes.keys()].map((rel) => ({ path: rel, existed: fs.existsSync(path.join(outdir, rel)) })),
    prunes: [...change.prunes],
  };
  const dirs = new Directories();
  try {
    for (const [rel, content] of change.writes) writeNew(path.join(journal, 'new', rel), content, dirs);
    writeNew(path.join(journal, `${PLAN}.tmp`), JSON.stringify(plan), dirs);
    fs.renameSync(path.join(journal, `${PLAN}.tmp`), path.join(journal, PLAN));
  } catch (error) {
    fs.rmSync(journal, { recursive: true, force: true });
    throw new TreeWriteError(`could not stage the new files (${reason(error)}); ${outdir}/ left as it was`, 'unchanged');
  }
  try {
    // A top-level folder the tree does not have yet (a new component, or every folder of a
    // first synthesis) moves in whole: one rename instead of one per file. Recovery and
    // rollback still work per file: a staged file that is gone was moved with its folder.
    const whole = new Set<string>();
    for (const top of new Set(plan.writes.map((w) => w.path.split('/')[0]))) {
      if (top !== JOURNAL_DIR && !fs.existsSync(path.join(outdir, top)) && fs.statSync(path.join(journal, 'new', top)).isDirectory()) {
        fs.renameSync(path.join(journal, 'new', top), path.join(outdir, top));
        whole.add(top);
      }
    }
    for (const entry of plan.writes) {
      if (whole.has(entry.path.split('/')[0])) continue;
      if (entry.existed) moveAside(outdir, entry.path, dirs);
      moveInto(path.join(journal, 'new', entry.path), path.join(outdir, entry.path), dirs);
    }
    for (const rel of plan.prunes) moveAside(outdir, rel, dirs);
  } catch (error) {
    try {
      rollBack(outdir, plan);
    } catch (undo) {
      throw new TreeWriteError(`could not write the tree (${reason(error)}) nor put the old files back (${reason(undo)}); ${outdir}/ is part-written: ${outdir}/${JOURNAL_DIR} holds both versions, and the next synth or set-image completes the new tree`, 'pending');
    }
    throw new TreeWriteError(`could not write the tree (${reason(error)}); ${outdir}/ left as it was (the files already replaced were put back)`, 'unchanged');
  }
  finish(outdir, plan);
}

/**
 * Completes a committed journal (a run killed after its commit point) or discards an
 * uncommitted one (killed while staging: the tree was not touched). Callers hold the lock.
 */
export function recoverTree(outdir: string): Recovery {
  const journal = path.join(outdir, JOURNAL_DIR);
  if (!fs.existsSync(journal)) return 'none';
  const planFile = path.join(journal, PLAN);
  if (!fs.existsSync(planFile)) {
    fs.rmSync(journal, { recursive: true, force: true });
    return 'rolled back';
  }
  const plan = JSON.parse(fs.readFileSync(planFile, 'utf8')) as JournalPlan;
  for (const entry of plan.writes) {
    const staged = path.join(journal, 'new', entry.path);
    if (fs.existsSync(staged)) moveInto(staged, path.join(outdir, entry.path));
  }
  for (const rel of plan.prunes) fs.rmSync(path.join(outdir, rel), { force: true });
  finish(outdir, plan);
  return 'completed';
}

/** True when a journal waits for the next run (a killed or failed write). */
export function hasPendingJournal(outdir: string): boolean {
  return fs.existsSync(path.join(outdir, JOURNAL_DIR));
}

// Puts every old file back. New bytes go back into the journal first, so a rollback that
// fails half-way still leaves both versions whole for the next run to complete.
function rollBack(outdir: string, plan: JournalPlan): void {
  const journal = path.join(outdir, JOURNAL_DIR);
  for (const rel of plan.prunes) {
    const old = path.join(journal, 'old', rel);
    if (fs.existsSync(old)) moveInto(old, path.join(outdir, rel));
  }
  for (const entry of [...plan.writes].reverse()) {
    const target = path.join(outdir, entry.path);
    const staged = path.join(journal, 'new', entry.path);
    const old = path.join(journal, 'old', entry.path);
    if (!fs.existsSync(staged) && fs.existsSync(target) && (!entry.existed || fs.existsSync(old))) moveInto(target, staged);
    if (entry.existed && fs.existsSync(old)) moveInto(old, target);
  }
  removeEmptyDirectories(outdir, plan.writes.map((w) => w.path));
  fs.rmSync(journal, { recursive: true, force: true });
}

function finish(outdir: string, plan: JournalPlan): void {
  fs.rmSync(path.join(outdir, JOURNAL_DIR), { recursive: true, force: true });
  removeEmptyDirectories(outdir, plan.prunes);
}

/** The folders one commit made (or found): each is created once, not once per file. */
class Directories {
  private readonly known = new Set<string>();

  public ensure(dir: string): void {
    if (this.known.has(dir)) return;
    fs.mkdirSync(dir, { recursive: true });
    this.known.add(dir);
  }
}

function writeNew(file: string, content: string, dirs = new Directories()): void {
  dirs.ensure(path.dirname(file));
  fs.writeFileSync(file, content);
}

function moveInto(from: string, to: string, dirs = new Directories()): void {
  dirs.ensure(path.dirname(to));
  fs.renameSync(from, to);
}

function moveAside(outdir: string, rel: string, dirs?: Directories): void {
  moveInto(path.join(outdir, rel), path.join(outdir, JOURNAL_DIR, 'old', rel), dirs);
}

/** Removes the directories of `files` that are left empty, up to (not including) `root`. */
function removeEmptyDirectories(root: string, files: readonly string[]): void {
  const dirs = new Set(files.map((rel) => path.dirname(rel)));
  for (const start of [...dirs].sort().reverse()) {
    for (let dir = start; dir !== '.' && dir !== ''; dir = path.dirname(dir)) {
      const abs = path.join(root, dir);
      if (!fs.existsSync(abs) || !fs.statSync(abs).isDirectory() || fs.readdirSync(abs).length > 0) break;
      fs.rmdirSync(abs);
    }
  }
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
