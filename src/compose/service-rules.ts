import { ComposeHealthcheck, ComposeResourceQuantities, ComposeService } from './compose-model';
import { ComponentKind, PortPlan } from './component-plan';
import type { ProbeValues } from '../components/chart-values';

/**
 * The per-service rules of seed 000, each a pure function returning its decision and the
 * report text that explains it.
 */

/** A decision and the reason the report prints. */
export interface Decision<T> {
  readonly value: T;
  readonly why: string;
}

// The image reference grammar is shared with verify (src/images/image-reference.ts).
import type { ImageReference } from '../images/image-reference';
export { parseImage } from '../images/image-reference';
export type { ImageReference } from '../images/image-reference';

const PUBLIC_REGISTRIES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io', 'quay.io', 'mcr.microsoft.com', 'docker.elastic.co', 'public.ecr.aws', 'registry.k8s.io', 'gcr.io']);

/** True for a registry that needs credentials to pull (ghcr.io and other team registries). */
export function isPrivateRegistry(registry: string | undefined): boolean {
  return registry !== undefined && !PUBLIC_REGISTRIES.has(registry);
}

/** The name of an image without registry, path or tag: `ghcr.io/org/web:1` → `web`. */
function imageName(image: ImageReference | undefined): string {
  return image?.path.split('/').pop() ?? '';
}

/** A database image the importer deploys through a Bitnami chart. */
export interface DatabaseChart {
  readonly chart: string;
  readonly port: number;
  /** Values path of the persistent volume size. */
  readonly sizePath: readonly string[];
}

const DATABASES: { readonly [image: string]: DatabaseChart } = {
  postgres: { chart: 'postgresql', port: 5432, sizePath: ['primary', 'persistence', 'size'] },
  postgresql: { chart: 'postgresql', port: 5432, sizePath: ['primary', 'persistence', 'size'] },
  mysql: { chart: 'mysql', port: 3306, sizePath: ['primary', 'persistence', 'size'] },
  mariadb: { chart: 'mariadb', port: 3306, sizePath: ['primary', 'persistence', 'size'] },
  mongo: { chart: 'mongodb', port: 27017, sizePath: ['persistence', 'size'] },
  mongodb: { chart: 'mongodb', port: 27017, sizePath: ['persistence', 'size'] },
  redis: { chart: 'redis', port: 6379, sizePath: ['master', 'persistence', 'size'] },
  valkey: { chart: 'valkey', port: 6379, sizePath: ['primary', 'persistence', 'size'] },
  rabbitmq: { chart: 'rabbitmq', port: 5672, sizePath: ['persistence', 'size'] },
  memcached: { chart: 'memcached', port: 11211, sizePath: ['persistence', 'size'] },
};

/** The Bitnami chart for a database image, if it is one. */
export function databaseChart(image: ImageReference | undefined): DatabaseChart | undefined {
  return DATABASES[imageName(image)];
}

const CLIENT_NAME = /(^|[-_])(frontend|front|client|ui|spa|www)([-_]|$)/;
const STATIC_SERVERS = new Set(['nginx', 'nginx-unprivileged', 'httpd', 'caddy', 'next', 'nextjs']);

/**
 * Ports well-known images listen on when a compose file names none: what a service dials
 * when its value gives no port. Never a guess for an image not listed.
 */
const KNOWN_PORTS: { readonly [image: string]: number } = {
  postgres: 5432, postgresql: 5432, mysql: 3306, mariadb: 3306, redis: 6379, valkey: 6379, mongo: 27017, mongodb: 27017,
  rabbitmq: 5672, kafka: 9092, 'cp-kafka': 9092, elasticsearch: 9200, opensearch: 9200, memcached: 11211, minio: 9000,
  zookeeper: 2181, 'cp-zookeeper': 2181, nats: 4222, etcd: 2379, clickhouse: 8123, 'clickhouse-server': 8123,
  grafana: 3000, prometheus: 9090, loki: 3100, keycloak: 8080, nginx: 80, httpd: 80, wordpress: 80, ghost: 2368, n8n: 5678,
  mailhog: 1025, mailpit: 1025, 'snuba': 1218, 'symbolicator': 3021, 'relay': 3000,
};

