import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, JsonPatch, Lazy } from 'cdk8s';
import {
  ChartSource, DitApi, DitEnvironment, DitGateway, DitHelmChart, DitManifests, DitWorker, FluxCluster, GitOpsApp, ImageRegistry, ImageSelection, Peer, Port,
} from '../../src';
import { CACHE_DIR, contentHash, readTreeManifest } from '../../src/tree/tree-manifest';
import { readTree, tempDir } from '../support';

// The sources hold their own copy of the fs module's functions (the ES interop copies them at
// import), so jest.spyOn(fs, ...) in a test sees none of their calls. Functions that are jest
// mocks from the start are what they copy: these pass through, and record.
jest.mock('fs', () => {
  const actual = jest.requireActual('fs');
  return { ...actual, readFileSync: jest.fn(actual.readFileSync), statSync: jest.fn(actual.statSync) };
});
const mockedFs = fs as unknown as { readFileSync: jest.Mock; statSync: jest.Mock };

// Probes of the no-op fast path (docs/tree.md): a second synthesis into the same folder, cache
// on, after a change in the definitions, must write the tree a full synthesis (cache off, empty
// folder) of the new definitions writes. Each case also states which components were prepared.

type Define = (app: GitOpsApp) => void;

function synth(outdir: string, define: Define, cache?: boolean): GitOpsApp {
  const app = new GitOpsApp({ outdir, cache });
  define(app);
  app.synth();
  return app;
}

function fullTree(define: Define): Record<string, string> {
  const outdir = path.join(tempDir(), 'dist');
  synth(outdir, define, false);
  return readTree(outdir);
}

// The components planning prepared this run (the others were kept).
function prepared(app: GitOpsApp): string[] {
  return app.components.filter((c) => c.node.children.some((child) => child.node.id === 'Base')).map((c) => c.node.id).sort();
}

/**
 * Synthesizes `before`, then `after` into the same folder (cache on); `full` is what a full
 * synthesis (cache off) of `after` writes into a copy of the folder the first run left.
 */
function rerun(before: Define, after: Define): { tree: Record<string, string>; full: Record<string, string>; prepared: string[]; outdir: string } {
  const outdir = path.join(tempDir(), 'dist');
  synth(outdir, before);
  // The reference: the same folder (CI-owned files as the first run left them), cache off.
  const reference = path.join(tempDir(), 'dist');
  fs.cpSync(outdir, reference, { recursive: true });
  fs.rmSync(path.join(reference, CACHE_DIR), { recursive: true, force: true });
  synth(reference, after, false);
  const app = synth(outdir, after);
  return { tree: readTree(outdir), full: readTree(reference), prepared: prepared(app), outdir };
}

function envs(app: GitOpsApp, registry?: ImageRegistry): { dev: DitEnvironment; prod: DitEnvironment } {
  return {
    dev: new DitEnvironment(app, 'dev', { namespace: 'team', domain: 'dev.example.com', registry }),
    prod: new DitEnvironment(app, 'prod', { namespace: 'team', domain: 'example.com', pinImageDigests: false }),
  };
}

