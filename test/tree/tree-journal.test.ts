import * as fs from 'fs';
import * as path from 'path';
import { FileOwner, GENERATED_HEADER, JOURNAL_DIR, TreeWriteError, commitTree, hasPendingJournal, recoverTree, writeTree } from '../../src';
import { readTree, tempDir } from '../support';

const engine = (p: string, body: string) => ({ path: p, owner: FileOwner.ENGINE, content: `${GENERATED_HEADER}\n${body}` });

describe('commitTree', () => {
  it('writes and deletes, then leaves no journal and no empty directory behind', () => {
    const dir = tempDir();
    commitTree(dir, { writes: new Map([['a/x.yaml', 'x\n'], ['gone/y.yaml', 'y\n']]), prunes: [] });
    commitTree(dir, { writes: new Map([['a/x.yaml', 'x2\n']]), prunes: ['gone/y.yaml'] });
    expect(readTree(dir)).toStrictEqual({ 'a/x.yaml': 'x2\n' });
    expect(fs.readdirSync(dir)).toStrictEqual(['a']);
  });

  it('a write failing part-way puts back every file it had replaced and says so', () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'a'));
    fs.writeFileSync(path.join(dir, 'a/x.yaml'), 'old x\n');
    fs.writeFileSync(path.join(dir, 'gone.yaml'), 'old gone\n');
    // A file where the last write needs a directory: its rename fails after two were applied.
    fs.writeFileSync(path.join(dir, 'z'), 'a human file\n');
    const before = readTree(dir);
    const change = { writes: new Map([['a/x.yaml', 'new x\n'], ['b/new.yaml', 'new\n'], ['z/w.yaml', 'w\n']]), prunes: ['gone.yaml'] };
    expect(() => commitTree(dir, change)).toThrow(TreeWriteError);
    expect(() => commitTree(dir, change)).toThrow(new RegExp(`^could not write the tree \\(.*\\); ${dir}/ left as it was \\(the files already replaced were put back\\)$`));
    expect(readTree(dir)).toStrictEqual(before);
    expect(fs.existsSync(path.join(dir, 'b'))).toBe(false);
    expect(hasPendingJournal(dir)).toBe(false);
  });
});

describe('recoverTree (the next run after a kill)', () => {
  function journal(dir: string, files: Record<string, string>, plan?: object): void {
    for (const [rel, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, JOURNAL_DIR, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, JOURNAL_DIR, rel), content);
    }
    if (plan) fs.writeFileSync(path.join(dir, JOURNAL_DIR, 'plan.json'), JSON.stringify(plan));
  }

  it('discards a journal killed before its commit point: the old tree stays', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'x.yaml'), 'old\n');
    journal(dir, { 'new/x.yaml': 'new\n', 'plan.json.tmp': '' });
    expect(recoverTree(dir)).toBe('rolled back');
    expect(readTree(dir)).toStrictEqual({ 'x.yaml': 'old\n' });
  });

  it('completes a journal killed after its commit point: the whole new tree', () => {
    const dir = tempDir();
    // Killed after x.yaml was swapped in, before y.yaml and the prune.
    fs.writeFileSync(path.join(dir, 'x.yaml'), 'new x\n');
    fs.writeFileSync(path.join(dir, 'gone.yaml'), 'old gone\n');
    journal(dir, { 'old/x.yaml': 'old x\n', 'new/sub/y.yaml': 'new y\n' }, { writes: [{ path: 'x.yaml', existed: true }, { path: 'sub/y.yaml', existed: false }], prunes: ['gone.yaml'] });
    expect(recoverTree(dir)).toBe('completed');
    expect(readTree(dir)).toStrictEqual({ 'x.yaml': 'new x\n', 'sub/y.yaml': 'new y\n' });
    expect(recoverTree(dir)).toBe('none');
  });

  it('writeTree completes a pending journal before it reads the tree', () => {
    const dir = tempDir();
    journal(dir, { 'new/a.yaml': `${GENERATED_HEADER}\na: 1\n` }, { writes: [{ path: 'a.yaml', existed: false }], prunes: [] });
    expect(writeTree(dir, [engine('a.yaml', 'a: 1\n')])).toStrictEqual({ written: [], unchanged: ['a.yaml'], pruned: [], preserved: [] });
    expect(hasPendingJournal(dir)).toBe(false);
  });
});

describe('writeTree safety', () => {
  it('refuses a symbolic link inside the tree, naming it, and writes nothing', () => {
    const dir = tempDir();
    const outside = tempDir();
    fs.symlinkSync(outside, path.join(dir, 'my-api'));
    expect(() => writeTree(dir, [engine('my-api/base/release.yaml', 'a: 1\n')]))
      .toThrow(`${dir}/my-api is a symbolic link; expected only real files and directories inside ${dir}/ (a link would send writes outside it)`);
    expect(fs.readdirSync(outside)).toStrictEqual([]);
  });

  it('refuses a planned path that leaves the tree', () => {
    expect(() => writeTree(tempDir(), [engine('../escape.yaml', 'a: 1\n')]))
      .toThrow('planned file "../escape.yaml": expected a relative path inside the output directory, without \'.\', \'..\' or empty segments');
  });
});

describe('temp files of earlier versions', () => {
  it('are deleted by the next write and reported as pruned', () => {
    const dir = tempDir();
    writeTree(dir, [engine('a/x.yaml', 'x: 1\n')]);
    fs.writeFileSync(path.join(dir, 'a/x.yaml.4242.tmp'), '');
    expect(writeTree(dir, [engine('a/x.yaml', 'x: 1\n')])).toStrictEqual({ written: [], unchanged: ['a/x.yaml'], pruned: ['a/x.yaml.4242.tmp'], preserved: [] });
    expect(readTree(dir)).toStrictEqual({ 'a/x.yaml': `${GENERATED_HEADER}\nx: 1\n` });
  });
});
