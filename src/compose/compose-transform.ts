import { looksLikeSecret } from '../components/secrets';
import type { ProbeValues } from '../components/chart-values';
import { ComposeError, ComposeIssue, ComposeModel, ComposeService, DitServiceOverrides } from './compose-model';
import { ComponentPlan, ComposeEnvironmentOptions, EnvironmentPlan, GoldenPlanProps, IngressPlan, IngressRulePlan, PortPlan, ProjectPlan, ReportLine } from './component-plan';
import { planDatabase, planVolumes } from './volume-rules';
import {
  ImageReference, databaseChart, detectKind, detectPorts, healthcheckProbes, isPrivateRegistry, parseImage, semverTag, toQuantities,
} from './service-rules';
import { proposeDnsName } from './compose-loader';
import { admitToEnvironments, environmentPlans } from './environment-rules';

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
  const plans = new Map<string, ComponentPlan>();
  for (const service of kept) {
    const issue = (key: string, message: string) => issues.push({ file: service.file, service: service.name, key, message });
    const plan = planService(service, model, environments, options, (m) => note(service.name, m), issue);
    if (plan) plans.set(service.name, plan);
  }
  if (issues.length > 0) throw new ComposeError(issues);
  linkDependencies(kept, plans, note);
  admitToEnvironments(plans, environments, new Set(kept.filter((s) => s.dit.allowLatest).map((s) => s.name)), note);
  if (plans.size === 0) {
    const files = [...new Set(model.services.map((s) => s.file))];
    throw new ComposeError([
      { file: files.join(', ') || '(project)', key: 'services', message: `no service can be deployed to any environment (${environments.map((e) => e.name).join(', ')}), so the project would be empty; expected at least one service that meets an environment's rules: a tagged image (or x-dit.allowLatest: true outside production), and a semantic-version tag with a digest for production` },
      ...kept.map((s) => ({ file: s.file, service: s.name, key: 'image', message: report.filter((l) => l.service === s.name && l.message.startsWith('not deployed to')).map((l) => l.message).join('; ') || 'not converted' })),
    ]);
  }
  return { project: options.project, environments, components: dependencyOrder([...plans.values()]), report };
}

