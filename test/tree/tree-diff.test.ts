import * as fs from 'fs';
import * as path from 'path';
import { diffFiles, readTree } from '../../src/tree/tree-diff';
import { tempDir } from '../support';

describe('diffFiles', () => {
  it('gives a unified diff per changed file, sorted by path, and leaves unchanged files out', () => {
    const before = { 'a/one.yaml': 'x: 1\ny: 2\n', 'b/gone.yaml': 'z: 1\n', 'same.yaml': 's\n' };
    const after = { 'a/one.yaml': 'x: 1\ny: 3\n', 'c/new.yaml': 'n: 1\n', 'same.yaml': 's\n' };
    expect(diffFiles(before, after)).toStrictEqual([
      { path: 'a/one.yaml', change: 'modified', patch: '--- a/a/one.yaml\n+++ b/a/one.yaml\n@@ -1,2 +1,2 @@\n x: 1\n-y: 2\n+y: 3\n' },
      { path: 'b/gone.yaml', change: 'deleted', patch: '--- a/b/gone.yaml\n+++ /dev/null\n@@ -1,1 +0,0 @@\n-z: 1\n' },
      { path: 'c/new.yaml', change: 'added', patch: '--- /dev/null\n+++ b/c/new.yaml\n@@ -0,0 +1,1 @@\n+n: 1\n' },
    ]);
  });
});

describe('readTree', () => {
  it('reads the .yaml files of a folder by forward-slash path, sorted; a missing folder is empty', () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'b/c'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'b/c/x.yaml'), 'x\n');
    fs.writeFileSync(path.join(dir, 'a.yaml'), 'a\n');
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'ignored\n');
    expect(readTree(dir)).toStrictEqual({ 'a.yaml': 'a\n', 'b/c/x.yaml': 'x\n' });
    expect(Object.keys(readTree(dir))).toStrictEqual(['a.yaml', 'b/c/x.yaml']);
    expect(readTree(path.join(dir, 'missing'))).toStrictEqual({});
  });
});
