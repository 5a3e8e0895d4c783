import * as fs from 'fs';
import * as path from 'path';
import { initRepository } from '../../src/cli/init';
import { readTree, tempDir } from '../support';

const flags = { team: 'payments', environments: 'development,staging,production', domain: 'payments.example.com' };
const ROOT = path.join(__dirname, '..', '..');

describe('init', () => {
  it('writes the rendered templates, depending on this version of dit-gitops', () => {
    const dir = tempDir();
    const written = initRepository(dir, flags);
    expect(Object.keys(readTree(dir)).sort()).toStrictEqual([...written].sort());
    expect(written).toContain('.gitignore');
    const version = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version;
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')).dependencies).toStrictEqual({ 'dit-gitops': `^${version}` });
  });

  it('refuses a directory that has one of its files, and writes nothing', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'README.md'), 'ours\n');
    expect(() => initRepository(dir, flags)).toThrow(`init [dir]: ${dir} already has README.md; expected a directory without them (nothing was written)`);
    expect(readTree(dir)).toStrictEqual({ 'README.md': 'ours\n' });
  });
});