function planService(
  service: ComposeService, model: ComposeModel, environments: readonly EnvironmentPlan[], options: ComposeTransformOptions,
  note: (message: string) => void, issue: (key: string, message: string) => void,
): ComponentPlan | undefined {
  let image: ImageReference | undefined;
  if (service.image !== undefined) {
    image = parseImage(service.image);
    if (!image) return void issue('image', `got ${JSON.stringify(service.image)}; expected an image reference such as ghcr.io/org/app:1.0.0 (lowercase path, tag of letters, digits, '_', '.', '-')`);
  }
  const kind = detectKind(service, image);
  note(`${kind.value} (${kind.why})`);
  const detected = detectPorts(service, kind.value, image);
  note(detected.why);
  // The golden charts' first port is the one probes and the Ingress use: a TCP one when there is one.
  const ports = { ...detected, value: [...detected.value.filter((p) => p.protocol === 'TCP'), ...detected.value.filter((p) => p.protocol !== 'TCP')] };
  for (const key of service.unsupported) note(`key '${key}' not supported`);
  if (image && service.hasBuild) note(`build ignored: the cluster pulls ${service.image}, which CI builds`);
  const labels = Object.keys(service.labels).filter((k) => !k.startsWith('dit.'));
  if (labels.length > 0) note(`labels ${labels.join(', ')} not carried over (pods carry Helm's labels)`);
  const publicDecision = exposure(service, kind.value, ports.value);
  note(publicDecision.why);
  const base = { service: service.name, name: service.name, kind: kind.value, ports: ports.value, dependsOn: [], connectsTo: [] };

  if (kind.value === 'database') {
    const db = databaseChart(image) ?? { chart: proposeDnsName(service.name), port: ports.value[0]?.number ?? 80, sizePath: ['persistence', 'size'] };
    const chart = planDatabase(service, model, db, image, note);
    if (service.dit.suspend) note('HelmRelease suspended (x-dit.suspend)');
    return { ...base, ingressFrom: [], chart: { ...chart, ...(service.dit.suspend ? { suspend: true } : {}) } };
  }

  const name = service.name;
  const user = kind.value === 'client' ? 101 : 1654;
  const privileged = ports.value.filter((p) => p.number < 1024).map((p) => p.number);
  note(`runs as non-root user ${user} (the ${kind.value === 'client' ? 'client' : 'api'} chart's default)${privileged.length > 0 ? `; port ${privileged.join(', ')} is privileged: the image must allow a non-root user to bind it (nginx-unprivileged listens on 8080), or set x-dit.port` : ''}`);
  const httpPort = ports.value.find((p) => p.protocol === 'TCP');
  const probes = probesOf(service, ports.value, note);
  const volumes = planVolumes(service, model, note);

  const repository = image ? (image.registry === 'ghcr.io' ? image.path : image.registry ? `${image.registry}/${image.path}` : image.path) : `${options.project}/${name}`;
  const registry = image ? image.registry : 'ghcr.io';
  const tag = image?.tag ?? 'latest';
  const digest = service.dit.imageDigest ?? image?.digest;
  if (service.dit.imageDigest) note(`image digest ${service.dit.imageDigest} (x-dit.imageDigest${image?.digest && image.digest !== service.dit.imageDigest ? `, instead of the compose reference's ${image.digest}` : ''})`);
  if (!image) note(`build only: image ghcr.io/${repository}:latest expected from CI, deployed through set-image`);
  else note(`image ${image.registry ? `${image.registry}/` : ''}${image.path} tag ${tag}${image.digest ? ' (digest pinned)' : ''}${image.tagGiven ? '' : ' (no tag given: compose pulls latest)'}`);
  const imagePullSecrets: string[] = [];
  if (isPrivateRegistry(registry)) {
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

  const { configs, secretKeys } = splitEnvironment(service, note);
  const infisical = secretKeys.length > 0 || service.secrets.length > 0;
  for (const key of secretKeys) note(`env ${key} → Infisical /${name} (secret-looking; value not written)`);
  for (const s of service.secrets) note(`secret ${s.source} → Infisical /${name} key ${s.source} (compose mounted it at ${s.target.startsWith('/') ? s.target : `/run/secrets/${s.target}`}; the chart injects it as an environment variable)`);
  for (const c of service.configs) note(`config ${c.source} not supported (file content; ship it in the image or a ConfigMap)`);

  const golden: GoldenPlanProps = {
    ...(service.replicas !== undefined ? { replicas: service.replicas } : {}),
    image: { repository, tag, ...(digest ? { digest } : {}) },
    ...resourcesOf(service, note),
    ...(Object.keys(configs).length > 0 ? { configs } : {}),
    ...(infisical ? { infisical: { secretsPath: `/${name}` } } : {}),
    ...withInfisicalTokens(ingressOf(service, publicDecision.value, environments, note), infisical ? service : undefined, [...secretKeys, ...service.secrets.map((s) => s.source)], environments, note),
    ...(service.dit.suspend ? { suspend: true } : {}),
    ...(probes ? { probes } : {}),
    ...(imagePullSecrets.length > 0 ? { imagePullSecrets } : {}),
    ...(Object.keys(volumes).length > 0 ? { volumes } : {}),
  };
  if (service.replicas !== undefined) note(`replicas ${service.replicas} (deploy.replicas)`);
  if (service.dit.suspend) note('HelmRelease suspended (x-dit.suspend)');
  return { ...base, ingressFrom: publicDecision.value ? ingressRules(httpPort!, environments) : [], golden, ...(imageAutomation ? { imageAutomation } : {}) };
}

function exposure(service: ComposeService, kind: string, ports: readonly PortPlan[]): { value: boolean; why: string } {
  if (kind === 'database') return { value: false, why: `internal (databases stay internal${service.dit.expose === 'public' ? '; x-dit.expose: public ignored: put an API in front of it' : ''})` };
  if (service.dit.expose === 'public' && !ports.some((p) => p.protocol === 'TCP')) return { value: false, why: 'internal: x-dit.expose is public, but the service has no TCP port for an ingress' };
  if (service.dit.expose) return { value: service.dit.expose === 'public', why: `${service.dit.expose} (x-dit.expose or dit.expose)` };
  if (ports.length === 0) return { value: false, why: 'internal (no port)' };
  if (!ports.some((p) => p.protocol === 'TCP')) return { value: false, why: 'internal (no TCP port for an ingress)' };
  if (service.networks.includes('ingress')) return { value: true, why: 'public (on the ingress network)' };
  const published = service.ports.some((p) => p.published !== undefined) ? '; host ports are not published in a cluster' : '';
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

/**
 * The healthcheck's probes; without one, the charts' GET /health on the first port, except for
 * a component with no port, whose probes are off (the lint reports it) rather than failing.
 */
function probesOf(service: ComposeService, ports: readonly PortPlan[], note: (m: string) => void): ProbeValues | undefined {
  if (service.healthcheck) {
    const probes = healthcheckProbes(service.healthcheck);
    note(probes.why);
    return probes.value;
  }
  if (ports.length === 0) {
    note(`no healthcheck and no port: probes off (the chart's GET /health has nothing to reach; add a healthcheck for an exec probe)`);
    return { enabled: false };
  }
  note(`no healthcheck: the chart's probes, GET /health on port ${ports[0].number} (DIT's service manual)`);
  return undefined;
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

function linkDependencies(services: readonly ComposeService[], plans: Map<string, ComponentPlan>, note: (s: string, m: string) => void): void {
  for (const service of services) {
    const plan = plans.get(service.name);
    if (!plan) continue;
    const dependsOn: string[] = [];
    const connectsTo: string[] = [];
    for (const target of service.dependsOn) {
      const other = plans.get(target);
      if (!other) {
        note(service.name, `depends on ${target}, which is not converted: dropped`);
        continue;
      }
      dependsOn.push(other.name);
      if (other.ports.length > 0) connectsTo.push(other.name);
      const condition = service.dependsOnConditions?.[target];
      const when = condition === 'service_healthy' ? ' (service_healthy: Flux waits for the release to be ready)'
        : condition === 'service_completed_successfully' ? ` (service_completed_successfully: ${target} runs once in compose but is a long-running workload here; make it a Job or an init container)` : '';
      note(service.name, `depends on ${target} → dependsOn ${other.name}${other.ports.length > 0 ? `, allowTo ${other.name} :${other.ports.map((p) => p.number).join(',')}` : ' (it listens on no port: no connection)'}${when}`);
    }
    plans.set(service.name, { ...plan, dependsOn, connectsTo });
  }
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
    visiting.delete(plan.name);
    out.push(plan);
  };
  plans.forEach(visit);
  return out;
}