describe('fast-path probes: definitions the fingerprint must see', () => {
  // api's own rule to queue holds queue's ports (allowTo without ports takes the listener's),
  // so a port of queue reaches web's view of api too: conservative. Labels do not.
  it('two hops (web -> api -> queue): a change of queue re-renders api and queue, and web stays right', () => {
    const define = (queuePort: number, queueLabel: string): Define => (app) => {
      envs(app);
      const web = new DitApi(app, 'web', { image: { tag: 'v1.0.0' } });
      const api = new DitApi(app, 'api', { image: { tag: 'v1.0.0' } });
      const queue = new DitApi(app, 'queue', { image: { tag: 'v1.0.0' }, ports: [Port.tcp(queuePort)], podLabels: { role: queueLabel } });
      web.connections.allowFrom(Peer.traefik(), Port.tcp(8080));
      web.connections.allowTo(api);
      api.connections.allowTo(queue);
    };
    const r = rerun(define(5672, 'queue'), define(5672, 'broker'));
    expect(r.prepared).toStrictEqual(['api', 'queue']);
    expect(r.tree).toStrictEqual(r.full);
    const s = rerun(define(5672, 'queue'), define(5673, 'queue'));
    expect(s.prepared).toStrictEqual(['api', 'queue', 'web']);
    expect(s.tree).toStrictEqual(s.full);
  });

  it('a gateway re-renders when its backend\'s release name or ports change', () => {
    const define = (releaseName: string, port: number): Define => (app) => {
      envs(app);
      const api = new DitApi(app, 'api', { image: { tag: 'v1.0.0' }, releaseName, ports: [Port.tcp(port)] });
      new DitApi(app, 'other', { image: { tag: 'v1.0.0' } }).connections.denyAllIngress();
      new DitGateway(app, 'gateway', { image: { tag: 'v1.0.0' } }).addRoute({ backend: api, pathPrefix: '/api' }).connections.allowFrom(Peer.traefik());
    };
    const r = rerun(define('api', 8080), define('api-v2', 9090));
    expect(r.prepared).toStrictEqual(['api', 'gateway']);
    expect(r.tree).toStrictEqual(r.full);
    const s = rerun(define('api', 8080), define('api', 9090));
    expect(s.prepared).toStrictEqual(['api', 'gateway']);
    expect(s.tree).toStrictEqual(s.full);
  });

  it('a backend\'s ingress change re-renders the backend (and the gateway that names it)', () => {
    const define = (subdomain: string): Define => (app) => {
      envs(app);
      const api = new DitApi(app, 'api', { image: { tag: 'v1.0.0' }, ingress: { subdomain } });
      api.connections.allowFrom(Peer.traefik());
      new DitGateway(app, 'gateway', { image: { tag: 'v1.0.0' } }).addRoute({ backend: api }).connections.allowFrom(Peer.traefik());
    };
    const r = rerun(define('one'), define('two'));
    expect(r.prepared).toStrictEqual(['api', 'gateway']);
    expect(r.tree).toStrictEqual(r.full);
  });

  it('imageFrom: a follower follows its leader\'s new image repository and registry; the leader lists a new follower', () => {
    const define = (repository: string, registry: ImageRegistry | undefined, followers: number): Define => (app) => {
      envs(app);
      const api = new DitApi(app, 'api', { image: { tag: 'v1.0.0', repository, registry } });
      api.connections.denyAllIngress();
      for (let i = 0; i < followers; i++) new DitWorker(app, `worker${i}`, { imageFrom: api });
      new DitWorker(app, 'bystander', { image: { tag: 'v1.0.0' } });
    };
    const r = rerun(define('org/api', undefined, 1), define('org/api2', ImageRegistry.of('registry.example.com'), 1));
    expect(r.prepared).toStrictEqual(['api', 'worker0']);
    expect(r.tree).toStrictEqual(r.full);
    const s = rerun(define('org/api', undefined, 1), define('org/api', undefined, 2));
    // The leader's list of followers is its own field: every follower sees it (conservative).
    expect(s.prepared).toStrictEqual(['api', 'worker0', 'worker1']);
    expect(s.tree).toStrictEqual(s.full);
  });

  it('imageFrom: a follower follows a leader\'s per-environment override of its image', () => {
    const define = (prodRepo: string): Define => (app) => {
      envs(app);
      const api = new DitApi(app, 'api', { image: { tag: 'v1.0.0' }, overrides: { prod: { image: { repository: prodRepo } } } });
      api.connections.denyAllIngress();
      new DitWorker(app, 'worker', { imageFrom: api });
    };
    const r = rerun(define('org/api'), define('org/api-prod'));
    expect(r.prepared).toStrictEqual(['api', 'worker']);
    expect(r.tree).toStrictEqual(r.full);
  });

  it('DitHelmChart: values, nested values, overrides and services', () => {
    const define = (values: Record<string, unknown>, services: string[], prodValues: Record<string, unknown>): Define => (app) => {
      envs(app);
      new DitHelmChart(app, 'redis', { source: ChartSource.helmRepository('https://charts.example.com'), values, services, overrides: { prod: { values: prodValues } } })
        .connections.denyAllIngress();
      new DitWorker(app, 'bystander', { image: { tag: 'v1.0.0' } });
    };
    const base = define({ a: { b: [1, 2] } }, ['redis'], { a: { b: [3] } });
    for (const after of [define({ a: { b: [1, 2, 3] } }, ['redis'], { a: { b: [3] } }), define({ a: { b: [1, 2] } }, ['redis', 'redis-ro'], { a: { b: [3] } }),
      define({ a: { b: [1, 2] } }, ['redis'], { a: { b: [4] } }), define({ a: { b: [1, 2] }, c: undefined }, ['redis'], { a: { b: [3] } })]) {
      const r = rerun(base, after);
      expect(r.prepared).toStrictEqual(['redis']);
      expect(r.tree).toStrictEqual(r.full);
    }
  });

  it('DitManifests: an ApiObject added under the chart, a JSON patch, a label added after construction', () => {
    const define = (step: number): Define => (app) => {
      envs(app);
      const m = new DitManifests(app, 'tools');
      const cm = new ApiObject(m.chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'tools' }, data: { a: '1' } } as never);
      if (step >= 1) new ApiObject(m.chart, 'cm2', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'tools2' }, data: { b: '2' } } as never);
      if (step >= 2) cm.addJsonPatch(JsonPatch.add('/data/c', '3'));
      if (step >= 3) cm.metadata.addLabel('tier', 'x');
      new DitWorker(app, 'bystander', { image: { tag: 'v1.0.0' } });
    };
    for (const step of [1, 2, 3]) {
      const r = rerun(define(step - 1), define(step));
      expect(r.prepared).toStrictEqual(['tools']);
      expect(r.tree).toStrictEqual(r.full);
    }
  });

  it('DitManifests as a peer: the pod labels of its Deployment (a cdk8s ApiObject) reach the caller\'s policy', () => {
    const define = (label: string): Define => (app) => {
      envs(app);
      const m = new DitManifests(app, 'tools');
      new ApiObject(m.chart, 'deploy', {
        apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'tools' },
        spec: { selector: { matchLabels: { app: label } }, template: { metadata: { labels: { app: label } }, spec: { securityContext: { runAsNonRoot: true }, containers: [{ name: 'c', image: 'nginx@sha256:' + 'a'.repeat(64) }] } } },
      } as never);
      const api = new DitApi(app, 'api', { image: { tag: 'v1.0.0' } });
      api.connections.denyAllIngress();
      api.connections.allowTo(m, Port.tcp(8080));
      new DitWorker(app, 'bystander', { image: { tag: 'v1.0.0' } });
    };
    const r = rerun(define('one'), define('two'));
    expect(r.prepared).toStrictEqual(['api', 'tools']);
    expect(r.tree).toStrictEqual(r.full);
  });

  it('DitManifests: per-environment addOverride', () => {
    const define = (value: string): Define => (app) => {
      const { prod } = envs(app);
      const m = new DitManifests(app, 'tools', { manifests: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'tools' }, data: { a: '1' } }] });
      m.addOverride(prod, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'tools' }, data: { a: value } });
      new DitWorker(app, 'bystander', { image: { tag: 'v1.0.0' } });
    };
    const r = rerun(define('2'), define('3'));
    expect(r.prepared).toStrictEqual(['tools']);
    expect(r.tree).toStrictEqual(r.full);
  });

  it('environment props (domain, registry, external), the app registry (useRegistry) and the FluxCluster re-render everything', () => {
    const define = (domain: string, registry: ImageRegistry | undefined, team: ImageRegistry | undefined, secrets: string[], clusterName: string): Define => (app) => {
      if (team) app.useRegistry(team);
      const dev = new DitEnvironment(app, 'dev', { namespace: 'team', domain, registry, external: { secrets } });
      new DitEnvironment(app, 'prod', { namespace: 'team', domain: 'example.com', pinImageDigests: false });
      new FluxCluster(app, 'cluster', { name: clusterName, git: { url: 'ssh://git@github.com/team/gitops', secretRef: 'deploy-key' } });
      new DitApi(app, 'api', { image: { tag: 'v1.0.0' }, ingress: {}, environments: [dev] }).connections.allowFrom(Peer.traefik());
      new DitWorker(app, 'worker', { image: { tag: 'v1.0.0' } });
    };
    const base = define('dev.example.com', undefined, undefined, [], 'team');
    for (const after of [define('dev2.example.com', undefined, undefined, [], 'team'), define('dev.example.com', ImageRegistry.of('r.example.com'), undefined, [], 'team'),
      define('dev.example.com', undefined, ImageRegistry.of('team.example.com'), [], 'team'), define('dev.example.com', undefined, undefined, ['db-auth'], 'team'),
      define('dev.example.com', undefined, undefined, [], 'team2')]) {
      const r = rerun(base, after);
      expect(r.prepared).toStrictEqual(['api', 'worker']);
      expect(r.tree).toStrictEqual(r.full);
    }
  });

  it('connections with environments options', () => {
    const define = (only: 'dev' | 'prod'): Define => (app) => {
      const e = envs(app);
      const api = new DitApi(app, 'api', { image: { tag: 'v1.0.0' } });
      const db = new DitApi(app, 'db', { image: { tag: 'v1.0.0' } });
      api.connections.allowFrom(Peer.traefik());
      api.connections.allowTo(db, Port.tcp(8080), { environments: [e[only]] });
      db.connections.allowFrom(Peer.traefik());
      new DitWorker(app, 'bystander', { image: { tag: 'v1.0.0' } });
    };
    const r = rerun(define('dev'), define('prod'));
    expect(r.prepared).toStrictEqual(['api', 'db']);
    expect(r.tree).toStrictEqual(r.full);
  });

  it('enableImageAutomation, addHookJob, notSecrets, addOverride', () => {
    const define = (step: number): Define => (app) => {
      const { dev, prod } = envs(app);
      const api = new DitApi(app, 'api', { image: { tag: 'v1.0.0' }, configs: { A: 'x', B: 'y' }, notSecrets: step >= 3 ? ['A', 'B'] : ['A'] });
      api.connections.denyAllIngress();
      if (step >= 1) api.enableImageAutomation(step >= 4 ? prod : dev, { selection: ImageSelection.semver('^1.0.0') });
      if (step >= 2) api.addHookJob('migrate', { command: ['migrate', step >= 5 ? '--all' : '--one'] });
      if (step >= 6) api.addOverride(prod, { replicas: 3 });
      new DitWorker(app, 'bystander', { image: { tag: 'v1.0.0' } });
    };
    for (const step of [1, 2, 3, 4, 5, 6]) {
      const r = rerun(define(step - 1), define(step));
      expect(r.prepared).toStrictEqual(['api']);
      expect(r.tree).toStrictEqual(r.full);
    }
  });

  it('a component renamed (props.name), moved under another scope, and two components swapping names', () => {
    const define = (aName: string, bName: string, nested: boolean): Define => (app) => {
      envs(app);
      const scope = nested ? new (require('constructs').Construct)(app, 'group') : app;
      const a = new DitApi(scope, 'a', { name: aName, image: { tag: 'v1.0.0' } });
      const b = new DitApi(app, 'b', { name: bName, image: { tag: 'v2.0.0' } });
      a.connections.allowFrom(Peer.traefik());
      a.connections.allowTo(b);
      new DitWorker(app, 'bystander', { image: { tag: 'v1.0.0' } });
    };
    const renamed = rerun(define('web', 'api', false), define('www', 'api', false));
    expect(renamed.prepared).toStrictEqual(['a', 'b']);
    expect(renamed.tree).toStrictEqual(renamed.full);
    const swapped = rerun(define('web', 'api', false), define('api', 'web', false));
    expect(swapped.prepared).toStrictEqual(['a', 'b']);
    expect(swapped.tree).toStrictEqual(swapped.full);
    const moved = rerun(define('web', 'api', false), define('web', 'api', true));
    expect(moved.prepared).toStrictEqual(['a', 'b']);
    expect(moved.tree).toStrictEqual(moved.full);
  });

  it('values holding a Date, a Map, undefined against a missing key', () => {
    const define = (values: Record<string, unknown>): Define => (app) => {
      envs(app);
      new DitHelmChart(app, 'redis', { source: ChartSource.helmRepository('https://charts.example.com'), values }).connections.denyAllIngress();
      new DitWorker(app, 'bystander', { image: { tag: 'v1.0.0' } });
    };
    const pairs: Array<[Record<string, unknown>, Record<string, unknown>]> = [
      [{ at: new Date('2026-01-01T00:00:00Z') }, { at: new Date('2026-01-02T00:00:00Z') }],
      [{ a: 1 }, { a: 1, b: undefined }],
      [{ a: 1, b: undefined }, { a: 1 }],
      [{ m: new Map([['k', { v: 1 }]]) }, { m: new Map([['k', { v: 2 }]]) }],
    ];
    for (const [before, after] of pairs) {
      const r = rerun(define(before), define(after));
      expect(r.tree).toStrictEqual(r.full);
    }
  });
});

