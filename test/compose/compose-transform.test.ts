import * as path from 'path';
import { ComposeTransformOptions, formatReport, loadCompose, planEnvironments, readSources, transformCompose } from '../../src';

const SHOP = path.join(__dirname, 'fixtures', 'shop', 'docker-compose.yml');
const OPTIONS: ComposeTransformOptions = { project: 'shop', domain: 'shop.example.com' };
const shop = () => transformCompose(loadCompose(readSources([SHOP])), OPTIONS);
const plan = (yaml: string, options: Partial<ComposeTransformOptions> = {}) => transformCompose(loadCompose({ files: [{ file: 'compose.yml', content: yaml }] }), { ...OPTIONS, ...options });
const lines = (p: ReturnType<typeof plan>, service: string) => p.report.filter((l) => l.service === service).map((l) => l.message);
const component = (p: ReturnType<typeof plan>, name: string) => p.components.find((c) => c.name === name)!;
const DIGEST = `sha256:${'b'.repeat(64)}`;

describe('environments (seed 000)', () => {
  test('staging and production by default', () => {
    expect(planEnvironments(OPTIONS)).toStrictEqual([
      { name: 'staging', namespace: 'shop-staging', domain: 'staging.shop.example.com', ingressClassName: 'traefik', production: false, pinImageDigests: false },
      { name: 'production', namespace: 'shop-production', domain: 'shop.example.com', ingressClassName: 'traefik', production: true, pinImageDigests: true },
    ]);
  });

  test('configurable per environment', () => {
    expect(planEnvironments({ ...OPTIONS, ingressClassName: 'nginx', environments: [{ name: 'dev', domain: 'dev.internal' }, { name: 'production', namespace: 'shop', ingressClassName: 'traefik', pinImageDigests: false }] })).toStrictEqual([
      { name: 'dev', namespace: 'shop-dev', domain: 'dev.internal', ingressClassName: 'nginx', production: false, pinImageDigests: false },
      { name: 'production', namespace: 'shop', domain: 'shop.example.com', ingressClassName: 'traefik', production: true, pinImageDigests: false },
    ]);
  });
});

