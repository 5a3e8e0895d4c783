import { PlainObject, isPlainObject } from '../tree/strategic-patch';
import { FlowTarget, PodEndpoint, evaluateFlow } from './cilium-evaluator';
import { DialedHost, hostsInConfig } from './config-hosts';
import { containerPorts, resolveTargetPort } from './check-references';
import { PodWorkload, RenderedIndex, asList, containersOf, nameOf } from './rendered-index';
import { VerifyNote, VerifyProblem, VerifyRule } from './verify-problem';

/** A group of configuration entries read together (a sibling `…Port` key names the port of a `…Host`). */
interface ConfigGroup {
  /** How a key of the group is named in a problem: `configs.KEY`, `env KEY`. */
  readonly label: (key: string) => string;
  readonly entries: Readonly<Record<string, string>>;
}

/** Where a dialed host leads. */
interface Resolved {
  readonly target: FlowTarget;
  /** The port on the target pod (after the Service's targetPort), or undefined when unknown. */
  readonly port?: number;
  /** How the fix statement names the target: a component, a peer variable, `Peer.fqdn('…')`. */
  readonly peer: string;
  /** The target's ingress is ours to check (a pod of the tree). */
  readonly checkIngress: boolean;
  /** A problem found while resolving (a port the Service does not serve). */
  readonly problem?: string;
  /** The workload's own Service, load-balanced back to its only pod: a note, no policy applies. */
  readonly hairpin?: string;
}

/** The controller ingress hosts come through: Peer.traefik()'s pods. */
const TRAEFIK: PodEndpoint = { kind: 'pod', namespace: 'traefik', labels: { 'app.kubernetes.io/instance': 'traefik-traefik' } };

/**
 * Rule 4: every host a workload's configuration dials (env values, ConfigMaps it reads, the
 * gateway's routes) resolves to a Service of the tree, a declared peer, an outside host or a
 * host declared as reached some other way, and the Cilium policies on both ends allow that
 * flow on that port.
 */
export function checkCalls(index: RenderedIndex): { problems: VerifyProblem[]; notes: VerifyNote[] } {
  const problems: VerifyProblem[] = [];
  const notes: VerifyNote[] = [];
  const facts = index.facts;
  const policies = index.policies;
  for (const workload of index.workloads.filter((w) => !w.standIn)) {
    const add = (message: string) => problems.push({ environment: facts.name, component: workload.component, rule: VerifyRule.CALL, message });
    const declared = facts.components.find((c) => c.name === workload.component)?.declaredHosts ?? new Map<string, string>();
    for (const group of configGroups(index, workload)) {
      const found = hostsInConfig(group.entries);
      for (const bad of found.unclassified) add(`${group.label(bad.key)}: ${bad.reason}; expected a host verify can follow, or connections.declareHost(…) for one reached some other way`);
      for (const dialed of found.hosts) {
        const where = `${group.label(dialed.key)} dials ${dialed.host}${dialed.port ? `:${dialed.port}` : ''}`;
        if (LOOPBACK.has(dialed.host)) {
          const loop = loopback(workload, dialed);
          if (loop.problem) add(`${where}: ${loop.message}`);
          else notes.push({ environment: facts.name, component: workload.component, message: `${where}: ${loop.message}` });
          continue;
        }
        if (declared.has(dialed.host)) {
          notes.push({ environment: facts.name, component: workload.component, message: `${where}: declared as reached outside the policy (${declared.get(dialed.host)})` });
          continue;
        }
        const resolved = resolve(index, workload, dialed);
        if (typeof resolved === 'string') {
          add(`${where}: ${resolved}`);
          continue;
        }
        if (resolved.problem) {
          add(`${where}: ${resolved.problem}`);
          continue;
        }
        if (resolved.hairpin) {
          notes.push({ environment: facts.name, component: workload.component, message: `${where}: ${resolved.hairpin}` });
          continue;
        }
        if (resolved.port === undefined) {
          add(`${where}: no port is known (none in the value, its scheme or a sibling …Port key); expected the port in the value`);
          continue;
        }
        const from: PodEndpoint = { kind: 'pod', namespace: workload.namespace, labels: workload.labels };
        const verdict = evaluateFlow(policies, { from, to: resolved.target, port: resolved.port, protocol: dialed.protocol });
        const fix = `fix: ${workload.component}.connections.allowTo(${resolved.peer}, Port.${dialed.protocol.toLowerCase()}(${resolved.port}))`;
        if (!verdict.egress.allowed) add(`${where}: ${workload.component} egress refuses it (${verdict.egress.reason}); ${fix}`);
        if (resolved.checkIngress && verdict.ingress && !verdict.ingress.allowed) add(`${where}: ${resolved.peer} ingress refuses it (${verdict.ingress.reason}); ${fix}`);
      }
    }
  }
  return { problems, notes };
}