/** The port a well-known image listens on, if it is one. */
export function knownImagePort(image: ImageReference | undefined): number | undefined {
  const name = imageName(image);
  return Object.prototype.hasOwnProperty.call(KNOWN_PORTS, name) ? KNOWN_PORTS[name] : undefined;
}

/** What other services say about a service: the ports they dial it on, who dials it, who depends on it. */
export interface DialedFacts {
  /** Ports other services' values dial this service on (from the value, its scheme or a sibling key). */
  readonly ports: readonly PortPlan[];
  /** Services whose configuration names this one. */
  readonly dialedBy: readonly string[];
  /** Services that list this one in depends_on. */
  readonly dependedOnBy: readonly string[];
}

/**
 * api, client, database or worker, and why. A service with no port serves nothing: a worker
 * (DitWorker), whatever its name.
 */
export function detectKind(service: ComposeService, image: ImageReference | undefined, ports: readonly PortPlan[] = []): Decision<ComponentKind> {
  const label = image ? `image ${service.image}` : 'build only';
  if (service.dit.kind) return { value: service.dit.kind, why: 'set by x-dit.kind or dit.kind' };
  if (databaseChart(image)) return { value: 'database', why: `${label} is a database` };
  if (ports.length === 0) {
    return { value: 'worker', why: service.healthcheck ? 'no port and nothing dials it: a worker (DitWorker), its healthcheck an exec probe' : 'no port, no healthcheck and nothing dials it: a worker (DitWorker)' };
  }
  if (CLIENT_NAME.test(service.name)) return { value: 'client', why: `name ${service.name} reads as a front end` };
  if (STATIC_SERVERS.has(imageName(image))) return { value: 'client', why: `${label} serves static content` };
  return { value: 'api', why: 'default for a service that is neither database, worker nor front end' };
}

/**
 * The ports the component listens on, and why: x-dit.port, then ports:, expose:, the
 * healthcheck's URL, a database's default, the ports other services dial it on, and a
 * well-known image's default when something dials or depends on it. Otherwise none: an
 * unknown port is reported, never guessed.
 */
export function detectPorts(service: ComposeService, image: ImageReference | undefined, facts: DialedFacts = { ports: [], dialedBy: [], dependedOnBy: [] }): Decision<PortPlan[]> {
  if (service.dit.port !== undefined) return { value: [{ number: service.dit.port, protocol: 'TCP' }], why: `port ${service.dit.port} (x-dit.port or dit.port)` };
  const toPlan = (ports: readonly { target: number; protocol: string }[]): PortPlan[] => {
    const seen = new Map<string, PortPlan>();
    for (const p of ports) seen.set(`${p.target}/${p.protocol}`, { number: p.target, protocol: p.protocol.toUpperCase() as PortPlan['protocol'] });
    return [...seen.values()];
  };
  const list = (ports: readonly PortPlan[]) => ports.map((p) => (p.protocol === 'TCP' ? String(p.number) : `${p.number}/${p.protocol.toLowerCase()}`)).join(', ');
  if (service.ports.length > 0) {
    const ports = toPlan(service.ports);
    return { value: ports, why: `port${ports.length > 1 ? 's' : ''} ${list(ports)} (container side of ports:)` };
  }
  if (service.expose.length > 0) {
    const ports = toPlan(service.expose);
    return { value: ports, why: `port${ports.length > 1 ? 's' : ''} ${list(ports)} (from expose:)` };
  }
  const db = databaseChart(image);
  if (db && service.dit.kind === undefined) return { value: [{ number: db.port, protocol: 'TCP' }], why: `port ${db.port} (${db.chart} default, no ports given)` };
  const checked = service.healthcheck ? HTTP_CHECK.exec(typeof service.healthcheck.test === 'string' ? service.healthcheck.test : service.healthcheck.test.join(' '))?.[2] : undefined;
  if (checked) return { value: [{ number: Number(checked), protocol: 'TCP' }], why: `port ${checked} (the healthcheck's URL, no ports given)` };
  if (facts.ports.length > 0) {
    const ports = toPlan(facts.ports.map((p) => ({ target: p.number, protocol: p.protocol })));
    return { value: ports, why: `port${ports.length > 1 ? 's' : ''} ${list(ports)} (no ports given; ${facts.dialedBy.join(', ')} dial${facts.dialedBy.length === 1 ? 's' : ''} it there)` };
  }
  const known = knownImagePort(image);
  const users = [...new Set([...facts.dialedBy, ...facts.dependedOnBy])];
  const meantPublic = service.networks.includes('ingress') || service.dit.expose === 'public';
  if (known !== undefined && users.length === 0 && meantPublic) {
    return { value: [{ number: known, protocol: 'TCP' }], why: `port ${known} (image ${imageName(image)}'s default, no ports given; it is meant to be public)` };
  }
  if (known !== undefined && users.length > 0) {
    return { value: [{ number: known, protocol: 'TCP' }], why: `port ${known} (image ${imageName(image)}'s default, no ports given; ${users.join(', ')} call${users.length === 1 ? 's' : ''} it)` };
  }
  if (users.length > 0) {
    return { value: [], why: `no port: compose gives none, ${users.join(', ')} name${users.length === 1 ? 's' : ''} it without one, and ${image ? `image ${imageName(image)}` : 'a build-only image'} has no known default; set x-dit.port (verify reports the calls until then)` };
  }
  return { value: [], why: 'no port (compose gives none and nothing dials it)' };
}

