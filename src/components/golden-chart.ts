import { Construct } from 'constructs';
import { ChartValues, ImageValues, ValuesContext, imagePath, imageRegistry, ingressHost, renderChartValues } from './chart-values';
import { checkGoldenChartValues } from './values-checks';
import { fluxDurationProblem, imageRepositoryProblem } from '../app/kubernetes-names';
import { IngressRoute, ValidationScope } from './component';
import type { DitEnvironment } from '../app/environment';
import { ImageRecord, renderImageFile, validateImageRecord } from '../images/image-file';
import { ImageFileContext, reconcileImageFile } from '../images/image-document';
import { LayerFile, OverlayCiFile } from './layered-component';
import { ReleaseComponent, ReleaseComponentProps } from './release-component';
import { ReleaseOptions } from './release-options';
import { PlainObject } from '../tree/strategic-patch';
import { ImageAutomationOptions, renderImageAutomation } from '../images/image-automation';
import type { ImageRegistry } from '../images/image-registry';

/** What may differ per environment for a golden chart: values and release options. */
export interface GoldenChartOverride extends ChartValues, ReleaseOptions {}

/** Props of a component deployed through one of DIT's golden charts. */
export interface GoldenChartProps extends ReleaseComponentProps, ChartValues {
  /**
   * Values that differ per environment, keyed by environment name. Maps merge over the base
   * values; lists replace the base list whole (as kustomize patches do).
   * @default - none
   */
  readonly overrides?: { readonly [environment: string]: GoldenChartOverride };
}

/** What a subclass fixes: the chart and the image user its images run as. */
export interface GoldenChartSpec {
  readonly chart: string;
  readonly defaultUser: number;
  /** The image when the props name none (the gateway's is DIT's own). @default - the component name */
  readonly defaultRepository?: string;
}

/**
 * A HelmRelease of a golden chart (chartRef to a HelmChart in flux-system): a base, one
 * overlay per environment holding only what differs, and a CI-owned image.yaml.
 */
export abstract class GoldenChartComponent extends ReleaseComponent<GoldenChartOverride> {
  private readonly automation = new Map<DitEnvironment, ImageAutomationOptions>();

  constructor(scope: Construct, id: string, private readonly spec: GoldenChartSpec, props: GoldenChartProps = {}) {
    super(scope, id, props, props.overrides);
  }

  /** The golden chart this component deploys. */
  public get chart(): string {
    return this.spec.chart;
  }

  /**
   * Lets Flux image automation commit new tags (and digests) into this component's image.yaml
   * in `environment`: adds the ImageRepository, ImagePolicy and ImageUpdateAutomation to the
   * overlay and the setter markers to image.yaml.
   */
  public enableImageAutomation(environment: DitEnvironment, options: ImageAutomationOptions): this {
    const where = this.where('imageAutomation', environment);
    if (this.automation.has(environment)) {
      this.deferProblem(where, 'is already enabled; expected one image automation per environment');
      return this;
    }
    this.deferCheck(() => options.selection.validate({ ...where, field: 'imageAutomation.selection' }));
    const interval = options.interval === undefined ? undefined : fluxDurationProblem(options.interval);
    if (interval) this.deferProblem({ ...where, field: 'imageAutomation.interval' }, interval);
    this.automation.set(environment, options);
    return this;
  }

  public _validate(scope: ValidationScope): void {
    super._validate(scope);
    const { environments, problems } = scope;
    for (const env of this.automation.keys()) {
      if (!this.deployedIn(environments).includes(env)) {
        problems.add(this.where('imageAutomation', env), `${this.name} is not deployed in ${env.name}; expected one of ${this.deployedIn(environments).map((e) => e.name).join(', ')}`);
      }
    }
    checkGoldenChartValues(this.props, this.valuesContext(), this.securityOptOut, problems);
    // The base image first: a mistake there is reported once, not once per environment.
    const baseImage = this.props.image ?? {};
    const baseRecord: ImageRecord = { release: this.name, githubRepository: baseImage.githubRepository, ...this.checkableImage(baseImage) } as ImageRecord;
    problems.check(() => validateImageRecord(baseRecord, { component: this.name }, { pinDigest: false }));
    for (const env of this.deployedIn(environments)) {
      checkGoldenChartValues(this.optionsFor(env), this.valuesContext(env), this.securityOptOut, problems);
      // A tag written in the definitions must meet the environment's rules even when CI owns
      // image.yaml already; the default tag is checked only when image.yaml is first created.
      const written = this.optionsFor(env).image?.tag !== undefined;
      problems.check(() => validateImageRecord(this.checkableImageRecord(env), { component: this.name, environment: env.name },
        written ? { pinDigest: env.pinImageDigests, tagRule: env.imageTagRule } : { pinDigest: false }));
    }
  }

  /** @internal The hosts and paths this component's ingress serves in `env`. */
  public _ingressRoutes(env: DitEnvironment): readonly IngressRoute[] {
    const ingress = this.optionsFor(env).ingress;
    if (!ingress || ingress.enabled === false) return [];
    return [{ host: ingressHost(ingress, this.name, env.domain), path: ingress.path ?? '/', field: ingress.host !== undefined ? 'ingress.host' : 'ingress.subdomain' }];
  }