describe('fast-path probes: inputs the fingerprint sees only through toJSON and methods, or not at all', () => {
  // Documented (docs/tree.md): a function is hashed by its source text, not what it closes over.
  it('a closure-only change (a cdk8s Lazy) keeps the stale file: the documented limitation', () => {
    const define = (value: string): Define => (app) => {
      envs(app);
      const m = new DitManifests(app, 'tools');
      new ApiObject(m.chart, 'cm', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'tools' }, data: { a: Lazy.any({ produce: () => value }) } } as never);
    };
    const r = rerun(define('one'), define('two'));
    expect(r.prepared).toStrictEqual([]);
    expect(r.tree['tools/base/manifests.yaml']).toContain('a: one');
    expect(r.full['tools/base/manifests.yaml']).toContain('a: two');
  });

  // A value object whose state is not in its own enumerable fields (a URL keeps it in internal
  // slots; `#private` fields and closures likewise) would serialize as `URL{}` whatever it held;
  // the values renderer writes it through toJSON(), and so does the fingerprint.
  it('a value that is a class instance with no enumerable state (a URL) changes: hashed through its toJSON', () => {
    const define = (url: string): Define => (app) => {
      envs(app);
      new DitHelmChart(app, 'redis', { source: ChartSource.helmRepository('https://charts.example.com'), values: { endpoint: new URL(url) } }).connections.denyAllIngress();
    };
    const r = rerun(define('https://one.example.com/'), define('https://two.example.com/'));
    expect(r.tree).toStrictEqual(r.full);
  });

  // The same with a class of the definitions: state in a `#private` field, written out by toJSON().
  it('a value that is a class instance holding its state in a #private field changes: hashed through its toJSON', () => {
    class Endpoint {
      readonly #host: string;
      constructor(host: string) { this.#host = host; }
      toJSON(): string { return `https://${this.#host}`; }
    }
    const define = (host: string): Define => (app) => {
      envs(app);
      new DitHelmChart(app, 'redis', { source: ChartSource.helmRepository('https://charts.example.com'), values: { endpoint: new Endpoint(host) } }).connections.denyAllIngress();
    };
    const r = rerun(define('one.example.com'), define('two.example.com'));
    expect(r.tree).toStrictEqual(r.full);
  });

  // A method lives on the prototype: the fingerprint hashes each class's methods, so two
  // classes of one name and fields with another toJSON() (an edit of a helper class in the
  // definitions) differ.
  it('a value whose class\'s method (toJSON) changed, its fields the same: hashed with its class\'s methods', () => {
    const One = class Replicas { constructor(readonly n: number) {} toJSON(): number { return this.n; } };
    const Two = class Replicas { constructor(readonly n: number) {} toJSON(): number { return this.n * 2; } };
    const define = (make: (n: number) => object): Define => (app) => {
      envs(app);
      new DitHelmChart(app, 'redis', { source: ChartSource.helmRepository('https://charts.example.com'), values: { replicas: make(2) } }).connections.denyAllIngress();
    };
    const r = rerun(define((n) => new One(n)), define((n) => new Two(n)));
    expect(r.tree).toStrictEqual(r.full);
  });
});