const HTTP_CHECK = /\b(curl|wget)\b[^|;&]*?\bhttp:\/\/(?:localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\])(?::([0-9]+))?(\/[^\s'"|;&]*)?/;

/**
 * The golden chart's probes for a healthcheck: a curl or wget of a local http:// URL becomes
 * an httpGet of its path and port, any other test an exec of the command. interval, timeout
 * and retries become the period, timeout and failureThreshold of readiness and liveness.
 * start_period becomes a startup probe allowing start_period of failures (Kubernetes holds
 * the other probes until it passes, which is what start_period means); without it, none.
 */
export function healthcheckProbes(check: ComposeHealthcheck): Decision<ProbeValues> {
  const text = typeof check.test === 'string' ? check.test : check.test.join(' ');
  const http = HTTP_CHECK.exec(text);
  const command = typeof check.test === 'string' ? ['/bin/sh', '-c', check.test] : [...check.test];
  const period = Math.max(1, Math.ceil(check.intervalSeconds ?? 30));
  const timing = {
    periodSeconds: period,
    timeoutSeconds: Math.max(1, Math.ceil(check.timeoutSeconds ?? 30)),
    failureThreshold: check.retries ?? 3,
  };
  const start = check.startPeriodSeconds ?? 0;
  const startupFailures = Math.max(1, Math.ceil(start / period));
  const value: ProbeValues = {
    ...(http ? { path: http[3] ?? '/', port: Number(http[2] ?? 80) } : { command }),
    readiness: timing,
    liveness: timing,
    startup: start > 0 ? { periodSeconds: period, timeoutSeconds: timing.timeoutSeconds, failureThreshold: startupFailures } : { enabled: false },
  };
  const described = http ? `httpGet ${value.path} :${value.port}` : `exec ${command.join(' ')}`;
  const startup = start > 0 ? ` + startup (${startupFailures} × ${period}s for start_period ${start}s)` : '; no startup probe (no start_period)';
  return {
    value,
    why: `healthcheck → ${described} (readiness and liveness: period ${timing.periodSeconds}s, timeout ${timing.timeoutSeconds}s, failureThreshold ${timing.failureThreshold})${startup}`,
  };
}

/** cpus → millicores, bytes → Mi or Gi. */
export function toQuantities(q: ComposeResourceQuantities): { cpu?: string; memory?: string } {
  const out: { cpu?: string; memory?: string } = {};
  if (q.cpus !== undefined) out.cpu = `${Math.max(1, Math.round(q.cpus * 1000))}m`;
  if (q.memoryBytes !== undefined) {
    const mi = Math.ceil(q.memoryBytes / 1024 ** 2);
    out.memory = mi % 1024 === 0 ? `${mi / 1024}Gi` : `${mi}Mi`;
  }
  return out;
}

/** A tag Flux can order: a semantic version such as 1.2.3 or v2.0.0. */
export function semverTag(tag: string): string | undefined {
  const m = /^v?([0-9]+)\.([0-9]+)\.([0-9]+)$/.exec(tag);
  return m ? `${m[1]}.${m[2]}.${m[3]}` : undefined;
}
