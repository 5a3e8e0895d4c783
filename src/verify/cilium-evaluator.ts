import { PlainObject, isPlainObject } from '../tree/strategic-patch';

/**
 * Whether rendered CiliumNetworkPolicies allow one flow, decided the way Cilium's policy engine
 * decides it, with no cluster: `dit-gitops verify` asks it for every host an application's
 * configuration dials. Pure: the caller reads the tree and hands in the parsed objects.
 *
 * Semantics follow docs.cilium.io/en/stable/security/policy/ (language, intro, kubernetes) and
 * the Cilium 1.18 CRDs that crds/ pins. Not modelled (a rule using only these allows nothing
 * here): toServices, toGroups/fromGroups, toNodes/fromNodes, namespace-label selectors
 * (`io.cilium.k8s.namespace.labels.*`), named ports, and L7 HTTP/Kafka rules (the L4 flow they
 * sit on counts as allowed).
 */

export interface PodEndpoint { readonly kind: 'pod'; readonly namespace: string; readonly labels: Readonly<Record<string, string>> }
/** A DNS name outside the cluster. */
export interface FqdnEndpoint { readonly kind: 'fqdn'; readonly name: string }
/** An IPv4/IPv6 literal outside the cluster. */
export interface IpEndpoint { readonly kind: 'ip'; readonly address: string }
export type FlowTarget = PodEndpoint | FqdnEndpoint | IpEndpoint;
export interface Flow { readonly from: PodEndpoint; readonly to: FlowTarget; readonly port: number; readonly protocol: 'TCP' | 'UDP' }

/** One end's answer. `unknown` means no policy of the given set selects that end, and the caller has said that end is outside what it can see. */
export interface EndVerdict {
  readonly allowed: boolean;
  readonly reason: string;
  /** "namespace/name" of the policies that select the end (the bare name for a clusterwide policy). */
  readonly policies: readonly string[];
}
export interface FlowVerdict { readonly egress: EndVerdict; /** Only when `to` is a pod. */ readonly ingress?: EndVerdict }

export interface EvaluateOptions {
  /**
   * What an end gets in a direction that no policy of the set puts in default deny (above all,
   * an end no policy selects). 'deny' = the cluster enforces default deny (DIT's clusters do),
   * so `enableDefaultDeny: false` opens nothing there.
   * @default 'deny'
   */
  readonly unselected?: 'deny' | 'allow';
  /**
   * The pod that answers the pods' DNS queries: a toFQDNs rule works only when an egress rule
   * to it carries an L7 DNS rule covering the name.
   * @default KUBE_DNS
   */
  readonly dnsServer?: PodEndpoint;
}

/** kube-dns as Kubernetes distributions label it. */
export const KUBE_DNS: PodEndpoint = { kind: 'pod', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } };

const NAMESPACE_LABEL = 'io.kubernetes.pod.namespace';
const NAMESPACED_KIND = 'CiliumNetworkPolicy';
const CLUSTERWIDE_KIND = 'CiliumClusterwideNetworkPolicy';

type Direction = 'ingress' | 'egress';

/** One Cilium rule: a policy's `spec` or one entry of its `specs`. */
interface Spec {
  readonly policy: string;
  /** The policy, plus `specs[i]` when the rule came from that list: where a reason points. */
  readonly where: string;
  /** undefined for a clusterwide policy. */
  readonly namespace: string | undefined;
  readonly body: PlainObject;
}

export function evaluateFlow(policies: readonly PlainObject[], flow: Flow, options: EvaluateOptions = {}): FlowVerdict {
  const specs = policies.flatMap(policySpecs);
  const egress = evaluateEnd(specs, 'egress', flow.from, flow.to, flow, options);
  if (flow.to.kind !== 'pod') return { egress };
  return { egress, ingress: evaluateEnd(specs, 'ingress', flow.to, flow.from, flow, options) };
}

/** Whether one CNP's endpointSelector selects the pod (namespace included). */
export function selectsEndpoint(policy: PlainObject, pod: PodEndpoint): boolean {
  return policySpecs(policy).some((spec) => subjectSelected(spec, pod));
}

