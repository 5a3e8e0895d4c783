import { received } from '../app/errors';

/**
 * The hosts an application's configuration (environment variables, ConfigMap data) makes it
 * call, so `dit-gitops verify` can check each against services and network policies. Reading a
 * configuration is guesswork, so the rule is one-sided: whatever looks like a host but cannot
 * be read is reported as unclassified, never dropped.
 */

/** A host a configuration value makes the application call. */
export interface DialedHost {
  /** The config key, for example `RemoteServices__UserApiUrl`. */
  readonly key: string;
  /** The whole value as written. */
  readonly value: string;
  /** Lowercased, without a trailing dot; an IPv6 address without brackets. */
  readonly host: string;
  /** @default - neither the value, the scheme nor a sibling key says it */
  readonly port?: number;
  /** Where the port came from: the value itself, the scheme's default or a sibling `…Port` key. */
  readonly portSource?: 'value' | 'scheme' | 'sibling';
  /** Lowercased URL scheme (`jdbc:` dropped), when the host came from a URL. */
  readonly scheme?: string;
  /** UDP for `udp://` and `…+udp://` URLs, TCP otherwise. */
  readonly protocol: 'TCP' | 'UDP';
}

/** A value that looks like it names a host but cannot be read as one, and why. */
export interface UnclassifiedValue {
  readonly key: string;
  readonly value: string;
  readonly reason: string;
}

/** What {@link hostsInConfig} found: hosts and unreadable values, each sorted by key, then by place in the value. */
export interface ConfigHosts {
  readonly hosts: readonly DialedHost[];
  readonly unclassified: readonly UnclassifiedValue[];
  /**
   * Hosts of browser-side keys ({@link isBrowserKey}): the browser reads them, the pod does
   * not dial them, so `verify` does not follow them. The compose importer reports them.
   */
  readonly browserSide: readonly DialedHost[];
}

const DEFAULT_PORTS = new Map<string, number>([
  ['http', 80], ['https', 443], ['ws', 80], ['wss', 443], ['amqp', 5672], ['amqps', 5671], ['redis', 6379], ['rediss', 6379],
  ['postgres', 5432], ['postgresql', 5432], ['mysql', 3306], ['mariadb', 3306], ['mongodb', 27017], ['nats', 4222],
  ['ldap', 389], ['ldaps', 636], ['smtp', 25], ['smtps', 465], ['ftp', 21], ['kafka', 9092], ['mqtt', 1883], ['mqtts', 8883],
  ['sqlserver', 1433], ['memcached', 11211],
]);

/** The port a URL scheme defaults to; undefined for schemes without one (grpc) or unknown ones. */
export function defaultPort(scheme: string): number | undefined {
  const s = scheme.toLowerCase();
  // An SRV lookup (mongodb+srv) returns the port with the addresses: no scheme default applies.
  if (s.endsWith('+srv')) return undefined;
  // SQLAlchemy's dialect+driver (postgresql+asyncpg) dials the dialect's port.
  return DEFAULT_PORTS.get(s) ?? DEFAULT_PORTS.get(s.split('+')[0]);
}

/** The words of a config key, lowercased: `RabbitMQ__HostName` → rabbit mq host name, `BaseURLs` → base urls. */
export function keyWords(key: string): string[] {
  return key
    .replace(/([A-Z]{2,})s(?![a-z])/g, '$1S')
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w !== '')
    .map((w) => w.toLowerCase());
}

const HOST_WORDS = new Set([
  'host', 'hosts', 'hostname', 'hostnames', 'server', 'servers', 'servername', 'addr', 'address', 'addresses',
  'endpoint', 'endpoints', 'url', 'urls', 'uri', 'uris', 'broker', 'brokers', 'nodes',
]);
// A RabbitMQ VirtualHost (and nginx-proxy's VIRTUAL_HOST) is a name served, not a machine called;
// allowed, trusted and known hosts are names callers may use to reach this application.
const NOT_A_MACHINE = new Set(['virtual', 'allowed', 'trusted', 'known']);

