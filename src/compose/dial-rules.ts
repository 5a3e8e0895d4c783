import { hostsInConfig } from '../verify/config-hosts';
import { ComposeService } from './compose-model';

/**
 * What each service's configuration dials, read the way `dit-gitops verify` reads it
 * (hostsInConfig: URLs, host:port, connection strings, keys naming a host with a sibling
 * port key), and resolved against compose's own DNS: a service's name, its compose name,
 * container_name, hostname and network aliases.
 */

/** One host a service's environment names. */
export interface Dial {
  /** The dialing service. */
  readonly from: string;
  /** The service the host resolves to; undefined for a host outside the project. */
  readonly target?: string;
  /** The host as written. */
  readonly host: string;
  /** The port the value dials; undefined when neither the value, its scheme nor a sibling key says. */
  readonly port?: number;
  readonly protocol: 'TCP' | 'UDP';
  readonly key: string;
  readonly value: string;
  /** Where the port came from. */
  readonly portSource?: 'value' | 'scheme' | 'sibling';
}

const LOCAL = new Set(['localhost', '127.0.0.1', '0.0.0.0', '::1', '::', 'host.docker.internal']);

/** The service each name compose's DNS resolves belongs to (names, compose names and aliases). */
export function composeHostIndex(services: readonly ComposeService[]): Map<string, string> {
  const index = new Map<string, string>();
  for (const s of services) {
    index.set(s.name, s.name);
    if (s.composeName) index.set(s.composeName.toLowerCase(), s.name);
  }
  // Aliases only where no service has the name: a service name wins, as in compose.
  for (const s of services) for (const alias of s.aliases ?? []) if (!index.has(alias)) index.set(alias, s.name);
  return index;
}

/** Every host each service's environment dials (secret values included: their hosts are not secret). */
export function dialsOf(service: ComposeService, index: ReadonlyMap<string, string>): Dial[] {
  const config = Object.fromEntries(Object.entries(service.environment).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''));
  const found = hostsInConfig(config);
  const out: Dial[] = [];
  for (const h of found.hosts) {
    if (LOCAL.has(h.host)) continue;
    const target = index.get(h.host) ?? index.get(h.host.replace(/\.$/, ''));
    if (target === service.name) continue;
    // A dotless name that is no service is a placeholder or a host of the compose machine: not outside the project either.
    if (!target && !h.host.includes('.')) continue;
    out.push({
      from: service.name, ...(target ? { target } : {}), host: h.host, ...(h.port !== undefined ? { port: h.port } : {}), protocol: h.protocol,
      key: h.key, value: h.value, ...(h.portSource ? { portSource: h.portSource } : {}),
    });
  }
  return out;
}

/** Whether a host is an IP address (v4 or v6): reached through a CIDR, never an FQDN rule. */
export function isIpAddress(host: string): boolean {
  return /^[0-9]{1,3}(\.[0-9]{1,3}){3}$/.test(host) || host.includes(':');
}