describe('the shop fixture', () => {
  const p = shop();

  test('components in dependency order, with their kinds and ports', () => {
    expect(p.components.map((c) => [c.name, c.kind, c.ports.map((port) => port.number)])).toStrictEqual([
      ['db', 'database', [5432]], ['api', 'api', [8000]], ['frontend', 'client', [3000]], ['worker', 'worker', []],
    ]);
  });

  test('the report explains each decision of the front end', () => {
    expect(lines(p, 'frontend')).toStrictEqual([
      'client (name frontend reads as a front end)',
      "port 3000 (the healthcheck's URL, no ports given)",
      "labels team not carried over (pods carry Helm's labels)",
      'public (on the ingress network)',
      "runs as non-root user 101 (the client chart's default)",
      'image ghcr.io/shop/frontend tag sha-1f2e3d4',
      'imagePullSecrets ghcr-auth (private registry ghcr.io)',
      'tag sha-1f2e3d4 cannot be ordered: deployed through set-image (no ImagePolicy)',
      'healthcheck → httpGet /healthz :3000 (readiness and liveness: period 30s, timeout 5s, failureThreshold 3) + startup (2 × 30s for start_period 60s)',
      'resources: limits cpu 500m, memory 512Mi; requests cpu 100m, memory 256Mi (deploy.resources)',
      'ingress staging: frontend.staging.shop.example.com (class traefik)',
      'ingress production: frontend.shop.example.com (class traefik)',
      'ingress annotations nginx.ingress.kubernetes.io/proxy-body-size (x-dit.ingress.annotations)',
      "env NEXT_PUBLIC_API_URL (api.shop.example.com:443) is read by the browser, not dialed by the pod: no connection, and verify does not follow it (NEXT_PUBLIC_* values are built into the client bundle); if the server side fetches it too, add allowTo(Peer.fqdn('api.shop.example.com'), Port.tcp(443))",
      'depends on api → dependsOn api, allowTo api :8000 (no value names its port: every port it listens on)',
      "pending in production: tag sha-1f2e3d4 breaks production's tag rule (a semantic version such as v1.2.3) and the image has no digest, which production requires; installed with no pod (image.yaml tag \"\") until image.yaml holds an accepted tag and its digest: npx dit-gitops set-image frontend --env production --tag v1.2.3 --digest sha256:<digest>, or Flux image automation (the auto-deploy action sets only the tag, and production also waits for the digest) (or pin it in compose: tag the image with a semantic version (image: …:v1.2.3@sha256:…); add @sha256:… to the compose image or set x-dit.imageDigest)",
    ]);
  });

  test('the api: env_file and environment to configs, secrets to Infisical, never a value', () => {
    const api = component(p, 'api');
    expect(api.golden).toStrictEqual({
      replicas: 2,
      image: { repository: 'shop/api', tag: '1.4.0', digest: 'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08' },
      configs: { ALLOWED_HOSTS: 'api.shop.example.com', DJANGO_SETTINGS_MODULE: 'shop.settings' },
      infisical: { secretsPath: '/api' },
      ingress: { className: 'traefik' },
      overrides: { staging: { infisical: { sealedToken: 'AgBxStagingSealedTokenForTheShopApi==' } }, production: { infisical: { enabled: false } } },
      probes: {
        path: '/health/',
        port: 8000,
        readiness: { periodSeconds: 10, timeoutSeconds: 30, failureThreshold: 3 },
        liveness: { periodSeconds: 10, timeoutSeconds: 30, failureThreshold: 3 },
        startup: { enabled: false },
      },
      imagePullSecrets: ['ghcr-auth'],
    });
    expect(JSON.stringify(p)).not.toMatch(/changeme|not-for-git/);
    expect(lines(p, 'api').filter((l) => /Infisical/.test(l))).toStrictEqual([
      'env SECRET_KEY → Infisical /api (secret-looking; value not written)',
      'env DATABASE_PASSWORD → Infisical /api (secret-looking; value not written)',
      'secret stripe_key → Infisical /api key stripe_key (compose mounted it at /run/secrets/stripe_key; the chart injects it as an environment variable)',
      'Infisical staging: sealed token from x-dit.infisical.sealedToken.staging',
      'Infisical off in production: no sealed token (set x-dit.infisical.sealedToken.production to kubeseal --raw output); SECRET_KEY, DATABASE_PASSWORD, stripe_key will be missing there until one is given',
    ]);
  });

  test('depends_on: dependsOn and a connection; semver tags of the team registry get image automation', () => {
    expect(component(p, 'api')).toMatchObject({ dependsOn: ['db'], connectsTo: [{ target: 'db', ports: [{ number: 5432, protocol: 'TCP' }] }], imageAutomation: { range: '>=1.4.0', environments: ['staging', 'production'] } });
    expect(component(p, 'api').ingressFrom).toStrictEqual([{ controller: 'traefik', port: { number: 8000, protocol: 'TCP' } }]);
    expect(component(p, 'frontend').environments).toBeUndefined();
    expect(component(p, 'frontend')).toMatchObject({ golden: { overrides: { production: { image: { pending: true } } } }, dependsOn: ['api'], connectsTo: [{ target: 'api', ports: [{ number: 8000, protocol: 'TCP' }] }] });
  });

  test('depends_on conditions are explained', () => {
    expect(lines(p, 'api')).toContain('depends on db → dependsOn db, allowTo db :5432 (no value names its port: every port it listens on) (service_healthy: Flux waits for the release to be ready)');
  });

  test('x-dit.autoDeploy: false suspends image automation', () => {
    const q = plan(`services:\n  api: { image: "ghcr.io/o/a:1.0.0@${DIGEST}", ports: ["80"], x-dit: { autoDeploy: false } }\n`);
    expect(component(q, 'api').imageAutomation).toStrictEqual({ range: '>=1.0.0', environments: ['staging', 'production'], suspend: true });
    expect(lines(q, 'api')).toContain('image automation: semver >=1.0.0, suspended (x-dit.autoDeploy: false): Flux scans but commits nothing');
  });

  test('the database: a Bitnami chart named after the service, passwords the chart generates, the volume size', () => {
    expect(component(p, 'db').chart).toStrictEqual({
      repository: 'oci://registry-1.docker.io/bitnamicharts',
      chart: 'postgresql',
      version: '16.7.4',
      values: {
        fullnameOverride: 'db',
        auth: { database: 'shop', username: 'shop' },
        primary: { persistence: { size: '20Gi' } },
        image: { digest: 'sha256:3e5d2f0c9b8a7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e' },
      },
    });
    expect(lines(p, 'db').filter((l) => /^(Bitnami|image\.digest)/.test(l))).toStrictEqual([
      'Bitnami chart postgresql from oci://registry-1.docker.io/bitnamicharts (version 16.7.4 from x-dit.chartVersion); the chart\'s image replaces postgres:16',
      'image.digest sha256:3e5d2f0c9b8a7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e (x-dit.imageDigest): the chart\'s image is pinned',
    ]);
    expect(lines(p, 'db')).toContain('fullnameOverride db: the postgresql chart\'s Service is db, the host the other services dial');
    expect(lines(p, 'db')).toContain('env POSTGRES_PASSWORD → not written: the postgresql chart generates the password into its Secret db (keys postgres-password, password); store the same value in Infisical for the services that connect');
    expect(lines(p, 'db').slice(0, 3)).toStrictEqual(['database (image postgres:16 is a database)', 'port 5432 (postgresql default, no ports given)', 'internal (databases stay internal)']);
  });

  test('a profile that is not enabled is reported', () => {
    expect(lines(p, 'seed')).toStrictEqual(['left out (its profile is not enabled)']);
  });

  test('the whole report prints one line per decision', () => {
    expect(formatReport(p.report).split('\n')).toHaveLength(p.report.length);
    expect(formatReport(p.report).split('\n')[0]).toBe('seed: left out (its profile is not enabled)');
  });
});

