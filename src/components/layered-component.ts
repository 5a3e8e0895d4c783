import { Construct } from 'constructs';
import type { PlanContext } from '../app/plan-context';
import { DitComponent, ValidationScope } from './component';
import { securityOptOutComment } from './protected-values';
import type { DitEnvironment } from '../app/environment';
import { CiOwnedFile, DataFile } from '../tree/gitops-file';
import { DitError } from '../app/errors';
import { CiliumPolicyValues, PolicyScope, checkPolicyComplete, renderCiliumPolicy } from '../network/network-policy';
import { PlainObject, diffPatch } from '../tree/strategic-patch';
import { ImageRegistry } from '../images/image-registry';

/** One file of a layer: its name inside the base or overlay directory, and its objects. */
export interface LayerFile {
  readonly file: string;
  readonly objects: readonly PlainObject[];
}

/** A CI-owned file of an overlay (image.yaml). */
export interface OverlayCiFile {
  readonly file: string;
  /** Bytes for a file that does not exist yet. May throw a DitError. */
  readonly initialContent: () => string;
  /** Brings previous bytes up to date (for example adds setter markers); identity by default. */
  readonly reconcile?: (previous: string, committed?: string) => string;
}


/**
 * A component laid out as a base plus one overlay per environment. Subclasses render the
 * full objects for the base and for each environment; the overlay files hold only the
 * difference (apiVersion, kind, metadata.name and the changed keys), so the overlays stay
 * what a person would have written by hand.
 */
export abstract class LayeredComponent extends DitComponent {
  /**
   * One directory applied in every environment (seed 004's `api-docs`, `certs`) instead of a
   * base and overlays. Such a component cannot differ per environment.
   */
  protected shared = false;
  /** All environments of the app, set when the app plans. */
  protected environments: readonly DitEnvironment[] = [];
  /** The app's plan context, set when the app plans. */
  protected context: PlanContext = { environments: [], repositoryPath: 'dist', gitRepository: { name: 'flux-system', namespace: 'flux-system' }, registry: ImageRegistry.ghcr() };
  // Layers of the current plan, by environment ('' for the base): every overlay file needs
  // the base and its environment, and rendering each once per plan keeps synthesis linear.
  private readonly layers = new Map<string, readonly LayerFile[]>();
  // Patches of the current plan, by `<env>/<file>`: the patch file and the overlay's
  // kustomization (which lists only non-empty patches) both need them.
  private readonly patchCache = new Map<string, PlainObject[]>();
  // Cilium rules of the current plan, by environment ('' for the base): the layer, the
  // completeness check and the network graph all need them, and rendering is not free.
  private readonly policies = new Map<string, CiliumPolicyValues>();

  /** The full objects of the base (`env` undefined) or of one environment. */
  protected abstract renderLayer(env?: DitEnvironment): readonly LayerFile[];

  /** False for a component with no pods (sealed certificates): it needs no network rules. @default true */
  protected runsPods(): boolean {
    return true;
  }

  /** True when the component runs pods, so it carries a Cilium policy (the network graph lists it). */
  public get hasNetworkPolicy(): boolean {
    return this.runsPods();
  }

  /** Extra resources of an overlay, listed after `../base`. @default none */
  protected overlayResources(_env: DitEnvironment): readonly LayerFile[] {
    return [];
  }

  /** The CI-owned file of an overlay, patched last. @default none */
  protected overlayCiFile(_env: DitEnvironment): OverlayCiFile | undefined {
    return undefined;
  }

  /**
   * Components whose overlay this one's includes in `env`, its CI-owned file patched into
   * their HelmReleases too (components that follow this one's image). @default none
   */
  protected overlayFollowers(_env: DitEnvironment): readonly DitComponent[] {
    return [];
  }

  public _prepare(context: PlanContext): void {
    const environments = context.environments;
    this.layers.clear();
    this.patchCache.clear();
    this.policies.clear();
    this.context = context;
    this.environments = environments;
    if (this.node.tryFindChild('Base')) return;
    const base = new Construct(this, 'Base');
    const baseFiles = this.layer().map((f) => f.file);
    const dir = this.shared ? this.name : `${this.name}/base`;
    new DataFile(base, 'Kustomization', { path: `${dir}/kustomization.yaml`, documents: () => [{ resources: baseFiles }] });
    for (const file of baseFiles) {
      new DataFile(base, file, { path: `${dir}/${file}`, documents: () => this.layerFile(file)?.objects ?? [], comments: () => securityOptOutComment(this.securityOptOut) });
    }
    if (this.shared) return;
    for (const env of this.deployedIn(environments)) this.prepareOverlay(env, baseFiles);
  }

  public overlayDirectory(env: DitEnvironment): string {
    return this.shared ? this.name : super.overlayDirectory(env);
  }

