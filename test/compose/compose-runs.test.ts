import { ComposeProject, GitOpsApp, emitTypeScript, loadCompose, readSources } from '../../src';
import { OPTIONS, TCP, fixtureFile, fixturePlan, inlinePlan } from './fixture-plan';
import { splitShellWords } from '../../src/compose/shell-words';
import { typeCheckEmitted } from '../../src/cli/import';
import { synthTree } from '../../src/testing';
import { parse } from 'yaml';

// Issue 20: a converted compose app runs. The fixture is a Django app with a one-shot
// migration, a Celery worker on the same image, Postgres, Redis, a third-party search engine
// with no healthcheck and a dashboard on latest.
const { plan: p, lines, component } = fixturePlan('runs');

describe('workloads keep what they run', () => {
  test('a string command is split into shell words as compose splits it, and becomes args', () => {
    expect(component('web').golden!.args).toStrictEqual(['gunicorn', 'acme.wsgi', '--bind', '0.0.0.0:8000']);
    expect(lines('web')).toContain('command "gunicorn acme.wsgi --bind \\"0.0.0.0:8000\\"" → args ["gunicorn","acme.wsgi","--bind","0.0.0.0:8000"] (split into shell words as compose splits it: quotes respected, no shell)');
    expect(splitShellWords(`sh -c 'echo "a b" && run' x\\ y`)).toStrictEqual({ words: ['sh', '-c', 'echo "a b" && run', 'x y'] });
    expect(splitShellWords('echo "open')).toStrictEqual({ words: ['echo', 'open'], problem: 'has an unclosed " quote' });
  });

  test('entrypoint becomes command (it replaces ENTRYPOINT), command becomes args (it replaces CMD)', () => {
    const q = inlinePlan('services:\n  api:\n    image: ghcr.io/o/api:sha-1234567\n    ports: ["80"]\n    entrypoint: ["/bin/tini", "--"]\n    command: ["serve", "--port", "80"]\n');
    expect(q.components[0].golden).toMatchObject({ command: ['/bin/tini', '--'], args: ['serve', '--port', '80'] });
    expect(q.report.map((l) => l.message)).toContain('entrypoint → command ["/bin/tini","--"] (compose entrypoint replaces the image\'s ENTRYPOINT, as Kubernetes command does)');
  });

  test('a Celery worker: no port and no healthcheck make a DitWorker, renamed from celery_worker, on web\'s image', () => {
    expect(component('celery-worker')).toMatchObject({ kind: 'worker', ports: [], imageFrom: 'web', golden: { args: ['celery', '-A', 'acme', 'worker', '--loglevel=info'], probes: { enabled: false } } });
    expect(component('celery-worker').golden!.image).toBeUndefined();
    expect(lines('celery-worker').slice(0, 2)).toStrictEqual([
      "renamed from celery_worker: a Kubernetes name is a DNS-1123 label ('-', not '_' or '.'); values that name celery_worker are rewritten to celery-worker",
      'worker (no port, no healthcheck and nothing dials it: a worker (DitWorker))',
    ]);
    expect(lines('celery-worker')).toContain("runs web's image (imageFrom web: the same image ghcr.io/acme/web:sha-1a2b3c4); one set-image of web moves both");
  });

  test('a one-shot migration (service_completed_successfully) is a hook Job of the service that waits for it', () => {
    expect(p.components.map((c) => c.name)).not.toContain('migrate');
    expect(component('web').hookJobs).toStrictEqual([{ name: 'migrate', command: ['python', 'manage.py', 'migrate'] }]);
    expect(component('web').dependsOn).toStrictEqual(['db']);
    expect(lines('migrate')).toContain('one-shot (web waits for it to complete (service_completed_successfully)) → hook Job migrate of web: ["python","manage.py","migrate"] with web\'s image, config and secrets, after the first install and before every upgrade (a failed run fails the release; on the first install web\'s pods start beside it)');
  });

  test('restart: "no" with another image cannot be a hook Job: left out, and the report says why', () => {
    const q = inlinePlan('services:\n  api: { image: "ghcr.io/o/api:sha-1234567", ports: ["80"], depends_on: [seed] }\n  seed: { image: "ghcr.io/o/seed:sha-1234567", command: ["seed"], restart: "no" }\n');
    expect(q.components.map((c) => c.name)).toStrictEqual(['api']);
    expect(q.report.filter((l) => l.service === 'seed').map((l) => l.message)).toStrictEqual([
      'one-shot (restart: "no", no port and no healthcheck: compose runs it once): left out: api runs ghcr.io/o/api:sha-1234567, not ghcr.io/o/seed:sha-1234567, and a hook Job runs its release\'s image (a hook Job of another image needs an image option on addHookJob, which the engine lacks)',
    ]);
  });
});

