import * as fs from 'fs';
import * as path from 'path';
import { GitHead } from './git-head';
import { FileOwner } from './gitops-file';
import { JOURNAL_DIR, commitTree, recoverTree } from './tree-journal';
import { TreeLockOptions, withTreeLock } from './tree-lock';
import { CACHE_DIR, FileStamp, OwnerRecord, TreeManifest, contentHash, isUntouched, manifestMoved, readTreeManifest, stampFile, writeTreeManifest } from './tree-manifest';
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
  /**
   * Not rendered this time: the last synthesis wrote this file from the same inputs, and the
   * disk still holds exactly what it wrote (the tree manifest says so). Kept as it is, unread.
   */
  readonly kept?: boolean;
  /** Whose file it is (a component's path), for the manifest of inputs. @default - none */
  readonly origin?: string;
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
  /**
   * True when the file is known to hold exactly `content` without reading it (the manifest's
   * stamp); false means unknown, and the file is read. @default - always read
   */
  holds?(path: string, content: string): boolean;
}

/** What a synthesis will do: every file's final bytes and the summary. Pure given `previous`. */
export interface ResolvedTree {
  /** Final bytes of every file the engine plans, by path. */
  readonly files: ReadonlyMap<string, string>;
  readonly summary: SynthSummary;
  /** CI-owned files that are not acceptable (they are kept as they were): one message each. */
  readonly problems: readonly string[];
  /** Planned files kept unread (PlannedFile.kept). */
  readonly kept: ReadonlySet<string>;
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
  const kept = new Set<string>();
  const summary = { written: [] as string[], unchanged: [] as string[], pruned: [] as string[], preserved: [] as string[] };
  for (const file of files) {
    if (file.kept) {
      kept.add(file.path);
      summary.unchanged.push(file.path);
      if (file.owner === FileOwner.CI) summary.preserved.push(file.path);
      continue;
    }
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
    if (previous.paths.has(file.path) && (previous.holds?.(file.path, content) || previous.read(file.path) === content)) summary.unchanged.push(file.path);
    else summary.written.push(file.path);
  }
  summary.pruned.push(...[...previous.paths].filter((p) => !out.has(p) && !kept.has(p) && prunable(p, previous.read(p))).sort());
  return { files: out, summary, problems, kept };
}

/** Resolves the planned files against what `outdir` (and, as a last resort, git HEAD) holds now. Reads only. */
export function diffTree(outdir: string, files: readonly PlannedFile[], prunable: PrunablePredicate = isGenerated, scan: TreeScan = scanTree(outdir), manifest?: TreeManifest): ResolvedTree {
  const paths = new Set(scan.files.filter((p) => p.endsWith('.yaml')));
  const cache = new Map<string, string>();
  const head = new GitHead(outdir);
  const read = (rel: string) => {
    if (!cache.has(rel)) cache.set(rel, fs.readFileSync(path.join(outdir, rel), 'utf8'));
    return cache.get(rel)!;
  };
  const stamps = manifest?.files ?? {};
  const holds = (rel: string, content: string) => stamps[rel]?.hash === contentHash(content) && isUntouched(outdir, rel, stamps[rel]);
  return resolveTree(files, { paths, read, recover: (rel) => head.read(rel), committed: (rel) => head.readIfChanged(rel), holds }, prunable);
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
  /**
   * Called with the resolved tree before anything is written, holding the lock: throwing
   * aborts the write (the app reports the CI-owned files' problems with its own here).
   */
  readonly inspect?: (resolved: ResolvedTree) => void;
  /**
   * Keep a manifest of this synthesis (docs/tree.md): the app-wide inputs, each owner's
   * fingerprint, and a stamp of every planned file, for the next run's fast path.
   * @default - no manifest; any previous one is left as it is
   */
  readonly manifest?: { readonly app: string; readonly owners: ReadonlyMap<string, string> };
  /** The manifest read before planning (stamps of files known unchanged). @default - read from outdir */
  readonly previousManifest?: TreeManifest;
}

/**
 * Makes `outdir` hold exactly the planned tree, all or nothing, holding the tree's lock.
 * A journal left by a killed run is completed (or discarded) first. Every decision (and every
 * CI-owned file's first render, which may throw) is made before the first write.
 */