describe('networks', () => {
  test('the ingress network makes a service public; the default network only keeps it internal', () => {
    const p = plan(`
services:
  web: { image: "nginx:1.0.0@${DIGEST}", networks: [default, ingress] }
  admin: { image: "nginx:1.0.0@${DIGEST}", ports: ["8080:80"] }
  tools: { image: "nginx:1.0.0@${DIGEST}", networks: [backend] }
  db: { image: postgres:16, networks: [ingress] }
`);
    expect(p.components.map((c) => [c.name, c.ingressFrom.length > 0])).toStrictEqual([['web', true], ['admin', true], ['tools', false], ['db', false]]);
    expect(lines(p, 'admin')[2]).toBe('public: publishes 8080→80 on the host and is an entry point (no other way in calls it); set x-dit.expose: internal to keep it in');
    expect(lines(p, 'tools')[2]).toBe('internal (no port)');
    expect(lines(p, 'db')[2]).toBe('internal (databases stay internal)');
  });

  test('x-dit.expose and dit.expose override the networks', () => {
    const p = plan(`
services:
  web: { image: "nginx:1.0.0@${DIGEST}", x-dit: { expose: public } }
  api: { image: "nginx:1.0.0@${DIGEST}", networks: [ingress], labels: { dit.expose: internal } }
`);
    expect(p.components.map((c) => c.ingressFrom.length)).toStrictEqual([1, 0]);
    const db = plan('services:\n  db: { image: postgres:16, x-dit: { expose: public } }\n');
    expect(lines(db, 'db')[2]).toBe('internal (databases stay internal; x-dit.expose: public ignored: put an API in front of it)');
  });
});

describe('ingress', () => {
  test('the class is an environment setting: environments that differ get overrides and one rule per controller', () => {
    const p = plan(`services:\n  web: { image: "nginx:1.0.0@${DIGEST}", networks: [ingress] }\n`, { environments: [{ name: 'staging', ingressClassName: 'nginx' }, { name: 'production' }] });
    const web = component(p, 'web');
    expect(web.golden!.ingress).toStrictEqual({});
    expect(web.golden!.overrides).toStrictEqual({ staging: { ingress: { className: 'nginx' } }, production: { ingress: { className: 'traefik' } } });
    expect(web.ingressFrom).toStrictEqual([
      { controller: 'nginx', port: { number: 80, protocol: 'TCP' }, environments: ['staging'] },
      { controller: 'traefik', port: { number: 80, protocol: 'TCP' }, environments: ['production'] },
    ]);
  });

  test('x-dit.host: a label is the subdomain, a full host is production\'s and prefixed elsewhere; className and annotations reach the ingress', () => {
    const p = plan(`
services:
  a: { image: "nginx:1.0.0@${DIGEST}", networks: [ingress], x-dit: { host: shop } }
  b: { image: "nginx:1.0.0@${DIGEST}", networks: [ingress], x-dit: { host: www.shop.com, ingress: { className: nginx, annotations: { x: "1" } } } }
`);
    expect(component(p, 'a').golden!.ingress).toStrictEqual({ subdomain: 'shop', className: 'traefik' });
    expect(component(p, 'b').golden!.ingress).toStrictEqual({ className: 'nginx', annotations: { x: '1' } });
    expect(component(p, 'b').golden!.overrides).toStrictEqual({ staging: { ingress: { host: 'staging.www.shop.com' } }, production: { ingress: { host: 'www.shop.com' } } });
    expect(lines(p, 'a').filter((l) => l.startsWith('ingress'))).toStrictEqual(['ingress staging: shop.staging.shop.example.com (class traefik)', 'ingress production: shop.shop.example.com (class traefik)']);
  });
});

