import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { renderCiliumNetworkPolicy } from '../network/cilium-policy';
import { DitComponentProps, ValidationScope } from './component';
import type { DitEnvironment } from '../app/environment';
import { DitError, DitErrorLocation, received } from '../app/errors';
import type { Problems } from '../app/validation';
import { checkCiliumPolicyObject } from '../network/cilium-rules';
import { SecurityOptOut } from './protected-values';
import { findCredentials } from './secrets';
import { LayerFile, LayeredComponent } from './layered-component';
import { PlainObject, applyPatch, isPlainObject, orderManifest } from '../tree/strategic-patch';
import { assertPinnedImages, checkWorkload, isWorkload, podTemplateLabels } from './workload-security';

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
    refuseIdClashes(this.chart, this.name);
    this.manifests = props.manifests ?? [];
  }

  /**
   * Patches one object in `environment`: `patch` names it by apiVersion, kind and
   * metadata.name and holds the fields that differ (maps merge, lists replace).
   */
  public addOverride(environment: DitEnvironment | string, patch: PlainObject): this {
    const name = typeof environment === 'string' ? environment : environment.name;
    if (this.shared) {
      this.deferProblem(this.where('overrides', undefined), 'is shared by every environment; expected no per-environment patch (use shared: false)');
      return this;
    }
    this.envPatches.set(name, [...(this.envPatches.get(name) ?? []), patch]);
    return this;
  }

  public _validate(scope: ValidationScope): void {
    super._validate(scope);
    const { environments, problems } = scope;
    const objects = this.objects();
    for (const [envName, patches] of this.envPatches) {
      if (!this.deployedIn(environments).some((e) => e.name === envName)) {
        problems.add({ ...this.where(`overrides.${envName}`), environment: envName }, `${this.name} is not deployed in ${envName}; expected one of ${this.deployedIn(environments).map((e) => e.name).join(', ')}`);
        continue;
      }
      for (const patch of patches) {
        if (!objects.some((o) => sameObject(o, patch))) {
          problems.add({ ...this.where('overrides'), environment: envName }, `patch ${identity(patch)} matches no object; expected one of ${objects.map(identity).join(', ')}`);
        }
      }
    }
    checkManifests(objects, { component: this.name, field: '' }, this.securityOptOut, problems);
    this.checkPolicyCoverage(objects, problems);
  }

  /** @internal What only the objects of each environment show: images pinned where the environment pins them. */
  public _validateRendered(scope: ValidationScope): void {
    super._validateRendered(scope);
    for (const env of this.deployedIn(scope.environments)) {
      const objects = this.layer(env).flatMap((f) => f.objects);
      if (env.pinImageDigests) {
        for (const { object, field } of flattenLists(objects)) scope.problems.check(() => assertPinnedImages(object, this.where(field, env)));
      }
      // Patches may add what the base does not have: check them the same way, in their environment.
      checkManifests(objects, { component: this.name, environment: env.name, field: '' }, this.securityOptOut, scope.problems);
    }
  }

  /** The labels every workload's pods share, so the policy selects the pods as they are labelled. */
  protected defaultPodLabels(): { readonly [key: string]: string } {
    const labelSets = flattenLists(this.objects()).map(({ object }) => podTemplateLabels(object)).filter((l): l is Record<string, string> => l !== undefined);
    if (labelSets.length === 0) return super.defaultPodLabels();
    const [first, ...rest] = labelSets;
    const shared = Object.fromEntries(Object.entries(first).filter(([k, v]) => rest.every((l) => l[k] === v)));
    return Object.keys(shared).length > 0 ? shared : super.defaultPodLabels();
  }

  // Every pod must be selected by the component's policy, or it runs with no policy at all.
  private checkPolicyCoverage(objects: readonly PlainObject[], problems: Problems): void {
    const selector = Object.entries(this.podLabels);
    for (const { object, field } of flattenLists(objects)) {
      const labels = podTemplateLabels(object);
      if (labels === undefined || selector.every(([k, v]) => labels[k] === v)) continue;
      problems.add(this.where('podLabels'),
        `${received(this.podLabels)} does not select the pods of ${field} (labels ${received(labels)}), so they would run with no CiliumNetworkPolicy; expected podLabels that every workload's pods carry`);
    }
  }

  protected runsPods(): boolean {
    return flattenLists(this.objects()).some(({ object }) => isWorkload(object));
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

/** Every object, with the items of `kind: *List` objects in their place, and the field that names each. */
function flattenLists(objects: readonly PlainObject[], prefix = ''): Array<{ object: PlainObject; field: string }> {
  return objects.flatMap((object) => {
    const field = `${prefix}${identity(object)}`;
    if (/List$/.test(String(object.kind)) && Array.isArray(object.items)) {
      return flattenLists(object.items.filter(isPlainObject), `${field}.items.`);
    }
    return [{ object, field }];
  });
}

/**
 * Records every problem of raw manifests, object by object and inside `List` items: Secrets
 * of any casing, namespaces, credentials in plain text, workloads that relax the security
 * defaults, and hand-written Cilium rules Cilium would refuse.
 */
function checkManifests(objects: readonly PlainObject[], where: DitErrorLocation, optOut: SecurityOptOut | undefined, problems: Problems): void {
  for (const { object, field } of flattenLists(objects)) {
    const at = { ...where, field };
    const kind = String(object.kind);
    if (kind.toLowerCase() === 'secret') {
      problems.add(at, `is a plain Secret (kind ${received(kind)}), which would be committed in plain text; expected a SealedSecret, an InfisicalSecret or an ExternalSecret`);
      continue;
    }
    if (isPlainObject(object.metadata) && object.metadata.namespace !== undefined) {
      problems.add({ ...at, field: `${field}.metadata.namespace` }, 'is set; expected none: the environment aggregator sets the namespace, and a namespace here makes patches miss');
    }
    // Sealed values are ciphertext: their keys name secrets, their values are safe to commit.
    if (kind !== 'SealedSecret') {
      for (const credential of findCredentials(object, field)) {
        problems.add({ ...at, field: credential }, 'looks like a credential with a literal value, which would be committed in plain text; expected a secretKeyRef to a SealedSecret or an Infisical-managed Secret');
      }
    }
    checkWorkload(object, at, optOut, problems);
    if (kind === 'CiliumNetworkPolicy' || kind === 'CiliumClusterwideNetworkPolicy') checkCiliumPolicyObject(object, at, problems);
  }
}

function identity(o: PlainObject): string {
  return `${String(o.kind)}/${String((o.metadata as PlainObject | undefined)?.name)}`;
}

function sameObject(a: PlainObject, b: PlainObject): boolean {
  return a.apiVersion === b.apiVersion && identity(a) === identity(b);
}

/**
 * The chart is the one scope the library hands to user code: two objects added to it under one
 * id are a mistake in the definitions, refused as a DitError naming the component and the id
 * (constructs' own error would be a bare Error). Wraps the chart node's `addChild`, which
 * constructs calls for every child.
 */
function refuseIdClashes(chart: Chart, component: string): void {
  const node = chart.node as unknown as { addChild(child: Construct, id: string): void };
  const addChild = node.addChild.bind(node);
  node.addChild = (child, id) => {
    if (chart.node.tryFindChild(id)) {
      throw new DitError({ component, field: `chart.${id}` }, `is the id of two constructs added to ${component}.chart; expected one id per object (for example its kind and name)`);
    }
    addChild(child, id);
  };
}
