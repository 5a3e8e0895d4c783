import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { renderCiliumNetworkPolicy } from '../network/cilium-policy';
import { DitComponentProps } from './component';
import type { DitEnvironment } from '../app/environment';
import { DitError } from '../app/errors';
import { LayerFile, LayeredComponent } from './layered-component';
import { PlainObject, applyPatch, isPlainObject, orderManifest } from '../tree/strategic-patch';
import { assertPinnedImages, assertSecureWorkload, isWorkload } from './workload-security';

/** Props of {@link DitManifests}. */
export interface DitManifestsProps extends DitComponentProps {
  /** Plain manifests, as objects. Add cdk8s constructs to `.chart` as well. @default none */
  readonly manifests?: readonly PlainObject[];
  /**
   * One directory for every environment (`dist/<name>/`, listed as `../../<name>`) instead of
   * a base and overlays. Shared components cannot differ per environment.
   * @default false
   */
  readonly shared?: boolean;
}

/**
 * A component made of any cdk8s constructs (cdk8s-plus, imported CRDs) or raw manifests,
 * with a standalone CiliumNetworkPolicy from its connections. Objects carry no namespace:
 * the environment's aggregator sets it.
 */
export class DitManifests extends LayeredComponent {
  /** Scope for cdk8s constructs (`new kplus.Deployment(component.chart, …)`). */
  public readonly chart: Chart;
  private readonly manifests: readonly PlainObject[];
  private readonly envPatches = new Map<string, PlainObject[]>();

  constructor(scope: Construct, id: string, props: DitManifestsProps = {}) {
    super(scope, id, props);
    this.shared = props.shared ?? false;
    this.chart = new Chart(this, 'Resource', { disableResourceNameHashes: true });
    this.manifests = props.manifests ?? [];
  }

  /**
   * Patches one object in `environment`: `patch` names it by apiVersion, kind and
   * metadata.name and holds the fields that differ (maps merge, lists replace).
   */
  public addOverride(environment: DitEnvironment | string, patch: PlainObject): this {
    const name = typeof environment === 'string' ? environment : environment.name;
    if (this.shared) throw new DitError(this.where('overrides', undefined), 'is shared by every environment; expected no per-environment patch (use shared: false)');
    this.envPatches.set(name, [...(this.envPatches.get(name) ?? []), patch]);
    return this;
  }

  public _validate(environments: readonly DitEnvironment[]): void {
    super._validate(environments);
    const objects = this.objects();
    for (const [envName, patches] of this.envPatches) {
      if (!this.deployedIn(environments).some((e) => e.name === envName)) {
        throw new DitError({ ...this.where(`overrides.${envName}`), environment: envName }, `${this.name} is not deployed in ${envName}; expected one of ${this.deployedIn(environments).map((e) => e.name).join(', ')}`);
      }
      for (const patch of patches) {
        if (!objects.some((o) => sameObject(o, patch))) {
          throw new DitError({ ...this.where('overrides'), environment: envName }, `patch ${identity(patch)} matches no object; expected one of ${objects.map(identity).join(', ')}`);
        }
      }
    }
    for (const object of objects) {
      const where = this.where(identity(object));
      if (object.kind === 'Secret') {
        throw new DitError(where, 'is a plain Secret, which would be committed in plain text; expected a SealedSecret, an InfisicalSecret or an ExternalSecret');
      }
      if (isPlainObject(object.metadata) && object.metadata.namespace !== undefined) {
        throw new DitError({ ...where, field: `${identity(object)}.metadata.namespace` }, 'is set; expected none: the environment aggregator sets the namespace, and a namespace here makes patches miss');
      }
      assertSecureWorkload(object, where);
    }
    for (const env of this.deployedIn(environments).filter((e) => e.pinImageDigests)) {
      for (const object of this.layer(env).flatMap((f) => f.objects)) assertPinnedImages(object, this.where(identity(object), env));
    }
  }

  protected runsPods(): boolean {
    return this.objects().some(isWorkload);
  }

  protected renderLayer(env?: DitEnvironment): readonly LayerFile[] {
    const patches = env ? this.envPatches.get(env.name) ?? [] : [];
    const objects = this.objects().map((o) => patches.filter((p) => sameObject(o, p)).reduce<PlainObject>((acc, p) => applyPatch(acc, p) as PlainObject, o));
    const manifests: LayerFile = { file: 'manifests.yaml', objects: objects.map(orderManifest) };
    if (!this.runsPods()) return [manifests];
    return [manifests, { file: 'network-policy.yaml', objects: [orderManifest(renderCiliumNetworkPolicy(this.name, this.podLabels, this.networkPolicy(env)))] }];
  }

  private objects(): PlainObject[] {
    return [...this.chart.apiObjects.map((o) => o.toJson() as PlainObject), ...this.manifests];
  }
}

function identity(o: PlainObject): string {
  return `${String(o.kind)}/${String((o.metadata as PlainObject | undefined)?.name)}`;
}

function sameObject(a: PlainObject, b: PlainObject): boolean {
  return a.apiVersion === b.apiVersion && identity(a) === identity(b);
}
