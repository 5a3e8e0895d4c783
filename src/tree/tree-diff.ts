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
    const patch = createTwoFilesPatch(a === undefined ? '/dev/null' : `a/${p}`, b === undefined ? '/dev/null' : `b/${p}`, a ?? '', b ?? '', undefined, undefined, { context: 3 });
    // jsdiff opens with a `===` rule line and an `Index:`-less header; git's form starts at `---`.
    changes.push({ path: p, change, patch: patch.replace(/^=+\n/, '') });
  }
  return changes;
}