/**
 * Rule 5: each Ingress host reaches its component: the ingress controller is allowed in on
 * the container port its backend Service targets.
 */
export function checkIngressReachability(index: RenderedIndex): VerifyProblem[] {
  const problems: VerifyProblem[] = [];
  for (const ingress of index.of('Ingress')) {
    const spec = isPlainObject(ingress.object.spec) ? ingress.object.spec : {};
    for (const rule of asList(spec.rules)) {
      for (const path of asList(isPlainObject(rule.http) ? rule.http.paths : undefined)) {
        const backend = isPlainObject(path.backend) && isPlainObject(path.backend.service) ? path.backend.service : undefined;
        const service = backend && index.service(String(backend.name), index.facts.namespace);
        if (!service || !backend) continue; // a missing Service is the reference rule's finding
        const wanted = isPlainObject(backend.port) ? backend.port.number ?? backend.port.name : undefined;
        const port = service.ports.find((p) => p.port === wanted || p.name === wanted);
        for (const pod of index.selected(service.selector, service.namespace)) {
          const target = pod.standIn ? Number(port?.targetPort ?? wanted) : resolveTargetPort(pod, port?.targetPort ?? port?.port);
          if (target === undefined || Number.isNaN(target)) continue;
          const verdict = evaluateFlow(index.policies, { from: TRAEFIK, to: { kind: 'pod', namespace: pod.namespace, labels: pod.labels }, port: target, protocol: 'TCP' });
          if (verdict.ingress && !verdict.ingress.allowed) {
            problems.push({
              environment: index.facts.name, component: pod.component, rule: VerifyRule.INGRESS,
              message: `Ingress/${nameOf(ingress.object)} host ${String(rule.host ?? '*')} cannot reach ${pod.object}: its ingress refuses traefik on ${target} (${verdict.ingress.reason}); fix: ${pod.component}.connections.allowFrom(Peer.traefik(), Port.tcp(${target}))`,
            });
          }
        }
      }
    }
  }
  return problems;
}

