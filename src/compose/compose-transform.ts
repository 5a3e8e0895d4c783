import { looksLikeSecret } from '../components/secrets';
import type { ProbeValues } from '../components/chart-values';
import { ComposeError, ComposeIssue, ComposeModel, ComposeService, DitServiceOverrides } from './compose-model';
import { ComponentPlan, ComposeEnvironmentOptions, EnvironmentPlan, GoldenPlanProps, IngressPlan, IngressRulePlan, PortPlan, ProjectPlan, ReportLine } from './component-plan';
import { planDatabase, planVolumes } from './volume-rules';
import {
  DialedFacts, ImageReference, databaseChart, detectKind, knownImagePort, detectPorts, healthcheckProbes, isPrivateRegistry, parseImage, semverTag, toQuantities,
} from './service-rules';
import { proposeDnsName } from './compose-loader';
import { admitToEnvironments, environmentPlans } from './environment-rules';
import { Dial, composeHostIndex, dialsOf } from './dial-rules';
import { findOneShots, imageLeaders } from './service-roles';
import { needsShell, splitShellWords } from './shell-words';
import { attachOneShots, linkConnections, rewriteHosts } from './connection-plan';

/** Options of {@link transformCompose}. */
export interface ComposeTransformOptions {
  /** Project name: namespaces are `<project>-<environment>`. */
  readonly project: string;
  /** Production domain, for example `dinetogether.co.uk`. */
  readonly domain: string;
  /** @default - staging and production */
  readonly environments?: readonly ComposeEnvironmentOptions[];
  /** Ingress class of every environment that names none. @default 'traefik' */
  readonly ingressClassName?: string;
  /** Per-service overrides, merged over x-dit and dit.* labels. @default - none */
  readonly services?: { readonly [service: string]: DitServiceOverrides };
}

/** Seed 000's environments. */
export const DEFAULT_ENVIRONMENTS: readonly ComposeEnvironmentOptions[] = [{ name: 'staging' }, { name: 'production' }];

/**
 * Seed 000's environment mapping, with the options' overrides; `services` that say
 * x-dit.allowLatest make the non-production environments accept `latest` (reported to `note`).
 */
export function planEnvironments(
  options: ComposeTransformOptions, services: readonly ComposeService[] = [], note: (service: string, message: string) => void = () => undefined,
): EnvironmentPlan[] {
  return environmentPlans(options.project, options.domain, options.ingressClassName, options.environments ?? DEFAULT_ENVIRONMENTS, services, note);
}

/** What the transform knows about a service before planning it. */
interface ServiceContext {
  readonly image?: ImageReference;
  readonly facts: DialedFacts;
  /** The service whose image this one runs. */
  readonly leader?: string;
  /** Services that make this one public: it is the only entry point with a published web port. */
  readonly entryPoint?: string;
}

/**
 * The pure transform: a compose model to component plans and the conversion report. Throws
 * one {@link ComposeError} listing every service it cannot convert.
 */
