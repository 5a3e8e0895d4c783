import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

/**
 * The cache folder inside the output directory: the manifest of the last synthesis, and a
 * `.gitignore` of its own (`*`), so it is never committed whatever the repository ignores.
 * Deleting it only makes the next synthesis render everything.
 */
export const CACHE_DIR = '.dit-gitops-cache';
const MANIFEST = 'manifest.json';
const FORMAT = 3;

/** How a file looked on disk right after the writer left it: any later edit changes one of these. */
export interface FileStamp {
  /** sha1 of the bytes. */
  readonly hash: string;
  readonly size: number;
  /** Milliseconds with their fraction (sub-microsecond): a rename, `yq -i`, an editor or git all move ctime. */
  readonly mtime: number;
  readonly ctime: number;
  readonly ino: number;
}

/** One component's (or other owner's) inputs and the files they rendered. */
export interface OwnerRecord {
  readonly fingerprint: string;
  readonly files: readonly string[];
  /** The ones CI owns (image.yaml). */
  readonly ci: readonly string[];
}

/** What the last successful synthesis wrote, and from which inputs. */
export interface TreeManifest {
  /** The app-wide inputs (library identity, environments, app fields). */
  readonly app: string;
  readonly owners: Readonly<Record<string, OwnerRecord>>;
  readonly files: Readonly<Record<string, FileStamp>>;
}

export function contentHash(content: string): string {
  return createHash('sha1').update(content).digest('hex');
}

/** The manifest of the last synthesis into `outdir`, or undefined (none, unreadable, another format). */
export function readTreeManifest(outdir: string): TreeManifest | undefined {
  try {
    const file = path.join(outdir, CACHE_DIR, MANIFEST);
    const before = manifestKey(file);
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as { format?: number } & TreeManifest;
    if (parsed.format !== FORMAT || typeof parsed.app !== 'string') return undefined;
    READ_AS.set(parsed, before);
    return parsed;
  } catch {
    return undefined;
  }
}

// The manifest file as each manifest object was read from it: another synthesis since rewrote it.
const READ_AS = new WeakMap<TreeManifest, string>();

function manifestKey(file: string): string {
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  return stat ? `${stat.ino}:${stat.size}:${stat.mtimeMs}:${stat.ctimeMs}` : 'none';
}

/** Whether another run rewrote the manifest since `manifest` was read from `outdir`. */
export function manifestMoved(outdir: string, manifest: TreeManifest): boolean {
  return READ_AS.get(manifest) !== manifestKey(path.join(outdir, CACHE_DIR, MANIFEST));
}

/** The stamp of a file as it is on disk now (its bytes hashed from `content`, which the caller holds). */
export function stampFile(outdir: string, rel: string, content: string): FileStamp | undefined {
  const stat = fs.statSync(path.join(outdir, rel), { throwIfNoEntry: false });
  // A file whose size is not what was written was edited since: no stamp, so it is read next time.
  if (!stat?.isFile() || stat.size !== Buffer.byteLength(content)) return undefined;
  return { hash: contentHash(content), size: stat.size, mtime: stat.mtimeMs, ctime: stat.ctimeMs, ino: stat.ino };
}

/** Whether `rel` still holds exactly the bytes `stamp` recorded (judged by size, times and inode; nothing is read). */
export function isUntouched(outdir: string, rel: string, stamp: FileStamp | undefined): boolean {
  if (!stamp) return false;
  const stat = fs.statSync(path.join(outdir, rel), { throwIfNoEntry: false });
  return stat !== undefined && stat.isFile() && stat.size === stamp.size && stat.mtimeMs === stamp.mtime && stat.ctimeMs === stamp.ctime && stat.ino === stamp.ino;
}

/**
 * Writes the manifest (a temp file renamed into place). Best effort: a cache that cannot be
 * written costs the next run its fast path, never its result.
 */
export function writeTreeManifest(outdir: string, manifest: TreeManifest): void {
  const dir = path.join(outdir, CACHE_DIR);
  try {
    fs.mkdirSync(dir, { recursive: true });
    const ignore = path.join(dir, '.gitignore');
    if (!fs.existsSync(ignore)) fs.writeFileSync(ignore, '# dit-gitops synthesis cache: never committed\n*\n');
    // A run killed mid-write leaves its temp file: the next write clears it.
    for (const name of fs.readdirSync(dir)) if (name.startsWith(`${MANIFEST}.`) && name.endsWith('.tmp')) fs.rmSync(path.join(dir, name), { force: true });
    const tmp = path.join(dir, `${MANIFEST}.${process.pid}.tmp`);
    fs.writeFileSync(tmp, JSON.stringify({ format: FORMAT, ...manifest }));
    fs.renameSync(tmp, path.join(dir, MANIFEST));
  } catch {
    // The cache is an optimisation; the tree is already written.
  }
}

/** Forgets the last synthesis: the next one renders and reads everything. */
export function clearTreeManifest(outdir: string): void {
  fs.rmSync(path.join(outdir, CACHE_DIR, MANIFEST), { force: true });
}

/**
 * The identity of the code that renders: every file of the library's compiled (or source)
 * folder and its charts, by path, size and mtime. A new version, a rebuilt tarball installed
 * over the old one, or an edit in this repository's src/ changes it.
 */
export function libraryIdentity(dirs: readonly string[] = libraryFolders(), dependencies: readonly string[] = libraryDependencies()): string {
  const hash = createHash('sha1');
  // The output also depends on what the library runs on (cdk8s, yaml, …): their versions.
  hash.update(`${process.version}\n`);
  for (const dep of dependencies) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      hash.update(`${dep}@${(require(`${dep}/package.json`) as { version?: string }).version}\n`);
    } catch {
      hash.update(`${dep}@?\n`);
    }
  }
  for (const dir of dirs) {
    if (!fs.existsSync(dir)) continue;
    const files = fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name)).sort();
    for (const abs of files) {
      const stat = fs.statSync(abs, { bigint: true });
      hash.update(`${abs}\0${stat.size}\0${stat.mtimeNs}\n`);
    }
  }
  return hash.digest('hex');
}

// Where this code runs from: src/ here, lib/src/ once built, and the package around it.
function packageLayout(): { source: string; compiled: boolean; pkg: string } {
  const source = path.resolve(__dirname, '..');
  const compiled = path.basename(path.resolve(source, '..')) === 'lib';
  return { source, compiled, pkg: path.resolve(source, compiled ? '../..' : '..') };
}

// src/ (or lib/src/ once built), the generated imports/ beside it, and the package's charts/.
function libraryFolders(): string[] {
  const { source, compiled, pkg } = packageLayout();
  return [source, path.join(compiled ? path.join(pkg, 'lib') : pkg, 'imports'), path.join(pkg, 'charts')];
}

// The package's runtime dependencies, by name (from its package.json).
function libraryDependencies(): string[] {
  const { pkg } = packageLayout();
  try {
    return Object.keys((JSON.parse(fs.readFileSync(path.join(pkg, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> }).dependencies ?? {}).sort();
  } catch {
    return [];
  }
}