describe('connections from what the app dials', () => {
  test('env hosts: each edge on the port the value dials, one report line each', () => {
    expect(component('web').connectsTo).toStrictEqual([
      { target: 'cache', ports: [TCP(6379)] }, { target: 'db', ports: [TCP(5432)] }, { target: 'search', ports: [TCP(9200)] },
    ]);
    expect(lines('web').filter((l) => l.startsWith('env ') && l.includes('allowTo'))).toStrictEqual([
      'env CELERY_BROKER_URL dials cache:6379 → allowTo cache :6379',
      'env DATABASE_HOST dials db:5432 → allowTo db :5432',
      'env SEARCH_URL dials search:9200 → allowTo search :9200',
      'env DATABASE_HOST names db with no port → allowTo db :5432 (the port it listens on) (for hook Job migrate)',
    ]);
  });

  test('a service with no ports takes the port others dial it on; an unknown port is reported, never 80', () => {
    expect(component('search').ports).toStrictEqual([TCP(9200)]);
    expect(lines('search')[1]).toBe('port 9200 (no ports given; web dials it there)');
    const q = inlinePlan('services:\n  api: { image: "ghcr.io/o/api:sha-1234567", ports: ["80"], environment: { BACKEND_HOST: backend } }\n  backend: { image: "ghcr.io/o/backend:sha-1234567" }\n');
    expect(q.components.find((c) => c.name === 'backend')!.ports).toStrictEqual([]);
    expect(q.report.map((l) => `${l.service}: ${l.message}`)).toEqual(expect.arrayContaining([
      'backend: no port: compose gives none, api names it without one, and image backend has no known default; set x-dit.port (verify reports the calls until then)',
      'api: env BACKEND_HOST names backend: backend listens on no port (a worker): no connection; verify reports the call until x-dit.port names the port',
    ]));
  });

  test('shared user networks are edges too; the ingress network is not', () => {
    const q = inlinePlan('services:\n  app: { image: "ghcr.io/o/app:sha-1234567", expose: ["80"], networks: [back] }\n  cache: { image: "memcached:1.6.29", networks: [back] }\n');
    expect(q.components.find((c) => c.name === 'app')!.connectsTo).toStrictEqual([{ target: 'cache', ports: [TCP(11211)] }]);
    expect(q.report.map((l) => l.message)).toContain('shares network back with cache → allowTo cache :11211 (compose lets it call cache there; drop the connection if it does not)');
  });
});

describe('hosts resolve', () => {
  test('a Bitnami host: fullnameOverride is the compose name; redis\'s -master Service is what the values dial', () => {
    expect(component('db').chart!.values).toStrictEqual({ fullnameOverride: 'db', auth: { database: 'acme' }, primary: { persistence: { size: '10Gi' } } });
    expect(component('cache').chart!.values).toStrictEqual({ fullnameOverride: 'cache', architecture: 'standalone', master: { persistence: { size: '10Gi' } } });
    expect(component('web').golden!.configs!.CELERY_BROKER_URL).toBe('redis://cache-master:6379/0');
    expect(lines('web')).toContain('env CELERY_BROKER_URL: host cache → cache-master (the redis chart names its Service cache-master)');
  });

  test('no Secret is read that does not exist; a password-less redis stays password-less outside production only', () => {
    expect(JSON.stringify(p.components.map((c) => c.chart?.values ?? {}))).not.toMatch(/existingSecret/);
    expect(component('cache').chart!.overrides).toStrictEqual({ staging: { values: { auth: { enabled: false } } }, production: { suspend: true } });
    expect(lines('cache')).toContain('compose runs redis without a password: kept in staging (auth.enabled: false), never in production');
  });
});

describe('probes only where the app has them', () => {
  test('a third-party image with no healthcheck gets a TCP probe of its port, and the report says why', () => {
    expect(component('search').golden!.probes).toStrictEqual({ tcp: true });
    expect(lines('search')).toContain('no healthcheck: TCP probes of port 9200 (image elasticsearch:8.13.0 is not DIT\'s and need not serve GET /health, so readiness and liveness only check that the port accepts a connection; set x-dit.probe: /path if it serves one, or none for no probe)');
    const udp = inlinePlan('services:\n  dns:\n    image: coredns/coredns:1.11.1\n    ports: ["53:53/udp"]\n');
    expect(udp.components[0].golden!.probes).toStrictEqual({ enabled: false });
    expect(udp.report.map((l) => l.message)).toContain('no healthcheck: no probes (image coredns/coredns:1.11.1 is not DIT\'s and need not serve GET /health, and it listens on no TCP port a probe could connect to; set x-dit.probe: /path if it serves one)');
    expect(component('search').golden!.image).toStrictEqual({ repository: 'elasticsearch', tag: '8.13.0', registry: 'docker.io' });
  });
});

