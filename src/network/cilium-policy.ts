import type { CiliumPolicyValues } from './network-policy';
import { PlainObject } from '../tree/strategic-patch';

/**
 * A standalone CiliumNetworkPolicy for a component that is not a golden chart (no chart
 * values to carry its rules). A direction with no rule is stated as `[{}]`: a rule that
 * matches nothing, which puts the endpoint in default-deny for that direction.
 */
export function renderCiliumNetworkPolicy(name: string, podLabels: { readonly [key: string]: string }, policy: CiliumPolicyValues): PlainObject {
  const rules = (named: Record<string, unknown>) => {
    const list = Object.keys(named).sort().map((key) => named[key]);
    return list.length > 0 ? list : [{}];
  };
  return {
    // Spelled out: the generated imports/cilium.io module is 0.6 MB of classes, and loading it
    // for these two strings cost every command 75 ms. The schema tests check them.
    apiVersion: 'cilium.io/v2',
    kind: 'CiliumNetworkPolicy',
    metadata: { name },
    spec: {
      endpointSelector: { matchLabels: { ...podLabels } },
      ingress: rules(policy.ingress),
      egress: rules(policy.egress),
    },
  };
}
