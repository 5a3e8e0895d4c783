import * as fs from 'fs';
import * as path from 'path';
import { DitApi, DitEnvironment, DitWorker, GitOpsApp, Peer, Port, SynthSummary } from '../../src';
import * as treeManifest from '../../src/tree/tree-manifest';
import { CACHE_DIR, readTreeManifest } from '../../src/tree/tree-manifest';
import { readTree, tempDir } from '../support';

// The no-op fast path (docs/tree.md): a component whose inputs and files are those of the last
// synthesis is neither prepared, rendered nor read. Every case compares the tree with a full
// synthesis of the same definitions into an empty folder, cache off.

interface Knobs {
  replicas?: number;
  workerPort?: number;
  extraComponent?: boolean;
}

function team(knobs: Knobs = {}) {
  return (app: GitOpsApp): void => {
    new DitEnvironment(app, 'dev', { namespace: 'team', domain: 'dev.example.com' });
    new DitEnvironment(app, 'prod', { namespace: 'team', domain: 'example.com', pinImageDigests: false });
    const web = new DitApi(app, 'web', { image: { tag: 'v1.0.0' }, replicas: knobs.replicas ?? 2 });
    web.connections.allowFrom(Peer.traefik(), Port.tcp(8080));
    const api = new DitApi(app, 'api', { image: { tag: 'v1.0.0' } });
    web.connections.allowTo(api, Port.tcp(8080));
    const queue = new DitApi(app, 'queue', { image: { tag: 'v2.0.0' }, ports: [Port.tcp(knobs.workerPort ?? 5672)] });
    api.connections.allowTo(queue);
    new DitWorker(app, 'mailer', { image: { tag: 'v1.0.0' } });
    if (knobs.extraComponent) new DitApi(app, 'extra', { image: { tag: 'v1.0.0' } }).connections.denyAllIngress();
  };
}

function synth(outdir: string, define: (app: GitOpsApp) => void, cache?: boolean): { summary: SynthSummary; app: GitOpsApp } {
  const app = new GitOpsApp({ outdir, cache });
  define(app);
  return { summary: app.synth(), app };
}

/** What a full synthesis (no cache, empty folder) of `define` writes, with `ciFiles` copied over first. */
function fullTree(define: (app: GitOpsApp) => void, ciFiles: Record<string, string> = {}): Record<string, string> {
  const outdir = path.join(tempDir(), 'dist');
  for (const [rel, content] of Object.entries(ciFiles)) {
    fs.mkdirSync(path.dirname(path.join(outdir, rel)), { recursive: true });
    fs.writeFileSync(path.join(outdir, rel), content);
  }
  synth(outdir, define, false);
  return readTree(outdir);
}

// The components planning prepared this run (the others were kept).
function prepared(app: GitOpsApp): string[] {
  return app.components.filter((c) => c.node.children.length > 0).map((c) => c.name);
}

