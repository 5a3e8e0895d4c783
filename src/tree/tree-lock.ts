import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** Options of {@link withTreeLock}. */
export interface TreeLockOptions {
  /**
   * How long to wait for another dit-gitops run to release the tree, in milliseconds.
   * @default 60000
   */
  readonly timeoutMs?: number;
  /** What the lock is taken for, shown to a run that has to wait. @default 'dit-gitops' */
  readonly purpose?: string;
}

/** Raised when the tree stays locked by another run past the timeout. */
export class TreeLockedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TreeLockedError';
  }
}

/**
 * The lock file of an output directory: beside it (`.dist.lock` for `dist/`), so taking the
 * lock never creates the directory and nothing inside it is ever a lock.
 */
export function lockPath(outdir: string): string {
  const abs = path.resolve(outdir);
  return path.join(path.dirname(abs), `.${path.basename(abs)}.lock`);
}

const POLL_MS = 50;

/**
 * Runs `fn` holding the tree's lock: an O_EXCL lock file holding the owner's pid and host.
 * A second run waits (polling) up to `timeoutMs`, then fails naming the holder. A lock whose
 * process is gone (killed) on this host is taken over. Synchronous, like synthesis itself.
 */
export function withTreeLock<T>(outdir: string, fn: () => T, options: TreeLockOptions = {}): T {
  const file = lockPath(outdir);
  const timeoutMs = options.timeoutMs ?? 60_000;
  const deadline = Date.now() + timeoutMs;
  const me = `${process.pid} ${os.hostname()} ${options.purpose ?? 'dit-gitops'}\n`;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  for (;;) {
    if (tryCreate(file, me)) break;
    const holder = readHolder(file);
    if (holder && holder.host === os.hostname() && !isAlive(holder.pid)) {
      breakStaleLock(file, holder.raw);
      continue;
    }
    if (Date.now() >= deadline) {
      const who = holder ? `process ${holder.pid} on ${holder.host} (${holder.purpose})` : 'another run';
      throw new TreeLockedError(`${outdir}/ is locked by ${who}: waited ${Math.round(timeoutMs / 1000)} s for ${file} to go; if no dit-gitops run is active, delete that file`);
    }
    sleep(POLL_MS);
  }
  try {
    return fn();
  } finally {
    // Only our own lock: a lock broken as stale and retaken by another run is not ours.
    if (fs.existsSync(file) && fs.readFileSync(file, 'utf8') === me) fs.rmSync(file, { force: true });
  }
}

function tryCreate(file: string, content: string): boolean {
  let fd: number;
  try {
    fd = fs.openSync(file, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
  try {
    fs.writeSync(fd, content);
  } finally {
    fs.closeSync(fd);
  }
  return true;
}

interface Holder {
  readonly raw: string;
  readonly pid: number;
  readonly host: string;
  readonly purpose: string;
}

function readHolder(file: string): Holder | undefined {
  let raw: string;
  try {
    raw = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const match = /^(\d+) (\S+) (.*)\n$/.exec(raw);
  // A lock file still being written (created, not yet filled) reads empty: treat it as held.
  if (!match) return undefined;
  return { raw, pid: Number(match[1]), host: match[2], purpose: match[3] };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes a dead run's lock. The file is first renamed to a name only this process uses, then
 * checked: if a live run took the lock in between, its file is put back.
 */
function breakStaleLock(file: string, staleContent: string): void {
  const aside = `${file}.${process.pid}.stale`;
  try {
    fs.renameSync(file, aside);
  } catch {
    return;
  }
  const content = fs.readFileSync(aside, 'utf8');
  if (content === staleContent) fs.rmSync(aside, { force: true });
  else if (!fs.existsSync(file)) fs.renameSync(aside, file);
  else fs.rmSync(aside, { force: true });
}

const SLEEPER = new Int32Array(new SharedArrayBuffer(4));

function sleep(ms: number): void {
  Atomics.wait(SLEEPER, 0, 0, ms);
}
