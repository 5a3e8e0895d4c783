import { Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { HelmRelease, HelmReleaseSpec } from '../imports/helm.toolkit.fluxcd.io';
import { ChartValues, ValuesContext, renderChartValues, validateChartValues } from './chart-values';
import { DitComponent, DitComponentProps } from './component';
import type { DitEnvironment } from './environment';
import { DitError, received } from './errors';
import { CiOwnedFile, DataFile, ManifestFile } from './gitops-file';
import { ImageRecord, renderImageFile, validateImageRecord } from './image-file';
import { PolicyScope, assertPolicyComplete, renderCiliumPolicy } from './network-policy';
import { PlainObject, diffPatch, mergeDefined, sortKeysDeep } from './strategic-patch';

/** Flux's drift detection modes. */
export enum DriftDetectionMode {
  ENABLED = 'enabled',
  WARN = 'warn',
  DISABLED = 'disabled',
}

/** Props of a component deployed through one of DIT's golden charts. */
export interface GoldenChartProps extends DitComponentProps, ChartValues {
  /** Helm release name. @default - the component name */
  readonly releaseName?: string;
  /** Reconciliation interval. @default '1h' */
  readonly interval?: string;
  /** @default DriftDetectionMode.WARN */
  readonly driftDetection?: DriftDetectionMode;
  /**
   * Values that differ per environment, keyed by environment name. Maps merge over the base
   * values; lists replace the base list whole (as kustomize patches do).
   * @default - none
   */
  readonly overrides?: { readonly [environment: string]: ChartValues };
}

/** What a subclass fixes: the chart and the image user its images run as. */
export interface GoldenChartSpec {
  readonly chart: string;
  readonly defaultUser: number;
}

const HELM_RELEASE = { apiVersion: HelmRelease.GVK.apiVersion, kind: HelmRelease.GVK.kind };
const DURATION = /^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$/;

/**
 * A HelmRelease of a golden chart (chartRef to a HelmChart in flux-system) laid out as a
 * base, one overlay per environment holding only what differs, and a CI-owned image.yaml.
 */
export abstract class GoldenChartComponent extends DitComponent {
  public readonly releaseName: string;
  private readonly props: GoldenChartProps;
  private readonly overrides = new Map<string, ChartValues>();
  private environments: readonly DitEnvironment[] = [];
  // Specs of the current plan, by environment ('' for the base): each overlay file needs the
  // base and its environment, and rendering them once per plan keeps synthesis linear.
  private readonly specs = new Map<string, HelmReleaseSpec>();

  constructor(scope: Construct, id: string, private readonly spec: GoldenChartSpec, props: GoldenChartProps = {}) {
    super(scope, id, props);
    this.props = props;
    this.releaseName = props.releaseName ?? this.name;
    if (props.interval !== undefined && !DURATION.test(props.interval)) {
      throw new DitError(this.where('interval'), `got ${received(props.interval)}; expected a Go duration such as 1h or 10m`);
    }
    validateChartValues(props, this.valuesContext());
    for (const [env, values] of Object.entries(props.overrides ?? {})) this.addOverride(env, values);
  }

  /** Sets the values that differ in `environment` (an environment or its name). */
  public addOverride(environment: DitEnvironment | string, values: ChartValues): this {
    const name = typeof environment === 'string' ? environment : environment.name;
    if (this.overrides.has(name)) {
      throw new DitError(this.where('overrides', undefined), `already has an override for environment ${name}; expected one override per environment`);
    }
    this.overrides.set(name, values);
    return this;
  }

  public _prepare(environments: readonly DitEnvironment[]): void {
    this.specs.clear();
    if (this.node.tryFindChild('Base')) return;
    this.environments = environments;
    const deployed = this.deployedIn(environments);
    const base = new Construct(this, 'Base');
    new DataFile(base, 'Kustomization', { path: `${this.name}/base/kustomization.yaml`, documents: () => [{ resources: ['release.yaml'] }] });
    const release = new ManifestFile(base, 'Release', { path: `${this.name}/base/release.yaml` });
    new HelmRelease(release, 'Resource', {
      metadata: { name: this.name },
      spec: Lazy.any({ produce: () => this.renderSpec(deployed) }) as unknown as HelmReleaseSpec,
    });
    for (const env of deployed) this.prepareOverlay(env, deployed);
  }

  public _validate(environments: readonly DitEnvironment[]): void {
    super._validate(environments);
    this.environments = environments;
    const deployed = this.deployedIn(environments);
    for (const name of this.overrides.keys()) {
      if (!deployed.some((env) => env.name === name)) {
        throw new DitError({ ...this.where(`overrides.${name}`), environment: name },
          `${this.name} is not deployed in ${name}; expected one of ${deployed.map((e) => e.name).join(', ')}`);
      }
    }
    for (const env of deployed) {
      validateChartValues(this.valuesFor(env), this.valuesContext(env));
      validateImageRecord(this.imageRecord(env), { component: this.name, environment: env.name }, false);
    }
    assertPolicyComplete(this.connections, this.policyScope(deployed));
  }

  private prepareOverlay(env: DitEnvironment, deployed: readonly DitEnvironment[]): void {
    const dir = this.overlayDirectory(env);
    const overlay = new Construct(this, env.name);
    // The patch holds exactly what differs from the base: apiVersion, kind, name and the changed keys.
    const patch = () => diffPatch(this.renderSpec(deployed), this.renderSpec(deployed, env)) as PlainObject | undefined;
    new DataFile(overlay, 'Release', {
      path: `${dir}/release.yaml`,
      documents: () => {
        const diff = patch();
        return diff ? [{ ...HELM_RELEASE, metadata: { name: this.name }, spec: sortKeysDeep(diff) }] : [];
      },
    });
    new CiOwnedFile(overlay, 'Image', {
      path: `${dir}/image.yaml`,
      initialContent: () => {
        const record = this.imageRecord(env);
        validateImageRecord(record, { component: this.name, environment: env.name }, env.pinImageDigests);
        return renderImageFile(record);
      },
    });
    new DataFile(overlay, 'Kustomization', {
      path: `${dir}/kustomization.yaml`,
      // image.yaml comes last: the last patch wins, and CI's tag must win.
      documents: () => [{ resources: ['../base'], patches: [...(patch() ? [{ path: 'release.yaml' }] : []), { path: 'image.yaml' }] }],
    });
  }

  /** The full HelmRelease spec for the base (no environment) or for one environment. */
  private renderSpec(deployed: readonly DitEnvironment[], env?: DitEnvironment): HelmReleaseSpec {
    const key = env?.name ?? '';
    if (!this.specs.has(key)) this.specs.set(key, this.buildSpec(deployed, env));
    return this.specs.get(key)!;
  }

  private buildSpec(deployed: readonly DitEnvironment[], env?: DitEnvironment): HelmReleaseSpec {
    const values = env ? this.valuesFor(env) : this.props;
    return {
      releaseName: this.releaseName,
      interval: this.props.interval ?? '1h',
      driftDetection: { mode: (this.props.driftDetection ?? DriftDetectionMode.WARN) as never },
      chartRef: { kind: 'HelmChart' as never, name: this.spec.chart, namespace: 'flux-system' },
      values: {
        ...renderChartValues(values, this.valuesContext(env)),
        ciliumNetworkPolicy: renderCiliumPolicy(this.connections, { ...this.policyScope(deployed), environment: env }),
      },
    };
  }

  private valuesFor(env: DitEnvironment): ChartValues {
    return mergeDefined<ChartValues>(this.props, this.overrides.get(env.name));
  }

  private imageRecord(env: DitEnvironment): ImageRecord {
    const image = this.valuesFor(env).image ?? {};
    const repository = image.repository ?? this.name;
    return {
      release: this.name,
      githubRepository: image.githubRepository ?? (repository.includes('/') ? repository.split('/').slice(-2).join('/') : undefined),
      tag: image.tag ?? 'latest',
      digest: image.digest,
      commit: image.commit,
    };
  }

  private valuesContext(env?: DitEnvironment): ValuesContext {
    return { component: this.name, environment: env, defaultUser: this.spec.defaultUser };
  }

  private policyScope(deployed: readonly DitEnvironment[]): PolicyScope {
    const all = this.environments;
    return {
      component: this.name,
      deployedIn: deployed,
      deploymentOf: (peer) => (DitComponent.isComponent(peer) ? peer.deployedIn(all) : undefined),
    };
  }
}
