import * as fs from 'fs';
import * as path from 'path';
import { readSources } from '../../src/tree/read-sources';
import { tempDir } from '../support';

describe('readSources', () => {
  const dir = tempDir();
  fs.mkdirSync(path.join(dir, 'env'));
  fs.writeFileSync(path.join(dir, 'compose.yml'), 'services: {}\n');
  fs.writeFileSync(path.join(dir, 'compose.prod.yml'), 'services: {}\n# prod\n');
  fs.writeFileSync(path.join(dir, '.env'), 'TAG=1\n');
  fs.writeFileSync(path.join(dir, 'env', 'web.env'), 'A=1\n');

  test('reads the files in order, the .env beside the first, and files relative to it', () => {
    const first = path.join(dir, 'compose.yml');
    const sources = readSources([first, path.join(dir, 'compose.prod.yml')]);
    expect(sources.files).toStrictEqual([{ file: first, content: 'services: {}\n' }, { file: path.join(dir, 'compose.prod.yml'), content: 'services: {}\n# prod\n' }]);
    expect(sources.dotEnv).toStrictEqual({ file: path.join(dir, '.env'), content: 'TAG=1\n' });
    expect([sources.readFile('env/web.env'), sources.readFile('./env/web.env'), sources.readFile('env/missing.env'), sources.readFile('env')]).toStrictEqual(['A=1\n', 'A=1\n', undefined, undefined]);
  });

  test('an explicit env file replaces the default one; a missing compose file is a clear error', () => {
    const other = path.join(dir, 'env', 'web.env');
    expect(readSources([path.join(dir, 'compose.yml')], { envFile: other }).dotEnv).toStrictEqual({ file: other, content: 'A=1\n' });
    expect(() => readSources([path.join(dir, 'nope.yml')])).toThrow(`${path.join(dir, 'nope.yml')}: cannot be read (ENOENT); expected a readable compose file`);
    expect(() => readSources([])).toThrow('readSources: no file given; expected at least one path');
  });
});
