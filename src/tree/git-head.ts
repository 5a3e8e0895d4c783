import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

interface Listing {
  readonly top: string;
  /** The output directory relative to the repository's top, with forward slashes ('.' for the top). */
  readonly rel: string;
}

/**
 * Reads files of the output directory as committed in git HEAD: the last resort for a
 * CI-owned file missing from disk, and the reference for image.yaml checks that compare with
 * the last commit. Every answer costs one git process for the whole tree, not one per file,
 * and a tree outside git (or without a commit) answers "nothing".
 */
export class GitHead {
  private listing?: Listing | null;
  private committed?: Set<string> | null;
  private changed?: Set<string> | null;

  constructor(private readonly outdir: string) {}

  /** Bytes of `rel` (relative to the output directory) in HEAD, if committed. */
  public read(rel: string): string | undefined {
    const files = this.committedFiles();
    const repoPath = this.repoPath(rel);
    if (!files || repoPath === undefined || !files.has(repoPath)) return undefined;
    return this.show(repoPath);
  }

  /** Bytes of `rel` in HEAD when the file on disk (staged or not) differs from them; else undefined. */
  public readIfChanged(rel: string): string | undefined {
    const changed = this.changedFiles();
    const repoPath = this.repoPath(rel);
    if (!changed || repoPath === undefined || !changed.has(repoPath)) return undefined;
    return this.read(rel);
  }

  private show(repoPath: string): string | undefined {
    try {
      return execFileSync('git', ['show', `HEAD:${repoPath}`], { cwd: this.listing!.top, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 << 20 });
    } catch {
      return undefined;
    }
  }

  private repoPath(rel: string): string | undefined {
    const listing = this.list();
    if (!listing) return undefined;
    return path.relative(listing.top, path.resolve(this.outdir, rel)).split(path.sep).join('/');
  }

  private committedFiles(): Set<string> | null {
    if (this.committed === undefined) this.committed = this.git(['ls-tree', '-r', '-z', '--name-only', 'HEAD', '--']);
    return this.committed;
  }

  private changedFiles(): Set<string> | null {
    if (this.changed === undefined) this.changed = this.git(['diff', '--name-only', '-z', '--no-renames', 'HEAD', '--']);
    return this.changed;
  }

  private git(args: string[]): Set<string> | null {
    const listing = this.list();
    if (!listing) return null;
    try {
      const out = execFileSync('git', [...args, listing.rel], { cwd: listing.top, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 256 << 20 });
      return new Set(out.split('\0').filter(Boolean));
    } catch {
      // No commit yet: there is no committed tree.
      return null;
    }
  }

  private list(): Listing | null {
    if (this.listing !== undefined) return this.listing;
    let cwd = path.resolve(this.outdir);
    while (!fs.existsSync(cwd)) cwd = path.dirname(cwd);
    // Git finds a repository only through a `.git` (folder, or file for worktrees and
    // submodules) above the folder, or $GIT_DIR: without either, no process is worth starting.
    if (process.env.GIT_DIR === undefined && !hasDotGitAbove(cwd)) {
      this.listing = null;
      return this.listing;
    }
    try {
      const top = execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
      this.listing = { top, rel: path.relative(top, path.resolve(this.outdir)).split(path.sep).join('/') || '.' };
    } catch {
      // Not a git checkout.
      this.listing = null;
    }
    return this.listing;
  }
}

function hasDotGitAbove(dir: string): boolean {
  for (let at = dir; ; at = path.dirname(at)) {
    if (fs.existsSync(path.join(at, '.git'))) return true;
    if (path.dirname(at) === at) return false;
  }
}
