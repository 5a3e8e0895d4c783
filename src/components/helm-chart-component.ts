import { Construct } from 'constructs';
import * as semver from 'semver';
import { assertDnsLabel } from '../app/kubernetes-names';
import { HelmRepository, OciRepository } from '../../imports/source.toolkit.fluxcd.io';
import { renderCiliumNetworkPolicy } from '../network/cilium-policy';
import type { DitEnvironment } from '../app/environment';
import { DitError, DitErrorLocation, received } from '../app/errors';
import { LayerFile } from './layered-component';
import { ReleaseComponent, ReleaseComponentProps } from './release-component';
import { ReleaseOptions } from './release-options';
import { findCredentials } from './secrets';
import { fluxDurationProblem } from '../app/kubernetes-names';
import { ValidationScope } from './component';
import { checkProtectedValues } from './protected-values';
import { ChartVersionStatement, checkProductionPinning } from './values-checks';
import { PlainObject, mergeDefined, orderManifest } from '../tree/strategic-patch';

/** Options of a chart source. */
export interface ChartSourceOptions {
  /** Secret with registry credentials, in the environment's namespace. @default - none */
  readonly secretRef?: string;
  /** @default '1h' */
  readonly interval?: string;
}

/** Where a third-party chart comes from. */
export class ChartSource {
  /** A Helm repository: `https://charts.example.com` or `oci://registry/path`. */
  public static helmRepository(url: string, options: ChartSourceOptions = {}): ChartSource {
    return new ChartSource('HelmRepository', url, options);
  }

  /** A chart published as an OCI artifact (`oci://registry/path/chart`), pinned by tag or semver. */
  public static ociRepository(url: string, options: ChartSourceOptions & { readonly tag?: string; readonly semver?: string } = {}): ChartSource {
    return new ChartSource('OCIRepository', url, options, options.tag, options.semver);
  }

  private constructor(
    public readonly kind: 'HelmRepository' | 'OCIRepository',
    public readonly url: string,
    private readonly options: ChartSourceOptions,
    private readonly tag?: string,
    private readonly semver?: string,
  ) {}

  /** Throws on a URL Flux would refuse. */
  /** Throws on an OCI tag or semver range Flux could not resolve. */
  public validateRef(where: DitErrorLocation): void {
    if (this.semver !== undefined && semver.validRange(this.semver) === null) {
      throw new DitError({ ...where, field: 'source.semver' }, `got ${received(this.semver)}, which is not a semver range; expected a range such as 20.x or >=20.0.0 <21.0.0`);
    }
    if (this.tag !== undefined && !/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(this.tag)) {
      throw new DitError({ ...where, field: 'source.tag' }, `got ${received(this.tag)}; expected an OCI tag: letters, digits, '_', '.' and '-', at most 128`);
    }
  }

  /** Throws on an interval Flux's CRD would refuse. */
  public validateInterval(where: DitErrorLocation): void {
    const interval = this.options.interval === undefined ? undefined : fluxDurationProblem(this.options.interval);
    if (interval) throw new DitError(where, interval);
  }

  public validate(where: DitErrorLocation): void {
    const allowed = this.kind === 'HelmRepository' ? /^(https?|oci):\/\/[^\s/]+/ : /^oci:\/\/[^\s/]+/;
    if (!allowed.test(this.url)) {
      throw new DitError(where, `got ${received(this.url)}; expected ${this.kind === 'HelmRepository' ? 'an http://, https:// or oci:// URL' : 'an oci:// URL'}`);
    }
  }

  /** @internal Where the chart version is stated, for the production pinning check. */
  public versionStatement(version: string | undefined): ChartVersionStatement {
    if (this.kind === 'HelmRepository') return { field: 'version', value: version ?? '*' };
    return this.semver !== undefined ? { field: 'source.semver', value: this.semver } : { field: 'source.tag', value: this.tag ?? 'latest' };
  }

  /** The source object, named after the component. */
  public render(name: string): PlainObject {
    const common = {
      interval: this.options.interval ?? '1h',
      ...(this.options.secretRef ? { secretRef: { name: this.options.secretRef } } : {}),
    };
    if (this.kind === 'HelmRepository') {
      return HelmRepository.manifest({ metadata: { name }, spec: { url: this.url, ...common, ...(this.url.startsWith('oci://') ? { type: 'oci' as never } : {}) } });
    }
    const ref = this.semver ? { semver: this.semver } : { tag: this.tag ?? 'latest' };
    return OciRepository.manifest({ metadata: { name }, spec: { url: this.url, ref, ...common } });
  }
}

