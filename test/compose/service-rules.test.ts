import { ComposeService } from '../../src/compose';
import { detectKind, detectPorts, healthcheckProbes, isPrivateRegistry, parseImage, semverTag, toQuantities } from '../../src/compose/service-rules';

const service = (over: Partial<ComposeService>): ComposeService => ({
  name: 'svc', file: 'compose.yml', hasBuild: false, ports: [], expose: [], environment: {}, networks: ['default'], volumes: [], secrets: [], configs: [],
  dependsOn: [], labels: {}, profiles: [], dit: {}, unsupported: [], ...over,
});
const withImage = (image: string, over: Partial<ComposeService> = {}) => service({ image, ...over });
const ports = (s: ComposeService, facts?: Parameters<typeof detectPorts>[2]) => detectPorts(s, s.image ? parseImage(s.image) : undefined, facts);
const TCP = (number: number) => ({ number, protocol: 'TCP' as const });

describe('parseImage', () => {
  test.each([
    ['ghcr.io/dine-together/frontend:sha-1f2e3d4', { registry: 'ghcr.io', path: 'dine-together/frontend', tag: 'sha-1f2e3d4', tagGiven: true }],
    ['node:20', { path: 'node', tag: '20', tagGiven: true }],
    ['bitnami/redis', { path: 'bitnami/redis', tag: 'latest', tagGiven: false }],
    ['localhost:5000/app:1.0.0', { registry: 'localhost:5000', path: 'app', tag: '1.0.0', tagGiven: true }],
    ['nginx@sha256:' + 'a'.repeat(64), { path: 'nginx', tag: 'latest', tagGiven: false, digest: 'sha256:' + 'a'.repeat(64) }],
  ])('%s', (image, expected) => {
    expect(parseImage(image)).toStrictEqual(expected);
  });

  test('a reference with upper-case letters or an empty tag is none', () => {
    expect(parseImage('Org/App:1')).toBeUndefined();
    expect(parseImage('jitsi/web:')).toBeUndefined();
  });

  test('ghcr.io and other team registries are private, Docker Hub and public mirrors are not', () => {
    expect([isPrivateRegistry('ghcr.io'), isPrivateRegistry('registry.example.com'), isPrivateRegistry(undefined), isPrivateRegistry('quay.io')]).toStrictEqual([true, true, false, false]);
  });
});

describe('detectKind', () => {
  test.each([
    [withImage('postgres:16'), 'database', 'image postgres:16 is a database'],
    [withImage('redis:7-alpine'), 'database', 'image redis:7-alpine is a database'],
    [withImage('ghcr.io/o/shop:1', { name: 'celery' }), 'worker', 'no port, no healthcheck and nothing dials it: a worker (DitWorker)'],
    [withImage('ghcr.io/o/shop:1', { name: 'beat', healthcheck: { test: ['celery', 'inspect', 'ping'] } }), 'worker', 'no port and nothing dials it: a worker (DitWorker), its healthcheck an exec probe'],
    [withImage('ghcr.io/o/shop:1', { name: 'frontend', expose: [{ target: 3000, protocol: 'tcp' }] }), 'client', 'name frontend reads as a front end'],
    [withImage('nginx:1.27', { name: 'proxy', expose: [{ target: 80, protocol: 'tcp' }] }), 'client', 'image nginx:1.27 serves static content'],
    [withImage('ghcr.io/o/shop:1', { name: 'backend', expose: [{ target: 80, protocol: 'tcp' }] }), 'api', 'default for a service that is neither database, worker nor front end'],
    [withImage('postgres:16', { dit: { kind: 'api' } }), 'api', 'set by x-dit.kind or dit.kind'],
  ])('%#', (s, kind, why) => {
    expect(detectKind(s, parseImage(s.image!), ports(s).value)).toStrictEqual({ value: kind, why });
  });
});

describe('detectPorts (seed 000)', () => {
  test('given ports win, container side, one per port and protocol', () => {
    expect(ports(withImage('node:20', { ports: [{ target: 8080, protocol: 'tcp', published: '80' }, { target: 53, protocol: 'udp' }] }))).toStrictEqual({
      value: [{ number: 8080, protocol: 'TCP' }, { number: 53, protocol: 'UDP' }], why: 'ports 8080, 53/udp (container side of ports:)',
    });
  });

  test('expose is next', () => {
    expect(ports(withImage('ghcr.io/o/a:1', { expose: [{ target: 9000, protocol: 'tcp' }] }))).toStrictEqual({ value: [{ number: 9000, protocol: 'TCP' }], why: 'port 9000 (from expose:)' });
  });

  test('no port given: the port other services dial, else a well-known image\'s default when something calls it, else none (never a guess of 80)', () => {
    expect(ports(withImage('ghcr.io/o/api:1', { name: 'api' }), { ports: [TCP(8000)], dialedBy: ['web'], dependedOnBy: [] }))
      .toStrictEqual({ value: [TCP(8000)], why: 'port 8000 (no ports given; web dials it there)' });
    expect(ports(withImage('confluentinc/cp-kafka:7.6.0', { name: 'kafka' }), { ports: [], dialedBy: [], dependedOnBy: ['snuba'] }))
      .toStrictEqual({ value: [TCP(9092)], why: 'port 9092 (image cp-kafka\'s default, no ports given; snuba calls it)' });
    expect(ports(withImage('minio/minio:RELEASE.2024-01-01T00-00-00Z', { name: 'minio' }), { ports: [], dialedBy: ['api'], dependedOnBy: [] }).value).toStrictEqual([TCP(9000)]);
    expect(ports(withImage('ghcr.io/o/search:1', { name: 'search' }), { ports: [], dialedBy: ['api'], dependedOnBy: [] }))
      .toStrictEqual({ value: [], why: 'no port: compose gives none, api names it without one, and image search has no known default; set x-dit.port (verify reports the calls until then)' });
    expect(ports(withImage('node:20', { name: 'frontend' }))).toStrictEqual({ value: [], why: 'no port (compose gives none and nothing dials it)' });
  });

  test('the healthcheck URL names the port when nothing else does', () => {
    expect(ports(withImage('ghcr.io/o/web:1', { healthcheck: { test: ['curl', '-f', 'http://localhost:4000/health'] } })))
      .toStrictEqual({ value: [{ number: 4000, protocol: 'TCP' }], why: "port 4000 (the healthcheck's URL, no ports given)" });
  });

  test('databases get their default port, workers none, x-dit.port wins', () => {
    expect(ports(withImage('mongo:7'))).toStrictEqual({ value: [{ number: 27017, protocol: 'TCP' }], why: 'port 27017 (mongodb default, no ports given)' });
    expect(ports(withImage('ghcr.io/o/a:1', { name: 'worker' }))).toStrictEqual({ value: [], why: 'no port (compose gives none and nothing dials it)' });
    expect(ports(withImage('node:20', { ports: [{ target: 80, protocol: 'tcp' }], dit: { port: 8081 } }))).toStrictEqual({ value: [{ number: 8081, protocol: 'TCP' }], why: 'port 8081 (x-dit.port or dit.port)' });
  });
});

