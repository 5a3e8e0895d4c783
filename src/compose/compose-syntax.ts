import { ComposePort, ComposeVolumeMount } from './compose-model';

/**
 * Compose's short syntaxes turned into the long ones (compose spec "services": ports,
 * volumes, durations, byte values). Each function returns the value or a message saying
 * what was expected; none throws, so the parser can report every problem at once.
 */

/** A parsed value or why it could not be parsed. */
export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = <T>(message: string): Parsed<T> => ({ ok: false, message });

const PROTOCOLS = ['tcp', 'udp', 'sctp'] as const;
type Protocol = (typeof PROTOCOLS)[number];
// [[host_ip:]published:]target[/protocol]; host_ip may be [IPv6]; ports may be ranges.
// An empty host IP (`:2283:2283`) binds every address, as docker's port parser reads it.
const SHORT_PORT = /^(?:(?:(\[[0-9a-fA-F:.]+\]|[0-9.]+|[0-9a-fA-F:]*::[0-9a-fA-F:]*)?:)?([0-9]+(?:-[0-9]+)?)?:)?([0-9]+(?:-[0-9]+)?)(?:\/([a-zA-Z]+))?$/;

function range(text: string): number[] | undefined {
  const [from, to = from] = text.split('-').map(Number);
  if (!inPortRange(from) || !inPortRange(to) || to < from) return undefined;
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

function inPortRange(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= 65535;
}

/** `"127.0.0.1:8080-8081:80-81/udp"`, `3000` or a long-form map, as container ports. */
export function parsePort(entry: unknown): Parsed<ComposePort[]> {
  if (typeof entry === 'number') return inPortRange(entry) ? ok([{ target: entry, protocol: 'tcp' }]) : fail(`port ${entry} is out of range; expected 1 to 65535`);
  if (typeof entry === 'string') {
    const m = SHORT_PORT.exec(entry.trim());
    if (!m) return fail(`got ${JSON.stringify(entry)}; expected [[HOST_IP:]HOST_PORT:]CONTAINER_PORT[/PROTOCOL], for example "8080:80" or "127.0.0.1:53:53/udp"`);
    const [, hostIp, published, target, protocol = 'tcp'] = m;
    const lower = protocol.toLowerCase();
    if (!(PROTOCOLS as readonly string[]).includes(lower)) return fail(`protocol ${JSON.stringify(protocol)} in ${JSON.stringify(entry)} is not known; expected tcp, udp or sctp`);
    const targets = range(target);
    if (!targets) return fail(`container port ${JSON.stringify(target)} in ${JSON.stringify(entry)} is out of range; expected 1 to 65535 (or a range low-high)`);
    if (published !== undefined && !range(published)) return fail(`host port ${JSON.stringify(published)} in ${JSON.stringify(entry)} is out of range; expected 1 to 65535 (or a range low-high)`);
    return ok(targets.map((t) => ({
      target: t,
      protocol: lower as Protocol,
      ...(published !== undefined ? { published } : {}),
      ...(hostIp ? { hostIp: hostIp.replace(/^\[|\]$/g, '') } : {}),
    })));
  }
  if (typeof entry === 'object' && entry !== null && !Array.isArray(entry)) {
    const long = entry as { target?: unknown; published?: unknown; host_ip?: unknown; protocol?: unknown };
    const target = typeof long.target === 'string' ? Number(long.target) : long.target;
    if (typeof target !== 'number' || !inPortRange(target)) return fail(`target ${JSON.stringify(long.target)} is not a port; expected a number from 1 to 65535`);
    const protocol = String(long.protocol ?? 'tcp').toLowerCase();
    if (!(PROTOCOLS as readonly string[]).includes(protocol)) return fail(`protocol ${JSON.stringify(long.protocol)} is not known; expected tcp, udp or sctp`);
    return ok([{
      target,
      protocol: protocol as Protocol,
      ...(long.published !== undefined ? { published: String(long.published) } : {}),
      ...(typeof long.host_ip === 'string' ? { hostIp: long.host_ip } : {}),
    }]);
  }
  return fail(`got ${JSON.stringify(entry)}; expected a port string, a number or a map with target`);
}

/** An `expose:` entry: `"3000"`, `"8000-8001"`, `"53/udp"` or a number. */
export function parseExpose(entry: unknown): Parsed<ComposePort[]> {
  const m = /^([0-9]+(?:-[0-9]+)?)(?:\/([a-zA-Z]+))?$/.exec(String(entry).trim());
  const targets = m ? range(m[1]) : undefined;
  const protocol = (m?.[2] ?? 'tcp').toLowerCase();
  if (!targets || !(PROTOCOLS as readonly string[]).includes(protocol)) return fail(`got ${JSON.stringify(entry)}; expected a container port such as "3000", "8000-8001" or "53/udp"`);
  return ok(targets.map((target) => ({ target, protocol: protocol as Protocol })));
}

const VOLUME_TYPES = ['volume', 'bind', 'tmpfs', 'npipe', 'cluster', 'image'] as const;

/** `data:/var/lib/data:ro`, `./src:/app`, `/cache` or a long-form map, as one mount. */
export function parseVolume(entry: unknown): Parsed<ComposeVolumeMount> {
  if (typeof entry === 'string') {
    const parts = entry.split(':');
    // A Windows drive letter (C:\…) is part of the source, not a separator.
    if (/^[a-zA-Z]$/.test(parts[0]) && parts.length > 1 && /^[\\/]/.test(parts[1])) parts.splice(0, 2, `${parts[0]}:${parts[1]}`);
    if (parts.length === 1) return ok({ type: 'volume', target: parts[0], readOnly: false });
    if (parts.length > 3 || parts[1] === '') return fail(`got ${JSON.stringify(entry)}; expected [SOURCE:]TARGET[:MODE]`);
    const [source, target, mode = 'rw'] = parts;
    const isPath = /^([.~/\\]|[a-zA-Z]:)/.test(source);
    return ok({ type: isPath ? 'bind' : 'volume', source, target, readOnly: mode.split(',').includes('ro') });
  }
  if (typeof entry === 'object' && entry !== null && !Array.isArray(entry)) {
    const long = entry as { type?: unknown; source?: unknown; target?: unknown; read_only?: unknown };
    const type = String(long.type ?? 'volume');
    if (!(VOLUME_TYPES as readonly string[]).includes(type)) return fail(`type ${JSON.stringify(long.type)} is not known; expected one of ${VOLUME_TYPES.join(', ')}`);
    if (typeof long.target !== 'string' || long.target === '') return fail(`target ${JSON.stringify(long.target)} is not a path; expected the mount path in the container`);
    return ok({
      type: type as ComposeVolumeMount['type'],
      target: long.target,
      readOnly: long.read_only === true,
      ...(typeof long.source === 'string' && long.source !== '' ? { source: long.source } : {}),
    });
  }
  return fail(`got ${JSON.stringify(entry)}; expected a volume string or a map with type, source and target`);
}

const DURATION_UNITS: { readonly [unit: string]: number } = { us: 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };

/** `1m30s`, `10s`, `500ms` as seconds. */
export function parseDuration(value: unknown): Parsed<number> {
  const text = String(value).trim();
  const parts = [...text.matchAll(/([0-9]+(?:\.[0-9]+)?)(us|ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) return fail(`got ${JSON.stringify(value)}; expected a duration such as 10s, 1m30s or 500ms`);
  return ok(parts.reduce((sum, p) => sum + Number(p[1]) * DURATION_UNITS[p[2]], 0));
}

const BYTE_UNITS: { readonly [unit: string]: number } = { '': 1, b: 1, k: 1024, kb: 1024, m: 1024 ** 2, mb: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3, t: 1024 ** 4, tb: 1024 ** 4 };

/** `512m`, `1g`, `1.5gb` or a byte count, as bytes. */
export function parseBytes(value: unknown): Parsed<number> {
  const m = /^([0-9]+(?:\.[0-9]+)?)\s*([a-zA-Z]*)$/.exec(String(value).trim());
  const unit = m?.[2].toLowerCase();
  if (!m || unit === undefined || !(unit in BYTE_UNITS)) return fail(`got ${JSON.stringify(value)}; expected a byte value such as 512m, 1g or 1073741824`);
  return ok(Math.round(Number(m[1]) * BYTE_UNITS[unit]));
}

/** `"0.5"`, `2` as CPUs. */
export function parseCpus(value: unknown): Parsed<number> {
  const n = typeof value === 'number' ? value : Number(String(value).trim());
  return Number.isFinite(n) && n > 0 ? ok(n) : fail(`got ${JSON.stringify(value)}; expected a positive number of CPUs such as 0.5`);
}

/** `KEY=value` lists and maps as one map; a bare `KEY` has no value. */
export function toStringMap(value: unknown): { [key: string]: string | undefined } | undefined {
  if (Array.isArray(value)) {
    const out: { [key: string]: string | undefined } = {};
    for (const item of value) {
      const text = String(item);
      const eq = text.indexOf('=');
      if (eq < 0) out[text] = undefined;
      else out[text.slice(0, eq)] = text.slice(eq + 1);
    }
    return out;
  }
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, v === null || v === undefined ? undefined : String(v)]));
  }
  return undefined;
}