/**
 * Whether a matchPattern (or matchName, `exact`) of toFQDNs or of an L7 DNS rule covers `name`.
 * `*` alone matches every name; elsewhere `*` stands for characters of one label, so
 * `*.example.com` matches `a.example.com` but neither `example.com` nor `a.b.example.com`.
 */
export function dnsPatternMatches(pattern: string, name: string, exact = false): boolean {
  const target = fqdn(name);
  if (exact) return fqdn(pattern) === target;
  const p = pattern.trim().toLowerCase();
  if (/^\*+\.?$/.test(p)) return /^([-a-z0-9_]+\.)+$|^\.$/.test(target);
  // Cilium refuses a policy with other characters; a pattern it refuses allows nothing.
  if (!/^[-a-z0-9_.*]+$/.test(p)) return false;
  // Cilium 1.18 (crds/ pins it) collapses `**` to `*`; 1.19 reads a leading `**.` as any depth.
  const body = fqdn(p).replace(/\*+/g, '*').replace(/\./g, '\\.').replace(/\*/g, '[-a-z0-9_]*');
  return new RegExp(`^${body}$`).test(target);
}

function evaluateEnd(all: readonly Spec[], direction: Direction, subject: PodEndpoint, peer: FlowTarget, flow: Flow, options: EvaluateOptions): EndVerdict {
  const specs = all.filter((spec) => subjectSelected(spec, subject));
  const policies = [...new Set(specs.map((spec) => spec.policy))];
  const { port, protocol } = flow;
  const what = direction === 'egress' ? `${describe(peer)}:${port}/${protocol}` : `${describe(peer)} on ${port}/${protocol}`;

  // Deny rules win over every allow, of any policy.
  const denied = denyingRule(specs, direction, peer, port, protocol);
  if (denied) return { allowed: false, reason: `${denied} refuses it`, policies };

  const policyDefaultDeny = specs.some((spec) => defaultDeny(spec, direction));
  const clusterDefaultDeny = (options.unselected ?? 'deny') === 'deny';
  if (specs.length === 0) {
    return clusterDefaultDeny
      ? { allowed: false, reason: 'no policy selects the pod and the cluster denies by default', policies }
      : { allowed: true, reason: 'no policy selects the pod and the cluster allows by default', policies };
  }
  if (!policyDefaultDeny && !clusterDefaultDeny) {
    return { allowed: true, reason: `no policy selecting the pod puts its ${direction} in default deny (enableDefaultDeny false, or no ${direction} rules)`, policies };
  }

  let unresolved = false;
  for (const spec of specs) {
    for (const [i, rule] of list(spec.body[direction]).entries()) {
      const field = ruleMatch(spec, rule, direction, peer, port, protocol);
      if (field === undefined) continue;
      if (field === 'toFQDNs' && peer.kind === 'fqdn' && !dnsLearns(specs, peer.name, options.dnsServer ?? KUBE_DNS)) {
        unresolved = true;
        continue;
      }
      return { allowed: true, reason: `allowed by ${spec.where} ${direction} rule ${i + 1} (${field})`, policies };
    }
  }
  if (unresolved && peer.kind === 'fqdn') {
    return { allowed: false, reason: `toFQDNs allows ${peer.name} but no egress DNS rule lets Cilium resolve it`, policies };
  }
  const cluster = policyDefaultDeny ? '' : ' and the cluster denies by default';
  return { allowed: false, reason: `no ${direction} rule of ${policies.join(', ')} allows ${what}${cluster}`, policies };
}

function policySpecs(policy: PlainObject): Spec[] {
  if (policy.kind !== NAMESPACED_KIND && policy.kind !== CLUSTERWIDE_KIND) return [];
  const metadata = isPlainObject(policy.metadata) ? policy.metadata : {};
  // The API server puts a namespaced object without one in `default`.
  const namespace = policy.kind === NAMESPACED_KIND ? String(metadata.namespace ?? 'default') : undefined;
  const name = namespace === undefined ? String(metadata.name) : `${namespace}/${String(metadata.name)}`;
  const specs: Spec[] = isPlainObject(policy.spec) ? [{ policy: name, where: name, namespace, body: policy.spec }] : [];
  list(policy.specs).forEach((body, i) => {
    if (isPlainObject(body)) specs.push({ policy: name, where: `${name} specs[${i}]`, namespace, body });
  });
  return specs;
}

