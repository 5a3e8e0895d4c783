import { DitComponent } from '../components/component';
import type { GitOpsApp } from '../app/gitops-app';
import { findEnvironment } from '../network/graph';
import { CiliumPolicyValues, renderCiliumPolicy } from '../network/network-policy';
import { Peer } from '../network/peer';
import { PlainObject, deepEqual, isPlainObject } from '../tree/strategic-patch';
import { effectiveObjects } from './effective-release';
import type { Tree } from './synth-tree';

/** "`from` may open a connection to `to` on `port` in `environment`." */
export interface ConnectionQuery {
  /** Component name. */
  readonly from: string;
  /** Component name, or the name of a peer rule (`rabbitmq`, `database`, `kube-dns`). */
  readonly to: string;
  readonly port: number;
  readonly environment: string;
}

/**
 * Answers a connection query from the model (the stated connections) and from the rendered
 * tree (the Cilium rules Flux applies, after patches) alike, and throws when the two
 * disagree: that would be an engine bug, not an answer. Between two components both ends must
 * allow the traffic: egress on `from` and ingress on `to`.
 */
export function isConnectionAllowed(app: GitOpsApp, tree: Tree, query: ConnectionQuery): boolean {
  const from = component(app, query.from);
  assertKnownPeer(app, query.to);
  const env = findEnvironment(app, query.environment);
  if (!from.deployedIn(app.environments).includes(env)) return false;
  const target = targetComponent(app, from, query.to);
  const egressModel = allows(model(app, from, query.environment).egress, query.to, query.port);
  const egressRendered = allows(rendered(tree, from, query.environment, 'egress'), query.to, query.port, selectorFor(from, query.to, 'egress', target));
  let ingressModel = true;
  let ingressRendered = true;
  if (target) {
    const deployed = target.deployedIn(app.environments).includes(env);
    ingressModel = deployed && allows(model(app, target, query.environment).ingress, from.name, query.port);
    ingressRendered = deployed && allows(rendered(tree, target, query.environment, 'ingress'), from.name, query.port, from.toCiliumSelector('ingress'));
  }
  if (egressModel !== egressRendered || ingressModel !== ingressRendered) {
    throw new Error(`${query.from} -> ${query.to}:${query.port} in ${query.environment}: the model says ${egressModel && ingressModel ? 'allowed' : 'denied'} but the rendered policy says ${egressRendered && ingressRendered ? 'allowed' : 'denied'}`);
  }
  return egressModel && ingressModel;
}

/** Throws unless the connection is allowed, saying why. */
export function expectConnectionAllowed(app: GitOpsApp, tree: Tree, query: ConnectionQuery): void {
  if (!isConnectionAllowed(app, tree, query)) throw new Error(`expected ${describe(query)} to be allowed, but no rule allows it`);
}

/** Throws if the connection is allowed. */
export function expectConnectionDenied(app: GitOpsApp, tree: Tree, query: ConnectionQuery): void {
  if (isConnectionAllowed(app, tree, query)) throw new Error(`expected ${describe(query)} to be denied, but a rule allows it`);
}

function describe(q: ConnectionQuery): string {
  return `${q.from} -> ${q.to} on port ${q.port} in ${q.environment}`;
}

function component(app: GitOpsApp, name: string): DitComponent {
  const found = app.components.find((c) => c.name === name);
  if (!found) throw new Error(`from: no component ${JSON.stringify(name)}; expected one of ${app.components.map((c) => c.name).join(', ')}`);
  return found;
}

/**
 * A misspelled `to` would name nothing, and every connection to nothing is denied: a
 * denial test would pass for the wrong reason. Any component or any peer a rule names in the
 * app may be asked about (a component that never states a rule to `database` is denied it).
 */
function assertKnownPeer(app: GitOpsApp, name: string): void {
  const components = app.components.map((c) => c.name);
  const peers = [Peer.kubeDns().peerName, ...app.components.flatMap((c) => c.connections.rules.map((r) => r.peer.peerName))]
    .filter((p, i, all) => all.indexOf(p) === i && !components.includes(p));
  if (components.includes(name) || peers.includes(name)) return;
  throw new Error(`to: no component or peer named ${JSON.stringify(name)}; expected a component (${[...components].sort().join(', ')}) or a peer a rule names (${peers.sort().join(', ')})`);
}

function model(app: GitOpsApp, c: DitComponent, environment: string): CiliumPolicyValues {
  const env = app.environments.find((e) => e.name === environment)!;
  return renderCiliumPolicy(c.connections, {
    component: c.name,
    environment: env,
    deployedIn: c.deployedIn(app.environments),
    deploymentOf: (peer) => (DitComponent.isComponent(peer) ? peer.deployedIn(app.environments) : undefined),
  });
}

/** Named rules from the tree: chart values keep names; a standalone policy is matched by selector. */
function rendered(tree: Tree, c: DitComponent, environment: string, direction: 'ingress' | 'egress'): Record<string, unknown> | unknown[] {
  const objects = effectiveObjects(tree, c.name, environment);
  const release = objects.find((o) => o.kind === 'HelmRelease' && isPlainObject(o.spec) && isPlainObject((o.spec.values as PlainObject | undefined)?.ciliumNetworkPolicy));
  if (release) return (((release.spec as PlainObject).values as PlainObject).ciliumNetworkPolicy as PlainObject)[direction] as Record<string, unknown> ?? {};
  const policy = objects.find((o) => o.kind === 'CiliumNetworkPolicy');
  return policy ? ((policy.spec as PlainObject)[direction] as unknown[]) ?? [] : [];
}

/**
 * The component `to` names, if it names one: a rule of `from` decides (a rule named `rabbitmq`
 * may point at a RabbitMQ outside the tree while a component has the same name); without a
 * rule, a component of that name.
 */
function targetComponent(app: GitOpsApp, from: DitComponent, to: string): DitComponent | undefined {
  const rule = from.connections.rules.find((r) => r.direction === 'egress' && r.peer.peerName === to);
  if (rule) return DitComponent.isComponent(rule.peer) ? rule.peer : undefined;
  return app.components.find((c) => c.name === to);
}

/** The selector half of a rule to `peer`: how a standalone policy (whose rules have no names) shows it. */
function selectorFor(c: DitComponent, peer: string, direction: 'ingress' | 'egress', target?: DitComponent): Record<string, unknown> | undefined {
  if (target) return target.toCiliumSelector(direction);
  const where = { component: c.name, field: 'connections' };
  const stated = c.connections.rules.find((r) => r.direction === direction && r.peer.peerName === peer)?.peer;
  const dns = Peer.kubeDns();
  return (stated ?? (peer === dns.peerName ? dns : undefined))?.toCiliumSelector(direction, where);
}

function allows(rules: Record<string, unknown> | unknown[], peer: string, port: number, selector?: Record<string, unknown>): boolean {
  const candidates = Array.isArray(rules)
    ? rules.filter((r) => selector && isPlainObject(r) && Object.entries(selector).every(([k, v]) => deepEqual(r[k], v)))
    : [rules[peer]];
  return candidates.some((rule) => isPlainObject(rule) && Array.isArray(rule.toPorts)
    && rule.toPorts.some((tp) => isPlainObject(tp) && Array.isArray(tp.ports) && tp.ports.some((p) => isPlainObject(p) && p.port === String(port))));
}
