import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { FileOwner } from './gitops-file';
import { GENERATED_HEADER } from './yaml-format';

/** A file as the app renders it, before the writer compares it with the disk. */
export interface PlannedFile {
  readonly path: string;
  readonly owner: FileOwner;
  /** Engine files: the bytes, or undefined when the file must not exist. */
  readonly content?: string;
  /** CI-owned files: the bytes to create when no previous version exists. */
  readonly initialContent?: () => string;
  /** CI-owned files: brings previous bytes up to date (setter markers), keeping CI's values. */
  readonly reconcile?: (previous: string) => string;
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
  /** Bytes a CI-owned file had before the folder was deleted (git HEAD), if any. */
  recover(path: string): string | undefined;
}

/** What a synthesis will do: every file's final bytes and the summary. Pure given `previous`. */
export interface ResolvedTree {
  /** Final bytes of every file the engine plans, by path. */
  readonly files: ReadonlyMap<string, string>;
  readonly summary: SynthSummary;
}

/**
 * Decides the final bytes of every planned file against the previous tree: engine files as
 * rendered, CI-owned files as they were (brought up to date by `reconcile`), or rendered once
 * when they never existed; generated files no longer planned are pruned. The disk writer and
 * the in-memory `synthTree` both use it, so the two cannot drift.
 */
/**
 * Says whether a file the app no longer plans is the engine's to delete. The writer knows
 * only its own header; the app adds the files it created for others (image.yaml).
 */
export type PrunablePredicate = (path: string, content: string) => boolean;

/** Files the engine generated: they start with its header. */
export function isGenerated(_path: string, content: string): boolean {
  return content.startsWith(`${GENERATED_HEADER}\n`);
}

export function resolveTree(files: readonly PlannedFile[], previous: PreviousTree, prunable: PrunablePredicate = isGenerated): ResolvedTree {
  const out = new Map<string, string>();
  const summary = { written: [] as string[], unchanged: [] as string[], pruned: [] as string[], preserved: [] as string[] };
  for (const file of files) {
    let content = file.content;
    if (file.owner === FileOwner.CI) {
      // `cdk8s synth` deletes the output folder first: git HEAD then has CI's last commit.
      const before = previous.paths.has(file.path) ? previous.read(file.path) : previous.recover(file.path);
      if (before !== undefined) summary.preserved.push(file.path);
      content = before === undefined ? file.initialContent!() : file.reconcile ? file.reconcile(before) : before;
    }
    if (content === undefined) continue;
    out.set(file.path, content);
    if (previous.paths.has(file.path) && previous.read(file.path) === content) summary.unchanged.push(file.path);
    else summary.written.push(file.path);
  }
  summary.pruned.push(...[...previous.paths].filter((p) => !out.has(p) && prunable(p, previous.read(p))).sort());
  return { files: out, summary };
}

/** Resolves the planned files against what `outdir` (and git HEAD) holds now. Reads only. */
export function diffTree(outdir: string, files: readonly PlannedFile[], prunable: PrunablePredicate = isGenerated): ResolvedTree {
  const paths = listFiles(outdir);
  const cache = new Map<string, string>();
  const head = new GitHead(outdir);
  const read = (rel: string) => {
    if (!cache.has(rel)) cache.set(rel, fs.readFileSync(path.join(outdir, rel), 'utf8'));
    return cache.get(rel)!;
  };
  return resolveTree(files, { paths, read, recover: (rel) => head.read(rel) }, prunable);
}

/**
 * Makes `outdir` hold exactly the planned tree. Every decision (and every CI-owned file's
 * first render, which may throw) is made before the first write, so a failure leaves the
 * previous tree untouched. Files are replaced by rename, never truncated in place.
 */
export function writeTree(outdir: string, files: readonly PlannedFile[], prunable: PrunablePredicate = isGenerated): SynthSummary {
  const { files: resolved, summary } = diffTree(outdir, files, prunable);
  for (const rel of summary.written) writeFileAtomically(path.join(outdir, rel), resolved.get(rel)!);
  for (const rel of summary.pruned) {
    fs.rmSync(path.join(outdir, rel));
    removeEmptyParents(outdir, path.dirname(rel));
  }
  return summary;
}

function listFiles(root: string): Set<string> {
  const out = new Set<string>();
  if (!fs.existsSync(root)) return out;
  for (const entry of fs.readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && entry.name.endsWith('.yaml')) {
      out.add(path.relative(root, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'));
    }
  }
  return out;
}

export function writeFileAtomically(file: string, content: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, content);
  fs.renameSync(tmp, file);
}

function removeEmptyParents(root: string, rel: string): void {
  for (let dir = rel; dir !== '.' && dir !== ''; dir = path.dirname(dir)) {
    const abs = path.join(root, dir);
    if (!fs.existsSync(abs) || fs.readdirSync(abs).length > 0) return;
    fs.rmdirSync(abs);
  }
}

/**
 * Reads files of the output directory as committed in git HEAD. Lists the directory once, so
 * a tree without git (or a file never committed) costs one process, not one per file.
 */
export class GitHead {
  private listing?: { top: string; files: Set<string> } | null;

  constructor(private readonly outdir: string) {}

  public read(rel: string): string | undefined {
    const listing = this.list();
    const repoPath = listing && path.relative(listing.top, path.resolve(this.outdir, rel)).split(path.sep).join('/');
    if (!listing || !repoPath || !listing.files.has(repoPath)) return undefined;
    return execFileSync('git', ['show', `HEAD:${repoPath}`], { cwd: listing.top, encoding: 'utf8', maxBuffer: 64 << 20 });
  }

  /** Restores the committed tree when `cdk8s synth` deleted it and synthesis then failed. */
  public restore(): boolean {
    const listing = this.list();
    if (!listing || listing.files.size === 0 || fs.existsSync(this.outdir)) return false;
    const rel = path.relative(listing.top, path.resolve(this.outdir));
    execFileSync('git', ['restore', '--source=HEAD', '--worktree', '--', rel], { cwd: listing.top, stdio: 'ignore' });
    return true;
  }

  private list(): { top: string; files: Set<string> } | null {
    if (this.listing !== undefined) return this.listing;
    let cwd = path.resolve(this.outdir);
    while (!fs.existsSync(cwd)) cwd = path.dirname(cwd);
    try {
      const top = execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
      const rel = path.relative(top, path.resolve(this.outdir)) || '.';
      const names = execFileSync('git', ['ls-tree', '-r', '--name-only', 'HEAD', '--', rel], { cwd: top, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 << 20 });
      this.listing = { top, files: new Set(names.split('\n').filter(Boolean)) };
    } catch {
      // Not a git checkout, or no commit yet: there is no committed tree to recover from.
      this.listing = null;
    }
    return this.listing;
  }
}