/**
 * Whether the rule applies to the pod. A namespaced policy's endpointSelector always means its
 * own namespace: Cilium replaces any namespace label the selector names with it.
 */
function subjectSelected(spec: Spec, pod: PodEndpoint): boolean {
  const selector = spec.body.endpointSelector;
  // Host policies (nodeSelector) select nodes, never pods.
  if (!isPlainObject(selector)) return false;
  if (spec.namespace === undefined) return selectorMatches(selector, pod);
  if (pod.namespace !== spec.namespace) return false;
  const matchLabels = Object.entries(isPlainObject(selector.matchLabels) ? selector.matchLabels : {}).filter(([key]) => !isNamespaceKey(key));
  return selectorMatches({ ...selector, matchLabels: Object.fromEntries(matchLabels) }, pod);
}

/**
 * Whether a fromEndpoints/toEndpoints selector picks the pod. In a namespaced policy a selector
 * that names no namespace only reaches the policy's own namespace (so `{}` is "every pod here");
 * a clusterwide one reaches every namespace.
 */
function peerSelected(spec: Spec, selector: unknown, pod: PodEndpoint): boolean {
  if (!isPlainObject(selector) || !selectorMatches(selector, pod)) return false;
  return spec.namespace === undefined || selectorKeys(selector).some(isNamespaceKey) || pod.namespace === spec.namespace;
}

function selectorMatches(selector: PlainObject, pod: PodEndpoint): boolean {
  const matchLabels = isPlainObject(selector.matchLabels) ? selector.matchLabels : {};
  if (!Object.entries(matchLabels).every(([key, value]) => labelValue(pod, key) === String(value))) return false;
  return list(selector.matchExpressions).every((expression) => isPlainObject(expression) && expressionMatches(expression, pod));
}

function expressionMatches(expression: PlainObject, pod: PodEndpoint): boolean {
  const value = labelValue(pod, String(expression.key));
  const values = list(expression.values).map(String);
  switch (expression.operator) {
    case 'In': return value !== undefined && values.includes(value);
    case 'NotIn': return value === undefined || !values.includes(value);
    case 'Exists': return value !== undefined;
    case 'DoesNotExist': return value === undefined;
    default: return false;
  }
}

/**
 * The pod's value for a selector key. Cilium prefixes keys with a label source: pod labels come
 * from `k8s`, and a bare key means `any`; other sources (`reserved:`, `cidr:`…) never label a pod.
 * Cilium itself gives every pod the namespace label.
 */
function labelValue(pod: PodEndpoint, key: string): string | undefined {
  const colon = key.indexOf(':');
  const source = colon < 0 ? 'any' : key.slice(0, colon);
  if (source !== 'k8s' && source !== 'any') return undefined;
  const bare = key.slice(colon + 1);
  if (bare === NAMESPACE_LABEL) return pod.namespace;
  return Object.prototype.hasOwnProperty.call(pod.labels, bare) ? pod.labels[bare] : undefined;
}

function isNamespaceKey(key: string): boolean {
  return key === NAMESPACE_LABEL || key === `k8s:${NAMESPACE_LABEL}` || key === `any:${NAMESPACE_LABEL}`;
}

function selectorKeys(selector: PlainObject): string[] {
  const matchLabels = isPlainObject(selector.matchLabels) ? Object.keys(selector.matchLabels) : [];
  return [...matchLabels, ...list(selector.matchExpressions).filter(isPlainObject).map((expression) => String(expression.key))];
}

/** Whether the direction is default-deny by this rule: explicit, or because it has rules there. */
function defaultDeny(spec: Spec, direction: Direction): boolean {
  const explicit = isPlainObject(spec.body.enableDefaultDeny) ? spec.body.enableDefaultDeny[direction] : undefined;
  if (typeof explicit === 'boolean') return explicit;
  return list(spec.body[direction]).length > 0 || list(spec.body[`${direction}Deny`]).length > 0;
}

function denyingRule(specs: readonly Spec[], direction: Direction, peer: FlowTarget, port: number, protocol: string): string | undefined {
  for (const spec of specs) {
    const index = list(spec.body[`${direction}Deny`]).findIndex((rule) => ruleMatch(spec, rule, direction, peer, port, protocol) !== undefined);
    if (index >= 0) return `${direction}Deny rule ${index + 1} of ${spec.where}`;
  }
  return undefined;
}

