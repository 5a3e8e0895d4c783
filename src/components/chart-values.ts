import { DitErrorLocation, received } from '../app/errors';
import { Problems } from '../app/validation';
import { checkArgumentList } from './hook-job';
import { assertDnsLabel, assertDnsSubdomain, isDnsSubdomain, quantityProblem } from '../app/kubernetes-names';
import { SealedSecret, assertNoPlainSecrets, assertNoSecretsInValues } from './secrets';
import { PlainObject, deepEqual, isPlainObject } from '../tree/strategic-patch';
import { Port } from '../network/port';
import { ImageRegistry, registryHostOf } from '../images/image-registry';
import { DEFAULT_PORT_VALUES, ProbeTiming, ProbesContract, StartupProbeTiming, VolumeContract, renderPortValues } from './golden-values';

/** Container image of a golden-chart component. */
export interface ImageValues {
  /** Image repository, for example `my-team/my-api` (the path in the registry). @default - the component name */
  readonly repository?: string;
  /**
   * Registry the image is pulled from (the chart's `image.registry`, the pull secret, and
   * Flux's ImageRepository). A repository that starts with a host (`reg.dev.krd/team/app`)
   * names its registry itself.
   * @default - the environment's registry, else the team's (GitOpsApp registry)
   */
  readonly registry?: ImageRegistry;
  /**
   * Tag written into a newly created image.yaml. After that, image.yaml belongs to CI.
   * @default 'latest'
   */
  readonly tag?: string;
  /**
   * Digest written into a newly created image.yaml (`sha256:` and 64 hex characters).
   * Required where the environment pins digests (production by default).
   * @default - none
   */
  readonly digest?: string;
  /**
   * No accepted image exists yet (CI has not built one): the release is **pending**. Its first
   * image.yaml holds `tag: ""` (and `digest: ""` where the environment pins digests), and the
   * golden charts render it with no pod (Deployment replicas 0, CronJob suspended, no hook
   * Jobs) until CI sets the tag (and the digest there). Any `tag` or `digest` given for the
   * same environment is not used. Set it per environment in `overrides`
   * (`{ production: { image: { pending: true } } }`). See docs/images.md.
   * @default false
   */
  readonly pending?: boolean;
  /** Commit written into a newly created image.yaml. @default - none */
  readonly commit?: string;
  /**
   * GitHub repository (`owner/name`) that builds the image, for image.yaml's header and
   * annotations. @default - the repository part of `repository`
   */
  readonly githubRepository?: string;
}

/** Pod security context. The engine refuses anything that runs as root. */
export interface SecurityContextValues {
  /** @default - the chart's image user (1654 for APIs, 101 for clients) */
  readonly runAsUser?: number;
  /** @default - same as runAsUser */
  readonly runAsGroup?: number;
  /** @default - rendered true when no securityContext is given */
  readonly runAsNonRoot?: boolean;
  /** @default - chart default */
  readonly fsGroup?: number;
  /** @default - chart default */
  readonly readOnlyRootFilesystem?: boolean;
  /** @default - chart default */
  readonly allowPrivilegeEscalation?: boolean;
}

/** CPU and memory quantities. */
export interface ResourceQuantities {
  /** For example `50m`. @default - none */
  readonly cpu?: string;
  /** For example `750Mi`. @default - none */
  readonly memory?: string;
}

/** Container resources. */
export interface ResourceValues {
  /** @default - none */
  readonly requests?: ResourceQuantities;
  /** @default - none */
  readonly limits?: ResourceQuantities;
}

/** Infisical secrets injection. */
export interface InfisicalValues {
  /** @default true */
  readonly enabled?: boolean;
  /** Folder in Infisical. @default - `/<component name>` */
  readonly secretsPath?: string;
  /** Infisical environment slug. @default - the environment's `infisicalSlug` */
  readonly envSlug?: string;
  /** Machine-identity token, sealed for the environment's namespace. @default - none */
  readonly sealedToken?: SealedSecret;
}

