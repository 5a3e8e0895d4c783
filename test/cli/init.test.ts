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

  it('copies the package\'s golden charts byte for byte, whatever the working directory holds', () => {
    const dir = tempDir();
    const cwd = process.cwd();
    const elsewhere = tempDir();
    fs.mkdirSync(path.join(elsewhere, 'charts/dit-common-api'), { recursive: true });
    fs.writeFileSync(path.join(elsewhere, 'charts/dit-common-api/Chart.yaml'), 'name: not-ours\n');
    process.chdir(elsewhere);
    try {
      initRepository(dir, flags);
    } finally {
      process.chdir(cwd);
    }
    const charts = readTree(path.join(ROOT, 'charts'));
    expect(readTree(path.join(dir, 'charts'))).toStrictEqual(charts);
    expect(Object.keys(charts)).toEqual(expect.arrayContaining(['dit-common-api/Chart.yaml', 'dit-common-client/Chart.yaml', 'dit-gateway/Chart.yaml']));
  });

  it('refuses a directory that already has a chart file, and writes nothing', () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'charts/dit-gateway'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'charts/dit-gateway/values.yaml'), 'ours: true\n');
    expect(() => initRepository(dir, flags)).toThrow(`init [dir]: ${dir} already has charts/dit-gateway/values.yaml; expected a directory without them (nothing was written)`);
    expect(readTree(dir)).toStrictEqual({ 'charts/dit-gateway/values.yaml': 'ours: true\n' });
  });

  it('refuses a directory that has one of its files, and writes nothing', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'README.md'), 'ours\n');
    expect(() => initRepository(dir, flags)).toThrow(`init [dir]: ${dir} already has README.md; expected a directory without them (nothing was written)`);
    expect(readTree(dir)).toStrictEqual({ 'README.md': 'ours\n' });
  });
});