const PEER_FIELDS: Record<Direction, readonly string[]> = {
  egress: ['toEndpoints', 'toEntities', 'toCIDR', 'toCIDRSet', 'toFQDNs', 'toServices', 'toGroups', 'toNodes'],
  ingress: ['fromEndpoints', 'fromEntities', 'fromCIDR', 'fromCIDRSet', 'fromGroups', 'fromNodes'],
};

/** The targets each entity covers; the others (host, remote-node, kube-apiserver…) are none of them. */
const ENTITY_TARGETS: Readonly<Record<string, readonly FlowTarget['kind'][]>> = { all: ['pod', 'fqdn', 'ip'], world: ['fqdn', 'ip'], cluster: ['pod'] };

/** The field through which the rule allows (or denies) the flow, or undefined when it does not match. */
function ruleMatch(spec: Spec, rule: unknown, direction: Direction, peer: FlowTarget, port: number, protocol: string): string | undefined {
  if (!isPlainObject(rule)) return undefined;
  const hasPorts = list(rule.toPorts).length > 0;
  // A present field counts even when empty: Cilium reads `toCIDR: []` as "selects nothing".
  const namesPeers = PEER_FIELDS[direction].some((field) => rule[field] !== undefined && rule[field] !== null);
  // A rule naming no peer is an L3 wildcard only when it has ports: `{}` selects nothing, which is
  // how the charts' `- {}` turns a direction into deny-all.
  const field = namesPeers ? peerField(spec, rule, direction, peer) : hasPorts ? 'toPorts' : undefined;
  if (field === undefined) return undefined;
  // icmps without toPorts allows only ICMP.
  if (!hasPorts) return list(rule.icmps).length > 0 ? undefined : field;
  return coveringPortRules(rule, port, protocol).length > 0 ? field : undefined;
}

function peerField(spec: Spec, rule: PlainObject, direction: Direction, peer: FlowTarget): string | undefined {
  const p = direction === 'egress' ? 'to' : 'from';
  if (peer.kind === 'pod' && list(rule[`${p}Endpoints`]).some((selector) => peerSelected(spec, selector, peer))) return `${p}Endpoints`;
  if (list(rule[`${p}Entities`]).some((entity) => (ENTITY_TARGETS[String(entity)] ?? []).includes(peer.kind))) return `${p}Entities`;
  if (list(rule[`${p}CIDR`]).some((cidr) => cidrSelects(String(cidr), [], peer))) return `${p}CIDR`;
  const sets = list(rule[`${p}CIDRSet`]).filter(isPlainObject);
  if (sets.some((set) => typeof set.cidr === 'string' && cidrSelects(set.cidr, list(set.except).map(String), peer))) return `${p}CIDRSet`;
  if (direction === 'egress' && peer.kind === 'fqdn' && list(rule.toFQDNs).some((selector) => fqdnSelects(selector, peer.name))) return 'toFQDNs';
  return undefined;
}

/** The toPorts entries that cover the port; an entry without ports covers them all. */
function coveringPortRules(rule: PlainObject, port: number, protocol: string): PlainObject[] {
  return list(rule.toPorts).filter(isPlainObject).filter((portRule) => {
    const ports = list(portRule.ports).filter(isPlainObject);
    return ports.length === 0 || ports.some((entry) => portCovers(entry, port, protocol));
  });
}

function portCovers(entry: PlainObject, port: number, protocol: string): boolean {
  const wanted = String(entry.protocol ?? 'ANY').toUpperCase();
  if (wanted !== 'ANY' && wanted !== '' && wanted !== protocol) return false;
  // A named port ("http") is the destination container's; without the pod spec it matches nothing.
  const start = Number(entry.port ?? 0);
  if (!Number.isInteger(start)) return false;
  if (start === 0) return true;
  const end = Number(entry.endPort ?? 0);
  return end > start ? port >= start && port <= end : port === start;
}

function fqdnSelects(selector: unknown, name: string): boolean {
  if (!isPlainObject(selector)) return false;
  if (typeof selector.matchName === 'string') return dnsPatternMatches(selector.matchName, name, true);
  return typeof selector.matchPattern === 'string' && dnsPatternMatches(selector.matchPattern, name);
}

