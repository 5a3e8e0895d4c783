import { Construct } from 'constructs';
import { DitEnvironment, DitEnvironmentProps } from '../app/environment';
import type { InfisicalValues } from '../components/chart-values';
import { SealedSecret } from '../components/secrets';
import { ImageTagRule } from '../images/image-tag-rule';
import { DitError } from '../app/errors';
import { DitComponent } from '../components/component';
import { DitApi } from '../components/dit-api';
import { DitClient } from '../components/dit-client';
import { GoldenChartComponent, GoldenChartProps } from '../components/golden-chart';
import { ChartSource, DitHelmChart } from '../components/helm-chart-component';
import { ImageSelection } from '../images/image-automation';
import { ImageRegistry } from '../images/image-registry';
import { DitWorker } from '../components/dit-worker';
import { IPeer, Peer } from '../network/peer';
import { Port } from '../network/port';
import { ComposeInput } from './compose-model';
import { loadCompose } from './compose-loader';
import { ComposeTransformOptions, DEFAULT_ENVIRONMENTS, transformCompose } from './compose-transform';
import { ComponentPlan, EnvironmentPlan, GoldenPlanProps, InfisicalPlan, IngressRulePlan, PortPlan, ProjectPlan, ReportLine } from './component-plan';

/** Props of {@link ComposeProject}. */
export interface ComposeProjectProps extends ComposeTransformOptions {
  /** The compose files (already read: see `readComposeInput` in dit-gitops for the disk). */
  readonly compose: ComposeInput;
  /**
   * Environments of the app to deploy into, by name, instead of creating
   * `<project>-<environment>` ones. Each plan environment must be listed.
   * @default - the project creates its environments
   */
  readonly existingEnvironments?: readonly DitEnvironment[];
  /**
   * Edits a component's plan before it is built: the override hook for anything x-dit
   * cannot say. Return the plan unchanged to keep it.
   * @default - none
   */
  readonly customize?: (plan: ComponentPlan) => ComponentPlan;
}

/**
 * A docker-compose project, converted at synthesis time into ordinary DitApi, DitClient and
 * DitHelmChart components beside the app's hand-written ones. The conversion is the same
 * one `dit-gitops import compose` prints as TypeScript; `report` explains each decision.
 */
export class ComposeProject extends Construct {
  /** The plan the components were built from. */
  public readonly plan: ProjectPlan;
  /** The environments the components are deployed in, by name. */
  public readonly environments: ReadonlyMap<string, DitEnvironment>;
  private readonly built = new Map<string, DitComponent>();

  constructor(scope: Construct, id: string, props: ComposeProjectProps) {
    super(scope, id);
    // Existing environments keep their own rules: the transform admits components by them.
    const environmentsWithRules = (props.environments ?? DEFAULT_ENVIRONMENTS).map((env) => {
      const e = props.existingEnvironments?.find((x) => x.name === env.name);
      return e ? { ...env, namespace: e.namespace, domain: e.domain, production: e.production, pinImageDigests: e.pinImageDigests, imageTagRule: e.imageTagRule } : env;
    });
    const plan = transformCompose(loadCompose(props.compose), { ...props, environments: environmentsWithRules });
    this.plan = { ...plan, components: plan.components.map((c) => props.customize?.(c) ?? c) };
    const environments = new Map<string, DitEnvironment>();
    for (const env of this.plan.environments) {
      const existing = props.existingEnvironments?.find((e) => e.name === env.name);
      if (props.existingEnvironments && !existing) {
        throw new DitError({ component: `compose project ${props.project}`, field: 'existingEnvironments' },
          `has no environment named ${env.name}; expected one of ${props.existingEnvironments.map((e) => e.name).join(', ')}, or the environments option to match them`);
      }
      environments.set(env.name, existing ?? new DitEnvironment(this, env.name, environmentProps(env)));
    }
    this.environments = environments;
    for (const component of this.plan.components) this.build(component);
    // Connections once every component exists: a connection may point forward in the order.
    for (const component of this.plan.components) this.connect(component);
  }

  /** The conversion report: one line per decision. */
  public get report(): readonly ReportLine[] {
    return this.plan.report;
  }

  /** The component built for a compose service (to add connections or overrides). */
  public component(service: string): DitComponent {
    const component = this.built.get(service);
    if (!component) {
      throw new DitError({ component: `compose project ${this.plan.project}`, field: `component(${service})` },
        `no component was built for ${JSON.stringify(service)}; expected one of ${[...this.built.keys()].join(', ')}`);
    }
    return component;
  }

