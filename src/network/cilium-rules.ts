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
  if (isIPv4(address)) return prefix <= 32 ? undefined : `got ${received(cidr)}: prefix /${prefix} is beyond 32; ${expected}`;
  if (isIPv6(address)) return prefix <= 128 ? undefined : `got ${received(cidr)}: prefix /${prefix} is beyond 128; ${expected}`;
  return `got ${received(cidr)}: ${received(address)} is neither an IPv4 nor an IPv6 address; ${expected}`;
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
