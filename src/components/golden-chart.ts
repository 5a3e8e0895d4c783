import { Construct } from 'constructs';
import { ChartValues, ValuesContext, renderChartValues, validateChartValues } from './chart-values';
import type { DitEnvironment } from '../app/environment';
import { ImageRecord, renderImageFile, validateImageRecord } from '../images/image-file';
import { ImageFileContext, reconcileImageFile } from '../images/image-document';
import { LayerFile, OverlayCiFile } from './layered-component';
import { ReleaseComponent, ReleaseComponentProps } from './release-component';
import { ReleaseOptions } from './release-options';
import { PlainObject } from '../tree/strategic-patch';
import { DitError } from '../app/errors';
import { ImageAutomationOptions, renderImageAutomation } from '../images/image-automation';

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
}

/**
 * A HelmRelease of a golden chart (chartRef to a HelmChart in flux-system): a base, one
 * overlay per environment holding only what differs, and a CI-owned image.yaml.
 */
export abstract class GoldenChartComponent extends ReleaseComponent<GoldenChartOverride> {
  private readonly automation = new Map<DitEnvironment, ImageAutomationOptions>();

  constructor(scope: Construct, id: string, private readonly spec: GoldenChartSpec, props: GoldenChartProps = {}) {
    super(scope, id, props, props.overrides);
    validateChartValues(props, this.valuesContext());
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
    if (this.automation.has(environment)) throw new DitError(where, 'is already enabled; expected one image automation per environment');
    options.selection.validate({ ...where, field: 'imageAutomation.selection' });
    this.automation.set(environment, options);
    return this;
  }

  public _validate(environments: readonly DitEnvironment[]): void {
    super._validate(environments);
    for (const env of this.automation.keys()) {
      if (!this.deployedIn(environments).includes(env)) {
        throw new DitError(this.where('imageAutomation', env), `${this.name} is not deployed in ${env.name}; expected one of ${this.deployedIn(environments).map((e) => e.name).join(', ')}`);
      }
    }
    for (const env of this.deployedIn(environments)) {
      validateChartValues(this.optionsFor(env), this.valuesContext(env));
      validateImageRecord(this.imageRecordFor(env), { component: this.name, environment: env.name }, { pinDigest: false });
    }
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
        repository: this.optionsFor(env).image?.repository ?? this.name,
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
    const repository = image.repository ?? this.name;
    return {
      release: this.name,
      githubRepository: image.githubRepository ?? (repository.includes('/') ? repository.split('/').slice(-2).join('/') : undefined),
      tag: image.tag ?? 'latest',
      digest: image.digest,
      commit: image.commit,
      policy: this.automation.has(env) ? { namespace: env.namespace, name: this.name } : undefined,
    };
  }


  private valuesContext(env?: DitEnvironment): ValuesContext {
    return { component: this.name, environment: env, defaultUser: this.spec.defaultUser };
  }
}
