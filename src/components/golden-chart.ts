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
import { HookJobOptions, checkHookJob, renderHookJob } from './hook-job';
import { checkAgainstChartSchema } from './values-schema';
import { Problems } from '../app/validation';

/** What may differ per environment for a golden chart: values and release options. */
export interface GoldenChartOverride extends ChartValues, ReleaseOptions {}

/** Props of a component deployed through one of DIT's golden charts. */
export interface GoldenChartProps extends ReleaseComponentProps, ChartValues {
  /**
   * Runs the image of another golden-chart component (a worker or cron job of an API): no
   * image.yaml of its own; the other's image.yaml is patched into this release too, so one
   * `set-image` (or the auto-deploy action's edit) moves both. `image` is then not set here.
   * @default - its own image and image.yaml
   */
  readonly imageFrom?: GoldenChartComponent;
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
  private readonly hookJobs = new Map<string, HookJobOptions>();

  private readonly leader?: GoldenChartComponent;
  // Kept on the leader as followers are built: finding them by walking the app per overlay
  // made synthesis quadratic in the number of components.
  private readonly followers: GoldenChartComponent[] = [];

  constructor(scope: Construct, id: string, private readonly spec: GoldenChartSpec, props: GoldenChartProps = {}) {
    super(scope, id, props, props.overrides);
    this.leader = props.imageFrom;
    if (this.leader instanceof GoldenChartComponent) this.leader.followers.push(this);
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

  /**
   * Adds a one-shot Job the release runs with this component's image, config and secrets, as
   * a Helm hook: by default after the first install and before every upgrade, so a database
   * migration runs before the new pods roll, and a failed one fails the release (docs/components.md).
   */
  public addHookJob(name: string, options: HookJobOptions): this {
    if (this.hookJobs.has(name)) this.deferProblem(this.where(`hookJobs.${name}`), 'is added twice; expected one hook Job per name');
    this.hookJobs.set(name, options);
    return this;
  }

  /** The component whose image this one runs, if it follows one. */
  public get imageFrom(): GoldenChartComponent | undefined {
    return this.leader;
  }

  public includedBy(env: DitEnvironment): GoldenChartComponent | undefined {
    return this.leader?.deployedIn(this.environments).includes(env) ? this.leader : undefined;
  }

  protected overlayFollowers(env: DitEnvironment): readonly GoldenChartComponent[] {
    return this.environments.length === 0 ? [] : this.followers.filter((c) => c.deployedIn(this.environments).includes(env));
  }

  public _validate(scope: ValidationScope): void {
    super._validate(scope);
    this.checkImageFrom(scope);
    for (const [name, options] of this.hookJobs) checkHookJob(name, options, this.where(`hookJobs.${name}`), scope.problems);
    const { environments, problems } = scope;
    for (const env of this.automation.keys()) {
      if (!this.deployedIn(environments).includes(env)) {
        problems.add(this.where('imageAutomation', env), `${this.name} is not deployed in ${env.name}; expected one of ${this.deployedIn(environments).map((e) => e.name).join(', ')}`);
      }
    }
    checkGoldenChartValues(this.props, this.valuesContext(), this.securityOptOut, problems);
    this.checkChartSchema(undefined, problems);
    // The base image first: a mistake there is reported once, not once per environment.
    const baseImage = this.props.image ?? {};
    const baseRecord: ImageRecord = { release: this.name, githubRepository: baseImage.githubRepository, ...this.checkableImage(baseImage) } as ImageRecord;
    problems.check(() => validateImageRecord(baseRecord, { component: this.name }, { pinDigest: false, allowPending: baseImage.pending === true }));
    for (const env of this.deployedIn(environments)) {
      checkGoldenChartValues(this.optionsFor(env), this.valuesContext(env), this.securityOptOut, problems);
      this.checkChartSchema(env, problems);
      // A tag written in the definitions must meet the environment's rules even when CI owns
      // image.yaml already; the default tag is checked only when image.yaml is first created.
      // A pending release has no tag of the definitions to check: image.yaml starts empty.
      const written = this.optionsFor(env).image?.tag !== undefined && !this.pendingIn(env);
      problems.check(() => validateImageRecord(this.checkableImageRecord(env), { component: this.name, environment: env.name },
        written ? { pinDigest: env.pinImageDigests, tagRule: env.imageTagRule } : { pinDigest: false, allowPending: this.pendingIn(env) }));
    }
  }

  /**
   * Records what a component that serves nothing (a worker, a cron job) was given anyway:
   * ports or an HTTP probe, in its props or an override (an ingress is the values check's, as
   * for any component without a port). The types keep them out; JavaScript callers and casts
   * do not.
   */
  protected checkServesNothing(givenPorts: unknown, scope: ValidationScope, what: string): void {
    if (Array.isArray(givenPorts) && givenPorts.length > 0) {
      scope.problems.add(this.where('ports'), `got ${givenPorts.length} port(s); expected none: ${what} serves nothing (use DitApi for a component that listens)`);
    }
    for (const env of [undefined, ...this.deployedIn(scope.environments)]) {
      const values = this.optionsFor(env);
      const probes = values.probes;
      if (probes && (probes.path !== undefined || probes.port !== undefined)) {
        scope.problems.add(this.where(`probes.${probes.path !== undefined ? 'path' : 'port'}`, env), `is set; expected probes.command (an exec check) or none: ${what} serves no HTTP`);
      }
    }
  }

  private checkImageFrom(scope: ValidationScope): void {
    const leader = this.leader;
    if (!leader) return;
    const add = (field: string, message: string, env?: DitEnvironment) => scope.problems.add(this.where(field, env), message);
    if (this.props.image !== undefined) add('image', `is set while imageFrom is ${(leader as { name?: string }).name}; expected no image: the image, its tag and digest are the followed component's`);
    if (!(leader instanceof GoldenChartComponent) || !scope.components.has(leader)) {
      add('imageFrom', `got ${(leader as { name?: string })?.name ?? String(leader)}, which has no CI-built image in this app; expected a DitApi, DitClient, DitGateway, DitWorker or DitCronJob of the app`);
      return;
    }
    if (leader.leader) add('imageFrom', `${leader.name} follows ${leader.leader.name}'s image itself; expected the component that owns the image.yaml (imageFrom: ${leader.leader.name})`);
    for (const env of this.deployedIn(scope.environments)) {
      if (!leader.deployedIn(scope.environments).includes(env)) add('imageFrom', `${leader.name} is not deployed in ${env.name}, so there is no image to follow; expected a component deployed wherever ${this.name} is`, env);
      if (this.props.image === undefined && this.optionsFor(env).image !== undefined) add('image', `is set while imageFrom is ${leader.name}; expected no image: the image, its tag and digest are ${leader.name}'s`, env);
      if (this.automation.has(env)) add('imageAutomation', `is enabled while imageFrom is ${leader.name}; expected it on ${leader.name}, whose image.yaml this release follows`, env);
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
    if (image.pending) return { tag: '', digest: undefined, commit: image.commit };
    const derived = image.githubRepository === undefined && imageRepositoryProblem(image.repository ?? this.spec.defaultRepository ?? this.name) !== undefined;
    return { tag: image.tag ?? 'latest', digest: image.digest, commit: image.commit, ...(derived ? { githubRepository: undefined } : {}) };
  }

  protected chartSource(): PlainObject {
    return { chartRef: { kind: 'HelmChart', name: this.spec.chart, namespace: 'flux-system' } };
  }

  protected renderLayer(env?: DitEnvironment): readonly LayerFile[] {
    const values = { ...this.chartValues(env), ciliumNetworkPolicy: this.networkPolicy(env) };
    return [{ file: 'release.yaml', objects: [this.releaseObject(values, env)] }];
  }

  /** The release's values in `env` (the base when undefined), all but the Cilium rules. */
  private chartValues(env?: DitEnvironment): PlainObject {
    return {
      ...renderChartValues(this.optionsFor(env), this.valuesContext(env)),
      ...this.extraValues(env),
      ...(this.hookJobs.size > 0 ? { hookJobs: Object.fromEntries([...this.hookJobs].map(([name, options]) => [name, renderHookJob(options)])) } : {}),
    };
  }

  /**
   * Checks extraValues as helm will: against the chart's values.schema.json, merged with
   * everything else, so what only helm template would refuse (an unknown key, a value out of
   * range, an image swapped past the pinning rules) is refused at synthesis. A field the
   * protected-values check already reported is not reported twice.
   */
  private checkChartSchema(env: DitEnvironment | undefined, problems: Problems): void {
    const where = { component: this.name, environment: env?.name };
    const reported = new Set(problems.problems.filter((p) => p.component === this.name).map((p) => p.field));
    const extra = this.optionsFor(env).extraValues ?? {};
    const found = new Problems();
    problems.check(() => checkAgainstChartSchema(this.spec.chart, { ...this.chartValues(env), ciliumNetworkPolicy: { enabled: true, ingress: {}, egress: {} } }, where,
      (key) => (key in extra ? 'extraValues' : 'typed'), found));
    const covered = (field: string) => [...reported].some((r) => field === r || field.startsWith(`${r}.`) || r.startsWith(`${field}.`) || r.startsWith(`${field}[`));
    // Typed fields have checks of their own that name the field as written (the schema sees
    // it rendered: ingress.path as ingress.hosts[0].paths[0].path); extraValues has none.
    for (const p of found.problems) if (p.field.startsWith('extraValues.') && !covered(p.field)) problems.add(p, p.message);
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

  protected overlayCiFile(env: DitEnvironment): OverlayCiFile | undefined {
    if (this.leader) return undefined;
    return {
      // Every synthesis checks what CI left (and moves it to the action's layout, adds markers).
      reconcile: (previous, committed) => reconcileImageFile(previous, this.imageFileContext(env), committed),
      file: 'image.yaml',
      initialContent: () => {
        const record = this.imageRecordFor(env);
        validateImageRecord(record, { component: this.name, environment: env.name }, { pinDigest: env.pinImageDigests, tagRule: env.imageTagRule, allowPending: this.pendingIn(env) });
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
      // CI's file may hold a pending release (tag "", digest "") whatever the definitions say.
      requirements: { pinDigest: env.pinImageDigests, tagRule: env.imageTagRule, allowPending: true },
      policy: record.policy,
    };
  }

  /** The image record a new image.yaml starts from in `env` (set-image replaces tag, digest and commit). */
  public imageRecordFor(env: DitEnvironment): ImageRecord {
    const image = this.optionsFor(env).image ?? {};
    const repository = image.repository ?? this.spec.defaultRepository ?? this.name;
    // Pending: the empty tag (and, where digests are pinned, the empty digest) that keeps the
    // chart at no pod until CI records the image (docs/images.md#pending-releases).
    const pending = this.pendingIn(env);
    return {
      release: this.name,
      githubRepository: image.githubRepository ?? (repository.includes('/') ? repository.split('/').slice(-2).join('/') : undefined),
      tag: pending ? '' : image.tag ?? 'latest',
      digest: pending ? (env.pinImageDigests ? '' : undefined) : image.digest,
      commit: pending ? undefined : image.commit,
      policy: this.automation.has(env) ? { namespace: env.namespace, name: this.name } : undefined,
    };
  }


  /**
   * The image the chart pulls in `env` (registry host and path, no tag) and the registry it
   * comes from: what the ImageRepository scans and `verify` expects the pods to run.
   */
  public imageIn(env: DitEnvironment): { readonly name: string; readonly registry: ImageRegistry } {
    const { registry, path } = this.imageSource(env);
    return { name: registry.imageName(path), registry };
  }

  /** The registry and path of the image in `env` (the base when undefined). */
  public imageSource(env?: DitEnvironment): { readonly registry: ImageRegistry; readonly path: string } {
    const ctx = this.valuesContext(env);
    return { registry: imageRegistry(this.optionsFor(env), ctx), path: imagePath(this.optionsFor(env), ctx) };
  }

  /**
   * Whether the release in `env` is declared pending (`image: { pending: true }`, or the
   * followed component's is): its first image.yaml holds no tag, and the chart runs no pod
   * until CI sets one.
   */
  public pendingIn(env: DitEnvironment): boolean {
    if (this.leader instanceof GoldenChartComponent && this.leader !== this) return this.leader.pendingIn(env);
    return this.optionsFor(env).image?.pending === true;
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
    const leader = this.leader;
    if (leader instanceof GoldenChartComponent && leader !== this) {
      // A follower pulls exactly what its leader pulls: the leader's registry and path.
      const source = leader.imageSource(env);
      return { component: this.name, ports: this.ports, podLabels, environment: env, defaultUser: this.spec.defaultUser, defaultRepository: source.path, registry: source.registry };
    }
    return {
      component: this.name, ports: this.ports, podLabels, environment: env, defaultUser: this.spec.defaultUser,
      defaultRepository: this.spec.defaultRepository, registry: env?.registry ?? this.context.registry,
    };
  }
}