describe('healthcheckProbes', () => {
  test('curl -f http://localhost:PORT/path becomes the chart\'s httpGet path and port, timings mapped, no startup probe', () => {
    expect(healthcheckProbes({ test: ['curl', '-f', 'http://localhost:3000'], intervalSeconds: 30 })).toStrictEqual({
      value: {
        path: '/',
        port: 3000,
        readiness: { periodSeconds: 30, timeoutSeconds: 30, failureThreshold: 3 },
        liveness: { periodSeconds: 30, timeoutSeconds: 30, failureThreshold: 3 },
        startup: { enabled: false },
      },
      why: 'healthcheck → httpGet / :3000 (readiness and liveness: period 30s, timeout 30s, failureThreshold 3); no startup probe (no start_period)',
    });
  });

  test('wget in a shell string, with start_period: a startup probe covers the start period', () => {
    expect(healthcheckProbes({ test: 'wget -qO- http://127.0.0.1:8080/ready || exit 1', intervalSeconds: 10, timeoutSeconds: 2.5, retries: 5, startPeriodSeconds: 45 })).toStrictEqual({
      value: {
        path: '/ready',
        port: 8080,
        readiness: { periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 5 },
        liveness: { periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 5 },
        startup: { periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 5 },
      },
      why: 'healthcheck → httpGet /ready :8080 (readiness and liveness: period 10s, timeout 3s, failureThreshold 5) + startup (5 × 10s for start_period 45s)',
    });
  });

  test('a URL without a port is port 80', () => {
    expect(healthcheckProbes({ test: 'curl -fsS http://localhost/health' }).value).toMatchObject({ path: '/health', port: 80 });
  });

  test('any other test becomes the chart\'s exec command (CMD as is, CMD-SHELL through /bin/sh -c); https too', () => {
    expect(healthcheckProbes({ test: ['pg_isready', '-U', 'shop'] }).value).toStrictEqual({
      command: ['pg_isready', '-U', 'shop'],
      readiness: { periodSeconds: 30, timeoutSeconds: 30, failureThreshold: 3 },
      liveness: { periodSeconds: 30, timeoutSeconds: 30, failureThreshold: 3 },
      startup: { enabled: false },
    });
    expect(healthcheckProbes({ test: 'redis-cli ping' }).value.command).toStrictEqual(['/bin/sh', '-c', 'redis-cli ping']);
    expect(healthcheckProbes({ test: 'curl -f http://example.com/' }).why).toBe('healthcheck → exec /bin/sh -c curl -f http://example.com/ (readiness and liveness: period 30s, timeout 30s, failureThreshold 3); no startup probe (no start_period)');
    // An httpGet cannot skip certificate checks as curl -k does: the command runs as written.
    expect(healthcheckProbes({ test: ['curl', '-kf', 'https://localhost:8443/health'] }).value.command).toStrictEqual(['curl', '-kf', 'https://localhost:8443/health']);
  });
});

describe('quantities and tags', () => {
  test('cpus to millicores, memory to Mi or Gi', () => {
    expect(toQuantities({ cpus: 0.5, memoryBytes: 512 * 1024 ** 2 })).toStrictEqual({ cpu: '500m', memory: '512Mi' });
    expect(toQuantities({ cpus: 2, memoryBytes: 1024 ** 3 })).toStrictEqual({ cpu: '2000m', memory: '1Gi' });
    expect(toQuantities({ memoryBytes: 1.5 * 1024 ** 3 })).toStrictEqual({ memory: '1536Mi' });
  });

  test('only semantic versions can be ordered', () => {
    expect([semverTag('1.2.3'), semverTag('v2.0.0'), semverTag('sha-1f2e3d4'), semverTag('latest'), semverTag('20')]).toStrictEqual(['1.2.3', '2.0.0', undefined, undefined, undefined]);
  });
});