export function transformCompose(model: ComposeModel, options: ComposeTransformOptions): ProjectPlan {
  const report: ReportLine[] = [];
  const issues: ComposeIssue[] = [];
  const note = (service: string, message: string) => report.push({ service, message });
  const services = model.services.map((s) => ({ ...s, dit: { ...s.dit, ...options.services?.[s.name] } }));
  const environments = planEnvironments(options, services.filter((s) => !s.dit.skip), note);
  for (const key of model.unsupported) note('(project)', `top-level key '${key}' not supported`);
  for (const name of model.unsetVariables) note('(project)', `variable ${name} is not set; it became an empty string`);
  for (const name of model.inactiveServices) note(name, 'left out (its profile is not enabled)');

  const kept = services.filter((s) => {
    if (s.dit.skip) note(s.name, 'skipped (x-dit.skip or dit.skip)');
    return !s.dit.skip;
  });
  for (const s of kept) {
    if (s.composeName) note(s.name, `renamed from ${s.composeName}: a Kubernetes name is a DNS-1123 label ('-', not '_' or '.'); values that name ${s.composeName} are rewritten to ${s.name}`);
    if (s.passedThrough) note(s.name, `env ${s.passedThrough.join(', ')} passed through from the environment (listed without a value; set when imported)`);
  }
  const images = new Map<string, ImageReference | undefined>();
  for (const s of kept) {
    if (s.image === undefined) continue;
    const image = parseImage(s.image);
    if (!image) issues.push({ file: s.file, service: s.name, key: 'image', message: `got ${JSON.stringify(s.image)}; expected an image reference such as ghcr.io/org/app:1.0.0 (lowercase path, tag of letters, digits, '_', '.', '-')` });
    images.set(s.name, image);
  }
  if (issues.length > 0) throw new ComposeError(issues);

  const index = composeHostIndex(kept);
  const dials = new Map(kept.map((s) => [s.name, dialsOf(s, index)]));
  const oneShots = findOneShots(kept);
  const isDatabase = (s: ComposeService) => s.dit.kind === 'database' || (s.dit.kind === undefined && databaseChart(images.get(s.name)) !== undefined);
  const leaders = imageLeaders(kept, (s) => !isDatabase(s) && !oneShots.has(s.name));
  const facts = (s: ComposeService): DialedFacts => {
    const toIt = [...dials.values()].flat().filter((d) => d.target === s.name);
    const ports = toIt.filter((d) => d.port !== undefined).map((d) => ({ number: d.port!, protocol: d.protocol }));
    return { ports, dialedBy: [...new Set(toIt.map((d) => d.from))], dependedOnBy: kept.filter((o) => o.dependsOn.includes(s.name)).map((o) => o.name) };
  };
  const entryPoints = findEntryPoints(kept.filter((s) => !oneShots.has(s.name) && !isDatabase(s)), dials);

  const plans = new Map<string, ComponentPlan>();
  for (const service of kept) {
    const oneShot = oneShots.get(service.name);
    if (oneShot) continue;
    const context: ServiceContext = { image: images.get(service.name), facts: facts(service), leader: leaders.get(service.name), entryPoint: entryPoints.get(service.name) };
    const issue = (key: string, message: string) => issues.push({ file: service.file, service: service.name, key, message });
    const plan = planService(service, model, environments, options, context, (m) => note(service.name, m), issue);
    if (plan) plans.set(service.name, plan);
  }
  if (issues.length > 0) throw new ComposeError(issues);
  attachOneShots(kept, oneShots, plans, note);
  linkConnections(kept, plans, dials, oneShots, note, (name) => knownImagePort(images.get(name)) ?? databaseChart(images.get(name))?.port);
  rewriteHosts(kept, plans, dials, note);
  admitToEnvironments(plans, environments, new Set(kept.filter((s) => s.dit.allowLatest).map((s) => s.name)), note);
  // Every component is declared in every environment (pending or waiting where it cannot run
  // yet), so a project is empty only when every service was skipped or is a one-shot.
  if (plans.size === 0) {
    const files = [...new Set(model.services.map((s) => s.file))];
    throw new ComposeError([
      { file: files.join(', ') || '(project)', key: 'services', message: 'no service becomes a component (each is skipped or a one-shot that runs as no service\'s hook Job), so the project would be empty; expected at least one service to deploy' },
      ...model.services.map((s) => ({ file: s.file, service: s.name, key: 'services', message: report.filter((l) => l.service === s.name).map((l) => l.message).slice(-1)[0] ?? 'not converted' })),
    ]);
  }
  return { project: options.project, environments, components: dependencyOrder([...plans.values()]), report };
}

// Container ports a browser or an ingress reaches: what makes a published port a way in.
const WEB_PORT = (n: number) => [80, 443, 2368, 4000, 4200, 5000, 5173, 5678, 9000].includes(n) || (n >= 3000 && n <= 3999) || (n >= 8000 && n <= 8999);

/**
 * Services that publish a web port on the host (not only on loopback) and that no other such
 * service calls or waits for: the ways into the app, which become public. A proxy that
 * publishes 80 and calls the API makes the API internal even when the API publishes too.
 */
