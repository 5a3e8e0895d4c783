import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TreeLockedError, lockPath, withTreeLock } from '../../src';
import { tempDir } from '../support';

describe('withTreeLock', () => {
  it('sits beside the tree and is gone afterwards', () => {
    const outdir = path.join(tempDir(), 'dist');
    expect(lockPath(outdir)).toBe(path.join(path.dirname(outdir), '.dist.lock'));
    expect(withTreeLock(outdir, () => fs.readFileSync(lockPath(outdir), 'utf8'))).toBe(`${process.pid} ${os.hostname()} dit-gitops\n`);
    expect(fs.existsSync(lockPath(outdir))).toBe(false);
    expect(fs.existsSync(outdir)).toBe(false);
  });

  it('a second run waits a bounded time, then fails naming the holder', () => {
    const outdir = path.join(tempDir(), 'dist');
    expect(() => withTreeLock(outdir, () => withTreeLock(outdir, () => 'never', { timeoutMs: 120 }), { purpose: 'synth' }))
      .toThrow(new TreeLockedError(`${outdir}/ is locked by process ${process.pid} on ${os.hostname()} (synth): waited 0 s for ${lockPath(outdir)} to go; if no dit-gitops run is active, delete that file`));
    expect(fs.existsSync(lockPath(outdir))).toBe(false);
  });

  it('takes over a lock whose process was killed', () => {
    const outdir = path.join(tempDir(), 'dist');
    // pid_max on Linux is at most 2^22: this process cannot exist.
    fs.writeFileSync(lockPath(outdir), `4194305 ${os.hostname()} synth\n`);
    expect(withTreeLock(outdir, () => 'ran', { timeoutMs: 0 })).toBe('ran');
    expect(fs.readdirSync(path.dirname(outdir))).toStrictEqual([]);
  });
});