describe('fast-path probes: the file stamps', () => {
  const define: Define = (app) => {
    envs(app);
    new DitApi(app, 'api', { image: { tag: 'v1.0.0' } }).connections.denyAllIngress();
    new DitWorker(app, 'worker', { image: { tag: 'v1.0.0' } });
  };

  it('a file edited and restored to identical bytes re-renders its component (ctime moved), tree unchanged', () => {
    const outdir = path.join(tempDir(), 'dist');
    synth(outdir, define);
    const file = path.join(outdir, 'api/base/release.yaml');
    const bytes = fs.readFileSync(file);
    fs.writeFileSync(file, 'x');
    fs.writeFileSync(file, bytes);
    expect(prepared(synth(outdir, define))).toStrictEqual(['api']);
    expect(readTree(outdir)).toStrictEqual(fullTree(define));
  });

  it('a file replaced by a symlink (to its own moved inode): refused as with the cache off', () => {
    const outdir = path.join(tempDir(), 'dist');
    synth(outdir, define);
    const file = path.join(outdir, 'api/base/release.yaml');
    const aside = path.join(tempDir(), 'release.yaml');
    fs.renameSync(file, aside);
    fs.symlinkSync(aside, file);
    expect(() => synth(outdir, define)).toThrow(/symbolic link/);
  });

  it('a directory replaced by a symlink to it (files keep inode and times): refused as with the cache off', () => {
    const outdir = path.join(tempDir(), 'dist');
    synth(outdir, define);
    const aside = path.join(tempDir(), 'base');
    fs.renameSync(path.join(outdir, 'api/base'), aside);
    fs.symlinkSync(aside, path.join(outdir, 'api/base'));
    expect(() => synth(outdir, define)).toThrow(/symbolic link/);
  });

  it('a directory replaced by a copy (same bytes, new inodes) re-renders its component', () => {
    const outdir = path.join(tempDir(), 'dist');
    synth(outdir, define);
    const dir = path.join(outdir, 'api/base');
    fs.cpSync(dir, `${dir}.copy`, { recursive: true, preserveTimestamps: true });
    fs.rmSync(dir, { recursive: true });
    fs.renameSync(`${dir}.copy`, dir);
    expect(prepared(synth(outdir, define))).toStrictEqual(['api']);
    expect(readTree(outdir)).toStrictEqual(fullTree(define));
  });

  it('two components\' directories swapped re-render both', () => {
    const outdir = path.join(tempDir(), 'dist');
    synth(outdir, define);
    fs.renameSync(path.join(outdir, 'api/base'), path.join(outdir, 'tmp'));
    fs.renameSync(path.join(outdir, 'worker/base'), path.join(outdir, 'api/base'));
    fs.renameSync(path.join(outdir, 'tmp'), path.join(outdir, 'worker/base'));
    expect(prepared(synth(outdir, define))).toStrictEqual(['api', 'worker']);
    expect(readTree(outdir)).toStrictEqual(fullTree(define));
  });

  // A run killed after its journal's commit point and before its files moved leaves a journal
  // that the next run completes, inside writeTree, after the app chose what to keep: the
  // writer checks the kept files again and the app plans again, keeping nothing.
  it('a component kept while a committed journal (a killed run) rewrites its files: checked again under the lock, planned again', () => {
    const at = (replicas: number): Define => (app) => {
      envs(app);
      new DitApi(app, 'api', { image: { tag: 'v1.0.0' }, replicas }).connections.denyAllIngress();
      new DitWorker(app, 'worker', { image: { tag: 'v1.0.0' } });
    };
    const outdir = path.join(tempDir(), 'dist');
    synth(outdir, at(2));
    // What the killed run (replicas: 5) left: its staged file and its committed plan.
    const staged = fullTree(at(5))['api/base/release.yaml'];
    const journal = path.join(outdir, '.dit-gitops-journal');
    fs.mkdirSync(path.join(journal, 'new/api/base'), { recursive: true });
    fs.writeFileSync(path.join(journal, 'new/api/base/release.yaml'), staged);
    fs.writeFileSync(path.join(journal, 'plan.json'), JSON.stringify({ writes: [{ path: 'api/base/release.yaml', existed: true }], prunes: [] }));
    const reference = path.join(tempDir(), 'dist');
    fs.cpSync(outdir, reference, { recursive: true });
    fs.rmSync(path.join(reference, CACHE_DIR), { recursive: true, force: true });
    synth(reference, at(2), false);
    // The user reran the definitions of the last good run.
    synth(outdir, at(2));
    expect(readTree(outdir)['api/base/release.yaml']).toBe(readTree(reference)['api/base/release.yaml']);
  });

  // The completed journal moved a new inode into place: the writer sees the kept file's stamp
  // no longer matches, and the app plans again keeping nothing.
  it('a committed journal\'s damage to a kept component is repaired by the same run', () => {
    const at = (replicas: number): Define => (app) => {
      envs(app);
      new DitApi(app, 'api', { image: { tag: 'v1.0.0' }, replicas }).connections.denyAllIngress();
    };
    const outdir = path.join(tempDir(), 'dist');
    synth(outdir, at(2));
    const journal = path.join(outdir, '.dit-gitops-journal');
    fs.mkdirSync(path.join(journal, 'new/api/base'), { recursive: true });
    fs.writeFileSync(path.join(journal, 'new/api/base/release.yaml'), fullTree(at(5))['api/base/release.yaml']);
    fs.writeFileSync(path.join(journal, 'plan.json'), JSON.stringify({ writes: [{ path: 'api/base/release.yaml', existed: true }], prunes: [] }));
    expect(prepared(synth(outdir, at(2)))).toStrictEqual(['api']);
    expect(readTree(outdir)).toStrictEqual(fullTree(at(2)));
    expect(prepared(synth(outdir, at(2)))).toStrictEqual([]);
  });

  // The manifest is trusted: a stamp whose hash claims the bytes of the next render makes the
  // writer skip a write it needed. Only a hand edit of the git-ignored cache does this.
  it('a manifest edited to claim the hash of the next render: the write is skipped (the manifest is trusted)', () => {
    const outdir = path.join(tempDir(), 'dist');
    const at = (replicas: number): Define => (app) => {
      envs(app);
      new DitApi(app, 'api', { image: { tag: 'v1.0.0' }, replicas }).connections.denyAllIngress();
    };
    synth(outdir, at(2));
    const next = fullTree(at(3))['api/base/release.yaml'];
    const file = path.join(outdir, CACHE_DIR, 'manifest.json');
    const manifest = JSON.parse(fs.readFileSync(file, 'utf8'));
    manifest.files['api/base/release.yaml'].hash = contentHash(next);
    fs.writeFileSync(file, JSON.stringify(manifest));
    expect(readTreeManifest(outdir)).toBeDefined();
    synth(outdir, at(3));
    expect(readTree(outdir)['api/base/release.yaml']).not.toBe(next);
  });
});