/** Ingress through the cluster's ingress controller. */
export interface IngressValues {
  /** @default true when an ingress is given */
  readonly enabled?: boolean;
  /** Host label under the environment's domain. @default - the component name */
  readonly subdomain?: string;
  /** Full host, instead of subdomain + environment domain. @default - derived */
  readonly host?: string;
  /** @default 'traefik' */
  readonly className?: string;
  /** @default '/' */
  readonly path?: string;
  /** @default - none */
  readonly annotations?: { readonly [key: string]: string };
}

/**
 * Health probes of a golden chart: readiness, liveness and startup run the same check, an
 * httpGet of `path` on `port`, a TCP connect to `port` (`tcp: true`), or `command` in the
 * container; each has its own timing. The
 * prop is the chart's contract itself (golden-values.ts), so the two cannot drift.
 */
export type ProbeValues = ProbesContract;

/** A PersistentVolumeClaim mounted into the container: the chart's contract (golden-values.ts). */
export type VolumeValues = VolumeContract;

/** A config entry: rendered as an environment variable by the golden charts. */
export type ConfigValue = string | number | boolean;

/** The typed values of a golden chart. Every field can be overridden per environment. */
export interface ChartValues {
  /** @default 1 */
  readonly replicas?: number;
  /** @default - repository = component name */
  readonly image?: ImageValues;
  /** @default - non-root with the chart's image user */
  readonly securityContext?: SecurityContextValues;
  /** @default - requests cpu 50m / memory 256Mi, limit memory 256Mi */
  readonly resources?: ResourceValues;
  /** Non-secret configuration. Secrets go to Infisical. @default - none */
  readonly configs?: { readonly [key: string]: ConfigValue };
  /**
   * Config keys whose names read like credentials but hold none (`PASSWORD_MIN_LENGTH`,
   * `Jwt__TokenLifetime`): the plain-secret check lets them through. Each must be a key of
   * `configs`. @default - none
   */
  readonly notSecrets?: readonly string[];
  /** @default - no Infisical injection */
  readonly infisical?: InfisicalValues;
  /** @default - no ingress */
  readonly ingress?: IngressValues;
  /** @default - GET /health on the first port */
  readonly probes?: ProbeValues;
  /** docker-registry Secrets for private registries such as GHCR. @default - none */
  readonly imagePullSecrets?: readonly string[];
  /** PersistentVolumeClaims by name (a DNS label). @default - none */
  readonly volumes?: { readonly [name: string]: VolumeValues };
  /**
   * Mount the service account token into the pods. Only for apps that call the Kubernetes API.
   * @default false
   */
  readonly automountServiceAccountToken?: boolean;
  /**
   * The container's command, replacing the image's ENTRYPOINT: a list, never a shell string
   * (`['celery', '-A', 'shop', 'worker']`). @default - the image's ENTRYPOINT
   */
  readonly command?: readonly string[];
  /** The container's arguments (the image's CMD when no command is given). @default - the image's CMD */
  readonly args?: readonly string[];
  /** Chart values the typed fields do not cover, merged last. @default - none */
  readonly extraValues?: { readonly [key: string]: unknown };
}

/** What values render against: the component and, for overlays, its environment. */
export interface ValuesContext {
  readonly component: string;
  /** The ports the component listens on: rendered into the values. */
  readonly ports?: readonly Port[];
  /** The labels other components' rules select the pods by, when not the chart's own. */
  readonly podLabels?: { readonly [key: string]: string };
  readonly environment?: { readonly name: string; readonly domain: string; readonly infisicalSlug: string };
  readonly defaultUser: number;
  /** The image repository when the values name none. @default - the component name */
  readonly defaultRepository?: string;
  /** The registry the image comes from, where the values do not name one. */
  readonly registry: ImageRegistry;
}