/**
 * Whether Cilium learns the name's addresses for this pod: its DNS proxy only sees queries that
 * an egress rule to the DNS server sends through an L7 `rules.dns` entry, and only queries that
 * entry allows get answered.
 */
function dnsLearns(specs: readonly Spec[], name: string, dnsServer: PodEndpoint): boolean {
  if (denyingRule(specs, 'egress', dnsServer, 53, 'UDP')) return false;
  return specs.some((spec) => list(spec.body.egress).some((rule) => isPlainObject(rule)
    && ruleMatch(spec, rule, 'egress', dnsServer, 53, 'UDP') !== undefined
    && coveringPortRules(rule, 53, 'UDP').some((portRule) => isPlainObject(portRule.rules) && list(portRule.rules.dns).some((selector) => fqdnSelects(selector, name)))));
}

/**
 * CIDR rules never match Cilium-managed pods. A name's addresses are unknown here, so only a
 * prefix covering every address (with no except) reaches it.
 */
function cidrSelects(cidr: string, except: readonly string[], peer: FlowTarget): boolean {
  if (peer.kind === 'pod') return false;
  if (peer.kind === 'fqdn') return /\/0$/.test(cidr) && except.length === 0 && parseCidr(cidr) !== undefined;
  const address = parseIp(peer.address);
  return address !== undefined && inCidr(address, cidr) && !except.some((excluded) => inCidr(address, excluded));
}

interface Address { readonly value: bigint; readonly bits: 32 | 128 }

function inCidr(address: Address, cidr: string): boolean {
  const network = parseCidr(cidr);
  if (!network || network.base.bits !== address.bits) return false;
  const shift = BigInt(address.bits - network.prefix);
  return address.value >> shift === network.base.value >> shift;
}

function parseCidr(cidr: string): { base: Address; prefix: number } | undefined {
  const [text, prefixText, extra] = cidr.trim().split('/');
  const base = parseIp(text);
  // Cilium takes a bare address in toCIDR as a single host.
  const prefix = prefixText === undefined ? base?.bits : Number(prefixText);
  if (!base || extra !== undefined || prefix === undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > base.bits) return undefined;
  return { base, prefix };
}

/** An IPv4 or IPv6 literal as a number, or undefined when the text is neither. */
export function parseIp(text: string): Address | undefined {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (v4) {
    const octets = v4.slice(1).map(Number);
    return octets.every((o) => o <= 255) ? { value: octets.reduce((a, o) => (a << 8n) | BigInt(o), 0n), bits: 32 } : undefined;
  }
  let body = text.replace(/%.*$/, '');
  const tail = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(body);
  if (tail) {
    const embedded = parseIp(tail[2]);
    if (!embedded) return undefined;
    body = `${tail[1]}${(embedded.value >> 16n).toString(16)}:${(embedded.value & 0xffffn).toString(16)}`;
  }
  const halves = body.split('::');
  if (halves.length > 2) return undefined;
  const groups = (part: string) => (part === '' ? [] : part.split(':'));
  const head = groups(halves[0]);
  const rest = halves.length === 2 ? groups(halves[1]) : [];
  const missing = 8 - head.length - rest.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const all = [...head, ...new Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...rest];
  if (!all.every((group) => /^[0-9a-f]{1,4}$/i.test(group))) return undefined;
  return { value: all.reduce((a, group) => (a << 16n) | BigInt(parseInt(group, 16)), 0n), bits: 128 };
}

/** The lower-case, dot-terminated form Cilium compares DNS names in. */
function fqdn(name: string): string {
  const lower = name.trim().toLowerCase();
  return lower.endsWith('.') ? lower : `${lower}.`;
}

function describe(target: FlowTarget): string {
  if (target.kind === 'fqdn') return target.name;
  if (target.kind === 'ip') return target.address.includes(':') ? `[${target.address}]` : target.address;
  const l = target.labels;
  const name = l['app.kubernetes.io/instance'] ?? l['app.kubernetes.io/name'] ?? l.app ?? l['k8s-app'];
  return `${target.namespace}/${name ?? Object.entries(l).map(([key, value]) => `${key}=${value}`).join(',')}`;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
