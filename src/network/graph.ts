import type { DitEnvironment } from '../app/environment';
import { GitOpsApp, findEnvironment } from '../app/gitops-app';
import { DitComponent } from '../components/component';
import { LayeredComponent } from '../components/layered-component';
import { PlainObject, deepEqual, isPlainObject } from '../tree/strategic-patch';
import { CiliumPolicyValues, renderCiliumPolicy } from './network-policy';

/** What a node of the graph stands for. */
export type GraphNodeKind = 'component' | 'endpoint' | 'entity' | 'fqdn' | 'cidr';

/** A component of the tree, or a peer outside it that some rule names. */
export interface GraphNode {
  /** Unique in the graph: the component or rule name (`@<component>` added when two peers share a name). */
  readonly id: string;
  readonly kind: GraphNodeKind;
  /** The component or rule name. */
  readonly name: string;
  /** What selects it: `traefik/app.kubernetes.io/instance=traefik-traefik`, `world`, `api.sendgrid.com`, `10.0.0.0/8`. */
  readonly detail: string;
}

/** "`from` may open connections to `to` on `ports`": egress on `from` and ingress on `to` both allow it. */
export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  /** Cilium ports, `8080` (any protocol) or `5672/TCP`, sorted by number. */
  readonly ports: readonly string[];
}

/** Who may talk to whom in one environment. */
export interface NetworkGraph {
  readonly environment: string;
  readonly namespace: string;
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
}

const NAMESPACE_LABEL = 'io.kubernetes.pod.namespace';

/** The Cilium rules the model renders for `component` in `environment`: what the tree must carry. */
export function modelPolicy(app: GitOpsApp, component: DitComponent, environment: DitEnvironment): CiliumPolicyValues {
  const environments = app.environments;
  return renderCiliumPolicy(component.connections, {
    component: component.name,
    environment,
    deployedIn: component.deployedIn(environments),
    deploymentOf: (peer) => (DitComponent.isComponent(peer) ? peer.deployedIn(environments) : undefined),
  });
}

// Moved to src/app (it is the app's lookup); re-exported for the commands that import it from here.
export { findEnvironment };

/**
 * The network graph of one environment, from the model: every deployed component, every
 * outside peer a rule names (endpoints such as Traefik, kube-dns, RabbitMQ or a database;
 * Cilium entities; FQDNs; CIDRs), and the connections allowed between them. Between two
 * components an edge needs both ends: the egress rule of one and the ingress rule of the
 * other, so an edge carries only the ports both allow.
 */
export function networkGraph(app: GitOpsApp, environment: string): NetworkGraph {
  const env = findEnvironment(app, environment);
  const environments = app.environments;
  // A component with no pods (sealed certificates) has no policy and no place in the network.
  const deployed = app.components.filter((c) => c.deployedIn(environments).includes(env) && !(c instanceof LayeredComponent && !c.hasNetworkPolicy));
  const byName = new Map(deployed.map((c) => [c.name, c]));
  const nodes = new Map<string, GraphNode>(deployed.map((c) => [c.name, { id: c.name, kind: 'component', name: c.name, detail: labelText(c.podLabels) }]));
  const egress = new Map<string, Set<string>>();
  const ingress = new Map<string, Set<string>>();
  const add = (map: Map<string, Set<string>>, from: string, to: string, ports: readonly string[]) => {
    const key = `${from}\u0000${to}`;
    if (!map.has(key)) map.set(key, new Set());
    ports.forEach((p) => map.get(key)!.add(p));
  };

  for (const component of deployed) {
    const policy = modelPolicy(app, component, env);
    for (const direction of ['ingress', 'egress'] as const) {
      for (const [name, rule] of Object.entries(policy[direction])) {
        const ports = portsOf(rule);
        const peer = byName.get(name);
        let peerId: string;
        if (peer && deepEqual(selectorOf(rule), { [direction === 'ingress' ? 'fromEndpoints' : 'toEndpoints']: [{ matchLabels: { ...peer.podLabels } }] })) {
          peerId = peer.name;
        } else {
          const node = outsideNode(name, rule as PlainObject, env.namespace);
          // An outside peer named like a component (the platform's RabbitMQ beside the
          // team's), or two peers stated under one name: the stating component tells them apart.
          const same = nodes.get(name);
          peerId = same === undefined || (same.kind === node.kind && same.detail === node.detail) ? name : `${name}@${component.name}`;
          if (!nodes.has(peerId)) nodes.set(peerId, { ...node, id: peerId });
        }
        if (direction === 'egress') add(egress, component.name, peerId, ports);
        else add(ingress, peerId, component.name, ports);
      }
    }
  }

  const edges: GraphEdge[] = [];
  for (const key of new Set([...egress.keys(), ...ingress.keys()])) {
    const [from, to] = key.split('\u0000');
    const bothComponents = byName.has(from) && byName.has(to);
    const out = egress.get(key);
    const inbound = ingress.get(key);
    // An outside peer has no policy here: the component's side alone decides.
    const ports = bothComponents ? [...(out ?? [])].filter((p) => inbound?.has(p)) : [...new Set([...(out ?? []), ...(inbound ?? [])])];
    if (ports.length > 0) edges.push({ from, to, ports: ports.sort(byPort) });
  }
  edges.sort((a, b) => compare(a.from, b.from) || compare(a.to, b.to));
  return { environment: env.name, namespace: env.namespace, nodes: [...nodes.values()].sort((a, b) => compare(a.id, b.id)), edges };
}