const DEFAULT_RESOURCES: ResourceValues = { requests: { cpu: '50m', memory: '256Mi' }, limits: { memory: '256Mi' } };

/** Checks typed values and throws every problem at once (a DitValidationError). */
export function validateChartValues(values: ChartValues, ctx: ValuesContext): void {
  const problems = new Problems();
  checkChartValues(values, ctx, problems);
  problems.throwIfAny();
}

/** Options of {@link checkChartValues}. */
export interface ChartValuesCheckOptions {
  /** The component opted out of the non-root rule (SecurityRelaxation.RUN_AS_ROOT). @default false */
  readonly allowRoot?: boolean;
}

/**
 * Records every problem of typed values, each with the component, environment and field; one
 * field with several problems gets each one. The values are checked whole, so a rule that
 * reads two fields (ports and probes) sees both.
 */
export function checkChartValues(values: ChartValues, ctx: ValuesContext, problems: Problems, options: ChartValuesCheckOptions = {}): void {
  const where = (field: string): DitErrorLocation => ({ component: ctx.component, environment: ctx.environment?.name, field });
  const add = (field: string, message: string) => problems.add(where(field), message);
  if (values.replicas !== undefined && (!Number.isInteger(values.replicas) || values.replicas < 0)) {
    add('replicas', `got ${received(values.replicas)}; expected a whole number of at least 0`);
  }
  const sc = values.securityContext;
  if (sc && !options.allowRoot) {
    if (sc.runAsUser === 0 || sc.runAsNonRoot === false) {
      add(sc.runAsUser === 0 ? 'securityContext.runAsUser' : 'securityContext.runAsNonRoot',
        `runs the container as root (got ${received(sc.runAsUser === 0 ? 0 : false)}); expected a non-zero runAsUser and runAsNonRoot left true`);
    }
    if (sc.runAsUser === undefined && sc.runAsNonRoot !== true) {
      add('securityContext.runAsUser', 'is not set and runAsNonRoot is not true, so the image may run as root; expected a non-zero runAsUser or runAsNonRoot: true');
    }
  }
  for (const key of ['runAsUser', 'runAsGroup', 'fsGroup'] as const) {
    const id = sc?.[key];
    if (id !== undefined && (!Number.isInteger(id) || id < 0)) add(`securityContext.${key}`, `got ${received(id)}; expected a whole number`);
  }
  problems.check(() => assertNoPlainSecrets(publicConfigs(values), where('configs'), secretsPathOf(values, ctx)));
  for (const key of values.notSecrets ?? []) {
    if (!(key in (values.configs ?? {}))) add('notSecrets', `names ${received(key)}, which is no key of configs; expected keys of configs only (${Object.keys(values.configs ?? {}).join(', ') || 'configs is empty'})`);
  }
  for (const [key, value] of Object.entries(values.configs ?? {})) {
    if (!['string', 'number', 'boolean'].includes(typeof value)) add(`configs.${key}`, `got ${received(value)}; expected a string, number or boolean`);
    // The chart writes configs into a ConfigMap: the API server refuses any other key.
    if (!CONFIG_MAP_KEY.test(key) || key.length > 253) add(`configs.${key}`, `key ${received(key)} is not a ConfigMap key; expected at most 253 letters, digits, '-', '_' and '.' (no spaces, no '=')`);
  }
  const ingress = values.ingress;
  if (ingress?.subdomain !== undefined) problems.check(() => assertDnsLabel(ingress.subdomain, where('ingress.subdomain')));
  if (ingress?.host !== undefined) problems.check(() => assertDnsSubdomain(ingress.host, where('ingress.host')));
  if (ingress?.className !== undefined && (typeof ingress.className !== 'string' || !isDnsSubdomain(ingress.className))) {
    // An empty class leaves the Ingress to whichever controller claims classless ones, or to none.
    add('ingress.className', `got ${received(ingress.className)}; expected an IngressClass name such as traefik (a DNS-1123 subdomain), or no className for the default traefik`);
  }
  if (ingress?.path !== undefined && !ingress.path.startsWith('/')) add('ingress.path', `got ${received(ingress.path)}; expected a path starting with /`);
  if (values.infisical?.secretsPath !== undefined && !values.infisical.secretsPath.startsWith('/')) {
    add('infisical.secretsPath', `got ${received(values.infisical.secretsPath)}; expected an Infisical folder starting with /`);
  }
  if (values.securityContext?.allowPrivilegeEscalation === true) {
    add('securityContext.allowPrivilegeEscalation', 'got true; expected false or unset (the golden charts never let a process gain privileges)');
  }
  if (values.probes) checkProbes(values.probes, where, problems);
  for (const field of ['command', 'args'] as const) checkArgumentList(values[field], where(field), problems, field === 'command');
  if (ctx.ports?.length === 0) {
    // The charts render no Service and no containerPort then; what needs a port must say so.
    if (values.ingress && values.ingress.enabled !== false) add('ingress', 'is set but the component declares no port (a worker or cron job serves nothing); expected a port for the Ingress (ports), or no ingress');
    const probes = values.probes ?? {};
    if (probes.enabled !== false && probes.command === undefined && probes.port === undefined) {
      add('probes', `is ${probes.tcp === true ? 'a TCP connect to' : 'the default GET /health on'} the first port, but the component declares no port; expected probes.command (an exec check), probes.port, or probes.enabled: false`);
    }
  }
  for (const secret of values.imagePullSecrets ?? []) problems.check(() => assertDnsSubdomain(secret, where('imagePullSecrets')));
  const named = registryHostOf(values.image?.repository ?? ctx.defaultRepository ?? ctx.component);
  if (values.image?.registry) {
    problems.check(() => values.image!.registry!.validate(where('image.registry')));
    if (named !== undefined && named !== values.image.registry.host) {
      add('image.repository', `names registry ${named} while image.registry is ${values.image.registry.host}; expected the path only (${received(imagePath(values, ctx))}) or the same registry`);
    }
  }
  for (const [name, volume] of Object.entries(values.volumes ?? {})) {
    problems.check(() => assertDnsLabel(name, where(`volumes.${name}`)));
    if (!volume.mountPath?.startsWith('/') || volume.mountPath === '/tmp') {
      add(`volumes.${name}.mountPath`, `got ${received(volume.mountPath)}; expected an absolute path other than /tmp (the chart mounts its own /tmp)`);
    }
    // The same rule as resources: Kubernetes parses a PVC's storage request as a quantity.
    if (quantityProblem(volume.size) !== undefined) add(`volumes.${name}.size`, `got ${received(volume.size)}; expected a storage quantity such as 8Gi`);
  }
  // The chart's Infisical operator signs in with the sealed machine-identity token: without
  // one the release installs and no secret ever arrives.
  const infisical = values.infisical;
  if (ctx.environment && infisical && infisical.enabled !== false && !infisical.sealedToken) {
    add('infisical.sealedToken', `is missing, so the chart's Infisical operator cannot sign in to read ${secretsPathOf(values, ctx)}; expected SealedSecret.fromCiphertext(<kubeseal --raw output>) for this environment, or infisical.enabled: false`);
  }
  if (values.extraValues !== undefined && !isPlainObject(values.extraValues)) {
    add('extraValues', `got ${received(values.extraValues)}; expected a map of chart values`);
  } else {
    problems.check(() => assertNoSecretsInValues(values.extraValues, where('extraValues')));
  }
}