  private build(plan: ComponentPlan): void {
    const envs = (names: readonly string[] | undefined) => names?.map((n) => this.environments.get(n)!);
    const common = {
      ports: plan.ports.map(toPort),
      ...(plan.environments ? { environments: envs(plan.environments) } : {}),
      ...(plan.dependsOn.length > 0 ? { dependsOn: plan.dependsOn.map((d) => this.built.get(d) as DitHelmChart | GoldenChartComponent) } : {}),
    };
    let component: DitComponent;
    if (plan.chart) {
      component = new DitHelmChart(this, plan.name, {
        ...common,
        source: ChartSource.helmRepository(plan.chart.repository),
        chart: plan.chart.chart,
        version: plan.chart.version,
        values: plan.chart.values,
        ...(plan.chart.suspend ? { suspend: true } : {}),
        ...(plan.chart.overrides ? { overrides: plan.chart.overrides } : {}),
      });
    } else {
      const props: GoldenChartProps = {
        ...goldenProps(plan.golden!), ...common,
        ...(plan.imageFrom ? { imageFrom: this.built.get(plan.imageFrom) as GoldenChartComponent } : {}),
      };
      if (plan.kind === 'worker') {
        const { ports: _none, ingress: _noIngress, overrides, ...workerProps } = props;
        component = new DitWorker(this, plan.name, { ...workerProps, ...(overrides ? { overrides: Object.fromEntries(Object.entries(overrides).map(([env, { ingress: _i, ...o }]) => [env, o])) } : {}) });
      } else {
        component = plan.kind === 'client' ? new DitClient(this, plan.name, props) : new DitApi(this, plan.name, props);
      }
      for (const job of plan.hookJobs ?? []) (component as GoldenChartComponent).addHookJob(job.name, { command: job.command, ...(job.args ? { args: job.args } : {}) });
      for (const env of envs(plan.imageAutomation?.environments) ?? []) {
        (component as GoldenChartComponent).enableImageAutomation(env, {
          selection: ImageSelection.semver(plan.imageAutomation!.range),
          ...(plan.imageAutomation!.suspend ? { suspend: true } : {}),
        });
      }
    }
    this.built.set(plan.service, component);
  }

  private connect(plan: ComponentPlan): void {
    const envs = (names: readonly string[] | undefined) => names?.map((n) => this.environments.get(n)!);
    const component = this.built.get(plan.service)!;
    for (const rule of plan.ingressFrom) component.connections.allowFrom(ingressPeer(rule), toPort(rule.port), rule.environments ? { environments: envs(rule.environments) } : {});
    for (const c of plan.connectsTo) component.connections.allowTo(this.built.get(c.target)!, c.ports.map(toPort));
    for (const h of plan.externalHosts ?? []) component.connections.allowTo(Peer.fqdn(h.host), h.ports.map(toPort));
    for (const h of plan.declaredHosts ?? []) component.connections.declareHost(h.host, h.why);
    if (plan.kind !== 'worker') finishPolicy(this.plan, plan, component);
  }
}

/** DitEnvironment props of a plan environment (what the emitter prints too). */
function environmentProps(env: EnvironmentPlan): DitEnvironmentProps {
  return {
    namespace: env.namespace, domain: env.domain, production: env.production, pinImageDigests: env.pinImageDigests,
    ...(env.imageTagRule ? { imageTagRule: env.imageTagRule } : env.allowLatest ? { imageTagRule: ImageTagRule.any({ allowLatest: true }) } : {}),
  };
}

/** Golden-chart props of a plan: sealed tokens become SealedSecrets. */
function goldenProps(golden: GoldenPlanProps): GoldenChartProps {
  const infisical = (plan: InfisicalPlan | undefined): InfisicalValues | undefined => plan && {
    ...(plan.secretsPath !== undefined ? { secretsPath: plan.secretsPath } : {}),
    ...(plan.enabled !== undefined ? { enabled: plan.enabled } : {}),
    ...(plan.sealedToken !== undefined ? { sealedToken: SealedSecret.fromCiphertext(plan.sealedToken) } : {}),
  };
  const { infisical: base, overrides, image, ...rest } = golden;
  return {
    ...rest,
    ...(image ? { image: (({ registry, ...i }) => (registry === 'docker.io' ? { ...i, registry: ImageRegistry.dockerHub() } : i))(image) } : {}),
    ...(base ? { infisical: infisical(base) } : {}),
    ...(overrides ? {
      overrides: Object.fromEntries(Object.entries(overrides).map(([env, o]) => [env, { ...(o.ingress ? { ingress: o.ingress } : {}), ...(o.infisical ? { infisical: infisical(o.infisical) } : {}), ...(o.image ? { image: o.image } : {}) }])),
    } : {}),
  };
}

/** The Port of a plan port. */
function toPort(port: PortPlan): Port {
  return port.protocol === 'UDP' ? Port.udp(port.number) : port.protocol === 'SCTP' ? Port.sctp(port.number) : Port.tcp(port.number);
}

/** The controller pods an ingress rule allows. */
function ingressPeer(rule: IngressRulePlan): IPeer {
  return rule.controller === 'traefik'
    ? Peer.traefik()
    : Peer.endpoint({ name: 'ingress-nginx', namespace: 'ingress-nginx', labels: { 'app.kubernetes.io/name': 'ingress-nginx' } });
}

/** Whether nothing reaches the component: no ingress rule and nobody connects to it. */
export function receivesNothing(project: ProjectPlan, plan: ComponentPlan): boolean {
  return plan.ingressFrom.length === 0 && !project.components.some((c) => c.connectsTo.some((t) => t.target === plan.name));
}

// Default-deny needs both directions stated: a component nobody reaches says so. Egress
// keeps the default DNS rule.
function finishPolicy(project: ProjectPlan, plan: ComponentPlan, component: DitComponent): void {
  if (receivesNothing(project, plan)) component.connections.denyAllIngress();
}