describe('fast-path probes: reads and stamps, seen through fs mocks the sources copy', () => {
  const define: Define = (app) => {
    envs(app);
    new DitApi(app, 'api', { image: { tag: 'v1.0.0' } }).connections.denyAllIngress();
    new DitWorker(app, 'worker', { image: { tag: 'v1.0.0' } });
  };

  it('a rerun of the same definitions reads no file of the tree; a CI edit makes it read that component\'s', () => {
    const outdir = path.join(tempDir(), 'dist');
    synth(outdir, define);
    const readsDuring = (run: () => void): string[] => {
      mockedFs.readFileSync.mockClear();
      run();
      return mockedFs.readFileSync.mock.calls.map(([file]) => String(file)).filter((f) => f.startsWith(outdir) && !f.includes(CACHE_DIR)).sort();
    };
    expect(readsDuring(() => synth(outdir, define))).toStrictEqual([]);
    fs.appendFileSync(path.join(outdir, 'api/dev/image.yaml'), '\n');
    expect(readsDuring(() => synth(outdir, define))).toContain(path.join(outdir, 'api/dev/image.yaml'));
  });

  // A file is stamped after the whole commit: an edit that lands between the write and the
  // stamp (another process; the lock guards synthesis only) changes its size, the stamp is
  // refused, and the next run reads the file. (A same-size edit in that window is not seen:
  // check, which never uses the cache, still is.) The mock stands for that process.
  it('an edit between a file\'s write and its stamp (a race) changing its size leaves it unstamped, so the next run reads it', () => {
    const at = (replicas: number): Define => (app) => {
      envs(app);
      new DitApi(app, 'api', { image: { tag: 'v1.0.0' }, replicas }).connections.denyAllIngress();
    };
    const outdir = path.join(tempDir(), 'dist');
    const target = path.join(outdir, 'api/base/release.yaml');
    const realStat = jest.requireActual('fs').statSync;
    let edited = false;
    // On a first synthesis, the first stat of the file is its stamp's (nothing is stamped before).
    mockedFs.statSync.mockImplementation((file: fs.PathLike, options?: fs.StatSyncOptions) => {
      if (!edited && String(file) === target) {
        edited = true;
        fs.appendFileSync(target, '# edited while synth ran\n');
      }
      return realStat(file, options);
    });
    try {
      synth(outdir, at(2));
    } finally {
      mockedFs.statSync.mockImplementation(realStat);
    }
    expect(edited).toBe(true);
    synth(outdir, at(2));
    expect(readTree(outdir)).toStrictEqual(fullTree(at(2)));
  });
});
