import type { GitOpsApp } from '../app/gitops-app';
import { LayeredComponent } from '../components/layered-component';
import { findEnvironment, modelPolicy } from '../network/graph';
import { PlainObject, deepEqual, isPlainObject } from '../tree/strategic-patch';
import { effectiveObjects } from './effective-release';
import type { Tree } from './synth-tree';

/**
 * Compares, for every component with pods deployed in `environment`, the Cilium rules the
 * model states with the rules the tree carries after every patch (chart values, or a
 * standalone CiliumNetworkPolicy). Returns one line per disagreement; none means the
 * network graph drawn from the model is what Cilium enforces.
 */
export function policyDisagreements(app: GitOpsApp, tree: Tree, environment: string): string[] {
  const env = findEnvironment(app, environment);
  const out: string[] = [];
  for (const component of app.components) {
    if (!component.deployedIn(app.environments).includes(env)) continue;
    if (component instanceof LayeredComponent && !component.hasNetworkPolicy) continue;
    const model = modelPolicy(app, component, env);
    const rendered = renderedRules(effectiveObjects(tree, component.name, env.name));
    for (const direction of ['ingress', 'egress'] as const) {
      const expected = rendered?.named ? model[direction] : asList(model[direction]);
      const actual = rendered?.[direction];
      if (!deepEqual(expected, actual)) {
        out.push(`${component.name} [${env.name}] ${direction}: the model states ${JSON.stringify(expected)} but the tree renders ${JSON.stringify(actual ?? null)}`);
      }
    }
  }
  return out;
}

function renderedRules(objects: readonly PlainObject[]): { named: boolean; ingress: unknown; egress: unknown } | undefined {
  for (const o of objects) {
    const values = o.kind === 'HelmRelease' && isPlainObject(o.spec) && isPlainObject(o.spec.values) ? o.spec.values : undefined;
    if (values && isPlainObject(values.ciliumNetworkPolicy)) {
      return { named: true, ingress: values.ciliumNetworkPolicy.ingress ?? {}, egress: values.ciliumNetworkPolicy.egress ?? {} };
    }
  }
  const policy = objects.find((o) => o.kind === 'CiliumNetworkPolicy' && isPlainObject(o.spec));
  return policy ? { named: false, ingress: (policy.spec as PlainObject).ingress, egress: (policy.spec as PlainObject).egress } : undefined;
}

// A standalone policy lists the named rules in name order; no rule at all is `[{}]`.
function asList(named: Record<string, unknown>): unknown[] {
  const list = Object.keys(named).sort().map((k) => named[k]);
  return list.length > 0 ? list : [{}];
}