/** How many trailing words of the key name a host (`HostName` is two); 0 when the key names none. */
export function hostWordCount(words: readonly string[]): number {
  const n = words.length;
  const tail = n >= 2 && /^names?$/.test(words[n - 1]) && /^(host|server)$/.test(words[n - 2]) ? 2 : HOST_WORDS.has(words[n - 1]) ? 1 : 0;
  return tail > 0 && NOT_A_MACHINE.has(words[n - tail - 1]) ? 0 : tail;
}

/**
 * Keys whose value this application does not call: listen addresses (ASPNETCORE_URLS, Kestrel
 * endpoints, *_LISTEN*, *_BIND*), a bare HOST or HOSTNAME (the process's own bind address or
 * name), CORS origins and OAuth redirect URLs (the browser goes there, not the application).
 */
function isSkippedKey(words: readonly string[]): boolean {
  const n = words.length;
  const joined = words.join(' ');
  return words.some((w) => /^(listen|bind|binding)$/.test(w)) || words[0] === 'kestrel'
    || /^((aspnetcore|dotnet) )?urls$|^host( ?name)?$/.test(joined)
    || /^origins?$/.test(words[n - 1])
    || (n >= 2 && HOST_WORDS.has(words[n - 1]) && /^(redirect|callback|return)$/.test(words[n - 2]));
}

/**
 * Keys a front-end build exposes to the browser: Next.js `NEXT_PUBLIC_*`, Nuxt
 * `NUXT_PUBLIC_*`, Expo `EXPO_PUBLIC_*`, Create React App `REACT_APP_*`, Vue CLI `VUE_APP_*`,
 * Vite `VITE_*`, Gatsby `GATSBY_*`, SvelteKit `PUBLIC_*`. Their values are built into the
 * client bundle and dialed by the user's browser, not by the pod (a browser's `localhost`
 * is the user's own machine), so no policy of the cluster is involved in that call.
 */
export function isBrowserKey(key: string): boolean {
  return browserKeyPrefix(key) !== undefined;
}

/** The browser-side prefix of a key (`NEXT_PUBLIC_`), or undefined. */
export function browserKeyPrefix(key: string): string | undefined {
  return /^(NEXT_PUBLIC|NUXT_PUBLIC|EXPO_PUBLIC|REACT_APP|VUE_APP|VITE|GATSBY|PUBLIC)_/i.exec(key)?.[0];
}

// Keys naming an image or a version hold `redis:7`, which is no host:port.
const NOT_ENDPOINT_WORDS = new Set(['image', 'tag', 'version']);

