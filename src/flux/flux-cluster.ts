import { Construct } from 'constructs';
import { Kustomization as FluxKustomization } from '../../imports/kustomize.toolkit.fluxcd.io';
import { Alert, Provider } from '../../imports/notification.toolkit.fluxcd.io';
import { GitRepository, HelmChart, HelmRepository } from '../../imports/source.toolkit.fluxcd.io';
import type { PlanContext } from '../app/plan-context';
import type { DitEnvironment } from '../app/environment';
import { DitError, received } from '../app/errors';
import { fluxDurationProblem } from '../app/kubernetes-names';
import { DataFile } from '../tree/gitops-file';
import { assertDnsLabel } from '../app/kubernetes-names';
import { PlainObject, mergeDefined, orderManifest } from '../tree/strategic-patch';

/** The GitRepository Flux pulls this repository from. */
export interface GitSourceOptions {
  /** `https://…` or `ssh://…` URL of this repository. */
  readonly url: string;
  /** @default 'main' */
  readonly branch?: string;
  /** Secret with the deploy key or token, in flux-system. @default 'flux-system' */
  readonly secretRef?: string;
  /** @default '1m' */
  readonly interval?: string;
}

/**
 * Where the golden charts (dit-common-api, dit-common-client, dit-gateway) come from: this
 * repository's `charts/` directory by default (the GitRepository every environment syncs
 * from), or a Helm repository (`url`, https:// or oci://).
 */
export interface GoldenChartSourceOptions {
  /** Helm repository URL: `https://…` or `oci://…`. @default - none: the charts come from the GitRepository at `path` */
  readonly url?: string;
  /** Directory of the charts in this repository (`<path>/<chart>`); only without `url`. @default './charts' */
  readonly path?: string;
  /** Chart version constraint; only with `url` (a Git source builds the chart at the synced revision). @default '*' */
  readonly version?: string;
  /** Secret with registry credentials, in flux-system; only with `url`. @default - none */
  readonly secretRef?: string;
  /** @default '10m' */
  readonly interval?: string;
}

/** A health check of the environment's Kustomization. */
export interface HealthCheck {
  readonly apiVersion?: string;
  readonly kind: string;
  readonly name: string;
  /** @default - the environment's namespace */
  readonly namespace?: string;
}

/** The Flux Kustomization of one environment (path `./<repositoryPath>/main/<env>`). */
export interface SyncOptions {
  /** @default '10m' */
  readonly interval?: string;
  /** @default '2m' */
  readonly retryInterval?: string;
  /** @default '5m' */
  readonly timeout?: string;
  /** @default true */
  readonly prune?: boolean;
  /** Waits for every applied object to be ready. @default true */
  readonly wait?: boolean;
  /** Objects to check instead of waiting for all. @default none */
  readonly healthChecks?: readonly HealthCheck[];
  /** Flux Kustomizations in flux-system applied first (for example infrastructure). @default none */
  readonly dependsOn?: readonly string[];
  /** Decrypts SOPS-encrypted files with this secret in flux-system. @default - no decryption */
  readonly sopsSecretRef?: string;
  /** Pauses the environment. @default false */
  readonly suspend?: boolean;
}

/** Slack notifications for the project's releases, Kustomizations and sources. */
export interface SlackOptions {
  readonly channel: string;
  /** Secret in flux-system holding the webhook `address` (or `token`). Required. */
  readonly secretRef: string;
  /** `info` reports every rollout, `error` only failures. @default 'info' */
  readonly severity?: 'info' | 'error';
}

/** Props of {@link FluxCluster}. */
export interface FluxClusterProps {
  /** Project name: prefix of the Flux objects (GitRepository, Kustomizations, alerts). */
  readonly name: string;
  readonly git: GitSourceOptions;
  /**
   * Where the golden HelmCharts take their charts from; `false` when the platform team ships
   * the HelmCharts in flux-system. @default - this repository's `./charts/<chart>` through the GitRepository
   */
  readonly goldenCharts?: GoldenChartSourceOptions | false;
  /** @default - the SyncOptions defaults */
  readonly sync?: SyncOptions;
  /** @default - no notifications */
  readonly slack?: SlackOptions;
  /** Sync options that differ per environment. @default none */
  readonly overrides?: { readonly [environment: string]: SyncOptions & { readonly slackSeverity?: 'info' | 'error'; readonly branch?: string } };
}

const FLUX_NS = 'flux-system';
const URL_SCHEMES = /^(https?|ssh):\/\/\S+$/;
const HELM_URL = /^(https?|oci):\/\/\S+$/;
const CLUSTER_SYMBOL = Symbol.for('dit-gitops.FluxCluster');

