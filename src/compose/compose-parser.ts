import { parseDocument } from 'yaml';
import { ComposeIssue, ComposeSource } from './compose-model';
import { parsePort, parseExpose, parseVolume, toStringMap } from './compose-syntax';
import { Variables, interpolate } from './interpolation';
import { PlainObject, isPlainObject } from '../tree/strategic-patch';

/** One compose file parsed, interpolated and brought to canonical form. */
export interface ParsedComposeFile {
  readonly file: string;
  /** Canonical document, or undefined when the YAML itself did not parse. */
  readonly document?: PlainObject;
  readonly issues: readonly ComposeIssue[];
  /** Variables used while unset (compose substitutes ''). */
  readonly unset: readonly string[];
  /** The unset variables of each value, by dotted path (`services.web.healthcheck.retries`). @default - none */
  readonly unsetAt?: ReadonlyMap<string, readonly string[]>;
}

/**
 * Parses one compose file: YAML 1.2 with anchors and merge keys (`<<: *a`, `<<: [*a, *b]`),
 * interpolation of every string value, then the canonical form the merge needs: ports,
 * expose, volumes, secrets and configs in long form, environment, labels, depends_on and
 * networks as maps. Never throws: every problem becomes an issue naming file, service and key.
 */
export function parseComposeFile(source: ComposeSource, variables: Variables): ParsedComposeFile {
  const issues: ComposeIssue[] = [];
  const doc = parseDocument(source.content, { merge: true, prettyErrors: true });
  if (doc.errors.length > 0) {
    return {
      file: source.file,
      issues: doc.errors.map((e) => ({
        file: source.file,
        key: `line ${e.linePos?.[0].line ?? '?'}`,
        message: `invalid YAML: ${e.message.split('\n')[0].replace(/ at line [0-9]+, column [0-9]+:?$/, '')}${/\t/.test(source.content) ? ' (the file has TAB characters; YAML indents with spaces only)' : ''}`,
      })),
      unset: [],
    };
  }
  const raw = doc.toJS({ maxAliasCount: 10000 }) as unknown;
  if (raw === null || raw === undefined) return { file: source.file, document: {}, issues, unset: [] };
  if (!isPlainObject(raw)) {
    return { file: source.file, issues: [{ file: source.file, key: '(document)', message: `got ${typeof raw}; expected a map with services` }], unset: [] };
  }
  const unset = new Set<string>();
  const unsetAt = new Map<string, string[]>();
  const interpolated = interpolateDeep(raw, variables, [], (path, message) => issues.push(issueAt(source.file, path, message)), unset, unsetAt) as PlainObject;
  const services = interpolated.services;
  if (services === undefined && Object.values(interpolated).some((v) => isPlainObject(v) && ('image' in v || 'build' in v))) {
    issues.push({
      file: source.file,
      key: '(document)',
      message: 'is a version 1 compose file (services at the top level, no services: key), a format docker compose v2 no longer reads; expected the services under services: (and links: replaced by the service names, which compose networks resolve)',
    });
    return { file: source.file, issues, unset: [...unset] };
  }
  if (services !== undefined && !isPlainObject(services)) {
    issues.push({ file: source.file, key: 'services', message: `got ${JSON.stringify(services)}; expected a map of service names to services` });
  }
  const canonical: PlainObject = { ...interpolated };
  if (isPlainObject(services)) {
    canonical.services = Object.fromEntries(Object.entries(services).map(([name, service]) => {
      if (!isPlainObject(service)) {
        issues.push({ file: source.file, service: name, key: '(service)', message: `got ${JSON.stringify(service)}; expected a map of service attributes` });
        return [name, {}];
      }
      return [name, canonicalService(service, (key, message) => issues.push({ file: source.file, service: name, key, message }))];
    }));
  }
  return { file: source.file, document: canonical, issues, unset: [...unset], unsetAt };
}

function issueAt(file: string, path: readonly string[], message: string): ComposeIssue {
  if (path[0] === 'services' && path.length > 1) return { file, service: path[1], key: path.slice(2).join('.') || '(service)', message };
  return { file, key: path.join('.') || '(document)', message };
}

