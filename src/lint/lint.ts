import { PlainObject, isPlainObject } from '../tree/strategic-patch';
import type { RenderedObject } from '../render/helm-render';
import { LintFinding, LintRule, WorkloadLintContext, lintWorkload, objectName, podTemplateOf } from './workload-rules';

/** Options of {@link lintRendered}. */
export interface LintOptions extends WorkloadLintContext {}

const POLICY_KINDS = ['CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy'];

/**
 * Every check of `dit-gitops lint` over the rendered objects of one environment: each
 * workload's security, resources, probes and images, and that a Cilium policy selects each
 * pod with both directions stated. Findings are sorted by component, object and rule.
 */
export function lintRendered(objects: readonly RenderedObject[], options: LintOptions): LintFinding[] {
  const findings = objects.flatMap((o) => [...lintWorkload(o, options), ...lintNetworkPolicy(o, objects)]);
  return findings.sort((a, b) => a.component.localeCompare(b.component) || a.object.localeCompare(b.object) || a.rule.localeCompare(b.rule) || a.message.localeCompare(b.message));
}

/** Formats findings one a line: `component [environment] Kind/name rule: message`. */
export function formatLintFindings(findings: readonly LintFinding[]): string {
  return findings.map((f) => `${f.component} [${f.environment}] ${f.object} ${f.rule}: ${f.message}`).join('\n');
}

/**
 * The pods of `rendered` must be selected, in their namespace, by Cilium policies that
 * between them state ingress and egress (a rule list, a deny list or enableDefaultDeny):
 * otherwise traffic in the unstated direction is not default-denied.
 */
export function lintNetworkPolicy(rendered: RenderedObject, all: readonly RenderedObject[]): LintFinding[] {
  const pod = podTemplateOf(rendered.object);
  if (!pod) return [];
  const namespace = namespaceOf(rendered.object);
  const selecting = all.map((o) => o.object).filter((p) => POLICY_KINDS.includes(String(p.kind))
    && (p.kind === 'CiliumClusterwideNetworkPolicy' || namespaceOf(p) === namespace)
    && selects(isPlainObject(p.spec) ? p.spec.endpointSelector : undefined, pod.labels));
  const stated = (direction: 'ingress' | 'egress') => selecting.some((p) => {
    const spec = p.spec as PlainObject;
    const defaultDeny = isPlainObject(spec.enableDefaultDeny) ? spec.enableDefaultDeny[direction] : undefined;
    return defaultDeny !== false && (Array.isArray(spec[direction]) || Array.isArray(spec[`${direction}Deny`]) || defaultDeny === true);
  });
  const missing = (['ingress', 'egress'] as const).filter((d) => !stated(d));
  if (missing.length === 0) return [];
  const message = selecting.length === 0
    ? `no CiliumNetworkPolicy selects its pods (${Object.entries(pod.labels).map(([k, v]) => `${k}=${v}`).join(', ')}); expected a default-deny policy with ingress and egress`
    : `the CiliumNetworkPolicies selecting its pods (${selecting.map(objectName).join(', ')}) state no ${missing.join(' or ')}; expected both directions`;
  return [{ component: rendered.component, environment: rendered.environment, object: objectName(rendered.object), rule: LintRule.NETWORK_POLICY, message }];
}

function namespaceOf(object: PlainObject): string | undefined {
  return isPlainObject(object.metadata) && typeof object.metadata.namespace === 'string' ? object.metadata.namespace : undefined;
}

/** Label selector match (matchLabels and the In/NotIn/Exists/DoesNotExist expressions). */
function selects(selector: unknown, labels: { readonly [key: string]: string }): boolean {
  if (!isPlainObject(selector)) return false;
  const matchLabels = isPlainObject(selector.matchLabels) ? selector.matchLabels : {};
  if (!Object.entries(matchLabels).every(([k, v]) => labels[k] === v)) return false;
  const expressions = Array.isArray(selector.matchExpressions) ? selector.matchExpressions.filter(isPlainObject) : [];
  return expressions.every((e) => {
    const key = String(e.key);
    const values = Array.isArray(e.values) ? e.values.map(String) : [];
    switch (e.operator) {
      case 'In': return key in labels && values.includes(labels[key]);
      case 'NotIn': return !(key in labels) || !values.includes(labels[key]);
      case 'Exists': return key in labels;
      case 'DoesNotExist': return !(key in labels);
      default: return false;
    }
  });
}