/** The configuration a workload reads: its env values, the ConfigMaps it takes whole, the gateway's routes. */
function configGroups(index: RenderedIndex, workload: PodWorkload): ConfigGroup[] {
  const groups: ConfigGroup[] = [];
  const configMaps = new Map(index.of('ConfigMap').map((o) => [nameOf(o.object), o.object]));
  for (const container of containersOf(workload.spec)) {
    const env = Object.fromEntries(asList(container.env).filter((e) => typeof e.value === 'string').map((e) => [String(e.name), String(e.value)]));
    if (Object.keys(env).length > 0) groups.push({ label: (k) => `env ${k}`, entries: env });
    for (const from of asList(container.envFrom)) {
      const name = isPlainObject(from.configMapRef) ? String(from.configMapRef.name) : undefined;
      const map = name ? configMaps.get(name) : undefined;
      if (!map || !isPlainObject(map.data)) continue;
      const entries = Object.fromEntries(Object.entries(map.data).map(([k, v]) => [k, String(v)]));
      // The golden charts render `configs` into `<release>-configs`: name keys as the user wrote them.
      const golden = workload.values !== undefined && name!.endsWith('-configs');
      groups.push({ label: (k) => (golden ? `configs.${k}` : `ConfigMap ${name} ${k}`), entries });
    }
  }
  const routes = workload.values && isPlainObject(workload.values.routes) ? workload.values.routes : {};
  for (const [route, spec] of Object.entries(routes)) {
    const service = isPlainObject(spec) && isPlainObject(spec.service) ? spec.service : undefined;
    if (service) groups.push({ label: () => `routes.${route}`, entries: { [`routes.${route}`]: `http://${String(service.name)}:${String(service.port)}` } });
  }
  return groups;
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1']);

/**
 * A URL or connection string dialing loopback (a key naming a host skips it: there it is a
 * bind address). In a pod, as in a compose container, loopback is the pod's own network
 * namespace: no Service and no policy are involved, and the call works when a container of
 * the same pod listens on that port (the golden charts run one container, so the app calls
 * itself). Otherwise nothing answers: a problem, whose usual cause is a value written for a
 * machine where every service published its port on the host.
 */
function loopback(workload: PodWorkload, dialed: DialedHost): { problem: boolean; message: string } {
  const own = [...new Set(containerPorts(workload).map((p) => p.number))];
  if (dialed.port !== undefined && own.includes(dialed.port)) {
    return { problem: false, message: `loopback, the pod itself: a container of ${workload.object} listens on ${dialed.port} (no Service or policy is involved)` };
  }
  const served = own.length > 0 ? `its containers listen on ${own.join(', ')}` : 'its containers declare no port';
  return {
    problem: true,
    message: `loopback is the pod itself (in a pod as in a compose container), and ${dialed.port === undefined ? 'no port is known' : `nothing in ${workload.object} listens on ${dialed.port}`} (${served}); expected the Service name of what it means to call, or a value the browser reads (NEXT_PUBLIC_*, VITE_*, … are not followed)`,
  };
}

/** Where `dialed` leads from `workload`, or why it leads nowhere. */
function resolve(index: RenderedIndex, workload: PodWorkload, dialed: DialedHost): Resolved | string {
  const facts = index.facts;
  const inCluster = /^([a-z0-9-]+)(?:\.([a-z0-9-]+)(?:\.svc(?:\.cluster\.local)?)?)?$/.exec(dialed.host);
  const namespaces = new Set([facts.namespace, ...endpointPeers(index).map((p) => p.namespace)]);
  // `name.namespace` and `sentry.io` look alike: a second label is a namespace only when the
  // environment knows one by that name (or the host says .svc).
  const clusterName = inCluster && (inCluster[2] === undefined || namespaces.has(inCluster[2]) || dialed.host.endsWith('.svc') || dialed.host.endsWith('.cluster.local')) ? inCluster : undefined;
  if (clusterName) {
    const service = index.service(clusterName[1], clusterName[2] ?? facts.namespace);
    if (service?.externalName) {
      return { target: { kind: 'fqdn', name: service.externalName }, port: dialed.port, peer: `Peer.fqdn('${service.externalName}')`, checkIngress: false };
    }
    if (service) {
      const pods = index.selected(service.selector, service.namespace);
      const pod = pods.find((p) => !p.standIn) ?? pods[0];
      const hairpin = ownOnlyPod(index, workload, pods);
      if (hairpin && (dialed.port === undefined || service.ports.some((p) => Number(p.port) === dialed.port))) {
        return { target: { kind: 'pod', namespace: workload.namespace, labels: workload.labels }, peer: workload.component, checkIngress: false, hairpin };
      }
      const podPort = (p: PlainObject) => (pod ? (pod.standIn ? Number(p.targetPort ?? p.port) : resolveTargetPort(pod, p.targetPort ?? p.port)) : undefined);
      const served = dialed.port !== undefined ? service.ports.find((p) => Number(p.port) === dialed.port)
        : service.ports.length === 1 ? service.ports[0] : bareHostPort(index, workload, pod, service.ports.filter((p) => p.protocol === undefined || p.protocol === dialed.protocol), podPort);
      if (!served) {
        const list = service.ports.map((p) => (p.protocol === undefined || p.protocol === 'TCP' ? String(p.port) : `${String(p.port)}/${String(p.protocol).toLowerCase()}`)).join(', ');
        if (dialed.port !== undefined) return `Service/${service.name} serves ${list}, not ${dialed.port}; expected the value to dial ${service.name}:${String(service.ports[0]?.port ?? '…')}`;
        return `no port given, and Service/${service.name} serves several (${list}) of which ${workload.component}'s connections to ${pod?.component ?? service.name} do not single out one; expected the port in the value (${service.name}:${String(service.ports[0]?.port ?? '…')}), or one allowTo(${pod?.component ?? service.name}, Port.tcp(…)) on the port the app dials`;
      }
      if (!pod) return `Service/${service.name} selects no pod${Object.keys(service.selector).length === 0 ? ' (no selector: its endpoints are kept by hand, which verify cannot see); expected connections.declareHost(…) for it' : ''}`;
      return { target: { kind: 'pod', namespace: pod.namespace, labels: pod.labels }, port: podPort(served), peer: pod.component, checkIngress: true };
    }
  }
  const peer = endpointPeers(index).find((p) => p.hosts.includes(dialed.host));
  if (peer) {
    // A bare host (no port anywhere) dials the one port the caller's rule to the peer opens.
    const ports = index.facts.components.find((c) => c.name === workload.component)?.rules
      .filter((r) => r.direction === 'egress' && r.peer.peerName === peer.name).flatMap((r) => r.ports.map((p) => p.number)) ?? [];
    const port = dialed.port ?? (new Set(ports).size === 1 ? ports[0] : undefined);
    return { target: { kind: 'pod', namespace: peer.namespace, labels: peer.labels }, port, peer: peer.name, checkIngress: false };
  }
  if (IPV4.test(dialed.host) || dialed.host.includes(':')) return { target: { kind: 'ip', address: dialed.host }, port: dialed.port, peer: `Peer.cidr('${dialed.host}/32')`, checkIngress: false };
  if (clusterName) {
    const services = index.services.map((s) => s.name).sort();
    return `resolves to nothing: no Service ${clusterName[1]} in ${clusterName[2] ?? facts.namespace} (the environment has ${services.join(', ') || 'none'}) and no peer declares the host; expected a Service name, Peer.endpoint({ hosts: ['${dialed.host}'] }), or connections.declareHost('${dialed.host}', why)`;
  }
  return { target: { kind: 'fqdn', name: dialed.host }, port: dialed.port, peer: `Peer.fqdn('${dialed.host}')`, checkIngress: false };
}

/**
 * The Service port a bare host (`DB_HOST=db`: no port in the value, its scheme or a sibling
 * key) dials when the Service serves several: the one the caller's connections to that
 * component open, when they open exactly one of them. The app dials its client's default
 * (a MySQL client 3306), which verify cannot know; the connection is where the definitions
 * state it (the compose importer makes it on the target image's default port), as the
 * caller's rule to an endpoint peer already gives a bare peer host its port.
 */
function bareHostPort(index: RenderedIndex, workload: PodWorkload, pod: PodWorkload | undefined, ports: readonly PlainObject[], podPort: (p: PlainObject) => number | undefined): PlainObject | undefined {
  if (!pod) return undefined;
  const opened = new Set(index.facts.components.find((c) => c.name === workload.component)?.rules
    .filter((r) => r.direction === 'egress' && r.peer.peerName === pod.component).flatMap((r) => r.ports.map((p) => p.number)) ?? []);
  const matching = ports.filter((p) => opened.has(podPort(p) ?? NaN));
  return matching.length === 1 ? matching[0] : undefined;
}

/**
 * Why a call to the workload's own Service is its own pod's business, or undefined: the Service
 * selects only this workload's pods (Jobs aside), and it runs one replica. Cilium then
 * hairpins the connection back to the same pod and skips policy on both ends, since a pod is
 * not expected to need a rule to reach itself (cilium/cilium#15321, #23480). With several
 * replicas the call may reach another one, which the policies must allow: checked as usual.
 */
function ownOnlyPod(index: RenderedIndex, workload: PodWorkload, pods: readonly PodWorkload[]): string | undefined {
  const running = pods.filter((p) => !/^(Job|CronJob)\//.test(p.object));
  if (running.length !== 1 || running[0].object !== workload.object || running[0].namespace !== workload.namespace) return undefined;
  const [kind, name] = workload.object.split('/');
  const object = index.of(kind).find((o) => nameOf(o.object) === name)?.object;
  const replicas = isPlainObject(object?.spec) && typeof object!.spec.replicas === 'number' ? object!.spec.replicas : 1;
  if (replicas > 1) return undefined;
  return `its own Service, whose only pod is this one (${replicas} replica): Cilium hairpins the call back to the pod and applies no policy to it (the port, if any, is one the Service serves)`;
}

interface EndpointPeerFacts { readonly name: string; readonly namespace: string; readonly labels: Record<string, string>; readonly hosts: readonly string[] }

/** The endpoint peers of the environment's rules that name hosts, with their selector. */
function endpointPeers(index: RenderedIndex): EndpointPeerFacts[] {
  const out: EndpointPeerFacts[] = [];
  for (const component of index.facts.components) {
    for (const { peer } of component.rules) {
      // A peer that cannot render is the definitions' problem: synthesis reports it.
      if (!peer.hosts || peer.requiresDns || peer.problem) continue;
      const selector = peer.toCiliumSelector('egress', { component: component.name, field: 'peer' });
      const labels = { ...(asList(selector.toEndpoints)[0]?.matchLabels as Record<string, string> | undefined) };
      const namespace = labels['io.kubernetes.pod.namespace'] ?? index.facts.namespace;
      delete labels['io.kubernetes.pod.namespace'];
      out.push({ name: peer.peerName, namespace, labels, hosts: peer.hosts });
    }
  }
  return out;
}