describe('overrides and what is left out', () => {
  test('skip drops the service and the dependencies on it; suspend renders the release suspended', () => {
    const p = plan(`
services:
  web: { image: "nginx:1.0.0@${DIGEST}", depends_on: [legacy], x-dit: { suspend: true } }
  legacy: { image: "nginx:1.0.0@${DIGEST}", labels: { dit.skip: "true" } }
  db: { image: "redis:7", x-dit: { suspend: true } }
`);
    expect(p.components.map((c) => c.name)).toStrictEqual(['web', 'db']);
    expect(component(p, 'web')).toMatchObject({ dependsOn: [], golden: { suspend: true } });
    expect(component(p, 'db').chart!.suspend).toBe(true);
    expect(lines(p, 'legacy')).toStrictEqual(['skipped (x-dit.skip or dit.skip)']);
    expect(lines(p, 'web')).toContain('depends on legacy, which is not converted: dropped');
  });

  test('a privileged port of a non-root workload is pointed out', () => {
    const p = plan(`services:\n  web: { image: "nginx:1.0.0@${DIGEST}", expose: ["80"] }\n`);
    expect(lines(p, 'web')).toContain("runs as non-root user 101 (the client chart's default); port 80 is privileged: the image must allow a non-root user to bind it (nginx-unprivileged listens on 8080), or set x-dit.port");
  });

  test('the options override any service like x-dit does', () => {
    const p = plan(`services:\n  web: { image: "nginx:1.0.0@${DIGEST}" }\n`, { services: { web: { port: 8080, kind: 'api' } } });
    expect(component(p, 'web')).toMatchObject({ kind: 'api', ports: [{ number: 8080, protocol: 'TCP' }] });
  });

  test('probes only where the app has them: the healthcheck; DIT\'s own images GET /health; any other image a TCP connect; no port none', () => {
    const p = plan(`
services:
  web: { image: "reg.dev.krd/o/web:1.0.0@${DIGEST}", ports: ["8080"] }
  grafana: { image: "grafana/grafana:11.0.0@${DIGEST}", ports: ["3000"] }
  told: { image: "ghcr.io/o/told:1.0.0@${DIGEST}", ports: ["8081"], x-dit: { probe: /ready } }
  jobs-worker: { image: "ghcr.io/o/jobs:1.0.0@${DIGEST}" }
  checked-worker: { image: "ghcr.io/o/jobs2:1.0.0@${DIGEST}", healthcheck: { test: ["CMD", "celery", "inspect", "ping"], interval: 15s } }
`);
    expect(component(p, 'web').golden!.probes).toBeUndefined();
    expect(lines(p, 'web')).toContain("no healthcheck: the chart's GET /health on port 8080 (an image of DIT's own registry follows DIT's service manual)");
    expect(component(p, 'grafana').golden!.probes).toStrictEqual({ tcp: true });
    expect(lines(p, 'grafana')).toContain('no healthcheck: TCP probes of port 3000 (image grafana/grafana:11.0.0@' + DIGEST + ' is not DIT\'s and need not serve GET /health, so readiness and liveness only check that the port accepts a connection; set x-dit.probe: /path if it serves one, or none for no probe)');
    expect(component(p, 'told').golden!.probes).toStrictEqual({ path: '/ready' });
    expect(lines(p, 'told')).toContain('no healthcheck: GET /ready on port 8081 (x-dit.probe: the team says the app serves it)');
    expect(component(p, 'jobs-worker')).toMatchObject({ kind: 'worker', ports: [] });
    expect(component(p, 'jobs-worker').golden!.probes).toStrictEqual({ enabled: false });
    expect(lines(p, 'jobs-worker')).toContain('no healthcheck: no probes (it serves no port; the process running is the only signal, as under compose)');
    expect(component(p, 'checked-worker').golden!.probes).toStrictEqual({
      command: ['celery', 'inspect', 'ping'],
      readiness: { periodSeconds: 15, timeoutSeconds: 30, failureThreshold: 3 },
      liveness: { periodSeconds: 15, timeoutSeconds: 30, failureThreshold: 3 },
      startup: { enabled: false },
    });
  });

  test('resources: a limit without a reservation is the request too; a memory reservation without a limit is the limit too', () => {
    const p = plan(`
services:
  capped: { image: "ghcr.io/o/a:1.0.0@${DIGEST}", deploy: { resources: { limits: { cpus: "0.25", memory: 128M } } } }
  reserved: { image: "ghcr.io/o/b:1.0.0@${DIGEST}", deploy: { resources: { reservations: { memory: 1G } } } }
`);
    expect(component(p, 'capped').golden!.resources).toStrictEqual({ requests: { cpu: '250m', memory: '128Mi' }, limits: { cpu: '250m', memory: '128Mi' } });
    expect(lines(p, 'capped').filter((l) => l.startsWith('resources'))).toStrictEqual([
      'resources: limits cpu 250m, memory 128Mi (deploy.resources)',
      "resources: request cpu 250m = the limit (no reservation; Kubernetes' own default); request memory 128Mi = the limit (no reservation; Kubernetes' own default)",
    ]);
    expect(component(p, 'reserved').golden!.resources).toStrictEqual({ requests: { memory: '1Gi' }, limits: { memory: '1Gi' } });
    expect(lines(p, 'reserved')).toContain("resources: memory limit 1Gi = the reservation (no limit; the chart's 256Mi could be below it)");
  });

  test('ports: TCP first, so the charts\' first port (probes, Ingress) is one an ingress reaches', () => {
    const p = plan(`services:
  dns: { image: "ghcr.io/o/dns:1.0.0@${DIGEST}", ports: ["53:53/udp", "8053"] }
`);
    expect(component(p, 'dns').ports).toStrictEqual([{ number: 8053, protocol: 'TCP' }, { number: 53, protocol: 'UDP' }]);
  });

  test('volumes: read-only kept; /tmp and a second mount of the same volume reported', () => {
    const p = plan(`
services:
  app: { image: "ghcr.io/o/app:1.0.0@${DIGEST}", volumes: ["assets:/srv/assets:ro", "scratch:/tmp", "assets:/srv/again"] }
volumes: { assets: {}, scratch: {} }
`);
    expect(component(p, 'app').golden!.volumes).toStrictEqual({ assets: { mountPath: '/srv/assets', size: '10Gi', readOnly: true } });
    expect(lines(p, 'app').filter((l) => /^volume/.test(l))).toStrictEqual([
      'volume assets → PVC app-assets ReadWriteOnce 10Gi at /srv/assets',
      'volume scratch at /tmp not carried over (the chart mounts an emptyDir at /tmp)',
      'volume assets at /srv/again not carried over (mounted at /srv/assets already; one mount per volume)',
    ]);
  });

  test('volumes: named to PVCs (10Gi ReadWriteOnce), the rest reported', () => {
    const p = plan(`
services:
  app:
    image: "ghcr.io/o/app:1.0.0@${DIGEST}"
    volumes: [uploads:/srv/uploads, ./conf:/etc/app:ro, /tmp/cache, shared:/srv/shared, { type: tmpfs, target: /run }]
  other: { image: "ghcr.io/o/other:1.0.0@${DIGEST}", volumes: [uploads:/data], x-dit: { volumeSize: 1Gi } }
volumes:
  uploads: {}
  shared: { external: true }
`);
    // The chart's volumes: each a PVC <release>-<name>, ReadWriteOnce unless accessMode says otherwise.
    expect(component(p, 'app').golden!.volumes).toStrictEqual({ uploads: { mountPath: '/srv/uploads', size: '10Gi' } });
    expect(component(p, 'other').golden!.volumes).toStrictEqual({ uploads: { mountPath: '/data', size: '1Gi' } });
    expect(lines(p, 'app').filter((l) => /volume|mount/.test(l))).toStrictEqual([
      'volume uploads → PVC app-uploads ReadWriteOnce 10Gi at /srv/uploads; also mounted by other: ReadWriteOnce mounts on one node only',
      'bind mount ./conf:/etc/app not supported (host paths do not exist in the cluster; build it into the image or use a ConfigMap)',
      'anonymous volume at /tmp/cache not carried over (it lives as long as the container)',
      'volume shared is external: not created here; mount it by hand',
      'tmpfs mount at /run not supported',
    ]);
  });

  test('compose configs are file content: reported as not supported', () => {
    const p = plan(`services:\n  web: { image: "nginx:1.0.0@${DIGEST}", configs: [site, { source: tls, target: /etc/tls.conf }] }\nconfigs:\n  site: { file: ./site.conf }\n  tls: { file: ./tls.conf }\n`);
    expect(lines(p, 'web').filter((l) => l.startsWith('config'))).toStrictEqual([
      'config site not supported (file content; ship it in the image or a ConfigMap)',
      'config tls not supported (file content; ship it in the image or a ConfigMap)',
    ]);
  });

  test('build-only services expect the image from CI in the project\'s registry', () => {
    const p = plan('services:\n  api:\n    build: .\n    ports: ["8000:8000"]\n    x-dit: { allowLatest: true }\n', { environments: [{ name: 'staging' }] });
    expect(component(p, 'api').golden!.image).toStrictEqual({ repository: 'shop/api', tag: 'latest' });
    expect(lines(p, 'api')).toContain('build only: image ghcr.io/shop/api:latest expected from CI, deployed through set-image');
  });

  test('an image given with build, *_FILE paths to compose secrets: reported', () => {
    const p = plan(`services:\n  api:\n    image: "ghcr.io/o/api:1.0.0@${DIGEST}"\n    build: .\n    environment: { DB_PASSWORD_FILE: /run/secrets/db }\n`);
    expect(lines(p, 'api')).toContain('build ignored: the cluster pulls ghcr.io/o/api:1.0.0@' + DIGEST + ', which CI builds');
    expect(lines(p, 'api')).toContain('env DB_PASSWORD_FILE points at /run/secrets/db: the chart injects secrets as environment variables, not files; read the secret\'s own variable instead');
  });

  test('an image reference that does not parse is an error naming file, service and key', () => {
    expect(() => plan('services:\n  web: { image: "Web/App:1" }\n')).toThrow('1 problem in the compose input:\ncompose.yml service web image: got "Web/App:1"; expected an image reference such as ghcr.io/org/app:1.0.0 (lowercase path, tag of letters, digits, \'_\', \'.\', \'-\')');
  });
});