function findEntryPoints(services: readonly ComposeService[], dials: ReadonlyMap<string, readonly Dial[]>): Map<string, string> {
  const published = (s: ComposeService) => s.ports.filter((p) => p.protocol === 'tcp' && !/^(127\.|::1$|localhost$)/.test(p.hostIp ?? '') && (WEB_PORT(p.target) || WEB_PORT(Number(p.published))));
  const candidates = services.filter((s) => published(s).length > 0 && s.dit.expose === undefined && !s.networks.includes('ingress'));
  // Ways in already: a service on the ingress network or exposed by x-dit.
  const doors = [...candidates, ...services.filter((s) => s.networks.includes('ingress') || s.dit.expose === 'public')];
  const out = new Map<string, string>();
  for (const s of candidates) {
    const callers = doors.filter((o) => o !== s && (o.dependsOn.includes(s.name) || (dials.get(o.name) ?? []).some((d) => d.target === s.name)));
    if (callers.length > 0) continue;
    const p = published(s)[0];
    out.set(s.name, `public: publishes ${p.published ? `${p.published}→` : ''}${p.target} on the host and is ${doors.length === 1 ? 'the only entry point' : 'an entry point (no other way in calls it)'}; set x-dit.expose: internal to keep it in`);
  }
  return out;
}

function planService(
  service: ComposeService, model: ComposeModel, environments: readonly EnvironmentPlan[], options: ComposeTransformOptions,
  context: ServiceContext, note: (message: string) => void, issue: (key: string, message: string) => void,
): ComponentPlan | undefined {
  const image = context.image;
  const detected = detectPorts(service, image, context.facts);
  const kind = detectKind(service, image, detected.value);
  note(`${kind.value} (${kind.why})`);
  note(detected.why);
  // The golden charts' first port is the one probes and the Ingress use: a TCP one when there is one.
  const portList = kind.value === 'worker' ? [] : [...detected.value.filter((p) => p.protocol === 'TCP'), ...detected.value.filter((p) => p.protocol !== 'TCP')];
  if (kind.value === 'worker' && detected.value.length > 0) note(`ports ${detected.value.map((p) => p.number).join(', ')} dropped: a worker serves nothing (x-dit.kind: worker)`);
  const ports = { ...detected, value: portList };
  for (const key of service.unsupported) note(`key '${key}' not supported`);
  if (image && service.hasBuild) note(`build ignored: the cluster pulls ${service.image}, which CI builds`);
  const labels = Object.keys(service.labels).filter((k) => !k.startsWith('dit.'));
  if (labels.length > 0) note(`labels ${labels.join(', ')} not carried over (pods carry Helm's labels)`);
  const publicDecision = exposure(service, kind.value, ports.value, context.entryPoint);
  note(publicDecision.why);
  const base = { service: service.name, name: service.name, kind: kind.value, ports: ports.value, dependsOn: [], connectsTo: [] };

  if (kind.value === 'database') {
    const db = databaseChart(image) ?? { chart: proposeDnsName(service.name), port: ports.value[0]?.number ?? 80, sizePath: ['persistence', 'size'] };
    const chart = planDatabase(service, model, db, image, environments, note);
    if (service.dit.suspend) note('HelmRelease suspended (x-dit.suspend)');
    return { ...base, ingressFrom: [], chart: { ...chart, ...(service.dit.suspend ? { suspend: true } : {}) } };
  }

  const name = service.name;
  const user = kind.value === 'client' ? 101 : 1654;
  const privileged = ports.value.filter((p) => p.number < 1024).map((p) => p.number);
  note(`runs as non-root user ${user} (the ${kind.value === 'client' ? 'client' : 'api'} chart's default)${privileged.length > 0 ? `; port ${privileged.join(', ')} is privileged: the image must allow a non-root user to bind it (nginx-unprivileged listens on 8080), or set x-dit.port` : ''}`);
  const httpPort = ports.value.find((p) => p.protocol === 'TCP');
  const commands = commandsOf(service, issue, note);
  const volumes = planVolumes(service, model, note);
  const { configs, secretKeys } = splitEnvironment(service, note);
  const infisical = secretKeys.length > 0 || service.secrets.length > 0;
  for (const key of secretKeys) note(`env ${key} → Infisical /${name} (secret-looking; value not written)`);
  for (const s of service.secrets) note(`secret ${s.source} → Infisical /${name} key ${s.source} (compose mounted it at ${s.target.startsWith('/') ? s.target : `/run/secrets/${s.target}`}; the chart injects it as an environment variable)`);
  for (const c of service.configs) note(`config ${c.source} not supported (file content; ship it in the image or a ConfigMap)`);

  const own = context.leader ? undefined : imagePlan(service, image, environments, options, note);
  if (context.leader) note(`runs ${context.leader}'s image (imageFrom ${context.leader}: the same ${service.image ? `image ${service.image}` : 'build'}); one set-image of ${context.leader} moves both`);
  const probes = probesOf(service, kind.value, ports.value, image, note);

  const golden: GoldenPlanProps = {
    ...(service.replicas !== undefined ? { replicas: service.replicas } : {}),
    ...(own ? { image: own.image } : {}),
    ...commands,
    ...resourcesOf(service, note),
    ...(Object.keys(configs).length > 0 ? { configs } : {}),
    ...(infisical ? { infisical: { secretsPath: `/${name}` } } : {}),
    ...withInfisicalTokens(ingressOf(service, publicDecision.value, environments, note), infisical ? service : undefined, [...secretKeys, ...service.secrets.map((s) => s.source)], environments, note),
    ...(service.dit.suspend ? { suspend: true } : {}),
    ...(probes ? { probes } : {}),
    ...(own && own.imagePullSecrets.length > 0 ? { imagePullSecrets: own.imagePullSecrets } : {}),
    ...(Object.keys(volumes).length > 0 ? { volumes } : {}),
  };
  if (service.replicas !== undefined) note(`replicas ${service.replicas} (deploy.replicas)`);
  if (service.dit.suspend) note('HelmRelease suspended (x-dit.suspend)');
  return {
    ...base,
    ingressFrom: publicDecision.value ? ingressRules(httpPort!, environments) : [],
    golden,
    ...(own?.imageAutomation ? { imageAutomation: own.imageAutomation } : {}),
    ...(context.leader ? { imageFrom: context.leader } : {}),
  };
}

