import * as fs from 'fs';
import * as path from 'path';
import { DitApi, DitEnvironment, GitOpsApp, Peer, runSynth } from '../../src';
import { readTree, tempDir } from '../support';

function team(app: GitOpsApp): void {
  new DitEnvironment(app, 'dev', { namespace: 'team', domain: 'dev.example.com' });
  new DitApi(app, 'api', { image: { tag: 'dev-1' } }).connections.allowFrom(Peer.traefik());
}

function capture(fn: () => void): { stdout: string; stderr: string; exitCode: number } {
  const out: string[] = [];
  const err: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((line: string) => { out.push(`${line}\n`); });
  const error = jest.spyOn(console, 'error').mockImplementation((line: string) => { err.push(`${line}\n`); });
  const before = process.exitCode;
  try {
    fn();
    return { stdout: out.join(''), stderr: err.join(''), exitCode: Number(process.exitCode ?? 0) };
  } finally {
    log.mockRestore();
    error.mockRestore();
    process.exitCode = before;
  }
}

describe('runSynth', () => {
  const saved = process.env.CDK8S_OUTDIR;
  afterEach(() => {
    if (saved === undefined) delete process.env.CDK8S_OUTDIR;
    else process.env.CDK8S_OUTDIR = saved;
  });

  it('under cdk8s synth writes the tree to outdir, and only a note into $CDK8S_OUTDIR', () => {
    const dir = tempDir();
    const outdir = path.join(dir, 'dist');
    process.env.CDK8S_OUTDIR = path.join(dir, '.cdk8s-out');
    const result = capture(() => runSynth(team, { outdir }));
    expect(result).toStrictEqual({ stdout: '', stderr: `dit-gitops: 5 written, 0 unchanged, 0 pruned, 0 preserved (${outdir}/)\n`, exitCode: 0 });
    expect(Object.keys(readTree(outdir))).toHaveLength(5);
    expect(readTree(process.env.CDK8S_OUTDIR)).toStrictEqual({
      'dit-gitops-summary.yaml': [
        `# cdk8s scratch output: dit-gitops wrote the tree to ${outdir}/, not here.`,
        '# The cdk8s CLI deletes this folder on every run; nothing in it is committed.',
        `outdir: ${JSON.stringify(outdir)}`, 'written: 5', 'unchanged: 0', 'pruned: 0', 'preserved: 0', '',
      ].join('\n'),
    });
  });

  it('says the tree was left as it was when a CI-owned file is not acceptable', () => {
    const outdir = path.join(tempDir(), 'dist');
    capture(() => runSynth(team, { outdir }));
    const image = path.join(outdir, 'api/dev/image.yaml');
    fs.writeFileSync(image, fs.readFileSync(image, 'utf8').replace('name: api', 'name: other'));
    const before = readTree(outdir);
    const result = capture(() => runSynth(team, { outdir }));
    expect(result).toStrictEqual({
      stdout: '',
      stderr: `dit-gitops: synthesis failed, ${outdir}/ left as it was: 1 CI-owned file is not acceptable in ${outdir}/:\n  api [dev] dist/api/dev/image.yaml metadata.name: got "other"; expected api (the patch targets this component's HelmRelease)\n`,
      exitCode: 1,
    });
    expect(readTree(outdir)).toStrictEqual(before);
  });

  it.each(['../outside', '/abs/dist', 'dist//x', 'dist with space', ''])('refuses repositoryPath %j', (repositoryPath) => {
    expect(() => new GitOpsApp({ outdir: 'unused', repositoryPath }))
      .toThrow(`GitOpsApp repositoryPath: got ${JSON.stringify(repositoryPath)}; expected a relative path inside the git repository (letters, digits, '.', '_', '-' and '/', no '..', e.g. dist or clusters/my-team/dist)`);
  });

  it('accepts ./dist/ as dist', () => {
    expect(new GitOpsApp({ outdir: 'unused', repositoryPath: './clusters/team/dist/' }).repositoryPath).toBe('clusters/team/dist');
  });
});

describe('runSynth on a tree it will not touch', () => {
  it('refuses a symlinked folder inside dist/ in one line, writing nothing outside', () => {
    const dir = tempDir();
    const outdir = path.join(dir, 'dist');
    const outside = path.join(dir, 'elsewhere');
    fs.mkdirSync(outdir);
    fs.mkdirSync(outside);
    fs.symlinkSync(outside, path.join(outdir, 'api'));
    expect(capture(() => runSynth(team, { outdir }))).toStrictEqual({
      stdout: '',
      stderr: `dit-gitops: synthesis failed, ${outdir}/ left as it was: ${outdir}/api is a symbolic link; expected only real files and directories inside ${outdir}/ (a link would send writes outside it)\n`,
      exitCode: 1,
    });
    expect(fs.readdirSync(outside)).toStrictEqual([]);
  });
});