/**
 * What makes a cluster pull the tree, one directory per environment under
 * `clusters/<env>/`: the GitRepository, the environment's Flux Kustomization, the golden
 * charts' HelmRepository and HelmCharts, and Slack notifications. Apply it once per cluster
 * (for example from the cluster's bootstrap repository).
 */
export class FluxCluster extends Construct {
  public static isFluxCluster(x: unknown): x is FluxCluster {
    return typeof x === 'object' && x !== null && CLUSTER_SYMBOL in x;
  }

  public readonly name: string;

  constructor(scope: Construct, id: string, private readonly props: FluxClusterProps) {
    super(scope, id);
    Object.defineProperty(this, CLUSTER_SYMBOL, { value: true });
    this.name = props.name;
    assertDnsLabel(props.name, { component: `FluxCluster ${id}`, field: 'name' });
    const where = (field: string) => ({ component: `FluxCluster ${props.name}`, field });
    if (!URL_SCHEMES.test(props.git.url)) throw new DitError(where('git.url'), `got ${received(props.git.url)}; expected an https:// or ssh:// repository URL`);
    const charts = props.goldenCharts;
    if (charts && charts.url !== undefined && !HELM_URL.test(charts.url)) {
      throw new DitError(where('goldenCharts.url'), `got ${received(charts.url)}; expected an http(s):// or oci:// Helm repository URL`);
    }
    if (charts && charts.url === undefined) {
      for (const field of ['version', 'secretRef'] as const) {
        if (charts[field] !== undefined) throw new DitError(where(`goldenCharts.${field}`), `got ${received(charts[field])} without goldenCharts.url; expected it only with a Helm repository (a Git source builds the chart at the synced revision)`);
      }
      if (charts.path !== undefined && !/^\.\/[A-Za-z0-9._/-]*[A-Za-z0-9._-]$|^\.$/.test(charts.path)) {
        throw new DitError(where('goldenCharts.path'), `got ${received(charts.path)}; expected a path in this repository such as ./charts`);
      }
    }
    if (charts && charts.url !== undefined && charts.path !== undefined) {
      throw new DitError(where('goldenCharts.path'), `got ${received(charts.path)} with goldenCharts.url; expected one source: a Helm repository url or a path in this repository`);
    }
    // Flux's CRDs refuse any other duration before its controllers see the object.
    const durations: Array<[string, string | undefined]> = [
      ['git.interval', props.git.interval],
      ['goldenCharts.interval', charts ? charts.interval : undefined],
      ...syncDurations('sync', props.sync),
      ...Object.entries(props.overrides ?? {}).flatMap(([env, o]) => syncDurations(`overrides.${env}`, o)),
    ];
    for (const [field, value] of durations) {
      const problem = value === undefined ? undefined : fluxDurationProblem(value);
      if (problem) throw new DitError(where(field), problem);
    }
    if (props.slack && !props.slack.secretRef) {
      throw new DitError(where('slack.secretRef'), 'is missing; expected the name of a Secret in flux-system holding the Slack webhook address (a Slack provider without it cannot post)');
    }
  }

  /** The GitRepository every environment syncs from. */
  public get gitRepository(): { name: string; namespace: string } {
    return { name: this.name, namespace: FLUX_NS };
  }

  /** @internal Creates one cluster directory per environment. */
  public _prepare(context: PlanContext, chartsInUse: () => readonly string[]): void {
    for (const name of Object.keys(this.props.overrides ?? {})) {
      if (!context.environments.some((e) => e.name === name)) {
        throw new DitError({ component: `FluxCluster ${this.name}`, environment: name, field: `overrides.${name}` }, `no environment is named ${name}; expected one of ${context.environments.map((e) => e.name).join(', ')}`);
      }
    }
    if (this.node.tryFindChild('Files')) return;
    const files = new Construct(this, 'Files');
    for (const env of context.environments) {
      const dir = `clusters/${env.name}`;
      const parts: Array<[string, () => PlainObject[]]> = [
        ['sync.yaml', () => this.sync(env, context)],
        ...(this.props.goldenCharts !== false ? [['charts.yaml', () => this.charts(chartsInUse())] as [string, () => PlainObject[]]] : []),
        ...(this.props.slack ? [['notifications.yaml', () => this.notifications(env)] as [string, () => PlainObject[]]] : []),
      ];
      for (const [file, objects] of parts) new DataFile(files, `${env.name}-${file}`, { path: `${dir}/${file}`, documents: () => objects().map(orderManifest) });
      new DataFile(files, `${env.name}-kustomization`, { path: `${dir}/kustomization.yaml`, documents: () => [{ resources: parts.map(([file]) => file) }] });
    }
  }