/** What may differ per environment for a third-party chart. */
export interface HelmChartOverride extends ReleaseOptions {
  /** Chart values merged over the base values. @default none */
  readonly values?: { readonly [key: string]: unknown };
}

/** Props of {@link DitHelmChart}. */
export interface DitHelmChartProps extends ReleaseComponentProps {
  readonly source: ChartSource;
  /** Chart name in a Helm repository. @default - the component name */
  readonly chart?: string;
  /** Chart version constraint (Helm repositories). @default '*' */
  readonly version?: string;
  /** @default none */
  readonly values?: { readonly [key: string]: unknown };
  /** @default none */
  readonly overrides?: { readonly [environment: string]: HelmChartOverride };
  /**
   * Names of the Services the chart creates, when not the release name (Bitnami Redis
   * standalone: `<release>-master`). `dit-gitops verify` cannot render the chart offline and
   * resolves dialed hosts to these names.
   * @default - one Service named after the release
   */
  readonly services?: readonly string[];
}

/**
 * A third-party chart (RabbitMQ, Redis, …) in the same base/overlay layout: its source, the
 * HelmRelease, and a standalone CiliumNetworkPolicy from its connections, since there are no
 * golden-chart values to carry the rules.
 */
export class DitHelmChart extends ReleaseComponent<HelmChartOverride> {
  private readonly chartProps: DitHelmChartProps;

  constructor(scope: Construct, id: string, props: DitHelmChartProps) {
    super(scope, id, props, props.overrides);
    this.chartProps = props;
  }

  /** The Services the chart creates, as the definitions name them (verify's stand-ins). */
  public get services(): readonly string[] {
    return this.chartProps.services ?? [this.releaseName];
  }

  public _validate(scope: ValidationScope): void {
    super._validate(scope);
    const { environments, problems } = scope;
    problems.check(() => this.chartProps.source.validate(this.where('source.url')));
    for (const service of this.chartProps.services ?? []) problems.check(() => assertDnsLabel(service, this.where('services')));
    problems.check(() => this.chartProps.source.validateInterval(this.where('source.interval')));
    problems.check(() => this.chartProps.source.validateRef(this.where('source')));
    const version = this.chartProps.version;
    if (version !== undefined && (typeof version !== 'string' || semver.validRange(version) === null)) {
      problems.add(this.where('version'), `got ${received(version)}, which is not a semver version or range; expected a chart version such as 15.5.3 (or, outside production, a range such as 15.x)`);
    }
    const layers: Array<DitEnvironment | undefined> = [undefined, ...this.deployedIn(environments)];
    for (const env of layers) {
      const values = env ? this.valuesFor(env) : { ...(this.props.values ?? {}) };
      for (const field of findCredentials(values, 'values')) {
        problems.add(this.where(field, env), 'looks like a credential with a literal value, which would be committed in plain text; expected the chart\'s existingSecret-style option pointing at a SealedSecret or an Infisical-managed Secret');
      }
      checkProtectedValues(values, this.where('values', env), 'third-party', this.securityOptOut, problems);
      // A suspended release installs nothing (Flux reconciles no suspended HelmRelease), so an
      // unpinned chart waits there; dropping suspend brings the pinning rule back.
      if (env?.production && this.optionsFor(env).suspend !== true) checkProductionPinning(this.chartProps.source.versionStatement(this.chartProps.version), values, { component: this.name, environment: env.name }, problems);
    }
  }

  private valuesFor(env: DitEnvironment): PlainObject {
    return mergeDefined<PlainObject>({ ...(this.props.values ?? {}) }, this.optionsFor(env).values);
  }

  protected chartSource(): PlainObject {
    const source = this.chartProps.source;
    if (source.kind === 'OCIRepository') return { chartRef: { kind: 'OCIRepository', name: this.name } };
    return {
      chart: {
        spec: { chart: this.chartProps.chart ?? this.name, version: this.chartProps.version ?? '*', sourceRef: { kind: 'HelmRepository', name: this.name } },
      },
    };
  }

  protected renderLayer(env?: DitEnvironment): readonly LayerFile[] {
    const values = env ? this.valuesFor(env) : { ...(this.props.values ?? {}) };
    return [
      { file: 'source.yaml', objects: [orderManifest(this.chartProps.source.render(this.name))] },
      { file: 'release.yaml', objects: [this.releaseObject(values, env)] },
      { file: 'network-policy.yaml', objects: [orderManifest(renderCiliumNetworkPolicy(this.name, this.podLabels, this.networkPolicy(env)))] },
    ];
  }
}
