import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { createTwoFilesPatch } from 'diff';

/** File bytes by path relative to a tree's root, forward slashes. */
export type TreeFiles = Readonly<Record<string, string>>;

/**
 * Reads every `.yaml` file under `dir` (the files the engine and kustomize deal in), sorted
 * by path. A missing directory is an empty tree.
 */
export function readTree(dir: string): TreeFiles {
  if (!fs.existsSync(dir)) return {};
  const files: Array<[string, string]> = [];
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.yaml')) continue;
    const abs = path.join(entry.parentPath, entry.name);
    files.push([path.relative(dir, abs).split(path.sep).join('/'), fs.readFileSync(abs, 'utf8')]);
  }
  return Object.fromEntries(files.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * Reads every `.yaml` file under `dir` as committed at `ref` (a branch, tag or commit; the
 * base of a pull request), with two git processes whatever the number of files.
 */
export function readTreeAtRef(dir: string, ref: string): TreeFiles {
  let cwd = path.resolve(dir);
  while (!fs.existsSync(cwd)) cwd = path.dirname(cwd);
  const git = (args: string[], input?: string) => execFileSync('git', args, { cwd, input, maxBuffer: 256 << 20, stdio: ['pipe', 'pipe', 'pipe'] });
  let top: string;
  try {
    top = git(['rev-parse', '--show-toplevel']).toString('utf8').trim();
    git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  } catch {
    throw new Error(`${ref} is not a commit of a git repository around ${dir}; expected a branch, tag or commit (for a pull request, its base: origin/main)`);
  }
  const prefix = path.relative(top, path.resolve(dir)).split(path.sep).join('/');
  const names = git(['-C', top, 'ls-tree', '-r', '-z', '--name-only', ref, '--', prefix || '.']).toString('utf8').split('\0')
    .filter((name) => name.endsWith('.yaml')).sort();
  if (names.length === 0) return {};
  // `git cat-file --batch` answers `<sha> blob <size>\n<bytes>\n` per requested object.
  const out = git(['-C', top, 'cat-file', '--batch'], names.map((name) => `${ref}:${name}\n`).join(''));
  const files: Record<string, string> = {};
  let at = 0;
  for (const name of names) {
    const headerEnd = out.indexOf(0x0a, at);
    const size = Number(out.subarray(at, headerEnd).toString('utf8').split(' ')[2]);
    files[prefix ? name.slice(prefix.length + 1) : name] = out.subarray(headerEnd + 1, headerEnd + 1 + size).toString('utf8');
    at = headerEnd + 1 + size + 1;
  }
  return files;
}

/** One file a synthesis would change. */
export interface FileChange {
  readonly path: string;
  readonly change: 'added' | 'modified' | 'deleted';
  /** The unified diff (`--- a/<path>`, `+++ b/<path>`, hunks with three lines of context). */
  readonly patch: string;
}

/**
 * The file view of a synthesis: a unified diff per file that differs between `before` and
 * `after`, sorted by path. Unchanged files are left out.
 */
export function diffFiles(before: TreeFiles, after: TreeFiles): FileChange[] {
  const paths = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  const changes: FileChange[] = [];
  for (const p of paths) {
    const a = before[p];
    const b = after[p];
    if (a === b) continue;
    const change = a === undefined ? 'added' : b === undefined ? 'deleted' : 'modified';
    changes.push({ path: p, change, patch: filePatch(p, a, b) });
  }
  return changes;
}

/** git's unified diff of one file (`--- a/<path>`, `+++ b/<path>`, hunks); undefined sides are /dev/null. */
export function filePatch(file: string, before: string | undefined, after: string | undefined, context = 3): string {
  const patch = createTwoFilesPatch(before === undefined ? '/dev/null' : `a/${file}`, after === undefined ? '/dev/null' : `b/${file}`, before ?? '', after ?? '', undefined, undefined, { context });
  // jsdiff opens with a `===` rule line and an `Index:`-less header; git's form starts at `---`.
  return patch.replace(/^=+\n/, '');
}