  public _validate(scope: ValidationScope): void {
    super._validate(scope);
    if (this.runsPods()) scope.problems.check(() => checkPolicyComplete(this.connections, this.policyScope(), scope.problems, (env) => this.networkPolicy(env)));
  }

  /**
   * @internal Checks what only rendering shows: a shared component that would differ per
   * environment. Runs after every other check passed, since rendering needs valid input.
   */
  public _validateRendered(scope: ValidationScope): void {
    super._validateRendered(scope);
    if (!this.shared) return;
    for (const env of this.deployedIn(scope.environments)) {
      scope.problems.check(() => {
        const diff = this.layer(env).some((f, i) => diffPatch(this.layer()[i], f) !== undefined);
        if (diff) {
          throw new DitError({ component: this.name, environment: env.name, field: 'shared' },
            'differs in this environment, but a shared component is one directory for every environment; expected no per-environment difference, or a base/overlay layout (shared: false)');
        }
      });
    }
  }

  /** The component's Cilium rules in the base (`env` undefined) or in one environment, rendered once per plan. */
  protected networkPolicy(env?: DitEnvironment): CiliumPolicyValues {
    const key = env?.name ?? '';
    if (!this.policies.has(key)) this.policies.set(key, renderCiliumPolicy(this.connections, { ...this.policyScope(), environment: env }));
    return this.policies.get(key)!;
  }

  private policyScope(): PolicyScope {
    return {
      component: this.name,
      deployedIn: this.deployedIn(this.environments),
      deploymentOf: (peer) => (DitComponent.isComponent(peer) ? peer.deployedIn(this.environments) : undefined),
    };
  }

  /** The rendered layer, cached for the current plan. */
  protected layer(env?: DitEnvironment): readonly LayerFile[] {
    const key = env?.name ?? '';
    if (!this.layers.has(key)) this.layers.set(key, this.renderLayer(env));
    return this.layers.get(key)!;
  }

  private layerFile(file: string, env?: DitEnvironment): LayerFile | undefined {
    return this.layer(env).find((f) => f.file === file);
  }

  private patches(file: string, env: DitEnvironment): PlainObject[] {
    const key = `${env.name}/${file}`;
    if (!this.patchCache.has(key)) this.patchCache.set(key, this.diffLayerFile(file, env));
    return this.patchCache.get(key)!;
  }

  private diffLayerFile(file: string, env: DitEnvironment): PlainObject[] {
    const base = this.layerFile(file)?.objects ?? [];
    const target = this.layerFile(file, env)?.objects ?? [];
    return target.flatMap((object, i) => {
      const diff = diffPatch(base[i], object) as PlainObject | undefined;
      if (!diff) return [];
      const { apiVersion: _a, kind: _k, metadata, ...changed } = diff;
      const name = (object.metadata as PlainObject).name;
      return [{ apiVersion: object.apiVersion, kind: object.kind, metadata: { ...(metadata as PlainObject | undefined), name }, ...changed }];
    });
  }

  private prepareOverlay(env: DitEnvironment, baseFiles: readonly string[]): void {
    const dir = this.overlayDirectory(env);
    const overlay = new Construct(this, env.name);
    for (const file of baseFiles) {
      new DataFile(overlay, `Patch-${file}`, { path: `${dir}/${file}`, documents: () => this.patches(file, env) });
    }
    const extraFiles = this.overlayResources(env).map((f) => f.file);
    for (const file of extraFiles) {
      new DataFile(overlay, `Resource-${file}`, { path: `${dir}/${file}`, documents: () => this.overlayResources(env).find((f) => f.file === file)?.objects ?? [] });
    }
    const ci = this.overlayCiFile(env);
    if (ci) new CiOwnedFile(overlay, 'Ci', { path: `${dir}/${ci.file}`, initialContent: ci.initialContent, reconcile: ci.reconcile });
    new DataFile(overlay, 'Kustomization', {
      path: `${dir}/kustomization.yaml`,
      documents: () => {
        // The CI-owned file comes last: the last patch wins, and CI's tag must win. Followers'
        // HelmReleases take the same file by target, so one edit of it moves them all.
        const followers = ci ? this.overlayFollowers(env) : [];
        const patches: PlainObject[] = [...baseFiles.filter((f) => this.patches(f, env).length > 0), ...(ci ? [ci.file] : [])].map((path) => ({ path }));
        for (const follower of followers) patches.push({ path: ci!.file, target: { kind: 'HelmRelease', name: follower.name } });
        const resources = ['../base', ...extraFiles, ...followers.map((f) => `../../${f.overlayDirectory(env)}`)];
        return [{ resources, ...(patches.length > 0 ? { patches } : {}) }];
      },
    });
  }
}