describe('the no-op fast path', () => {
  let outdir: string;
  beforeEach(() => {
    outdir = path.join(tempDir(), 'dist');
    synth(outdir, team());
  });

  // That no file of the tree is read is proven in fast-path-probe.test.ts, whose fs mock the
  // sources see (a jest.spyOn on fs here would not be).
  it('keeps every component unprepared on a rerun of the same definitions, and writes nothing', () => {
    const { summary, app } = synth(outdir, team());
    expect(prepared(app)).toStrictEqual([]);
    expect(summary.written).toStrictEqual([]);
    expect(summary.pruned).toStrictEqual([]);
    expect(summary.unchanged).toHaveLength(Object.keys(readTree(outdir)).length);
    expect([...summary.preserved].sort()).toStrictEqual(['api/dev/image.yaml', 'api/prod/image.yaml', 'mailer/dev/image.yaml', 'mailer/prod/image.yaml',
      'queue/dev/image.yaml', 'queue/prod/image.yaml', 'web/dev/image.yaml', 'web/prod/image.yaml']);
  });

  it('records each component, its fingerprint and its files, in a cache folder git ignores', () => {
    const manifest = readTreeManifest(outdir)!;
    expect(Object.keys(manifest.owners).sort()).toStrictEqual(['api', 'mailer', 'queue', 'web']);
    expect([...manifest.owners.web.files].sort()).toStrictEqual(['web/base/kustomization.yaml', 'web/base/release.yaml', 'web/dev/image.yaml',
      'web/dev/kustomization.yaml', 'web/prod/image.yaml', 'web/prod/kustomization.yaml']);
    expect(manifest.owners.web.ci).toStrictEqual(['web/dev/image.yaml', 'web/prod/image.yaml']);
    expect(manifest.owners.web.fingerprint).toMatch(/^[0-9a-f]{40}$/);
    expect(fs.readFileSync(path.join(outdir, CACHE_DIR, '.gitignore'), 'utf8')).toBe('# dit-gitops synthesis cache: never committed\n*\n');
  });

  // A component's fingerprint holds each peer's own fields: a peer's change re-renders it too
  // (its bytes then compare equal by hash, unread). Conservative on purpose: a narrower view of
  // a peer is one more list of facts to keep in step with the renderers.
  it('renders a component whose props changed and the components that name it, no other', () => {
    const { summary, app } = synth(outdir, team({ replicas: 5 }));
    expect(prepared(app).sort()).toStrictEqual(['api', 'web']);
    expect(summary.written).toStrictEqual(['web/base/release.yaml']);
    expect(readTree(outdir)).toStrictEqual(fullTree(team({ replicas: 5 })));
  });

  it('renders both ends of a connection whose peer changed (a port of the callee), and not the rest', () => {
    const { summary, app } = synth(outdir, team({ workerPort: 5673 }));
    expect(prepared(app).sort()).toStrictEqual(['api', 'queue', 'web']);
    expect([...summary.written].sort()).toStrictEqual(['api/base/release.yaml', 'queue/base/release.yaml']);
    expect(readTree(outdir)).toStrictEqual(fullTree(team({ workerPort: 5673 })));
  });

  it('adds a new component and lists it in every environment, keeping the others', () => {
    const { summary, app } = synth(outdir, team({ extraComponent: true }));
    expect(prepared(app)).toStrictEqual(['extra']);
    expect(summary.written).toContain('main/dev/kustomization.yaml');
    expect(readTree(outdir)).toStrictEqual(fullTree(team({ extraComponent: true })));
  });

  it('prunes the files of a component that is gone', () => {
    synth(outdir, team({ extraComponent: true }));
    const { summary } = synth(outdir, team());
    expect(summary.pruned).toStrictEqual(['extra/base/kustomization.yaml', 'extra/base/release.yaml', 'extra/dev/image.yaml', 'extra/dev/kustomization.yaml',
      'extra/prod/image.yaml', 'extra/prod/kustomization.yaml']);
    expect(readTree(outdir)).toStrictEqual(fullTree(team()));
  });

  // The library's identity is part of the app-wide inputs (libraryIdentity is tested below).
  it('renders everything when the app-wide inputs changed (another library build)', () => {
    const file = path.join(outdir, CACHE_DIR, 'manifest.json');
    fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(fs.readFileSync(file, 'utf8')), app: 'another build' }));
    const { summary, app } = synth(outdir, team());
    expect(prepared(app).sort()).toStrictEqual(['api', 'mailer', 'queue', 'web']);
    expect(summary.written).toStrictEqual([]);
  });

  it('sees a CI edit of image.yaml, even one of the same size with its mtime put back, and keeps it', () => {
    const file = path.join(outdir, 'web/dev/image.yaml');
    const before = fs.statSync(file);
    const edited = fs.readFileSync(file, 'utf8').replace('tag: v1.0.0', 'tag: v1.0.1');
    fs.writeFileSync(file, edited);
    fs.utimesSync(file, before.atime, before.mtime);
    const { summary, app } = synth(outdir, team());
    expect(prepared(app)).toStrictEqual(['web']);
    expect(summary.written).toStrictEqual([]);
    expect(fs.readFileSync(file, 'utf8')).toBe(edited);
    expect(readTree(outdir)).toStrictEqual(fullTree(team(), { 'web/dev/image.yaml': edited }));
  });

  it('puts back a hand edit of a generated file, and a deleted one', () => {
    fs.appendFileSync(path.join(outdir, 'api/base/release.yaml'), '# mine\n');
    fs.rmSync(path.join(outdir, 'queue/base/kustomization.yaml'));
    const { summary, app } = synth(outdir, team());
    expect(prepared(app).sort()).toStrictEqual(['api', 'queue']);
    expect([...summary.written].sort()).toStrictEqual(['api/base/release.yaml', 'queue/base/kustomization.yaml']);
    expect(readTree(outdir)).toStrictEqual(fullTree(team()));
  });

  it('leaves alone a file someone added in a generated folder', () => {
    fs.writeFileSync(path.join(outdir, 'api/base/OWNERS.md'), 'team-a\n');
    const { summary } = synth(outdir, team());
    expect(summary.written).toStrictEqual([]);
    expect(fs.readFileSync(path.join(outdir, 'api/base/OWNERS.md'), 'utf8')).toBe('team-a\n');
  });

  it('renders what changed since a stale manifest (a run killed before it recorded its own)', () => {
    const stale = fs.readFileSync(path.join(outdir, CACHE_DIR, 'manifest.json'), 'utf8');
    synth(outdir, team({ replicas: 5 }));
    fs.writeFileSync(path.join(outdir, CACHE_DIR, 'manifest.json'), stale);
    const { summary, app } = synth(outdir, team());
    expect(prepared(app)).toStrictEqual(['web']);
    expect(summary.written).toStrictEqual(['web/base/release.yaml']);
    expect(readTree(outdir)).toStrictEqual(fullTree(team()));
  });

  it('renders everything with a manifest that is not JSON, and with the cache off', () => {
    fs.writeFileSync(path.join(outdir, CACHE_DIR, 'manifest.json'), '{ broken');
    expect(prepared(synth(outdir, team()).app)).toHaveLength(4);
    expect(prepared(synth(outdir, team(), false).app)).toHaveLength(4);
    const saved = process.env.DIT_GITOPS_CACHE;
    process.env.DIT_GITOPS_CACHE = 'off';
    try {
      expect(prepared(synth(outdir, team()).app)).toHaveLength(4);
    } finally {
      if (saved === undefined) delete process.env.DIT_GITOPS_CACHE;
      else process.env.DIT_GITOPS_CACHE = saved;
    }
  });

  it('still reports bad definitions in a kept component\'s peers', () => {
    const app = new GitOpsApp({ outdir });
    team()(app);
    new DitApi(app, 'bad', { image: { tag: 'v1.0.0' }, replicas: -1 });
    expect(() => app.synth()).toThrow(/bad.*replicas/s);
  });
});

describe('libraryIdentity', () => {
  it('changes when a file of the library changes, and not otherwise', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'index.js'), 'one');
    const first = treeManifest.libraryIdentity([dir]);
    expect(treeManifest.libraryIdentity([dir])).toBe(first);
    fs.writeFileSync(path.join(dir, 'index.js'), 'two!');
    expect(treeManifest.libraryIdentity([dir])).not.toBe(first);
  });
});