export function writeTree(outdir: string, files: readonly PlannedFile[], prunable: PrunablePredicate = isGenerated, options: WriteTreeOptions = {}): SynthSummary {
  assertRelativePaths(files.map((f) => f.path));
  return withTreeLock(outdir, () => {
    // A journal completed here (a killed run's), or another synthesis since the app chose what
    // to keep, may have rewritten kept files: they are checked again, under the lock.
    const recovered = recoverTree(outdir);
    const previous = options.previousManifest ?? (options.manifest ? readTreeManifest(outdir) : undefined);
    const kept = files.filter((f) => f.kept);
    if (kept.length > 0 && (recovered === 'completed' || !previous || manifestMoved(outdir, previous))
      && !kept.every((f) => isUntouched(outdir, f.path, previous?.files[f.path]))) {
      throw new KeptFilesChangedError(outdir);
    }
    const scan = scanTree(outdir);
    const result = diffTree(outdir, files, prunable, scan, previous);
    options.inspect?.(result);
    const { files: resolved, summary, problems } = result;
    if (problems.length > 0) throw new TreeProblemsError(problems, outdir);
    const temps = scan.files.filter(isLeftoverTemp);
    const pruned = [...summary.pruned, ...temps];
    commitTree(outdir, { writes: new Map(summary.written.map((rel) => [rel, resolved.get(rel)!])), prunes: pruned });
    if (options.manifest) {
      const next = nextManifest(outdir, files, resolved, options.manifest, previous);
      // A no-op leaves the manifest as it is: same inputs, same stamps.
      if (summary.written.length > 0 || pruned.length > 0 || !sameManifest(next, previous)) writeTreeManifest(outdir, next);
    }
    return temps.length === 0 ? summary : { ...summary, pruned };
  }, { purpose: 'synth', ...options.lock });
}

function sameManifest(a: TreeManifest, b: TreeManifest | undefined): boolean {
  if (!b || a.app !== b.app) return false;
  const owners = Object.keys(a.owners);
  if (owners.length !== Object.keys(b.owners).length || Object.keys(a.files).length !== Object.keys(b.files).length) return false;
  return owners.every((o) => b.owners[o]?.fingerprint === a.owners[o].fingerprint && b.owners[o].files.length === a.owners[o].files.length)
    && Object.keys(a.files).every((f) => b.files[f] === a.files[f] || JSON.stringify(b.files[f]) === JSON.stringify(a.files[f]));
}

// Stamps every planned file as it is now on disk: kept files keep their stamp, the others are
// stamped after the write. An owner is recorded only when all of its files were stamped.
function nextManifest(outdir: string, files: readonly PlannedFile[], resolved: ReadonlyMap<string, string>, inputs: NonNullable<WriteTreeOptions['manifest']>, previous?: TreeManifest): TreeManifest {
  const stamps: Record<string, FileStamp> = {};
  const byOwner = new Map<string, PlannedFile[]>();
  const unstamped = new Set<string>();
  for (const file of files) {
    const content = resolved.get(file.path);
    const stamp = file.kept ? previous?.files[file.path] : content === undefined ? undefined : stampFile(outdir, file.path, content);
    if (file.origin === undefined) {
      if (stamp) stamps[file.path] = stamp;
      continue;
    }
    if (!byOwner.has(file.origin)) byOwner.set(file.origin, []);
    // An engine file that renders to nothing has no stamp, and needs none.
    if (stamp) {
      stamps[file.path] = stamp;
      byOwner.get(file.origin)!.push(file);
    } else if (file.kept || content !== undefined) {
      unstamped.add(file.origin);
    }
  }
  const owners: Record<string, OwnerRecord> = {};
  for (const [origin, owned] of byOwner) {
    const fingerprint = inputs.owners.get(origin);
    if (fingerprint === undefined || unstamped.has(origin)) continue;
    owners[origin] = { fingerprint, files: owned.map((f) => f.path), ci: owned.filter((f) => f.owner === FileOwner.CI).map((f) => f.path) };
  }
  return { app: inputs.app, owners, files: stamps };
}

/**
 * Raised, before anything is written, when files the app chose to keep unread changed since it
 * chose (a killed run's journal completed, another synthesis): plan them again.
 */
export class KeptFilesChangedError extends Error {
  constructor(outdir: string) {
    super(`files of ${outdir}/ kept from the last synthesis changed while this one planned; plan again`);
    this.name = 'KeptFilesChangedError';
  }
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
  // Every entry's parentPath starts with the resolved outdir: slicing it is what path.relative
  // would compute, without normalising 10,000 paths.
  const base = path.resolve(outdir);
  for (const entry of fs.readdirSync(base, { recursive: true, withFileTypes: true })) {
    const full = entry.parentPath === base ? entry.name : `${entry.parentPath.slice(base.length + 1)}${path.sep}${entry.name}`;
    const rel = path.sep === '/' ? full : full.split(path.sep).join('/');
    if (rel === JOURNAL_DIR || rel.startsWith(`${JOURNAL_DIR}/`) || rel === CACHE_DIR || rel.startsWith(`${CACHE_DIR}/`)) continue;
    if (entry.isSymbolicLink()) {
      throw new UnsafeTreeError(`${outdir}/${rel} is a symbolic link; expected only real files and directories inside ${outdir}/ (a link would send writes outside it)`);
    }
    if (entry.isFile()) files.push(rel);
  }
  return { files: files.sort() };
}

function assertRelativePaths(paths: readonly string[]): void {
  for (const rel of paths) {
    if (path.isAbsolute(rel) || rel.split('/').some((segment) => segment === '..' || segment === '' || segment === '.') || rel.startsWith(JOURNAL_DIR) || rel.startsWith(CACHE_DIR)) {
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