  // The image record, without the GitHub repository derived from a bad image.repository
  // (that is reported as image.repository, where the user wrote it).
  private checkableImageRecord(env: DitEnvironment): ImageRecord {
    return { ...this.imageRecordFor(env), ...this.checkableImage(this.optionsFor(env).image ?? {}) };
  }

  private checkableImage(image: ImageValues): Partial<ImageRecord> {
    const derived = image.githubRepository === undefined && imageRepositoryProblem(image.repository ?? this.spec.defaultRepository ?? this.name) !== undefined;
    return { tag: image.tag ?? 'latest', digest: image.digest, commit: image.commit, ...(derived ? { githubRepository: undefined } : {}) };
  }

  protected chartSource(): PlainObject {
    return { chartRef: { kind: 'HelmChart', name: this.spec.chart, namespace: 'flux-system' } };
  }

  protected renderLayer(env?: DitEnvironment): readonly LayerFile[] {
    const values = {
      ...renderChartValues(this.optionsFor(env), this.valuesContext(env)),
      ...this.extraValues(env),
      ciliumNetworkPolicy: this.networkPolicy(env),
    };
    return [{ file: 'release.yaml', objects: [this.releaseObject(values, env)] }];
  }

  protected overlayResources(env: DitEnvironment): readonly LayerFile[] {
    const options = this.automation.get(env);
    if (!options) return [];
    return [{
      file: 'image-automation.yaml',
      objects: renderImageAutomation(options, {
        component: this.name,
        environment: env.name,
        image: this.imageIn(env).name,
        pullSecret: this.imageIn(env).registry.pullSecret,
        updatePath: `./${this.context.repositoryPath}/${this.overlayDirectory(env)}`,
        source: this.context.gitRepository,
        tagPattern: env.imageTagRule.pattern,
      }),
    }];
  }

  protected overlayCiFile(env: DitEnvironment): OverlayCiFile {
    return {
      // Every synthesis checks what CI left (and moves it to the action's layout, adds markers).
      reconcile: (previous, committed) => reconcileImageFile(previous, this.imageFileContext(env), committed),
      file: 'image.yaml',
      initialContent: () => {
        const record = this.imageRecordFor(env);
        validateImageRecord(record, { component: this.name, environment: env.name }, { pinDigest: env.pinImageDigests, tagRule: env.imageTagRule });
        return renderImageFile(record);
      },
    };
  }

  /** Chart values a subclass adds (the gateway's routes). @default none */
  protected extraValues(_env?: DitEnvironment): PlainObject {
    return {};
  }

  /**
   * What this component's image.yaml in `env` must hold (set-image and synthesis check it).
   * `repositoryPath` names the file in errors; the planned app's by default.
   */
  public imageFileContext(env: DitEnvironment, repositoryPath: string = this.context.repositoryPath): ImageFileContext {
    const record = this.imageRecordFor(env);
    return {
      file: `${repositoryPath}/${this.overlayDirectory(env)}/image.yaml`,
      component: this.name,
      environment: env.name,
      release: record.release,
      requirements: { pinDigest: env.pinImageDigests, tagRule: env.imageTagRule },
      policy: record.policy,
    };
  }

  /** The image record a new image.yaml starts from in `env` (set-image replaces tag, digest and commit). */
  public imageRecordFor(env: DitEnvironment): ImageRecord {
    const image = this.optionsFor(env).image ?? {};
    const repository = image.repository ?? this.spec.defaultRepository ?? this.name;
    return {
      release: this.name,
      githubRepository: image.githubRepository ?? (repository.includes('/') ? repository.split('/').slice(-2).join('/') : undefined),
      tag: image.tag ?? 'latest',
      digest: image.digest,
      commit: image.commit,
      policy: this.automation.has(env) ? { namespace: env.namespace, name: this.name } : undefined,
    };
  }


  /**
   * The image the chart pulls in `env` (registry host and path, no tag) and the registry it
   * comes from: what the ImageRepository scans and `verify` expects the pods to run.
   */
  public imageIn(env: DitEnvironment): { readonly name: string; readonly registry: ImageRegistry } {
    const ctx = this.valuesContext(env);
    const registry = imageRegistry(this.optionsFor(env), ctx);
    return { name: registry.imageName(imagePath(this.optionsFor(env), ctx)), registry };
  }

  /** Whether Flux image automation is enabled in `env`. */
  public hasImageAutomation(env: DitEnvironment): boolean {
    return this.automation.has(env);
  }

  /** The values' context in `env` (the base when undefined): ports, labels, registry. */
  public valuesContext(env?: DitEnvironment): ValuesContext {
    // The chart labels pods with app.kubernetes.io/instance: <release>; other labels travel in the values.
    const own = { 'app.kubernetes.io/instance': this.releaseName };
    const podLabels = Object.fromEntries(Object.entries(this.podLabels).filter(([k, v]) => (own as Record<string, string>)[k] !== v));
    return {
      component: this.name, ports: this.ports, podLabels, environment: env, defaultUser: this.spec.defaultUser,
      defaultRepository: this.spec.defaultRepository, registry: env?.registry ?? this.context.registry,
    };
  }
}