/**
 * The chart values for the base (no environment) or for one environment. Environment-derived
 * values (Infisical slug, ingress host) exist only in the latter, so they land in overlays.
 */
export function renderChartValues(values: ChartValues, ctx: ValuesContext): PlainObject {
  const out: PlainObject = {
    replicas: values.replicas ?? 1,
    image: renderImage(values, ctx),
    securityContext: renderSecurityContext(values.securityContext, ctx.defaultUser),
    resources: values.resources ?? DEFAULT_RESOURCES,
  };
  if (values.configs && Object.keys(values.configs).length > 0) out.configs = { ...values.configs };
  if (values.infisical) out.infisical = renderInfisical(values, ctx);
  if (values.ingress) out.ingress = renderIngress(values.ingress, ctx);
  // The charts default to DEFAULT_PORT_VALUES; leaving it out keeps seed 004's releases as written.
  // A component declaring no port (a worker) says so: the charts then render no Service.
  const ports = ctx.ports ? renderPortValues(ctx.ports) : undefined;
  if (ports && !deepEqual(ports, DEFAULT_PORT_VALUES)) out.ports = ports;
  if (ctx.podLabels && Object.keys(ctx.podLabels).length > 0) out.podLabels = { ...ctx.podLabels };
  if (values.probes) out.probes = definedOnly(values.probes);
  const pullSecrets = [...new Set([imageRegistry(values, ctx).pullSecret, ...values.imagePullSecrets ?? []].filter((s): s is string => s !== undefined))];
  if (pullSecrets.length > 0) out.imagePullSecrets = pullSecrets;
  if (values.volumes) out.volumes = definedOnly(values.volumes);
  if (values.command) out.command = [...values.command];
  if (values.args) out.args = [...values.args];
  if (values.automountServiceAccountToken !== undefined) out.serviceAccount = { automountToken: values.automountServiceAccountToken };
  return values.extraValues ? { ...out, ...values.extraValues } : out;
}