  private sync(env: DitEnvironment, context: PlanContext): PlainObject[] {
    const o = this.optionsFor(env);
    const git = this.props.git;
    const repository = GitRepository.manifest({
      metadata: { name: this.name, namespace: FLUX_NS },
      spec: { url: git.url, interval: git.interval ?? '1m', ref: { branch: o.branch ?? git.branch ?? 'main' }, secretRef: { name: git.secretRef ?? 'flux-system' } },
    });
    const spec: PlainObject = {
      interval: o.interval ?? '10m',
      retryInterval: o.retryInterval ?? '2m',
      timeout: o.timeout ?? '5m',
      prune: o.prune ?? true,
      wait: o.wait ?? true,
      path: `./${context.repositoryPath}/main/${env.name}`,
      sourceRef: { kind: 'GitRepository', name: this.name },
    };
    if (o.healthChecks?.length) {
      spec.healthChecks = o.healthChecks.map((h) => ({ apiVersion: h.apiVersion ?? 'helm.toolkit.fluxcd.io/v2', kind: h.kind, name: h.name, namespace: h.namespace ?? env.namespace }));
    }
    if (o.dependsOn?.length) spec.dependsOn = o.dependsOn.map((name) => ({ name }));
    if (o.sopsSecretRef) spec.decryption = { provider: 'sops', secretRef: { name: o.sopsSecretRef } };
    if (o.suspend !== undefined) spec.suspend = o.suspend;
    const kustomization = FluxKustomization.manifest({ metadata: { name: `${this.name}-${env.name}`, namespace: FLUX_NS }, spec: spec as never });
    return [repository, kustomization];
  }

  private charts(inUse: readonly string[]): PlainObject[] {
    const source = this.props.goldenCharts || {};
    const interval = source.interval ?? '10m';
    const names = [...new Set(inUse)].sort();
    if (source.url === undefined) {
      // Revision: a chart change in Git rolls out without a version bump.
      return names.map((chart) => HelmChart.manifest({
        metadata: { name: chart, namespace: FLUX_NS },
        spec: { chart: `${source.path ?? './charts'}/${chart}`, interval, reconcileStrategy: 'Revision' as never, sourceRef: { kind: 'GitRepository' as never, name: this.name } },
      }));
    }
    const repository = HelmRepository.manifest({
      metadata: { name: 'dit-charts', namespace: FLUX_NS },
      spec: {
        url: source.url,
        interval,
        ...(source.url.startsWith('oci://') ? { type: 'oci' as never } : {}),
        ...(source.secretRef ? { secretRef: { name: source.secretRef } } : {}),
      },
    });
    const charts = names.map((chart) => HelmChart.manifest({
      metadata: { name: chart, namespace: FLUX_NS },
      spec: { chart, version: source.version ?? '*', interval, sourceRef: { kind: 'HelmRepository' as never, name: 'dit-charts' } },
    }));
    return [repository, ...charts];
  }

  private notifications(env: DitEnvironment): PlainObject[] {
    const slack = this.props.slack!;
    const provider = Provider.manifest({
      metadata: { name: `${this.name}-slack`, namespace: FLUX_NS },
      spec: { type: 'slack' as never, channel: slack.channel, secretRef: { name: slack.secretRef } },
    });
    const source = (kind: string, name: string, namespace: string) => ({ kind, name, namespace });
    const alert = Alert.manifest({
      metadata: { name: `${this.name}-${env.name}`, namespace: FLUX_NS },
      spec: {
        providerRef: { name: `${this.name}-slack` },
        eventSeverity: (this.optionsFor(env).slackSeverity ?? slack.severity ?? 'info') as never,
        summary: `${this.name} ${env.name}`,
        eventSources: [
          source('Kustomization', `${this.name}-${env.name}`, FLUX_NS),
          source('GitRepository', this.name, FLUX_NS),
          ...(this.props.goldenCharts && this.props.goldenCharts.url !== undefined ? [source('HelmRepository', 'dit-charts', FLUX_NS)] : []),
          source('HelmRelease', '*', env.namespace),
          source('HelmRepository', '*', env.namespace),
          source('OCIRepository', '*', env.namespace),
          source('HelmChart', '*', env.namespace),
        ] as never,
      },
    });
    return [provider, alert];
  }

  private optionsFor(env: DitEnvironment): SyncOptions & { slackSeverity?: 'info' | 'error'; branch?: string } {
    return mergeDefined(this.props.sync ?? {}, this.props.overrides?.[env.name]);
  }
}

function syncDurations(prefix: string, sync: SyncOptions | undefined): Array<[string, string | undefined]> {
  return (['interval', 'retryInterval', 'timeout'] as const).map((field) => [`${prefix}.${field}`, sync?.[field]]);
}
