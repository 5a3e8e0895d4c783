import type { DitEnvironment } from '../app/environment';
import { DitError, DitErrorLocation } from '../app/errors';
import { Problems } from '../app/validation';
import { ConnectionRule, Connections, isComponentPeer } from './connections';
import { Direction, IPeer, Peer } from './peer';
import { Port } from './port';

/** Where a policy is rendered: the base (every environment) or one environment's overlay. */
export interface PolicyScope {
  readonly component: string;
  /** The environment, or undefined for the base. */
  readonly environment?: DitEnvironment;
  /** Environments the component is deployed in. */
  readonly deployedIn: readonly DitEnvironment[];
  /** Environments another component is deployed in. */
  readonly deploymentOf: (peer: IPeer) => readonly DitEnvironment[] | undefined;
}

/** The chart's `ciliumNetworkPolicy` value: named ingress and egress rules. */
export interface CiliumPolicyValues {
  readonly enabled: true;
  readonly ingress: Record<string, unknown>;
  readonly egress: Record<string, unknown>;
}

/** True when `rule` applies in `env`. */
function ruleAppliesIn(rule: ConnectionRule, env: DitEnvironment, scope: PolicyScope): boolean {
  if (rule.environments) return rule.environments.includes(env);
  return !isComponentPeer(rule.peer) || (scope.deploymentOf(rule.peer) ?? []).includes(env);
}

/**
 * Renders the rules that apply in `scope` as the seed's named-rule maps. The base holds the
 * rules that apply in every environment; an overlay holds all rules of its environment (the
 * caller diffs it against the base).
 */
export function renderCiliumPolicy(connections: Connections, scope: PolicyScope): CiliumPolicyValues {
  const applies = (rule: ConnectionRule) => scope.environment
    ? ruleAppliesIn(rule, scope.environment, scope)
    : scope.deployedIn.every((env) => ruleAppliesIn(rule, env, scope));
  const rules = connections.rules.filter(applies);
  const egress = rules.filter((r) => r.direction === 'egress');
  const needsDns = connections.defaultDns || egress.some((r) => r.peer.requiresDns);
  const dnsRule: ConnectionRule[] = needsDns ? [{ direction: 'egress', peer: Peer.kubeDns(), ports: [Port.any(53)], statement: 'default kube-dns egress' }] : [];
  return {
    enabled: true,
    ingress: renderRules('ingress', rules.filter((r) => r.direction === 'ingress'), scope),
    egress: renderRules('egress', [...dnsRule, ...egress], scope),
  };
}

/** Renders a component's policy in one environment. */
export type PolicyRenderer = (env: DitEnvironment) => CiliumPolicyValues;

/**
 * Records each direction the component leaves unstated: once when it is missing in every
 * environment, else once per environment it is missing in. `render` lets the caller pass the
 * policies it already rendered for the plan.
 */
export function checkPolicyComplete(
  connections: Connections,
  scope: PolicyScope,
  problems: Problems,
  render: PolicyRenderer = (env) => renderCiliumPolicy(connections, { ...scope, environment: env }),
): void {
  const policies = scope.deployedIn.map((env) => ({ env, policy: render(env) }));
  for (const direction of ['ingress', 'egress'] as const) {
    const denied = direction === 'ingress' ? connections.deniesAllIngress : connections.deniesAllEgress;
    if (denied) continue;
    const missing = policies.filter(({ policy }) => Object.keys(policy[direction]).length === 0).map(({ env }) => env.name);
    const optOut = direction === 'ingress' ? 'denyAllIngress()' : 'denyAllEgress()';
    const message = `no ${direction} rule; default-deny clusters need both directions stated: expected an allow${direction === 'ingress' ? 'From' : 'To'}() rule, or connections.${optOut} to state that none is wanted`;
    const field = `connections.${direction}`;
    if (missing.length > 1 && missing.length === policies.length) problems.add({ component: scope.component, field }, message);
    else for (const environment of missing) problems.add({ component: scope.component, environment, field }, message);
  }
}

function renderRules(direction: Direction, rules: readonly ConnectionRule[], scope: PolicyScope): Record<string, unknown> {
  const byName = new Map<string, { selector: string; peer: IPeer; ports: Port[] }>();
  for (const rule of rules) {
    const where: DitErrorLocation = { component: scope.component, environment: scope.environment?.name, field: rule.statement };
    const selector = JSON.stringify(rule.peer.toCiliumSelector(direction, where));
    const ports = [...rule.ports];
    const existing = byName.get(rule.peer.peerName);
    if (existing && existing.selector !== selector) {
      throw new DitError(where, `two different ${direction} peers are named ${rule.peer.peerName}; expected one name per peer: pass { name } to tell them apart`);
    }
    if (existing) existing.ports.push(...ports);
    else byName.set(rule.peer.peerName, { selector, peer: rule.peer, ports });
  }
  const out: Record<string, unknown> = {};
  for (const name of [...byName.keys()].sort()) {
    const { selector, peer, ports } = byName.get(name)!;
    out[name] = { ...JSON.parse(selector), toPorts: [renderPorts(peer, ports)] };
  }
  return out;
}

function renderPorts(peer: IPeer, ports: readonly Port[]): Record<string, unknown> {
  const rendered = new Map<string, { port: string; protocol?: string }>();
  for (const p of ports.map((port) => port.toCilium())) rendered.set(`${p.port}/${p.protocol ?? ''}`, p);
  const sorted = [...rendered.values()].sort((a, b) => Number(a.port) - Number(b.port) || (a.protocol ?? '').localeCompare(b.protocol ?? ''));
  return peer.l7Rules ? { ports: sorted, rules: peer.l7Rules } : { ports: sorted };
}
