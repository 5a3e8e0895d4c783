import { isIPv4, isIPv6 } from 'net';
import { DitErrorLocation, received } from '../app/errors';
import type { Problems } from '../app/validation';
import { PlainObject, isPlainObject } from '../tree/strategic-patch';

// What Cilium itself accepts, from the CiliumNetworkPolicy CRD schema (cilium.io/v2): a value
// outside these lists is refused by the API server, or worse, matches nothing.

/** Cilium's reserved identities: the `toEntities`/`fromEntities` enum of the CiliumNetworkPolicy schema, in its order. */
export enum Entity {
  ALL = 'all',
  WORLD = 'world',
  CLUSTER = 'cluster',
  HOST = 'host',
  INIT = 'init',
  INGRESS = 'ingress',
  UNMANAGED = 'unmanaged',
  REMOTE_NODE = 'remote-node',
  HEALTH = 'health',
  NONE = 'none',
  KUBE_APISERVER = 'kube-apiserver',
}

/** Every {@link Entity}, for checks of hand-written values. */
export const CILIUM_ENTITIES: readonly string[] = Object.values(Entity);

/** The `toPorts[].ports[].protocol` enum. ICMP is not a port protocol: Cilium has separate `icmps` rules. */
export const CILIUM_PROTOCOLS: readonly string[] = ['TCP', 'UDP', 'SCTP', 'ANY'];

/** Why `entity` is no Cilium entity, or undefined when it is one. */
export function entityProblem(entity: unknown): string | undefined {
  if (typeof entity === 'string' && CILIUM_ENTITIES.includes(entity)) return undefined;
  return `entity ${received(entity)} is not one Cilium knows; expected one of ${CILIUM_ENTITIES.join(', ')}`;
}

/** Why `protocol` is no protocol a Cilium port rule accepts, or undefined when it is one. */
export function protocolProblem(protocol: unknown): string | undefined {
  if (typeof protocol === 'string' && CILIUM_PROTOCOLS.includes(protocol)) return undefined;
  const icmp = typeof protocol === 'string' && /^icmp(v6)?$/i.test(protocol) ? ' (ICMP is allowed with an icmps rule, not a port)' : '';
  return `protocol ${received(protocol)} is not one Cilium accepts on a port${icmp}; expected one of ${CILIUM_PROTOCOLS.join(', ')}`;
}

/** Why `cidr` is no IPv4 or IPv6 CIDR with its prefix in range, or undefined when it is one. */
export function cidrProblem(cidr: unknown): string | undefined {
  const expected = 'expected an IPv4 or IPv6 CIDR such as 10.0.0.0/8 or fd00::/8 (prefix 0-32 for IPv4, 0-128 for IPv6)';
  if (typeof cidr !== 'string') return `got ${received(cidr)}; ${expected}`;
  const match = /^([^/]+)\/([0-9]{1,3})$/.exec(cidr);
  if (!match) return `got ${received(cidr)}, which is not address/prefix; ${expected}`;
  const [, address, prefixText] = match;
  const prefix = Number(prefixText);
  if (isIPv4(address) && prefix > 32) return `got ${received(cidr)}: prefix /${prefix} is beyond 32; ${expected}`;
  if (isIPv6(address) && prefix > 128) return `got ${received(cidr)}: prefix /${prefix} is beyond 128; ${expected}`;
  if (isIPv4(address) || isIPv6(address)) return hostBitsProblem(cidr, address, prefix);
  return `got ${received(cidr)}: ${received(address)} is neither an IPv4 nor an IPv6 address; ${expected}`;
}

// Cilium masks a CIDR with host bits set (10.1.2.3/8 becomes 10.0.0.0/8) without a word:
// whoever wrote it meant one host or another network.
function hostBitsProblem(cidr: string, address: string, prefix: number): string | undefined {
  const v4 = isIPv4(address);
  const bits = v4 ? 32 : 128;
  const value = v4 ? address.split('.').reduce((n, octet) => (n << 8n) | BigInt(Number(octet)), 0n) : ipv6Value(address);
  const mask = prefix === 0 ? 0n : ((1n << BigInt(prefix)) - 1n) << BigInt(bits - prefix);
  const network = value & mask;
  if (network === value) return undefined;
  const networkText = v4 ? [24n, 16n, 8n, 0n].map((shift) => String((network >> shift) & 255n)).join('.') : ipv6Text(network);
  return `got ${received(cidr)}: host bits are set, and Cilium silently uses ${networkText}/${prefix}; expected the network address (${networkText}/${prefix}), or ${address}/${bits} for that one host`;
}

