import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { DitApi, DitEnvironment, FileOwner, GENERATED_HEADER, GitHead, GitOpsApp, Peer, writeTree } from '../../src';
import { readTree, synthInto, tempDir } from '../support';

const engine = (p: string, body: string) => ({ path: p, owner: FileOwner.ENGINE, content: `${GENERATED_HEADER}\n${body}` });
const ci = (p: string, initial: string) => ({ path: p, owner: FileOwner.CI, initialContent: () => initial });

describe('writeTree', () => {
  it('writes new files, leaves equal ones alone and reports both', () => {
    const dir = tempDir();
    expect(writeTree(dir, [engine('a/x.yaml', 'x: 1\n')]).written).toStrictEqual(['a/x.yaml']);
    const mtime = fs.statSync(path.join(dir, 'a/x.yaml')).mtimeMs;
    const again = writeTree(dir, [engine('a/x.yaml', 'x: 1\n'), engine('b/y.yaml', 'y: 1\n')]);
    expect(again).toStrictEqual({ written: ['b/y.yaml'], unchanged: ['a/x.yaml'], pruned: [], preserved: [] });
    expect(fs.statSync(path.join(dir, 'a/x.yaml')).mtimeMs).toBe(mtime);
  });

  it('prunes generated files it no longer plans, and their empty directories', () => {
    const dir = tempDir();
    writeTree(dir, [engine('gone/base/x.yaml', 'x: 1\n'), engine('kept.yaml', 'k: 1\n')]);
    expect(writeTree(dir, [engine('kept.yaml', 'k: 1\n')]).pruned).toStrictEqual(['gone/base/x.yaml']);
    expect(fs.existsSync(path.join(dir, 'gone'))).toBe(false);
  });

  it('never touches a file it did not generate', () => {
    const dir = tempDir();
    fs.mkdirSync(path.join(dir, 'infra'));
    fs.writeFileSync(path.join(dir, 'infra/hand-written.yaml'), 'kind: Namespace\n');
    fs.writeFileSync(path.join(dir, 'README.md'), '# notes\n');
    const summary = writeTree(dir, [engine('a.yaml', 'a: 1\n')]);
    expect(summary.pruned).toStrictEqual([]);
    expect(readTree(dir)).toStrictEqual({ 'a.yaml': `${GENERATED_HEADER}\na: 1\n`, 'infra/hand-written.yaml': 'kind: Namespace\n', 'README.md': '# notes\n' });
  });

  it('creates a CI-owned file once, then keeps its bytes', () => {
    const dir = tempDir();
    writeTree(dir, [ci('api/dev/image.yaml', 'tag: latest\n')]);
    fs.writeFileSync(path.join(dir, 'api/dev/image.yaml'), 'tag: dev-1234567 # set by CI\n');
    const summary = writeTree(dir, [ci('api/dev/image.yaml', 'tag: latest\n')]);
    expect(summary).toStrictEqual({ written: [], unchanged: ['api/dev/image.yaml'], pruned: [], preserved: ['api/dev/image.yaml'] });
    expect(fs.readFileSync(path.join(dir, 'api/dev/image.yaml'), 'utf8')).toBe('tag: dev-1234567 # set by CI\n');
  });

  it('renders nothing when a CI-owned first render throws', () => {
    const dir = tempDir();
    const failing = { path: 'b.yaml', owner: FileOwner.CI, initialContent: () => { throw new Error('no digest'); } };
    expect(() => writeTree(dir, [engine('a.yaml', 'a: 1\n'), failing])).toThrow('no digest');
    expect(readTree(dir)).toStrictEqual({});
  });
});

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd, encoding: 'utf8' });
}

describe('recovery from git HEAD (the last resort when dist/ was deleted)', () => {
  const repo = tempDir();
  const outdir = path.join(repo, 'dist');
  git(repo, 'init', '-q');
  synthInto(outdir);
  const image = path.join(outdir, 'my-api/staging/image.yaml');
  // CI's new build: tag, digest and the tag the digest was recorded for (as set-image writes them).
  const ciBytes = fs.readFileSync(image, 'utf8').replace(/main-843632a/g, 'main-0a1b2c3').replace(/digest: sha256:[0-9a-f]{64}/, `digest: sha256:${'0a'.repeat(32)}`);
  fs.writeFileSync(image, ciBytes);
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'dist with a CI tag');

  it('restores every image.yaml with the committed bytes', () => {
    fs.rmSync(outdir, { recursive: true });
    const summary = synthInto(outdir);
    expect(summary.preserved).toHaveLength(10);
    expect(fs.readFileSync(image, 'utf8')).toBe(ciBytes);
    expect(git(repo, 'status', '--porcelain')).toBe('');
  });

  it('removing a component prunes its directories, image.yaml included', () => {
    const summary = synthInto(outdir, (app) => {
      const env = new DitEnvironment(app, 'staging', { namespace: 'my-team', domain: 'staging.example.com' });
      new DitApi(app, 'my-api', { environments: [env] }).connections.allowFrom(Peer.traefik());
      new DitEnvironment(app, 'development', { namespace: 'my-team', domain: 'dev.example.com' });
      new DitEnvironment(app, 'production', { namespace: 'my-team', domain: 'example.com' });
    });
    expect(summary.pruned.filter((p) => p.startsWith('my-client/'))).toHaveLength(11);
    expect(summary.pruned.filter((p) => p.startsWith('users/') && p.endsWith('image.yaml'))).toHaveLength(3);
    expect(fs.existsSync(path.join(outdir, 'my-client'))).toBe(false);
    expect(fs.existsSync(path.join(outdir, 'my-api/development'))).toBe(false);
    expect(fs.readFileSync(image, 'utf8')).toBe(ciBytes);
  });

  it('outside git there is nothing to recover from', () => {
    const plain = tempDir();
    expect(new GitHead(path.join(plain, 'dist')).read('x.yaml')).toBeUndefined();
    expect(new GitApp(plain).synth().preserved).toStrictEqual([]);
  });
});

class GitApp extends GitOpsApp {
  constructor(dir: string) {
    super({ outdir: path.join(dir, 'dist') });
    new DitEnvironment(this, 'dev', { namespace: 'team', domain: 'dev.example.com' });
    new DitApi(this, 'api', { image: { tag: 'dev-1234567' } }).connections.allowFrom(Peer.traefik());
  }
}
