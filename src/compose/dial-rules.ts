import { DialedHost, browserKeyPrefix, hostsInConfig } from '../verify/config-hosts';
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

/**
 * What a service's environment names but does not make the pod call, each a report line:
 * - a browser-side key (`NEXT_PUBLIC_API_URL`, `VITE_*`, …: verify's isBrowserKey): the value
 *   is built into the client bundle and dialed by the user's browser, so it is no connection
 *   of the cluster (and verify does not follow it); what the browser needs is a public host;
 * - loopback in a URL (`http://localhost:8000`): the container itself, under compose as in a
 *   pod, so no connection either; verify passes it only when the pod listens on that port;
 * - the service's own name: a call to itself, not a connection to another component.
 * `ownPorts` are the ports the component listens on.
 */
export function undialedNotes(service: ComposeService, index: ReadonlyMap<string, string>, ownPorts: readonly number[]): string[] {
  const found = hostsInConfig(Object.fromEntries(Object.entries(service.environment).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== '')));
  const at = (h: DialedHost) => `${h.host}${h.port !== undefined ? `:${h.port}` : ''}`;
  const out: string[] = [];
  const browserKeys = [...new Set(found.browserSide.map((h) => h.key))];
  for (const key of browserKeys) {
    const hosts = found.browserSide.filter((h) => h.key === key);
    const local = hosts.find((h) => LOCAL.has(h.host));
    const service = hosts.map((h) => index.get(h.host)).find((s) => s !== undefined);
    const outside = hosts.find((h) => !LOCAL.has(h.host) && !index.has(h.host));
    const advice = local ? `the browser's ${local.host} is the user's own machine, so outside a laptop it reaches nothing: set it to the public URL of the service it means (an Ingress host; x-dit.expose: public)`
      : service ? `${service} is a Service name, which the browser cannot resolve: set it to ${service}'s public URL (an Ingress host; x-dit.expose: public)`
        : `if the server side fetches it too, add allowTo(Peer.fqdn('${outside?.host ?? hosts[0].host}'), Port.tcp(${outside?.port ?? hosts[0].port ?? '…'}))`;
    out.push(`env ${key} (${hosts.map(at).join(', ')}) is read by the browser, not dialed by the pod: no connection, and verify does not follow it (${browserKeyPrefix(key)}* values are built into the client bundle); ${advice}`);
  }
  for (const h of found.hosts) {
    if (LOCAL.has(h.host) && h.host !== '0.0.0.0' && h.host !== '::' && h.host !== 'host.docker.internal') {
      const own = h.port !== undefined && ownPorts.includes(h.port);
      out.push(`env ${h.key} dials ${at(h)}: loopback is the container itself (in a pod as under compose), no connection; ${own ? `${service.name} listens on ${h.port} itself, which verify accepts` : `nothing in ${service.name} listens on ${h.port ?? 'that port'}, so verify reports the call: name the service it means instead (its Service name and port)`}`);
    } else if (index.get(h.host) === service.name) {
      out.push(`env ${h.key} names ${at(h)}, ${service.name} itself: no connection (with one replica, its own Service sends the call back to the same pod and Cilium applies no policy to that, which verify notes; with more, the call may reach another replica, which verify checks like any other)`);
    }
  }
  return out;
}

/** Whether a host is an IP address (v4 or v6): reached through a CIDR, never an FQDN rule. */
export function isIpAddress(host: string): boolean {
  return /^[0-9]{1,3}(\.[0-9]{1,3}){3}$/.test(host) || host.includes(':');
}