describe('public services and images that cannot run yet', () => {
  test('a published web port makes the entry point public', () => {
    expect(component('web').ingressFrom).toStrictEqual([{ controller: 'traefik', port: TCP(8000) }]);
    expect(component('search').ingressFrom).toStrictEqual([]);
  });

  test('a latest image lands in every environment pending, and the report says what starts it', () => {
    expect(component('dashboard').environments).toBeUndefined();
    expect(component('dashboard').golden!.image).toStrictEqual({ repository: 'grafana/grafana', registry: 'docker.io', pending: true });
    expect(lines('dashboard').slice(-2)).toStrictEqual([
      'pending in staging: tag latest breaks staging\'s tag rule (any Docker tag except latest (a tag that names one build)); installed with no pod (image.yaml tag "") until CI sets the tag: the auto-deploy action, or npx dit-gitops set-image dashboard --env staging --tag <tag> (or pin it in compose: give the compose image a tag, or set x-dit.allowLatest: true)',
      'pending in production: tag latest breaks production\'s tag rule (a semantic version such as v1.2.3) and the image has no digest, which production requires; installed with no pod (image.yaml tag "") until image.yaml holds an accepted tag and its digest: npx dit-gitops set-image dashboard --env production --tag v1.2.3 --digest sha256:<digest>, or Flux image automation (the auto-deploy action sets only the tag, and production also waits for the digest) (or pin it in compose: tag the image with a semantic version (image: …:v1.2.3@sha256:…); add @sha256:… to the compose image or set x-dit.imageDigest)',
    ]);
  });

  test('a database production refuses waits there, suspended; what depends on it and what only it calls are declared there too', () => {
    expect(p.components.map((c) => [c.name, c.environments])).toStrictEqual(['db', 'web', 'cache', 'celery-worker', 'search', 'dashboard'].map((n) => [n, undefined]));
    expect(component('db').chart!.overrides).toStrictEqual({ production: { suspend: true } });
    expect(lines('db').slice(-1)).toStrictEqual([
      "waiting in production: chart version * is not one exact version and the postgresql chart's image is not pinned by digest, and production installs only pinned charts; its HelmRelease is declared there suspended (spec.suspend: true: Flux reconciles nothing, so nothing unpinned runs). To start it: set x-dit.chartVersion to the exact chart version you tested, such as 16.4.5; set x-dit.imageDigest to the digest of the chart's image (bitnami/postgresql); the next import (or synthesis, with ComposeProject) renders the release without suspend",
    ]);
    expect(lines('web')).toContain('waits in production for db (suspended there): declared there as usual, and Flux installs its release once that one is started and ready (dependsOn)');
    expect(lines('celery-worker')).toContain('waits in production for cache (suspended there): declared there as usual, and Flux installs its release once that one is started and ready (dependsOn)');
    // search is called only by web, which waits: it is declared (pending for its digest), not left out.
    expect(component('search').golden!.overrides).toStrictEqual({ production: { image: { pending: true } } });
    expect(lines('search').filter((l) => /production/.test(l))).toStrictEqual([
      'pending in production: the image has no digest, which production requires; installed with no pod (image.yaml tag "") until image.yaml holds an accepted tag and its digest: npx dit-gitops set-image search --env production --tag 8.13.0 --digest sha256:<digest>, or Flux image automation (the auto-deploy action sets only the tag, and production also waits for the digest) (or pin it in compose: add @sha256:… to the compose image or set x-dit.imageDigest)',
    ]);
  });
});