/** The image a service runs, its pull secret and its automation. */
function imagePlan(service: ComposeService, image: ImageReference | undefined, environments: readonly EnvironmentPlan[], options: ComposeTransformOptions, note: (m: string) => void): {
  image: NonNullable<GoldenPlanProps['image']>; imagePullSecrets: string[]; imageAutomation?: ComponentPlan['imageAutomation'];
} {
  const name = service.name;
  const dockerHub = image !== undefined && (image.registry === undefined || image.registry === 'docker.io' || image.registry === 'index.docker.io');
  const repository = image ? (image.registry === 'ghcr.io' || dockerHub ? image.path : `${image.registry}/${image.path}`) : `${options.project}/${name}`;
  const registry = image ? image.registry : 'ghcr.io';
  const tag = image?.tag ?? 'latest';
  const digest = service.dit.imageDigest ?? image?.digest;
  if (service.dit.imageDigest) note(`image digest ${service.dit.imageDigest} (x-dit.imageDigest${image?.digest && image.digest !== service.dit.imageDigest ? `, instead of the compose reference's ${image.digest}` : ''})`);
  if (!image) note(`build only: image ghcr.io/${repository}:latest expected from CI, deployed through set-image`);
  else note(`image ${image.registry ? `${image.registry}/` : ''}${image.path} tag ${tag}${image.digest ? ' (digest pinned)' : ''}${image.tagGiven ? '' : ' (no tag given: compose pulls latest)'}${dockerHub ? '; registry Docker Hub (ImageRegistry.dockerHub(), no pull secret)' : ''}`);
  const imagePullSecrets: string[] = [];
  if (!dockerHub && isPrivateRegistry(registry)) {
    const secret = registry === 'ghcr.io' ? 'ghcr-auth' : `${proposeDnsName(registry!)}-auth`;
    imagePullSecrets.push(secret);
    note(`imagePullSecrets ${secret} (private registry ${registry})`);
  }
  const version = semverTag(tag);
  let imageAutomation: ComponentPlan['imageAutomation'];
  const paused = service.dit.autoDeploy === false;
  if (version && registry === 'ghcr.io') {
    imageAutomation = { range: `>=${version}`, environments: environments.map((e) => e.name), ...(paused ? { suspend: true } : {}) };
    note(`image automation: semver ${imageAutomation.range}${paused ? ', suspended (x-dit.autoDeploy: false): Flux scans but commits nothing' : ''}`);
  } else if (!version) {
    note(`tag ${tag} cannot be ordered: deployed through set-image (no ImagePolicy)${paused ? '; x-dit.autoDeploy: false has no automation to suspend' : ''}`);
  } else {
    note(`tag ${tag} of an image outside ghcr.io: pinned, not automated`);
  }
  return { image: { repository, tag, ...(digest ? { digest } : {}), ...(dockerHub ? { registry: 'docker.io' } : {}) }, imagePullSecrets, ...(imageAutomation ? { imageAutomation } : {}) };
}

/**
 * compose `entrypoint` → `command` (it replaces the image's ENTRYPOINT) and compose `command`
 * → `args` (it replaces CMD), as Kubernetes reads them. A string is split into shell words the
 * way compose splits it; no shell runs, as under compose.
 */
function commandsOf(service: ComposeService, issue: (key: string, message: string) => void, note: (m: string) => void): Pick<GoldenPlanProps, 'command' | 'args'> {
  const out: { command?: string[]; args?: string[] } = {};
  for (const [key, field] of [['entrypoint', 'command'], ['command', 'args']] as const) {
    const value = service[key];
    if (value === undefined) continue;
    let words: string[];
    if (typeof value === 'string') {
      const split = splitShellWords(value);
      if (split.problem) {
        issue(key, `${JSON.stringify(value)} ${split.problem}; expected a command compose can split into words`);
        continue;
      }
      words = split.words;
      note(`${key} ${JSON.stringify(value)} → ${field} ${JSON.stringify(words)} (split into shell words as compose splits it: quotes respected, no shell${needsShell(words) ? `; it uses shell syntax, which runs only under ['sh', '-c', …] as under compose` : ''})`);
    } else {
      words = [...value];
      note(`${key} → ${field} ${JSON.stringify(words)} (compose ${key} replaces the image's ${key === 'entrypoint' ? 'ENTRYPOINT' : 'CMD'}, as Kubernetes ${field} does)`);
    }
    if (words.length === 0 || words.some((w) => w === '') && field === 'command') {
      note(`${key} is empty: the image's ${key === 'entrypoint' ? 'ENTRYPOINT' : 'CMD'} is kept`);
      continue;
    }
    out[field] = words;
  }
  return out;
}

function exposure(service: ComposeService, kind: string, ports: readonly PortPlan[], entryPoint: string | undefined): { value: boolean; why: string } {
  if (kind === 'database') return { value: false, why: `internal (databases stay internal${service.dit.expose === 'public' ? '; x-dit.expose: public ignored: put an API in front of it' : ''})` };
  if (service.dit.expose === 'public' && !ports.some((p) => p.protocol === 'TCP')) return { value: false, why: 'internal: x-dit.expose is public, but the service has no TCP port for an ingress' };
  if (service.dit.expose) return { value: service.dit.expose === 'public', why: `${service.dit.expose} (x-dit.expose or dit.expose)` };
  if (ports.length === 0) return { value: false, why: 'internal (no port)' };
  if (!ports.some((p) => p.protocol === 'TCP')) return { value: false, why: 'internal (no TCP port for an ingress)' };
  if (service.networks.includes('ingress')) return { value: true, why: 'public (on the ingress network)' };
  if (entryPoint) return { value: true, why: entryPoint };
  const published = service.ports.length > 0 ? '; its published ports are reached through an entry point that calls it, or only on loopback' : '';
  const networks = service.networks.length === 1 && service.networks[0] === 'default' ? 'default network only' : `networks ${service.networks.join(', ')}; none is ingress`;
  return { value: false, why: `internal (${networks}${published})` };
}

function ingressOf(service: ComposeService, isPublic: boolean, environments: readonly EnvironmentPlan[], note: (m: string) => void): { ingress?: IngressPlan; overrides?: GoldenPlanProps['overrides'] } {
  if (!isPublic) return {};
  const classes = new Set(environments.map((e) => e.ingressClassName));
  const className = service.dit.ingress?.className ?? (classes.size === 1 ? environments[0]?.ingressClassName : undefined);
  const host = service.dit.host;
  const ingress: IngressPlan = {
    ...(host && !host.includes('.') ? { subdomain: host } : {}),
    ...(className ? { className } : {}),
    ...(service.dit.ingress?.annotations ? { annotations: service.dit.ingress.annotations } : {}),
  };
  const overrides: { [env: string]: { ingress: IngressPlan } } = {};
  for (const env of environments) {
    const envIngress: IngressPlan = {
      ...(host?.includes('.') ? { host: env.name === 'production' ? host : `${env.name}.${host}` } : {}),
      ...(className === undefined ? { className: env.ingressClassName } : {}),
    };
    if (Object.keys(envIngress).length > 0) overrides[env.name] = { ingress: envIngress };
    const shown = envIngress.host ?? `${host && !host.includes('.') ? host : service.name}.${env.domain}`;
    note(`ingress ${env.name}: ${shown} (class ${envIngress.className ?? className})`);
  }
  if (service.dit.ingress?.annotations) note(`ingress annotations ${Object.keys(service.dit.ingress.annotations).sort().join(', ')} (x-dit.ingress.annotations)`);
  return { ingress, ...(Object.keys(overrides).length > 0 ? { overrides } : {}) };
}

/**
 * Infisical per environment: the chart's operator signs in with a token sealed for the
 * environment (x-dit.infisical.sealedToken.<env>). Without one, Infisical is off there and the
 * report lists the keys the service will lack; the secret's value is never written either way.
 */
function withInfisicalTokens(
  ingress: ReturnType<typeof ingressOf>, service: ComposeService | undefined, keys: readonly string[], environments: readonly EnvironmentPlan[], note: (m: string) => void,
): ReturnType<typeof ingressOf> {
  const tokens = service?.dit.infisical?.sealedToken ?? {};
  for (const env of Object.keys(tokens).filter((e) => !environments.some((p) => p.name === e))) note(`x-dit.infisical.sealedToken.${env} ignored: the project has no environment ${env}`);
  if (!service) return ingress;
  const overrides: { [env: string]: NonNullable<GoldenPlanProps['overrides']>[string] } = { ...ingress.overrides };
  for (const env of environments) {
    const token = tokens[env.name];
    overrides[env.name] = { ...overrides[env.name], infisical: token ? { sealedToken: token } : { enabled: false } };
    note(token
      ? `Infisical ${env.name}: sealed token from x-dit.infisical.sealedToken.${env.name}`
      : `Infisical off in ${env.name}: no sealed token (set x-dit.infisical.sealedToken.${env.name} to kubeseal --raw output); ${keys.join(', ')} will be missing there until one is given`);
  }
  return { ...ingress, overrides };
}

function ingressRules(port: PortPlan, environments: readonly EnvironmentPlan[]): IngressRulePlan[] {
  const byController = new Map<'traefik' | 'nginx', string[]>();
  for (const env of environments) {
    const controller = env.ingressClassName === 'nginx' ? 'nginx' : 'traefik';
    byController.set(controller, [...(byController.get(controller) ?? []), env.name]);
  }
  return [...byController].map(([controller, envs]) => ({ controller, port, ...(byController.size > 1 ? { environments: envs } : {}) }));
}

function splitEnvironment(service: ComposeService, note: (m: string) => void): { configs: { [key: string]: string }; secretKeys: string[] } {
  const configs: { [key: string]: string } = {};
  const secretKeys: string[] = [];
  for (const [key, value] of Object.entries(service.environment)) {
    if (value === undefined) note(`env ${key} has no value (compose passes it from the host): not set`);
    // An empty value (usually an unset ${VAR}) under a secret's key is still a secret: the store must provide it.
    else if (looksLikeSecret(key, value === '' ? 'unset' : value)) secretKeys.push(key);
    else {
      configs[key] = value;
      if (value.startsWith('/run/secrets/')) note(`env ${key} points at ${value}: the chart injects secrets as environment variables, not files; read the secret's own variable instead`);
    }
  }
  return { configs, secretKeys };
}

// DIT's own registries: images built to DIT's service manual, which serve GET /health.
const DIT_IMAGE = (image: ImageReference | undefined) => image !== undefined && (image.registry === 'reg.dev.krd' || (image.registry === 'ghcr.io' && image.path.startsWith('ditkrg/')));

/**
 * Probes only where the app has them: the healthcheck's; without one, the charts' GET /health
 * for an image from DIT's own registry (or x-dit.probe: a path the team says the app serves);
 * any other image need not serve /health, so its probes only check that its first port
 * accepts a TCP connection (`probes.tcp`): a process that died or never listened is caught,
 * and no request is made that the app might not answer.
 */
function probesOf(service: ComposeService, kind: string, ports: readonly PortPlan[], image: ImageReference | undefined, note: (m: string) => void): ProbeValues | undefined {
  if (service.healthcheck) {
    const probes = healthcheckProbes(service.healthcheck);
    note(probes.why);
    return probes.value;
  }
  if (kind === 'worker' || ports.length === 0) {
    note('no healthcheck: no probes (it serves no port; the process running is the only signal, as under compose)');
    return { enabled: false };
  }
  if (service.dit.probe === 'none') {
    note('no healthcheck: no probes (x-dit.probe: none)');
    return { enabled: false };
  }
  if (service.dit.probe) {
    note(`no healthcheck: GET ${service.dit.probe} on port ${ports[0].number} (x-dit.probe: the team says the app serves it)`);
    return { path: service.dit.probe };
  }
  if (DIT_IMAGE(image)) {
    note(`no healthcheck: the chart's GET /health on port ${ports[0].number} (an image of DIT's own registry follows DIT's service manual)`);
    return undefined;
  }
  const whose = image ? `image ${service.image} is not DIT's` : 'a build-only image';
  if (ports[0].protocol !== 'TCP') {
    note(`no healthcheck: no probes (${whose} and need not serve GET /health, and it listens on no TCP port a probe could connect to; set x-dit.probe: /path if it serves one)`);
    return { enabled: false };
  }
  note(`no healthcheck: TCP probes of port ${ports[0].number} (${whose} and need not serve GET /health, so readiness and liveness only check that the port accepts a connection; set x-dit.probe: /path if it serves one, or none for no probe)`);
  return { tcp: true };
}

/**
 * deploy.resources as the chart's resources. Helm merges the values over the chart's defaults
 * (requests 50m / 256Mi, memory limit 256Mi), so a quantity compose leaves out is filled the
 * way Kubernetes would, never from a default that contradicts it: a limit without a
 * reservation is also the request, and a memory reservation without a limit is also the limit.
 */
function resourcesOf(service: ComposeService, note: (m: string) => void): Pick<GoldenPlanProps, 'resources'> {
  const limits: { cpu?: string; memory?: string } = service.limits ? toQuantities(service.limits) : {};
  const requests: { cpu?: string; memory?: string } = service.reservations ? toQuantities(service.reservations) : {};
  if (Object.keys(limits).length === 0 && Object.keys(requests).length === 0) return {};
  const show = (q: { cpu?: string; memory?: string }) => [q.cpu && `cpu ${q.cpu}`, q.memory && `memory ${q.memory}`].filter(Boolean).join(', ');
  note(`resources: ${[Object.keys(limits).length > 0 && `limits ${show(limits)}`, Object.keys(requests).length > 0 && `requests ${show(requests)}`].filter(Boolean).join('; ')} (deploy.resources)`);
  const filled: string[] = [];
  for (const key of ['cpu', 'memory'] as const) {
    if (requests[key] === undefined && limits[key] !== undefined) {
      requests[key] = limits[key];
      filled.push(`request ${key} ${limits[key]} = the limit (no reservation; Kubernetes' own default)`);
    }
  }
  if (limits.memory === undefined && requests.memory !== undefined) {
    limits.memory = requests.memory;
    filled.push(`memory limit ${requests.memory} = the reservation (no limit; the chart's 256Mi could be below it)`);
  }
  if (filled.length > 0) note(`resources: ${filled.join('; ')}`);
  return { resources: { requests, ...(Object.keys(limits).length > 0 ? { limits } : {}) } };
}

/** Components with every dependency first, otherwise in file order. */
function dependencyOrder(plans: readonly ComponentPlan[]): ComponentPlan[] {
  const byName = new Map(plans.map((p) => [p.name, p]));
  const out: ComponentPlan[] = [];
  const visiting = new Set<string>();
  const visit = (plan: ComponentPlan) => {
    if (out.includes(plan)) return;
    if (visiting.has(plan.name)) throw new ComposeError([{ file: '(project)', service: plan.service, key: 'depends_on', message: `forms a cycle through ${plan.name}; expected dependencies that end somewhere` }]);
    visiting.add(plan.name);
    plan.dependsOn.forEach((d) => visit(byName.get(d)!));
    if (plan.imageFrom && byName.has(plan.imageFrom)) visit(byName.get(plan.imageFrom)!);
    visiting.delete(plan.name);
    out.push(plan);
  };
  plans.forEach(visit);
  return out;
}
