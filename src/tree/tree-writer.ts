import * as fs from 'fs';
import * as path from 'path';
import { GitHead } from './git-head';
import { FileOwner } from './gitops-file';
import { JOURNAL_DIR, commitTree, recoverTree } from './tree-journal';
import { TreeLockOptions, withTreeLock } from './tree-lock';
import { GENERATED_HEADER } from './yaml-format';

/** A file as the app renders it, before the writer compares it with the disk. */
export interface PlannedFile {
  readonly path: string;
  readonly owner: FileOwner;
  /** Engine files: the bytes, or undefined when the file must not exist. */
  readonly content?: string;
  /** CI-owned files: the bytes to create when no previous version exists. */
  readonly initialContent?: () => string;
  /**
   * CI-owned files: brings previous bytes up to date (setter markers, layout), keeping CI's
   * values, and throws when they are not acceptable. `committed` holds the file's bytes in git
   * HEAD when the disk differs from them (for checks against the last commit).
   */
  readonly reconcile?: (previous: string, committed?: string) => string;
}

/** What a synthesis did, for the one summary line. */
export interface SynthSummary {
  readonly written: readonly string[];
  readonly unchanged: readonly string[];
  readonly pruned: readonly string[];
  /** CI-owned files whose previous bytes were kept (from disk, or from git HEAD). */
  readonly preserved: readonly string[];
}

export function formatSummary(s: SynthSummary): string {
  return `dit-gitops: ${s.written.length} written, ${s.unchanged.length} unchanged, ${s.pruned.length} pruned, ${s.preserved.length} preserved`;
}

/** The previous state of a tree, as the resolver sees it. */
export interface PreviousTree {
  /** Paths of the files present now. */
  readonly paths: ReadonlySet<string>;
  /** Bytes of a present file. */
  read(path: string): string;
  /** Last resort for a CI-owned file missing from disk: its bytes in git HEAD, if any. */
  recover(path: string): string | undefined;
  /** Bytes of a present file in git HEAD, when they differ from the disk. @default - none */
  committed?(path: string): string | undefined;
}

/** What a synthesis will do: every file's final bytes and the summary. Pure given `previous`. */
export interface ResolvedTree {
  /** Final bytes of every file the engine plans, by path. */
  readonly files: ReadonlyMap<string, string>;
  readonly summary: SynthSummary;
  /** CI-owned files that are not acceptable (they are kept as they were): one message each. */
  readonly problems: readonly string[];
}

/**
 * Says whether a file the app no longer plans is the engine's to delete. The writer knows
 * only its own header; the app adds the files it created for others (image.yaml).
 */
export type PrunablePredicate = (path: string, content: string) => boolean;

/** Files the engine generated: they start with its header. */
export function isGenerated(_path: string, content: string): boolean {
  return content.startsWith(`${GENERATED_HEADER}\n`);
}

/**
 * Decides the final bytes of every planned file against the previous tree: engine files as
 * rendered, CI-owned files as they were (brought up to date by `reconcile`), or rendered once
 * when they never existed; generated files no longer planned are pruned. The disk writer and
 * the in-memory `synthTree` both use it, so the two cannot drift.
 */
export function resolveTree(files: readonly PlannedFile[], previous: PreviousTree, prunable: PrunablePredicate = isGenerated): ResolvedTree {
  const out = new Map<string, string>();
  const problems: string[] = [];
  const summary = { written: [] as string[], unchanged: [] as string[], pruned: [] as string[], preserved: [] as string[] };
  for (const file of files) {
    let content = file.content;
    if (file.owner === FileOwner.CI) {
      const present = previous.paths.has(file.path);
      const before = present ? previous.read(file.path) : previous.recover(file.path);
      if (before !== undefined) summary.preserved.push(file.path);
      try {
        if (before === undefined) content = file.initialContent!();
        else content = file.reconcile ? file.reconcile(before, present ? previous.committed?.(file.path) : undefined) : before;
      } catch (error) {
        // A first render that fails is bad input in the definitions: it stops the run. A file
        // CI left unacceptable is reported with every other one, and kept as it is.
        if (before === undefined) throw error;
        problems.push(error instanceof Error ? error.message : String(error));
        content = before;
      }
    }
    if (content === undefined) continue;
    out.set(file.path, content);
    if (previous.paths.has(file.path) && previous.read(file.path) === content) summary.unchanged.push(file.path);
    else summary.written.push(file.path);
  }
  summary.pruned.push(...[...previous.paths].filter((p) => !out.has(p) && prunable(p, previous.read(p))).sort());
  return { files: out, summary, problems };
}

/** Resolves the planned files against what `outdir` (and, as a last resort, git HEAD) holds now. Reads only. */
export function diffTree(outdir: string, files: readonly PlannedFile[], prunable: PrunablePredicate = isGenerated, scan: TreeScan = scanTree(outdir)): ResolvedTree {
  const paths = new Set(scan.files.filter((p) => p.endsWith('.yaml')));
  const cache = new Map<string, string>();
  const head = new GitHead(outdir);
  const read = (rel: string) => {
    if (!cache.has(rel)) cache.set(rel, fs.readFileSync(path.join(outdir, rel), 'utf8'));
    return cache.get(rel)!;
  };
  return resolveTree(files, { paths, read, recover: (rel) => head.read(rel), committed: (rel) => head.readIfChanged(rel) }, prunable);
}