describe('the tree: every component is declared in production', () => {
  test('production lists every component; the refused databases\' HelmReleases are suspended there only', () => {
    const app = new GitOpsApp();
    new ComposeProject(app, 'acme', { compose: readSources([fixtureFile('runs')]), ...OPTIONS });
    const tree = synthTree(app);
    expect(parse(tree['main/production/kustomization.yaml']).resources).toStrictEqual(
      ['cache', 'dashboard', 'db', 'search', 'web'].map((c) => `../../${c}/production`));
    // celery-worker follows web's image: web's overlay brings it in.
    expect(parse(tree['web/production/kustomization.yaml']).resources).toStrictEqual(['../base', '../../celery-worker/production']);
    expect(parse(tree['db/production/release.yaml']).spec).toStrictEqual({ suspend: true });
    expect(parse(tree['cache/production/release.yaml']).spec).toMatchObject({ suspend: true });
    expect(parse(tree['db/base/release.yaml']).spec.suspend).toBeUndefined();
    expect(parse(tree['db/staging/release.yaml'] ?? 'spec: {}').spec?.suspend).toBeUndefined();
    expect(parse(tree['web/production/release.yaml']).spec.dependsOn).toBeUndefined();
    expect(parse(tree['web/base/release.yaml']).spec.dependsOn).toStrictEqual([{ name: 'db' }]);
  }, 60000);

  test('pinning the chart version and the chart image starts it: the release is no longer suspended', () => {
    const DIGEST = 'sha256:570965b16c53e7fe6c48d50d8601a8cd2327143dba14412692a5b8fc2c119bf9';
    const q = inlinePlan(`services:\n  api: { image: "ghcr.io/o/api:1.0.0@${DIGEST}", ports: ["8000"], depends_on: [db] }\n  db: { image: postgres:16, x-dit: { chartVersion: 16.4.5, imageDigest: "${DIGEST}" } }\n`);
    expect(q.components.find((c) => c.name === 'db')!.chart).toMatchObject({ version: '16.4.5', values: { image: { digest: DIGEST } } });
    expect(q.components.find((c) => c.name === 'db')!.chart!.overrides).toBeUndefined();
    expect(q.report.filter((l) => /waiting|waits in/.test(l.message))).toStrictEqual([]);
  });
});

describe('the parser', () => {
  test('":2283:2283", passed-through variables, a v1 file, a name with _', () => {
    const m = loadCompose({ files: [{ file: 'c.yml', content: 'services:\n  photo_app:\n    image: ghcr.io/o/p:1.0.0\n    ports: [":2283:2283"]\n    environment: [TZ, UNSET_ONE]\n' }], variables: { TZ: 'Asia/Baghdad' } });
    expect(m.services[0]).toMatchObject({ name: 'photo-app', composeName: 'photo_app', ports: [{ target: 2283, protocol: 'tcp', published: '2283' }], environment: { TZ: 'Asia/Baghdad', UNSET_ONE: undefined }, passedThrough: ['TZ'] });
    expect(() => loadCompose({ files: [{ file: 'v1.yml', content: 'web:\n  image: nginx:1.27\n  links: [db]\ndb:\n  image: postgres:16\n' }] }))
      .toThrow('v1.yml (document): is a version 1 compose file (services at the top level, no services: key), a format docker compose v2 no longer reads; expected the services under services: (and links: replaced by the service names, which compose networks resolve)');
  });

  test('a value left empty by an unset variable names the variable', () => {
    expect(() => loadCompose({ files: [{ file: 'c.yml', content: 'services:\n  a:\n    image: ghcr.io/o/a:1.0.0\n    healthcheck: { test: ["CMD", "true"], retries: $RETRIES }\n' }] }))
      .toThrow('c.yml service a healthcheck.retries: got ""; expected a whole number of at least 1 (variable RETRIES is not set: compose refuses this file too until it is)');
  });

  test('the generated TypeScript compiles, a multi-line healthcheck included, and synthesizes the construct\'s tree', () => {
    const content = 'services:\n  api:\n    image: ghcr.io/o/api:sha-1234567\n    ports: ["8000"]\n    healthcheck:\n      test:\n        - CMD-SHELL\n        - |\n          test -f /tmp/ready\n          echo done\n';
    const code = emitTypeScript(inlinePlan(content), { sources: ['c.yml'] });
    expect(code).toContain('\n  // echo done\n');
    expect(typeCheckEmitted(code)).toStrictEqual({ problems: [] });
    const fixture = emitTypeScript(p, { sources: ['docker-compose.yml'] });
    expect(typeCheckEmitted(fixture)).toStrictEqual({ problems: [] });
    const app = new GitOpsApp();
    new ComposeProject(app, 'acme', { compose: readSources([fixtureFile('runs')]), ...OPTIONS });
    const tree = synthTree(app);
    expect(parse(tree['web/base/release.yaml']).spec.values.hookJobs).toStrictEqual({
      migrate: { command: ['python', 'manage.py', 'migrate'], hooks: ['post-install', 'pre-upgrade'], weight: 0, backoffLimit: 1, activeDeadlineSeconds: 600 },
    });
  }, 60000);
});