function interpolateDeep(
  value: unknown, vars: Variables, path: readonly string[], report: (path: readonly string[], message: string) => void, unset: Set<string>, unsetAt: Map<string, string[]>,
): unknown {
  if (typeof value === 'string') {
    const result = interpolate(value, vars);
    result.errors.forEach((message) => report(path, message));
    result.unset.forEach((name) => unset.add(name));
    if (result.unset.length > 0) unsetAt.set(path.join('.'), [...result.unset]);
    return result.value;
  }
  if (Array.isArray(value)) return value.map((v, i) => interpolateDeep(v, vars, [...path.slice(0, -1), `${path[path.length - 1] ?? ''}[${i}]`], report, unset, unsetAt));
  if (isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolateDeep(v, vars, [...path, k], report, unset, unsetAt)]));
  return value;
}

type Report = (key: string, message: string) => void;

function canonicalService(service: PlainObject, report: Report): PlainObject {
  const out: PlainObject = { ...service };
  const list = (key: string, parse: (entry: unknown, index: number) => unknown[] | undefined) => {
    if (service[key] === undefined || service[key] === null) {
      delete out[key];
      return;
    }
    if (!Array.isArray(service[key])) {
      report(key, `got ${JSON.stringify(service[key])}; expected a list`);
      delete out[key];
      return;
    }
    out[key] = (service[key] as unknown[]).flatMap((entry, i) => parse(entry, i) ?? []);
  };
  list('ports', (entry, i) => {
    const parsed = parsePort(entry);
    if (!parsed.ok) return void report(`ports[${i}]`, parsed.message);
    return parsed.value.map((p) => ({ target: p.target, protocol: p.protocol, ...(p.published ? { published: p.published } : {}), ...(p.hostIp ? { host_ip: p.hostIp } : {}) }));
  });
  list('expose', (entry, i) => {
    const parsed = parseExpose(entry);
    if (!parsed.ok) return void report(`expose[${i}]`, parsed.message);
    return parsed.value.map((p) => (p.protocol === 'tcp' ? String(p.target) : `${p.target}/${p.protocol}`));
  });
  list('volumes', (entry, i) => {
    const parsed = parseVolume(entry);
    if (!parsed.ok) return void report(`volumes[${i}]`, parsed.message);
    const v = parsed.value;
    return [{ type: v.type, target: v.target, ...(v.source ? { source: v.source } : {}), ...(v.readOnly ? { read_only: true } : {}) }];
  });
  for (const key of ['secrets', 'configs']) {
    list(key, (entry, i) => {
      if (typeof entry === 'string') return [{ source: entry, target: entry }];
      if (isPlainObject(entry) && typeof entry.source === 'string') return [{ source: entry.source, target: typeof entry.target === 'string' ? entry.target : entry.source }];
      return void report(`${key}[${i}]`, `got ${JSON.stringify(entry)}; expected a name or a map with source`);
    });
  }
  for (const key of ['environment', 'labels']) {
    if (service[key] === undefined || service[key] === null) continue;
    const map = toStringMap(service[key]);
    if (map) out[key] = map;
    else report(key, `got ${JSON.stringify(service[key])}; expected a map or a list of KEY=value`);
  }
  for (const key of ['depends_on', 'networks']) {
    const value = service[key];
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) out[key] = Object.fromEntries(value.map((name) => [String(name), {}]));
    else if (isPlainObject(value)) out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, isPlainObject(v) ? v : {}]));
    else report(key, `got ${JSON.stringify(value)}; expected a list of names or a map`);
  }
  if (service.env_file !== undefined && service.env_file !== null) {
    const entries = Array.isArray(service.env_file) ? service.env_file : [service.env_file];
    out.env_file = entries.flatMap((entry, i) => {
      if (typeof entry === 'string') return [{ path: entry, required: true }];
      if (isPlainObject(entry) && typeof entry.path === 'string') return [{ path: entry.path, required: entry.required !== false }];
      report(`env_file[${i}]`, `got ${JSON.stringify(entry)}; expected a path or a map with path`);
      return [];
    });
  }
  return out;
}