describe('environment rules (issue 9, issue 20): an image an environment cannot run yet is pending there; a chart it refuses waits there, suspended', () => {
  const TOKEN = 'AgProductionSealedToken==';

  test('latest and untagged images are pending everywhere unless x-dit.allowLatest, which opens the non-production ones only', () => {
    const p = plan(`
services:
  web: { image: "ghcr.io/o/web:1.0.0", networks: [ingress] }
  admin: { image: "ghcr.io/o/admin" }
  beta: { image: "ghcr.io/o/beta:latest", x-dit: { allowLatest: true } }
`);
    expect(p.components.map((c) => [c.name, c.environments, c.golden!.image, c.golden!.overrides])).toStrictEqual([
      ['web', undefined, { repository: 'o/web', tag: '1.0.0' }, { production: { image: { pending: true } } }],
      ['admin', undefined, { repository: 'o/admin', pending: true }, undefined],
      ['beta', undefined, { repository: 'o/beta', tag: 'latest' }, { production: { image: { pending: true } } }],
    ]);
    expect(p.environments.map((e) => [e.name, e.allowLatest])).toStrictEqual([['staging', true], ['production', undefined]]);
    expect(lines(p, '(project)')).toStrictEqual([
      'staging accepts the latest tag (ImageTagRule.any({ allowLatest: true })) because x-dit.allowLatest is set on beta: latest names no build, so the tree cannot say what runs',
      'production does not accept latest: a production environment takes semantic versions only (allowLatest applies to the other environments)',
    ]);
    expect(lines(p, 'admin').slice(-2)).toStrictEqual([
      'pending in staging: tag latest: staging accepts it only for services that set x-dit.allowLatest; installed with no pod (image.yaml tag "") until CI sets the tag: the auto-deploy action, or npx dit-gitops set-image admin --env staging --tag <tag> (or pin it in compose: give the compose image a tag, or set x-dit.allowLatest: true)',
      "pending in production: tag latest breaks production's tag rule (a semantic version such as v1.2.3) and the image has no digest, which production requires; installed with no pod (image.yaml tag \"\") until image.yaml holds an accepted tag and its digest: npx dit-gitops set-image admin --env production --tag v1.2.3 --digest sha256:<digest>, or Flux image automation (the auto-deploy action sets only the tag, and production also waits for the digest) (or pin it in compose: tag the image with a semantic version (image: …:v1.2.3@sha256:…); add @sha256:… to the compose image or set x-dit.imageDigest)",
    ]);
    expect(lines(p, 'web')).toContain('pending in production: the image has no digest, which production requires; installed with no pod (image.yaml tag "") until image.yaml holds an accepted tag and its digest: npx dit-gitops set-image web --env production --tag 1.0.0 --digest sha256:<digest>, or Flux image automation (the auto-deploy action sets only the tag, and production also waits for the digest) (or pin it in compose: add @sha256:… to the compose image or set x-dit.imageDigest)');
  });

  test('production takes a semantic-version tag with a digest; x-dit.imageDigest supplies the digest', () => {
    const p = plan(`
services:
  api: { image: "ghcr.io/o/api:v2.1.0", x-dit: { imageDigest: "${DIGEST}" } }
  sha: { image: "ghcr.io/o/sha:sha-843632a@${DIGEST}" }
`);
    expect(component(p, 'api')).toMatchObject({ golden: { image: { repository: 'o/api', tag: 'v2.1.0', digest: DIGEST } } });
    expect(component(p, 'api').environments).toBeUndefined();
    expect(lines(p, 'api')).toContain(`image digest ${DIGEST} (x-dit.imageDigest)`);
    expect(component(p, 'sha').environments).toBeUndefined();
    expect(component(p, 'sha').golden!.overrides).toStrictEqual({ production: { image: { pending: true } } });
    expect(lines(p, 'sha')).toContain('pending in production: tag sha-843632a breaks production\'s tag rule (a semantic version such as v1.2.3); installed with no pod (image.yaml tag "") until image.yaml holds an accepted tag and its digest: npx dit-gitops set-image sha --env production --tag v1.2.3 --digest sha256:<digest>, or Flux image automation (the auto-deploy action sets only the tag, and production also waits for the digest) (or pin it in compose: tag the image with a semantic version (image: …:v1.2.3@sha256:…))');
  });

  test('a database production refuses (no x-dit.chartVersion, no chart image digest) waits there, suspended; what depends on it is declared there and waits for it', () => {
    const p = plan(`
services:
  api: { image: "ghcr.io/o/api:1.0.0@${DIGEST}", depends_on: [db] }
  db: { image: "postgres:16@${DIGEST}" }
  cache: { image: "bitnami/redis:7.4@${DIGEST}", x-dit: { chartVersion: 20.1.0 } }
  store: { image: "mysql:8.4", x-dit: { imageDigest: "${DIGEST}" } }
`);
    expect(component(p, 'db')).toMatchObject({ chart: { version: '*', values: { primary: { persistence: { size: '10Gi' } } }, overrides: { production: { suspend: true } } } });
    expect(component(p, 'db').environments).toBeUndefined();
    expect(lines(p, 'db')).toContain(`digest of postgres:16@${DIGEST} not used: it pins that image, not the chart's bitnami/postgresql; set x-dit.imageDigest to the chart image's digest`);
    expect(lines(p, 'db').slice(-1)).toStrictEqual(["waiting in production: chart version * is not one exact version and the postgresql chart's image is not pinned by digest, and production installs only pinned charts; its HelmRelease is declared there suspended (spec.suspend: true: Flux reconciles nothing, so nothing unpinned runs). To start it: set x-dit.chartVersion to the exact chart version you tested, such as 16.4.5; set x-dit.imageDigest to the digest of the chart's image (bitnami/postgresql); the next import (or synthesis, with ComposeProject) renders the release without suspend"]);
    // api is declared in production, running its pinned image, and Flux installs it once db is started.
    expect(component(p, 'api').environments).toBeUndefined();
    expect(component(p, 'api').golden!.overrides?.production?.image).toBeUndefined();
    expect(lines(p, 'api').slice(-1)).toStrictEqual(['waits in production for db (suspended there): declared there as usual, and Flux installs its release once that one is started and ready (dependsOn)']);
    // One rule missing is one reason: a pinned digest and no exact version, and the other way round.
    expect(component(p, 'cache')).toMatchObject({ chart: { version: '20.1.0', values: { image: { digest: DIGEST } } } });
    expect(component(p, 'cache').chart!.overrides?.production).toBeUndefined();
    expect(lines(p, 'store').slice(-1)).toStrictEqual(["waiting in production: chart version * is not one exact version, and production installs only pinned charts; its HelmRelease is declared there suspended (spec.suspend: true: Flux reconciles nothing, so nothing unpinned runs). To start it: set x-dit.chartVersion to the exact chart version you tested, such as 16.4.5; the next import (or synthesis, with ComposeProject) renders the release without suspend"]);
    expect(component(p, 'store').chart!.overrides).toStrictEqual({ production: { suspend: true } });
  });

  test('a database with a version but no chart image digest waits for the digest only', () => {
    const p = plan('services:\n  cache: { image: "redis:7", x-dit: { chartVersion: 20.1.0 } }\n');
    expect(lines(p, 'cache').slice(-1)).toStrictEqual(["waiting in production: the redis chart's image is not pinned by digest, and production installs only pinned charts; its HelmRelease is declared there suspended (spec.suspend: true: Flux reconciles nothing, so nothing unpinned runs). To start it: set x-dit.imageDigest to the digest of the chart's image (bitnami/redis); the next import (or synthesis, with ComposeProject) renders the release without suspend"]);
    expect(component(p, 'cache').chart!.overrides).toMatchObject({ production: { suspend: true } });
    expect(component(p, 'cache').chart!.overrides!.staging?.suspend).toBeUndefined();
  });

  test('a waiting release holds what depends on what depends on it: each says what it waits for', () => {
    const p = plan(`
services:
  db: { image: postgres:16 }
  api: { image: "ghcr.io/o/api:1.0.0@${DIGEST}", ports: ["8000"], depends_on: [db] }
  web: { image: "ghcr.io/o/web:1.0.0@${DIGEST}", ports: ["3000"], depends_on: [api] }
`);
    expect(p.components.map((c) => c.environments)).toStrictEqual([undefined, undefined, undefined]);
    expect(lines(p, 'web').slice(-1)).toStrictEqual(['waits in production for api (which waits for db): declared there as usual, and Flux installs its release once that one is started and ready (dependsOn)']);
  });

  test('Infisical: a sealed token per environment from x-dit; without one it is off there and the report lists the missing keys', () => {
    const p = plan(`
services:
  api:
    image: "ghcr.io/o/api:1.0.0@${DIGEST}"
    environment: { JWT_SECRET: "s3cret-value", LOG_LEVEL: info }
    labels: { dit.infisical.sealed-token.production: "${TOKEN}" }
`);
    expect(component(p, 'api').golden).toMatchObject({
      infisical: { secretsPath: '/api' },
      overrides: { staging: { infisical: { enabled: false } }, production: { infisical: { sealedToken: TOKEN } } },
    });
    expect(lines(p, 'api').filter((l) => /Infisical/.test(l))).toStrictEqual([
      'env JWT_SECRET → Infisical /api (secret-looking; value not written)',
      'Infisical off in staging: no sealed token (set x-dit.infisical.sealedToken.staging to kubeseal --raw output); JWT_SECRET will be missing there until one is given',
      'Infisical production: sealed token from x-dit.infisical.sealedToken.production',
    ]);
    expect(JSON.stringify(p)).not.toMatch(/s3cret-value/);
  });

  test('a plain-text value where a sealed token belongs is an error, never written', () => {
    expect(() => plan(`services:\n  api: { image: "ghcr.io/o/api:1.0.0", x-dit: { infisical: { sealedToken: { staging: hunter2 } } } }\n`))
      .toThrow('compose.yml service api x-dit.infisical.sealedToken.staging: got "hunt…"; expected kubeseal --raw output (base64 starting with "Ag"), never the plain secret');
  });

  test('a build-only service is converted pending: CI\'s first tag starts it', () => {
    const p = plan('services:\n  api:\n    build: .\n    ports: ["8000:8000"]\n', { environments: [{ name: 'staging' }] });
    expect(p.components.map((c) => [c.name, c.environments, c.golden!.image])).toStrictEqual([['api', undefined, { repository: 'shop/api', pending: true }]]);
    expect(lines(p, 'api').slice(-1)).toStrictEqual([
      'pending in staging: tag latest breaks staging\'s tag rule (any Docker tag except latest (a tag that names one build)); installed with no pod (image.yaml tag "") until CI sets the tag: the auto-deploy action, or npx dit-gitops set-image api --env staging --tag <tag> (or pin it in compose: give the compose image a tag, or set x-dit.allowLatest: true)',
    ]);
  });

  test('an input of only a database production refuses converts: the database is declared everywhere, waiting in production', () => {
    const p = plan('services:\n  db: { image: "postgres:16" }\n', { environments: [{ name: 'production' }] });
    expect(p.components.map((c) => [c.name, c.environments, c.chart!.overrides])).toStrictEqual([['db', undefined, { production: { suspend: true } }]]);
  });

  test('an input in which every service is skipped is an error naming the file', () => {
    expect(() => plan('services:\n  db: { image: "postgres:16", x-dit: { skip: true } }\n')).toThrow([
      '2 problems in the compose input:',
      'compose.yml services: no service becomes a component (each is skipped or a one-shot that runs as no service\'s hook Job), so the project would be empty; expected at least one service to deploy',
      'compose.yml service db services: skipped (x-dit.skip or dit.skip)',
    ].join('\n'));
  });

  test('a build-only and a latest service land in staging and production pending; what depends on them is deployed there, running', () => {
    const p = plan(`
services:
  api: { build: ., ports: ["8000"] }
  admin: { image: "ghcr.io/o/admin:latest", depends_on: [api] }
  web: { image: "ghcr.io/o/web:1.0.0@${DIGEST}", networks: [ingress], depends_on: [api, admin] }
networks:
  ingress:
`);
    expect(p.components.map((c) => [c.name, c.environments, c.golden!.image, c.dependsOn])).toStrictEqual([
      ['api', undefined, { repository: 'shop/api', pending: true }, []],
      ['admin', undefined, { repository: 'o/admin', pending: true }, ['api']],
      ['web', undefined, { repository: 'o/web', tag: '1.0.0', digest: DIGEST }, ['api', 'admin']],
    ]);
    expect(lines(p, 'api').filter((l) => l.startsWith('pending'))).toStrictEqual([
      'pending in staging: tag latest breaks staging\'s tag rule (any Docker tag except latest (a tag that names one build)); installed with no pod (image.yaml tag "") until CI sets the tag: the auto-deploy action, or npx dit-gitops set-image api --env staging --tag <tag> (or pin it in compose: give the compose image a tag, or set x-dit.allowLatest: true)',
      'pending in production: tag latest breaks production\'s tag rule (a semantic version such as v1.2.3) and the image has no digest, which production requires; installed with no pod (image.yaml tag "") until image.yaml holds an accepted tag and its digest: npx dit-gitops set-image api --env production --tag v1.2.3 --digest sha256:<digest>, or Flux image automation (the auto-deploy action sets only the tag, and production also waits for the digest) (or pin it in compose: tag the image with a semantic version (image: …:v1.2.3@sha256:…); add @sha256:… to the compose image or set x-dit.imageDigest)',
    ]);
    expect(p.report.filter((l) => /not deployed|left out/.test(l.message))).toStrictEqual([]);
  });

  test('an environment marked production gets production\'s rules whatever its name', () => {
    const p = plan(`services:\n  api: { image: "ghcr.io/o/api:sha-843632a@${DIGEST}" }\n  web: { image: "ghcr.io/o/web:2.0.0@${DIGEST}" }\n`, { environments: [{ name: 'dev' }, { name: 'prod', production: true }] });
    expect(p.environments.map((e) => [e.name, e.production, e.pinImageDigests])).toStrictEqual([['dev', false, false], ['prod', true, true]]);
    expect(p.components.map((c) => [c.name, c.environments, c.golden!.overrides])).toStrictEqual([['api', undefined, { prod: { image: { pending: true } } }], ['web', undefined, undefined]]);
  });
});
