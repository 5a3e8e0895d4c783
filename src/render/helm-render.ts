import { parseAllDocuments } from 'yaml';
import { PlainObject, isPlainObject } from '../tree/strategic-patch';

/** One object of a rendered environment, with the component it belongs to. */
export interface RenderedObject {
  /** The component (HelmRelease or kustomization directory name) the object comes from. */
  readonly component: string;
  readonly environment: string;
  /** The object as it will be applied. */
  readonly object: PlainObject;
  /** The merged values of the release the object was rendered from, for checks that honour an explicit opt-out. @default - none (not from a golden chart) */
  readonly values?: PlainObject;
}

/** A `helm template` run: one HelmRelease of a local golden chart. */
export interface HelmRenderJob {
  /** The HelmRelease's name, which is the component's. */
  readonly component: string;
  /** Helm release name (`spec.releaseName`, else Flux's default). */
  readonly releaseName: string;
  readonly namespace: string;
  /** Directory name of the golden chart under the charts directory. */
  readonly chart: string;
  /** `spec.values` after every kustomize patch (image.yaml included). */
  readonly values: PlainObject;
  /** Why the render may differ from the cluster's (valuesFrom is resolved in the cluster). */
  readonly notes: readonly string[];
}

/** What an environment's kustomize build splits into. */
export interface RenderPlan {
  /** HelmReleases of local golden charts, to render with helm template. */
  readonly jobs: readonly HelmRenderJob[];
  /** Everything else, applied as it is (third-party HelmReleases stay HelmReleases). */
  readonly objects: readonly RenderedObject[];
}

/** Options of {@link planRender}. */
export interface PlanRenderOptions {
  readonly environment: string;
  /** Names of the golden charts available locally (directories of the charts directory). */
  readonly charts: readonly string[];
  /** Only this component. @default - every component */
  readonly component?: string;
  /**
   * The component an object that is no HelmRelease belongs to (the tree knows: the directory
   * of the file it came from). @default - its `app.kubernetes.io/instance` label, else its name
   */
  readonly componentOf?: (object: PlainObject) => string | undefined;
}

/**
 * Splits the objects of `kubectl kustomize main/<env>` into helm template runs (HelmReleases
 * whose chartRef names a local golden chart) and objects applied as they are. Objects that
 * are no HelmRelease belong to the component named by their `app.kubernetes.io/instance`
 * label, else their own name.
 */
export function planRender(built: readonly PlainObject[], options: PlanRenderOptions): RenderPlan {
  const jobs: HelmRenderJob[] = [];
  const objects: RenderedObject[] = [];
  for (const object of built) {
    const metadata = (isPlainObject(object.metadata) ? object.metadata : {}) as PlainObject;
    const name = String(metadata.name ?? '');
    const spec = (isPlainObject(object.spec) ? object.spec : {}) as PlainObject;
    const chartRef = isPlainObject(spec.chartRef) ? spec.chartRef : undefined;
    const isGolden = object.kind === 'HelmRelease' && chartRef?.kind === 'HelmChart' && options.charts.includes(String(chartRef.name));
    const component = object.kind === 'HelmRelease' ? name : options.componentOf?.(object) ?? componentOf(object);
    if (options.component !== undefined && component !== options.component) continue;
    if (!isGolden) {
      objects.push({ component, environment: options.environment, object });
      continue;
    }
    const targetNamespace = typeof spec.targetNamespace === 'string' ? spec.targetNamespace : undefined;
    const notes = Array.isArray(spec.valuesFrom) && spec.valuesFrom.length > 0
      ? [`${name} [${options.environment}] valuesFrom: ${spec.valuesFrom.length} source(s) are read in the cluster; the render shows spec.values only`]
      : [];
    jobs.push({
      component,
      releaseName: typeof spec.releaseName === 'string' ? spec.releaseName : targetNamespace ? `${targetNamespace}-${name}` : name,
      namespace: targetNamespace ?? String(metadata.namespace ?? 'default'),
      chart: String(chartRef!.name),
      values: (isPlainObject(spec.values) ? spec.values : {}) as PlainObject,
      notes,
    });
  }
  return { jobs, objects };
}

/**
 * The objects `helm template` printed for `job`, each placed in the release's namespace (as
 * helm-controller applies them).
 */
export function renderedObjects(job: HelmRenderJob, environment: string, manifest: string): RenderedObject[] {
  return parseAllDocuments(manifest).map((d) => d.toJS()).filter(isPlainObject).map((object) => ({
    component: job.component,
    environment,
    values: job.values,
    object: { ...object, metadata: { name: (object.metadata as PlainObject | undefined)?.name, namespace: job.namespace, ...(object.metadata as PlainObject) } },
  }));
}

/** The arguments of `helm template` for `job` (the values file is written by the caller). */
export function helmTemplateArgs(job: HelmRenderJob, chartDir: string, valuesFile: string): string[] {
  return ['template', job.releaseName, chartDir, '--namespace', job.namespace, '--values', valuesFile];
}

function componentOf(object: PlainObject): string {
  const metadata = (isPlainObject(object.metadata) ? object.metadata : {}) as PlainObject;
  const labels = isPlainObject(metadata.labels) ? metadata.labels : {};
  return String(labels['app.kubernetes.io/instance'] ?? metadata.name ?? '');
}