// Shell and compose `${X}` / `$X`, Kubernetes `$(X)`, Helm and Go `{{ }}`, Octopus `#{X}`.
const PLACEHOLDER = /\$\{|\$\(|\$[A-Za-z_]|\{\{|#\{/;
// Every interface: a value holding one configures a listener, wherever it sits.
const WILDCARDS = new Set(['0.0.0.0', '::', '*', '+']);
// In a key naming a host, loopback is a bind address (HOST=127.0.0.1). In a URL or a connection
// string it is a call, to a sidecar or by mistake, and verify should see it.
const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1']);
const EMAIL = /^[^\s@:/]+@[^\s@:/]+\.[^\s@:/]+$/;

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const DNS_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** An IPv6 address without brackets or zone (`::1`, `fd00::53`, `::ffff:10.0.0.1`). */
export function isIPv6(text: string): boolean {
  const halves = text.split('::');
  if (halves.length > 2) return false;
  const groups = halves.flatMap((h) => (h === '' ? [] : h.split(':')));
  const v4 = groups.length > 0 && IPV4.test(groups[groups.length - 1]);
  const hex = v4 ? groups.slice(0, -1) : groups;
  const count = hex.length + (v4 ? 2 : 0);
  return hex.every((g) => /^[0-9a-f]{1,4}$/i.test(g)) && (halves.length === 2 ? count < 8 : count === 8);
}

/** A DNS name or an IP literal, lowercased. The last label needs a letter, which keeps out `12` and `1.2.3`. */
export function isHostName(host: string): boolean {
  if (IPV4.test(host) || isIPv6(host)) return true;
  const labels = host.split('.');
  return host.length <= 253 && labels.every((l) => DNS_LABEL.test(l)) && /[a-z]/.test(labels[labels.length - 1]);
}

function portNumber(text: string | undefined): number | undefined {
  const n = text !== undefined && /^\d{1,5}$/.test(text.trim()) ? Number(text) : NaN;
  return n >= 1 && n <= 65535 ? n : undefined;
}

/** `host`, `host:port`, `[v6]`, `[v6]:port`, and a bare IPv6 address where one is expected. */
function splitEndpoint(entry: string, bareIPv6: boolean): { host: string; port?: string } {
  const bracketed = /^\[([^\]]*)\](?::(.*))?$/.exec(entry);
  if (bracketed) return bracketed[2] === undefined ? { host: bracketed[1] } : { host: bracketed[1], port: bracketed[2] };
  const colon = entry.lastIndexOf(':');
  if (colon < 0 || (bareIPv6 && isIPv6(entry.toLowerCase()))) return { host: entry };
  return { host: entry.slice(0, colon), port: entry.slice(colon + 1) };
}

interface Scan {
  readonly key: string;
  readonly value: string;
  readonly config: Readonly<Record<string, string>>;
  readonly hosts: DialedHost[];
  readonly unclassified: UnclassifiedValue[];
}

/** A host as written in a value, and how to start a sentence about it. */
interface Candidate {
  readonly host: string;
  readonly port?: string;
  readonly scheme?: string;
  readonly about: (host: string) => string;
  /** A bare host in a key naming one: loopback is skipped, and these keys may give the port. */
  readonly siblings?: readonly string[];
}

function flag(scan: Scan, reason: string): void {
  scan.unclassified.push({ key: scan.key, value: scan.value, reason });
}

function record(scan: Scan, c: Candidate): void {
  if (PLACEHOLDER.test(c.host)) return flag(scan, `${c.about(c.host)} is a placeholder, filled in only at run time`);
  const host = c.host.toLowerCase().replace(/\.$/, '');
  // A path, or libpq's percent-encoded one (postgresql://%2Fvar%2Frun%2Fpostgresql), is a Unix socket.
  if (WILDCARDS.has(host) || (c.siblings && LOOPBACK.has(host)) || /^(\/|%2f)/.test(host)) return;
  if (!isHostName(host)) return flag(scan, `${c.about(c.host)} is not a DNS name or IP address`);
  let port: number | undefined;
  let portSource: DialedHost['portSource'];
  if (c.port !== undefined) {
    const problem = PLACEHOLDER.test(c.port) ? 'is a placeholder, filled in only at run time' : 'is not an integer from 1 to 65535';
    port = portNumber(c.port);
    if (port === undefined) return flag(scan, `'${scan.key}': the port ${received(c.port)} of ${host} ${problem}`);
    portSource = 'value';
  } else if (c.scheme !== undefined) {
    port = defaultPort(c.scheme);
    portSource = port === undefined ? undefined : 'scheme';
  } else if (c.siblings && c.siblings.length > 0) {
    const given = [...new Set(c.siblings.map((k) => String(scan.config[k]).trim()))];
    if (given.length > 1) return flag(scan, `${c.siblings.map((k) => `'${k}'`).join(' and ')} give different ports for '${scan.key}'`);
    port = portNumber(given[0]);
    if (port === undefined) return flag(scan, `'${c.siblings[0]}' gives the port of '${scan.key}' but its value ${received(given[0])} is not an integer from 1 to 65535`);
    portSource = 'sibling';
  }
  const udp = c.scheme !== undefined && (c.scheme === 'udp' || c.scheme.endsWith('+udp'));
  scan.hosts.push({
    key: scan.key, value: scan.value, host,
    ...(port === undefined ? {} : { port, portSource }),
    ...(c.scheme === undefined ? {} : { scheme: c.scheme }),
    protocol: udp ? 'UDP' : 'TCP',
  });
}

// scheme://authority anywhere in a value (`jdbc:` before it is dropped). The authority ends at
// the path, query, fragment, whitespace, a quote, `;` (JDBC SQL Server properties) or a comma
// that starts the next URL; commas inside it separate hosts (mongodb://a:1,b:2).
const URL_IN_TEXT = /\b(?:jdbc:)?([a-z][a-z0-9+.-]*):\/\/((?:\{\{.*?\}\}|.)*?)(?=[/?#;\s"'<>]|,\s*(?:jdbc:)?[a-z][a-z0-9+.-]*:\/\/|$)/gi;
// Schemes naming a local file or socket, which have no host.
const LOCAL_SCHEMES = new Set(['file', 'unix', 'npipe']);

/** Rule 1: URLs. True when the value holds one; it is then read as URLs only. */
function scanUrls(scan: Scan): boolean {
  const matches = [...scan.value.matchAll(URL_IN_TEXT)];
  for (const m of matches) {
    const scheme = m[1].toLowerCase();
    const url = /^(?:\{\{.*?\}\}|[^\s"'<>])*/.exec(scan.value.slice(m.index))![0];
    // Credentials end at the last @: a password may hold a placeholder, never the host.
    const authority = m[2].slice(m[2].lastIndexOf('@') + 1);
    if (authority === '') {
      if (!LOCAL_SCHEMES.has(scheme)) flag(scan, `'${scan.key}' dials ${received(url)}, which names no host`);
      continue;
    }
    for (const entry of authority.split(',')) {
      record(scan, { ...splitEndpoint(entry.trim(), false), scheme, about: (h) => `'${scan.key}' dials ${received(url)}, whose host ${received(h)}` });
    }
  }
  return matches.length > 0;
}

const unquote = (text: string) => text.trim().replace(/^(['"])(.*)\1$/, '$2');

/** The key=value pairs of a libpq (space-separated) or ADO.NET (`;`-separated) connection string. */
export function connectionPairs(value: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  const libpq = /\s*([A-Za-z_]\w*)\s*=\s*('(?:[^'\\]|\\.)*'|[^\s';]*)\s*/y;
  for (let m = libpq.exec(value); m; m = libpq.lastIndex < value.length ? libpq.exec(value) : null) pairs.push([m[1], unquote(m[2])]);
  if (value !== '' && libpq.lastIndex === value.length) return pairs;
  // ADO.NET keys hold spaces (`Data Source`), so its pairs split on `;` only.
  return value.split(';').flatMap((part): Array<[string, string]> => {
    const m = /^\s*([A-Za-z][\w .-]*?)\s*=(.*)$/.exec(part);
    return m ? [[m[1], unquote(m[2])]] : [];
  });
}

const HOST_PAIRS = new Set(['server', 'host', 'hostname', 'datasource', 'address', 'addr', 'networkaddress', 'hostaddr']);
// SQLite's Data Source is a file.
const LOCAL_FILE = /^(\.{0,2}\/|:memory:$)|\.(db|sqlite3?)$/i;

/** Rule 3: connection strings. True when the value is one with a host pair. */
function scanConnectionString(scan: Scan): boolean {
  const pairs = connectionPairs(scan.value);
  const normal = (name: string) => name.toLowerCase().replace(/[\s_.-]/g, '');
  const hostPairs = pairs.filter(([name]) => HOST_PAIRS.has(normal(name)));
  const port = pairs.find(([name]) => normal(name) === 'port')?.[1];
  for (const [name, raw] of hostPairs) {
    const text = raw.replace(/^tcp:/i, '').trim();
    if (LOCAL_FILE.test(text)) continue;
    // SqlClient writes `host,port`; Npgsql and MySQL list hosts with commas.
    const sql = /^([^,]*),\s*(\d+)$/.exec(text);
    const entries = sql ? [{ host: sql[1], port: sql[2] }] : text.split(',').map((e) => splitEndpoint(e.trim(), true));
    for (const e of entries) {
      // `sql\INSTANCE` is a named SQL Server instance on host sql.
      record(scan, { host: e.host.replace(/\\.*$/, ''), port: e.port ?? port, about: (h) => `'${scan.key}' is a connection string whose ${name} ${received(h)}` });
    }
  }
  return hostPairs.length > 0;
}

/** Rule 4: the value of a key naming a host: host names or host:port entries, separated by commas. */
function scanHostKey(scan: Scan, siblings: readonly string[]): void {
  const text = scan.value.trim();
  // An empty value names no host: there is nothing to dial (compose's `KEY=` and `${X:-}`),
  // and whatever the app does without one (a default, or no call at all) is not in the value.
  if (text === '') return;
  // A path is a Unix socket (PGHOST=/var/run/postgresql) or a path on the application's own
  // origin; an email address is a sender (Mail__FromAddress); a boolean makes the key a switch
  // (UseProxyServer).
  if (text.startsWith('/') || EMAIL.test(text) || /^(true|false)$/i.test(text)) return;
  const listed = text.split(',').map((e) => e.trim()).filter((e) => e !== '');
  // StackExchange.Redis lists options beside the hosts: `redis:6379,abortConnect=false`.
  const hosts = listed.filter((e) => !e.includes('='));
  for (const entry of hosts.length > 0 ? hosts : [text]) {
    record(scan, {
      ...splitEndpoint(entry, true), siblings,
      about: (h) => (entry === text && h === text ? `'${scan.key}' names a host but its value ${received(scan.value)}`
        : `'${scan.key}' names a host but ${received(h)} in its value ${received(scan.value)}`),
    });
  }
}

/** Rule 2: `host:port` entries in a key that does not name a host (`redis:6379`, `a:9092,b:9092`). */
function scanHostPorts(scan: Scan): void {
  const entries = scan.value.split(',').map((e) => e.trim()).filter((e) => e !== '' && !e.includes('='));
  const looksLike = (entry: string) => {
    const { host, port } = splitEndpoint(entry, false);
    return port !== undefined && (/^\d+$/.test(port) || PLACEHOLDER.test(port))
      && (isHostName(host.toLowerCase().replace(/\.$/, '')) || PLACEHOLDER.test(host));
  };
  if (!entries.some(looksLike)) return;
  for (const entry of entries) {
    if (looksLike(entry)) record(scan, { ...splitEndpoint(entry, false), about: (h) => `'${scan.key}' lists the host ${received(h)}, which` });
    else flag(scan, `'${scan.key}' lists ${received(entry)} beside host:port entries; expected every entry to be host:port`);
  }
}

/**
 * Every host `config` makes the application call. A value is read by the first rule that fits:
 * URLs anywhere in it, a connection string, a key naming a host (whose port a sibling `…Port`
 * key may give), then host:port entries. Values no rule fits (names, numbers, paths, prose) are
 * left out.
 */
export function hostsInConfig(config: Readonly<Record<string, string>>): ConfigHosts {
  const hosts: DialedHost[] = [];
  const unclassified: UnclassifiedValue[] = [];
  const browserSide: DialedHost[] = [];
  const keys = Object.keys(config).sort();
  const words = new Map(keys.map((k) => [k, keyWords(k)]));
  const portKeys = new Map<string, string[]>();
  for (const key of keys) {
    const w = words.get(key)!;
    const prefix = w.slice(0, -1).join(' ');
    if (w.length > 1 && w[w.length - 1] === 'port') portKeys.set(prefix, [...(portKeys.get(prefix) ?? []), key]);
  }
  for (const key of keys) {
    const w = words.get(key)!;
    if (isSkippedKey(w)) continue;
    // A browser-side key is read the same way, into its own list: what it names is the
    // browser's call (unreadable values there are not the pod's problem either).
    const browser = isBrowserKey(key);
    const scan: Scan = { key, value: String(config[key] ?? ''), config, hosts: browser ? browserSide : hosts, unclassified: browser ? [] : unclassified };
    if (scanUrls(scan) || scanConnectionString(scan)) continue;
    const hostWords = hostWordCount(w);
    // What is left of a connection string (StackExchange.Redis writes `redis`) is its host.
    if (hostWords > 0 || /\bconnection strings?\b/.test(w.join(' '))) {
      const prefix = hostWords > 0 ? w.slice(0, w.length - hostWords).join(' ') : '';
      scanHostKey(scan, prefix === '' ? [] : portKeys.get(prefix) ?? []);
    } else if (!NOT_ENDPOINT_WORDS.has(w[w.length - 1])) {
      scanHostPorts(scan);
    }
  }
  return { hosts, unclassified, browserSide };
}