function outsideNode(name: string, rule: PlainObject, namespace: string): Omit<GraphNode, 'id'> {
  const selector = selectorOf(rule);
  const [key, value] = Object.entries(selector)[0] ?? ['', []];
  const first = Array.isArray(value) ? value[0] : undefined;
  if (key.endsWith('Endpoints')) {
    const labels = { ...((first as PlainObject | undefined)?.matchLabels as Record<string, string> | undefined) };
    const ns = labels[NAMESPACE_LABEL] ?? namespace;
    delete labels[NAMESPACE_LABEL];
    return { kind: 'endpoint', name, detail: `${ns}/${labelText(labels)}` };
  }
  if (key.endsWith('Entities')) return { kind: 'entity', name, detail: (value as string[]).join(', ') };
  if (key === 'toFQDNs') return { kind: 'fqdn', name, detail: (value as PlainObject[]).map((f) => String(f.matchName ?? f.matchPattern)).join(', ') };
  return { kind: 'cidr', name, detail: (value as string[]).join(', ') };
}

function selectorOf(rule: unknown): PlainObject {
  const { toPorts: _ports, ...selector } = rule as PlainObject;
  return selector;
}

function portsOf(rule: unknown): string[] {
  const toPorts = isPlainObject(rule) && Array.isArray(rule.toPorts) ? rule.toPorts : [];
  return toPorts.flatMap((tp: PlainObject) => (tp.ports as Array<{ port: string; protocol?: string }>).map((p) => (p.protocol ? `${p.port}/${p.protocol}` : p.port)));
}

function labelText(labels: { readonly [key: string]: string }): string {
  return Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',');
}

function byPort(a: string, b: string): number {
  return parseInt(a, 10) - parseInt(b, 10) || compare(a, b);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const MERMAID_SHAPES: Record<GraphNodeKind, [string, string]> = {
  component: ['["', '"]'],
  endpoint: ['(["', '"])'],
  entity: ['{{"', '"}}'],
  fqdn: ['>"', '"]'],
  cidr: ['[/"', '"/]'],
};

/**
 * A Mermaid flowchart (GitHub renders it in Markdown): the environment's components in a
 * subgraph named after its namespace, outside peers around it, one arrow per allowed
 * connection from the side that opens it, labelled with its ports.
 */
export function toMermaid(graph: NetworkGraph): string {
  const id = (node: string) => `${graph.environment}_${node}`.replace(/@/g, '__').replace(/[^A-Za-z0-9_]/g, '_');
  const node = (n: GraphNode) => {
    const [open, close] = MERMAID_SHAPES[n.kind];
    return `${id(n.id)}${open}${n.name}<br/><small>${escapeMermaid(n.kind === 'component' ? 'component' : `${n.kind}: ${n.detail}`)}</small>${close}`;
  };
  const lines = ['flowchart LR'];
  lines.push(`  subgraph ${id('namespace')}["${graph.environment}: namespace ${graph.namespace}"]`);
  for (const n of graph.nodes.filter((x) => x.kind === 'component')) lines.push(`    ${node(n)}`);
  lines.push('  end');
  for (const n of graph.nodes.filter((x) => x.kind !== 'component')) lines.push(`  ${node(n)}`);
  for (const e of graph.edges) lines.push(`  ${id(e.from)} -->|"${e.ports.join(', ')}"| ${id(e.to)}`);
  return `${lines.join('\n')}\n`;
}

/** A Graphviz digraph of the same graph (`dot -Tsvg`). */
export function toDot(graph: NetworkGraph): string {
  const q = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
  const shapes: Record<GraphNodeKind, string> = { component: 'box', endpoint: 'ellipse', entity: 'hexagon', fqdn: 'cds', cidr: 'parallelogram' };
  const lines = [`digraph ${q(graph.environment)} {`, '  rankdir=LR;'];
  lines.push(`  subgraph ${q(`cluster_${graph.environment}`)} {`, `    label=${q(`${graph.environment}: namespace ${graph.namespace}`)};`);
  for (const n of graph.nodes.filter((x) => x.kind === 'component')) lines.push(`    ${q(n.id)} [shape=box, label=${q(n.name)}];`);
  lines.push('  }');
  for (const n of graph.nodes.filter((x) => x.kind !== 'component')) lines.push(`  ${q(n.id)} [shape=${shapes[n.kind]}, label=${q(`${n.name}\n${n.kind}: ${n.detail}`)}];`);
  for (const e of graph.edges) lines.push(`  ${q(e.from)} -> ${q(e.to)} [label=${q(e.ports.join(', '))}];`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

function escapeMermaid(text: string): string {
  return text.replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
}