/**
 * The registry of a component's image: a host at the front of `repository`, else
 * `image.registry`, else the context's (environment, then team).
 */
export function imageRegistry(values: ChartValues, ctx: ValuesContext): ImageRegistry {
  const host = registryHostOf(values.image?.repository ?? ctx.defaultRepository ?? ctx.component);
  if (host !== undefined) return values.image?.registry?.host === host ? values.image.registry : ImageRegistry.of(host);
  return values.image?.registry ?? ctx.registry;
}

/** The image's path inside its registry: `repository` without a registry host. */
export function imagePath(values: ChartValues, ctx: ValuesContext): string {
  const repository = values.image?.repository ?? ctx.defaultRepository ?? ctx.component;
  const host = registryHostOf(repository);
  return host === undefined ? repository : repository.slice(host.length + 1);
}

function renderImage(values: ChartValues, ctx: ValuesContext): PlainObject {
  return { registry: imageRegistry(values, ctx).host, repository: imagePath(values, ctx) };
}

/** `configs` without the keys `notSecrets` says hold no credential. */
export function publicConfigs(values: ChartValues): { readonly [key: string]: ConfigValue } {
  const skip = new Set(values.notSecrets ?? []);
  return Object.fromEntries(Object.entries(values.configs ?? {}).filter(([key]) => !skip.has(key)));
}

/** A copy of typed values without the fields left undefined, at every depth. */
function definedOnly(value: object): PlainObject {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)
    .map(([k, v]) => [k, isPlainObject(v) ? definedOnly(v) : Array.isArray(v) ? [...v] : v]));
}

// apimachinery IsConfigMapKey.
const CONFIG_MAP_KEY = /^[-._a-zA-Z0-9]+$/;

