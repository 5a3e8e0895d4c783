import { parse } from 'yaml';
import { PlainObject } from '../tree/strategic-patch';
import { buildKustomization, identity } from './kustomize-model';
import type { Tree } from './synth-tree';

/**
 * The objects of one component in one environment as Flux applies them: the base with its
 * patches (image.yaml last) and the namespace of the environment's aggregator.
 */
export function effectiveObjects(tree: Tree, component: string, environment: string): PlainObject[] {
  const overlay = `${component}/${environment}`;
  const dir = tree[`${overlay}/kustomization.yaml`] !== undefined ? overlay : component;
  const build = buildKustomization(tree, dir);
  if (build.findings.length > 0) throw new Error(`${dir}: ${build.findings.map((f) => `${f.file} ${f.object} ${f.field}: ${f.message}`).join('; ')}`);
  const aggregator = tree[`main/${environment}/kustomization.yaml`];
  const namespace = aggregator === undefined ? undefined : (parse(aggregator) as { namespace?: string }).namespace;
  return build.objects.map((o) => (namespace ? { ...o.object, metadata: { ...(o.object.metadata as PlainObject), namespace } } : o.object));
}

/** The HelmRelease of `component` in `environment`, after every patch, as Flux sees it. */
export function effectiveRelease(tree: Tree, component: string, environment: string): any {
  const objects = effectiveObjects(tree, component, environment);
  const release = objects.find((o) => identity(o) === `HelmRelease/${component}`);
  if (!release) throw new Error(`no HelmRelease ${component} in ${environment}; the tree has ${objects.map(identity).join(', ') || 'nothing'} for it`);
  return release;
}