/** Raised when CI-owned files are not acceptable: nothing was written. */
export class TreeProblemsError extends Error {
  constructor(public readonly problems: readonly string[], outdir: string) {
    super(`${problems.length} CI-owned file${problems.length === 1 ? ' is' : 's are'} not acceptable in ${outdir}/:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'TreeProblemsError';
  }
}

/** A temp file the writer of earlier versions left when killed (`<file>.yaml.<pid>.tmp`). */
export function isLeftoverTemp(rel: string): boolean {
  return /\.yaml\.\d+\.tmp$/.test(rel);
}

/** Options of {@link writeTree}. */
export interface WriteTreeOptions {
  /** @default - the lock's defaults */
  readonly lock?: TreeLockOptions;
}

/**
 * Makes `outdir` hold exactly the planned tree, all or nothing, holding the tree's lock.
 * A journal left by a killed run is completed (or discarded) first. Every decision (and every
 * CI-owned file's first render, which may throw) is made before the first write.
 */
export function writeTree(outdir: string, files: readonly PlannedFile[], prunable: PrunablePredicate = isGenerated, options: WriteTreeOptions = {}): SynthSummary {
  assertRelativePaths(files.map((f) => f.path));
  return withTreeLock(outdir, () => {
    recoverTree(outdir);
    const scan = scanTree(outdir);
    const { files: resolved, summary, problems } = diffTree(outdir, files, prunable, scan);
    if (problems.length > 0) throw new TreeProblemsError(problems, outdir);
    const temps = scan.files.filter(isLeftoverTemp);
    const pruned = [...summary.pruned, ...temps];
    commitTree(outdir, { writes: new Map(summary.written.map((rel) => [rel, resolved.get(rel)!])), prunes: pruned });
    return temps.length === 0 ? summary : { ...summary, pruned };
  }, { purpose: 'synth', ...options.lock });
}

/** Raised for a tree the writer will not touch (a symlink inside it, a path leaving it). */
export class UnsafeTreeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsafeTreeError';
  }
}

/** What an output directory holds, as the writer sees it. */
export interface TreeScan {
  /** Every regular file, relative, with forward slashes, sorted; the journal excluded. */
  readonly files: readonly string[];
}

/**
 * Lists every file under `outdir`. Refuses symbolic links anywhere inside it: a linked
 * directory would send writes (and prunes) outside the tree.
 */
export function scanTree(outdir: string): TreeScan {
  const files: string[] = [];
  if (!fs.existsSync(outdir)) return { files };
  for (const entry of fs.readdirSync(outdir, { recursive: true, withFileTypes: true })) {
    const rel = path.relative(outdir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/');
    if (rel === JOURNAL_DIR || rel.startsWith(`${JOURNAL_DIR}/`)) continue;
    if (entry.isSymbolicLink()) {
      throw new UnsafeTreeError(`${outdir}/${rel} is a symbolic link; expected only real files and directories inside ${outdir}/ (a link would send writes outside it)`);
    }
    if (entry.isFile()) files.push(rel);
  }
  return { files: files.sort() };
}

function assertRelativePaths(paths: readonly string[]): void {
  for (const rel of paths) {
    if (path.isAbsolute(rel) || rel.split('/').some((segment) => segment === '..' || segment === '' || segment === '.') || rel.startsWith(JOURNAL_DIR)) {
      throw new UnsafeTreeError(`planned file ${JSON.stringify(rel)}: expected a relative path inside the output directory, without '.', '..' or empty segments`);
    }
  }
}

/** The one file the app writes into the cdk8s CLI's output folder. */
export const SCRATCH_NOTE = 'dit-gitops-summary.yaml';

/**
 * `cdk8s synth` deletes its output folder (cdk8s.yaml `output`) before it runs the app, then
 * lists the YAML files the app left there. The tree lives elsewhere (`outdir`), so this folder
 * only gets a note: the CLI lists it, and a reader finds where the tree went and what changed.
 */
export function writeScratchNote(scratchDir: string, outdir: string, summary: SynthSummary): void {
  fs.mkdirSync(scratchDir, { recursive: true });
  const lines = [
    `# cdk8s scratch output: dit-gitops wrote the tree to ${outdir}/, not here.`,
    '# The cdk8s CLI deletes this folder on every run; nothing in it is committed.',
    `outdir: ${JSON.stringify(path.resolve(outdir))}`,
    `written: ${summary.written.length}`,
    `unchanged: ${summary.unchanged.length}`,
    `pruned: ${summary.pruned.length}`,
    `preserved: ${summary.preserved.length}`,
  ];
  fs.writeFileSync(path.join(scratchDir, SCRATCH_NOTE), `${lines.join('\n')}\n`);
}