const PORT_NAME = /^[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?$/;

function checkProbes(probes: ProbeValues, where: (field: string) => DitErrorLocation, problems: Problems): void {
  const add = (field: string, message: string) => problems.add(where(field), message);
  if (probes.path !== undefined && !probes.path.startsWith('/')) add('probes.path', `got ${received(probes.path)}; expected a path starting with /, such as /health`);
  if (probes.command !== undefined) {
    if (!Array.isArray(probes.command) || probes.command.length === 0 || probes.command.some((c) => typeof c !== 'string' || c === '')) {
      add('probes.command', `got ${received(probes.command)}; expected a non-empty list of non-empty strings, such as ['pg_isready']`);
    }
    if (probes.path !== undefined || probes.port !== undefined) {
      add('probes.command', `is set with probes.${probes.path !== undefined ? 'path' : 'port'}; expected a command or an httpGet path and port, not both`);
    }
  }
  if (probes.tcp !== undefined && typeof probes.tcp !== 'boolean') add('probes.tcp', `got ${received(probes.tcp)}; expected true (a TCP connect to the port) or false`);
  if (probes.tcp === true && (probes.command !== undefined || probes.path !== undefined)) {
    add('probes.tcp', `is set with probes.${probes.command !== undefined ? 'command' : 'path'}; expected a TCP connect to the port or ${probes.command !== undefined ? 'an exec command' : 'an httpGet path'}, not both`);
  }
  const port = probes.port;
  if (port !== undefined && !(typeof port === 'number' ? Number.isInteger(port) && port >= 1 && port <= 65535 : typeof port === 'string' && PORT_NAME.test(port))) {
    add('probes.port', `got ${received(port)}; expected a port number (1-65535) or a port name such as http`);
  }
  const timings: [string, ProbeTiming | StartupProbeTiming | undefined][] = [['readiness', probes.readiness], ['liveness', probes.liveness], ['startup', probes.startup]];
  for (const [probe, timing] of timings) {
    for (const [field, value] of Object.entries(timing ?? {})) {
      if (field === 'enabled' && probe === 'startup') continue;
      const least = field === 'initialDelaySeconds' ? 0 : 1;
      if (!['initialDelaySeconds', 'periodSeconds', 'timeoutSeconds', 'failureThreshold'].includes(field)) {
        add(`probes.${probe}.${field}`, `is not a probe field; expected initialDelaySeconds, periodSeconds, timeoutSeconds or failureThreshold${probe === 'startup' ? ' or enabled' : ''}`);
      } else if (value !== undefined && (!Number.isInteger(value) || (value as number) < least)) {
        add(`probes.${probe}.${field}`, `got ${received(value)}; expected a whole number of at least ${least}`);
      }
    }
  }
}

function renderSecurityContext(sc: SecurityContextValues | undefined, defaultUser: number): PlainObject {
  if (!sc) return { runAsNonRoot: true, runAsUser: defaultUser, runAsGroup: defaultUser };
  return Object.fromEntries(Object.entries(sc).filter(([, v]) => v !== undefined));
}

function secretsPathOf(values: ChartValues, ctx: ValuesContext): string {
  return values.infisical?.secretsPath ?? `/${ctx.component}`;
}

function renderInfisical(values: ChartValues, ctx: ValuesContext): PlainObject {
  const inf = values.infisical!;
  const envSlug = inf.envSlug ?? ctx.environment?.infisicalSlug;
  const scope: PlainObject = { secretsPath: secretsPathOf(values, ctx) };
  if (envSlug !== undefined) scope.envSlug = envSlug;
  const out: PlainObject = { enabled: inf.enabled ?? true, secretsScope: scope };
  if (inf.sealedToken) out.sealedSecret = { token: inf.sealedToken.ciphertext };
  return out;
}

/** The host an ingress serves in an environment: `host`, else `<subdomain or component>.<domain>`. */
export function ingressHost(ingress: IngressValues, component: string, domain: string): string {
  return ingress.host ?? `${ingress.subdomain ?? component}.${domain}`;
}

function renderIngress(ingress: IngressValues, ctx: ValuesContext): PlainObject {
  const out: PlainObject = { enabled: ingress.enabled ?? true, className: ingress.className ?? 'traefik' };
  if (ingress.annotations) out.annotations = { ...ingress.annotations };
  const env = ctx.environment;
  if (env) {
    out.hosts = [{ host: ingressHost(ingress, ctx.component, env.domain), paths: [{ path: ingress.path ?? '/', pathType: 'Prefix' }] }];
  }
  return out;
}
