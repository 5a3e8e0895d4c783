import * as fs from 'fs';
import * as path from 'path';
import { main } from '../../src/cli/main';
import { synthInto, tempDir } from '../support';

// The commands in-process (what bin/dit-gitops.js calls); test/e2e/cli.test.ts runs the bin.
const ROOT = path.join(__dirname, '..', '..');

function cli(...args: string[]): { status: number; stdout: string; stderr: string } {
  const out = { stdout: '', stderr: '' };
  const stdout = jest.spyOn(process.stdout, 'write').mockImplementation((s) => { out.stdout += String(s); return true; });
  const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((s) => { out.stderr += String(s); return true; });
  // Some commands print with console.log/error, which jest's console would swallow.
  const log = jest.spyOn(console, 'log').mockImplementation((s) => { out.stdout += `${s}\n`; });
  const error = jest.spyOn(console, 'error').mockImplementation((s) => { out.stderr += `${s}\n`; });
  const exitCode = process.exitCode;
  try {
    const status = main(['node', 'dit-gitops', ...args]);
    return { status, ...out };
  } finally {
    [stdout, stderr, log, error].forEach((spy) => spy.mockRestore());
    process.exitCode = exitCode;
  }
}

describe('dit-gitops check', () => {
  const outdir = tempDir();
  synthInto(outdir);

  it('passes on a tree the definitions produce', () => {
    expect(cli('check', '--outdir', outdir, '--definitions', path.join(ROOT, 'src/main.ts'))).toStrictEqual({ status: 0, stdout: `dit-gitops: ${outdir}/ is up to date (76 files)\n`, stderr: '' });
  });

  it('fails on a hand-edited file, naming it, and writes nothing', () => {
    const file = path.join(outdir, 'my-api/base/release.yaml');
    fs.appendFileSync(file, '# edited by hand\n');
    expect(cli('check', '--outdir', outdir, '--definitions', path.join(ROOT, 'src/main.ts'))).toStrictEqual({
      status: 1, stdout: '', stderr: `dit-gitops: ${outdir}/ differs from the definitions; run npm run synth and commit:\n  would write my-api/base/release.yaml\n`,
    });
    expect(fs.readFileSync(file, 'utf8')).toMatch(/# edited by hand\n$/);
  });
});

describe('dit-gitops init', () => {
  it('scaffolds, and a bad team is one line naming the flag', () => {
    const dir = tempDir();
    expect(cli('init', dir, '--team', 'payments', '--domain', 'payments.example.com').status).toBe(0);
    expect(fs.existsSync(path.join(dir, '.github/workflows/ci.yml'))).toBe(true);
    const bad = cli('init', tempDir(), '--team', 'Payments', '--domain', 'payments.example.com');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/^dit-gitops: init --team: got "Payments"; expected /);
  });

  it('--team and --domain are required', () => {
    expect(cli('init', tempDir(), '--domain', 'payments.example.com')).toStrictEqual({ status: 1, stdout: '', stderr: "error: required option '--team <name>' not specified\n" });
  });
});