function ipv6Value(address: string): bigint {
  const [head, tail] = address.includes('::') ? address.split('::') : [address, undefined];
  const groups = (text: string | undefined) => (text ? text.split(':') : []);
  // An embedded IPv4 tail (::ffff:10.0.0.1) is two groups.
  const expand = (parts: string[]) => parts.flatMap((p) => (p.includes('.') ? (() => { const o = p.split('.').map(Number); return [((o[0] << 8) | o[1]).toString(16), ((o[2] << 8) | o[3]).toString(16)]; })() : [p]));
  const left = expand(groups(head));
  const right = expand(groups(tail));
  const all = tail === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  return all.reduce((n, g) => (n << 16n) | BigInt(parseInt(g || '0', 16)), 0n);
}

function ipv6Text(value: bigint): string {
  const groups = Array.from({ length: 8 }, (_, i) => ((value >> BigInt((7 - i) * 16)) & 0xffffn).toString(16));
  // The longest run of zero groups (two or more) becomes '::'.
  let best = { start: -1, length: 0 };
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > best.length && j - i > 1) best = { start: i, length: j - i };
    i = j === i ? i + 1 : j;
  }
  if (best.start < 0) return groups.join(':');
  return `${groups.slice(0, best.start).join(':')}::${groups.slice(best.start + best.length).join(':')}`;
}

const RULE_LISTS = ['ingress', 'egress', 'ingressDeny', 'egressDeny'] as const;

/**
 * Checks the rules of a hand-written CiliumNetworkPolicy (a raw manifest): entities, CIDRs
 * and port protocols against Cilium's schema. `field` names the policy, for example
 * `CiliumNetworkPolicy/web`.
 */
export function checkCiliumPolicyObject(object: PlainObject, where: DitErrorLocation, problems: Problems): void {
  const specs = [object.spec, ...(Array.isArray(object.specs) ? object.specs : [])].filter(isPlainObject);
  specs.forEach((spec, s) => {
    const specField = spec === object.spec ? `${where.field}.spec` : `${where.field}.specs[${s - (isPlainObject(object.spec) ? 1 : 0)}]`;
    for (const list of RULE_LISTS) {
      const rules = Array.isArray(spec[list]) ? spec[list] as unknown[] : [];
      rules.filter(isPlainObject).forEach((rule, r) => checkRule(rule, { ...where, field: `${specField}.${list}[${r}]` }, problems));
    }
  });
}

function checkRule(rule: PlainObject, where: DitErrorLocation, problems: Problems): void {
  const at = (field: string) => ({ ...where, field: `${where.field}.${field}` });
  for (const key of ['toEntities', 'fromEntities']) {
    asList(rule[key]).forEach((entity, i) => report(problems, at(`${key}[${i}]`), entityProblem(entity)));
  }
  for (const key of ['toCIDR', 'fromCIDR']) {
    asList(rule[key]).forEach((cidr, i) => report(problems, at(`${key}[${i}]`), cidrProblem(cidr)));
  }
  for (const key of ['toCIDRSet', 'fromCIDRSet']) {
    asList(rule[key]).forEach((set, i) => {
      if (isPlainObject(set) && set.cidr !== undefined) report(problems, at(`${key}[${i}].cidr`), cidrProblem(set.cidr));
    });
  }
  asList(rule.toPorts).forEach((toPort, i) => {
    if (!isPlainObject(toPort)) return;
    asList(toPort.ports).forEach((port, j) => {
      if (isPlainObject(port) && port.protocol !== undefined) report(problems, at(`toPorts[${i}].ports[${j}].protocol`), protocolProblem(port.protocol));
    });
  });
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function report(problems: Problems, where: DitErrorLocation, problem: string | undefined): void {
  if (problem) problems.add(where, problem);
}
