import {
  ComposeError, ComposeFileReference, ComposeHealthcheck, ComposeInput, ComposeIssue, ComposeModel, ComposePort, ComposeResourceQuantities,
  ComposeService, ComposeTopLevelResource, ComposeVolumeMount,
} from './compose-model';
import { mergeComposeDocuments } from './compose-merge';
import { parseComposeFile } from './compose-parser';
import { parseBytes, parseCpus, parseDuration, parseExpose } from './compose-syntax';
import { parseDitOverrides } from './dit-overrides';
import { parseDotEnv } from './interpolation';
import { PlainObject, isPlainObject } from '../tree/strategic-patch';
import { isDnsLabel } from '../app/kubernetes-names';

// Service keys the transform reads.
const TRANSLATED = new Set([
  'image', 'build', 'ports', 'expose', 'environment', 'env_file', 'networks', 'healthcheck', 'deploy', 'volumes', 'secrets', 'configs',
  'depends_on', 'labels', 'profiles', 'x-dit', 'command', 'entrypoint', 'restart', 'container_name', 'hostname',
]);
// Top-level keys the transform reads; `version` is obsolete in the compose spec.
const TOP_LEVEL = new Set(['name', 'version', 'services', 'networks', 'volumes', 'secrets', 'configs']);

/**
 * Loads a compose project: parses every file, interpolates from `variables` over the `.env`
 * file, merges the files in order, applies profiles and `env_file`, and returns the typed
 * model. Throws one {@link ComposeError} listing every problem of every file.
 */
export function loadCompose(input: ComposeInput): ComposeModel {
  const issues: ComposeIssue[] = [];
  if (input.files.length === 0) throw new ComposeError([{ file: '(none)', key: 'files', message: 'no compose file given; expected at least one' }]);
  const dotEnv = input.dotEnv ? parseDotEnv(input.dotEnv.content) : { values: {}, issues: [] };
  dotEnv.issues.forEach((i) => issues.push({ file: input.dotEnv!.file, key: `line ${i.line}`, message: i.message }));
  const variables = { ...dotEnv.values, ...definedOnly(input.variables ?? {}) };
  const parsed = input.files.map((f) => parseComposeFile(f, variables));
  parsed.forEach((p) => issues.push(...p.issues));
  const documents = parsed.flatMap((p) => (p.document ? [p.document] : []));
  const merged = mergeComposeDocuments(documents);
  // The file that last defined each service is the one errors name.
  const fileOf = new Map<string, string>();
  for (const p of parsed) for (const name of Object.keys((p.document?.services as PlainObject | undefined) ?? {})) fileOf.set(name, p.file);

  const profiles = input.profiles ?? [];
  const renames = serviceNames(Object.keys((merged.services as PlainObject | undefined) ?? {}), (name, message) => issues.push({ file: fileOf.get(name) ?? input.files[0].file, service: name, key: '(name)', message }));
  const rename = (n: string) => renames.get(n) ?? n;
  const services: ComposeService[] = [];
  const inactive: string[] = [];
  for (const [name, raw] of Object.entries((merged.services as PlainObject | undefined) ?? {})) {
    const service = raw as PlainObject;
    const file = fileOf.get(name) ?? input.files[0].file;
    const serviceProfiles = Array.isArray(service.profiles) ? service.profiles.map(String) : [];
    if (serviceProfiles.length > 0 && !serviceProfiles.some((p) => profiles.includes(p))) {
      inactive.push(name);
      continue;
    }
    const normalized = normalizeService(rename(name), file, service, serviceProfiles, { ...input, variables }, (key, message) => issues.push({ file, service: name, key, message }));
    services.push({
      ...normalized,
      ...(rename(name) !== name ? { composeName: name } : {}),
      dependsOn: normalized.dependsOn.map(rename),
      ...(normalized.dependsOnConditions ? { dependsOnConditions: Object.fromEntries(Object.entries(normalized.dependsOnConditions).map(([k, v]) => [rename(k), v])) } : {}),
    });
  }
  explainUnsetVariables(issues, parsed);
  if (services.length === 0 && issues.length === 0) issues.push({ file: input.files[0].file, key: 'services', message: 'no active service; expected at least one service (or enable its profile)' });
  if (issues.length > 0) throw new ComposeError(issues);
  return {
    ...(typeof merged.name === 'string' ? { name: merged.name } : {}),
    services,
    inactiveServices: inactive,
    volumes: topLevel(merged.volumes),
    secrets: topLevel(merged.secrets),
    configs: topLevel(merged.configs),
    unsupported: Object.keys(merged).filter((k) => !TOP_LEVEL.has(k) && !k.startsWith('x-')).sort(),
    unsetVariables: [...new Set(parsed.flatMap((p) => p.unset))].sort(),
  };
}

/**
 * Kubernetes names of the services: a compose name that is no DNS-1123 label but only by `_`,
 * `.` or upper case (`ftpd_server`) becomes the label compose's own DNS would not need
 * (`ftpd-server`); the transform reports each rename and rewrites the hosts that name it.
 */
function serviceNames(names: readonly string[], report: (name: string, message: string) => void): Map<string, string> {
  const out = new Map<string, string>();
  const taken = new Map<string, string>();
  for (const name of names) {
    const candidate = isDnsLabel(name) ? name : String(name).toLowerCase().replace(/[_.]/g, '-');
    if (candidate !== name && !isDnsLabel(candidate)) continue;
    if (taken.has(candidate)) {
      report(name, `${JSON.stringify(name)} and ${JSON.stringify(taken.get(candidate))} both become the Kubernetes name ${JSON.stringify(candidate)}; rename one of them`);
      continue;
    }
    taken.set(candidate, name);
    if (candidate !== name) out.set(name, candidate);
  }
  return out;
}

/** Says which unset variable left a value empty where an empty value is refused (compose refuses it too). */
function explainUnsetVariables(issues: ComposeIssue[], parsed: readonly { readonly file: string; readonly unsetAt?: ReadonlyMap<string, readonly string[]> }[]): void {
  for (const [i, issue] of issues.entries()) {
    if (!/got ""/.test(issue.message)) continue;
    const names = parsed.find((p) => p.file === issue.file)?.unsetAt?.get(`services.${issue.service}.${issue.key}`);
    if (names && names.length > 0) {
      issues[i] = { ...issue, message: `${issue.message} (variable ${names.join(', ')} is not set: compose refuses this file too until it is)` };
    }
  }
}

/** A DNS-1123 label close to `name`: what the error proposes. */
export function proposeDnsName(name: string): string {
  const proposed = name.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63).replace(/-+$/, '');
  return proposed === '' ? 'service' : proposed;
}

function definedOnly(vars: { readonly [name: string]: string | undefined }): { [name: string]: string } {
  return Object.fromEntries(Object.entries(vars).filter((e): e is [string, string] => e[1] !== undefined));
}

function topLevel(value: unknown): { [name: string]: ComposeTopLevelResource } {
  if (!isPlainObject(value)) return {};
  return Object.fromEntries(Object.entries(value).map(([name, v]) => {
    const spec = isPlainObject(v) ? v : {};
    return [name, { name: typeof spec.name === 'string' ? spec.name : name, external: spec.external === true || isPlainObject(spec.external), ...(typeof spec.file === 'string' ? { file: spec.file } : {}) }];
  }));
}

type Report = (key: string, message: string) => void;

function normalizeService(name: string, file: string, s: PlainObject, profiles: string[], input: ComposeInput, report: Report): ComposeService {
  if (name === 'main') report('(name)', '"main" is reserved for the environment aggregators (dist/main); rename the service, for example to "main-app"');
  if (!isDnsLabel(name)) {
    report('(name)', `${JSON.stringify(name)} cannot become a Kubernetes name (DNS-1123 label: lowercase letters, digits and '-', at most 63); rename the service, for example to ${JSON.stringify(proposeDnsName(name))}`);
  }
  if (s.image === undefined && s.build === undefined) report('image', 'the service has neither image nor build; expected image: (a cluster runs images, it cannot build)');
  if (s.image !== undefined && (typeof s.image !== 'string' || s.image.trim() === '')) report('image', `got ${JSON.stringify(s.image)}; expected an image reference such as ghcr.io/org/app:1.0.0`);
  const deploy = isPlainObject(s.deploy) ? s.deploy : {};
  const resources = isPlainObject(deploy.resources) ? deploy.resources : {};
  const unsupported = [
    ...Object.keys(s).filter((k) => !TRANSLATED.has(k) && !(k.startsWith('x-') && k !== 'x-dit')),
    ...Object.keys(deploy).filter((k) => !['replicas', 'resources'].includes(k)).map((k) => `deploy.${k}`),
    ...Object.keys(resources).filter((k) => !['limits', 'reservations'].includes(k)).map((k) => `deploy.resources.${k}`),
  ].sort();
  let replicas: number | undefined;
  if (deploy.replicas !== undefined) {
    replicas = Number(deploy.replicas);
    if (!Number.isInteger(replicas) || replicas < 0) report('deploy.replicas', `got ${JSON.stringify(deploy.replicas)}; expected a whole number of at least 0`);
  }
  const labels = (s.labels as { [k: string]: string | undefined } | undefined) ?? {};
  const environment = environmentOf(s, input, report);
  return {
    name,
    file,
    ...commandsOf(s, report),
    ...(typeof s.restart === 'string' ? { restart: s.restart } : {}),
    ...aliasesOf(s),
    ...(s.build !== undefined ? { buildKey: JSON.stringify(typeof s.build === 'string' ? { context: s.build } : { context: (s.build as PlainObject).context ?? '.', dockerfile: (s.build as PlainObject).dockerfile, target: (s.build as PlainObject).target }) } : {}),
    ...(environment.passedThrough.length > 0 ? { passedThrough: environment.passedThrough } : {}),
    ...(typeof s.image === 'string' ? { image: s.image.trim() } : {}),
    hasBuild: s.build !== undefined,
    ports: ((s.ports as PlainObject[] | undefined) ?? []).map((p) => ({
      target: p.target as number,
      protocol: p.protocol as ComposePort['protocol'],
      ...(p.published !== undefined ? { published: String(p.published) } : {}),
      ...(p.host_ip !== undefined ? { hostIp: String(p.host_ip) } : {}),
    })),
    expose: ((s.expose as string[] | undefined) ?? []).flatMap((e) => { const p = parseExpose(e); return p.ok ? p.value : []; }),
    environment: environment.values,
    networks: Object.keys((s.networks as PlainObject | undefined) ?? { default: {} }),
    ...healthcheckOf(s.healthcheck, report),
    ...(replicas !== undefined ? { replicas } : {}),
    ...quantities('limits', resources.limits, report),
    ...quantities('reservations', resources.reservations, report),
    volumes: (s.volumes as ComposeVolumeMount[] | undefined ?? []).map((v) => ({ type: v.type, target: v.target, readOnly: (v as unknown as PlainObject).read_only === true, ...(v.source ? { source: v.source } : {}) })),
    secrets: (s.secrets as ComposeFileReference[] | undefined) ?? [],
    configs: (s.configs as ComposeFileReference[] | undefined) ?? [],
    dependsOn: Object.keys((s.depends_on as PlainObject | undefined) ?? {}),
    ...conditionsOf(s.depends_on),
    labels: Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, v ?? ''])),
    profiles,
    dit: parseDitOverrides(s['x-dit'], labels, report),
    unsupported,
  };
}

function conditionsOf(dependsOn: unknown): { dependsOnConditions?: { [service: string]: string } } {
  const conditions = Object.entries(isPlainObject(dependsOn) ? dependsOn : {})
    .flatMap(([name, spec]) => (isPlainObject(spec) && typeof spec.condition === 'string' && spec.condition !== 'service_started' ? [[name, spec.condition]] : []));
  return conditions.length > 0 ? { dependsOnConditions: Object.fromEntries(conditions) } : {};
}

/** `command:` and `entrypoint:` as written: a list of strings, or one string (split later, with a report line). */
function commandsOf(s: PlainObject, report: Report): { command?: readonly string[] | string; entrypoint?: readonly string[] | string } {
  const out: { command?: readonly string[] | string; entrypoint?: readonly string[] | string } = {};
  for (const key of ['command', 'entrypoint'] as const) {
    const value = s[key];
    if (value === undefined || value === null) continue;
    if (typeof value === 'string') out[key] = value;
    else if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')) out[key] = value.map(String);
    else report(key, `got ${JSON.stringify(value)}; expected a list of strings or one string`);
  }
  return out;
}

/** The other names compose's DNS gives the service: container_name, hostname and network aliases. */
function aliasesOf(s: PlainObject): { aliases?: string[] } {
  const aliases = new Set<string>();
  for (const key of ['container_name', 'hostname']) if (typeof s[key] === 'string' && s[key] !== '') aliases.add((s[key] as string).toLowerCase());
  for (const spec of Object.values((s.networks as PlainObject | undefined) ?? {})) {
    if (isPlainObject(spec) && Array.isArray(spec.aliases)) spec.aliases.forEach((a) => typeof a === 'string' && a !== '' && aliases.add(a.toLowerCase()));
  }
  return aliases.size > 0 ? { aliases: [...aliases] } : {};
}

/**
 * env_file entries first, `environment:` over them. A key listed without a value
 * (`environment: [FOO]`) takes FOO from the variables, as compose takes it from the shell.
 */
function environmentOf(s: PlainObject, input: ComposeInput, report: Report): { values: { [key: string]: string | undefined }; passedThrough: string[] } {
  const out: { [key: string]: string | undefined } = {};
  for (const [i, entry] of ((s.env_file as { path: string; required: boolean }[] | undefined) ?? []).entries()) {
    const content = input.readFile?.(entry.path);
    if (content === undefined) {
      if (entry.required) report(`env_file[${i}]`, `${entry.path} was not found; expected a file next to the compose file (or required: false)`);
      continue;
    }
    const parsed = parseDotEnv(content);
    parsed.issues.forEach((issue) => report(`env_file[${i}]`, `${entry.path} line ${issue.line}: ${issue.message}`));
    Object.assign(out, parsed.values);
  }
  const passedThrough: string[] = [];
  const listed = (s.environment as { [key: string]: string | undefined } | undefined) ?? {};
  for (const [key, value] of Object.entries(listed)) {
    const fromVariables = input.variables?.[key];
    if (value === undefined && fromVariables !== undefined) {
      out[key] = fromVariables;
      passedThrough.push(key);
    } else if (value !== undefined || !(key in out)) {
      out[key] = value;
    }
  }
  return { values: out, passedThrough };
}

function healthcheckOf(value: unknown, report: Report): { healthcheck?: ComposeHealthcheck } {
  if (!isPlainObject(value) || value.disable === true) return {};
  const test = value.test;
  let command: readonly string[] | string;
  if (Array.isArray(test)) {
    const [form, ...rest] = test.map(String);
    if (form === 'NONE') return {};
    if (form === 'CMD-SHELL') command = rest.join(' ');
    else if (form === 'CMD') command = rest;
    else {
      report('healthcheck.test', `got ${JSON.stringify(test)}; expected a list starting with CMD, CMD-SHELL or NONE`);
      return {};
    }
  } else if (typeof test === 'string') {
    command = test;
  } else {
    return {};
  }
  const seconds = (key: string): number | undefined => {
    if (value[key] === undefined) return undefined;
    const parsed = parseDuration(value[key]);
    if (!parsed.ok) report(`healthcheck.${key}`, parsed.message);
    return parsed.ok ? parsed.value : undefined;
  };
  const retries = value.retries === undefined ? undefined : Number(value.retries);
  if (retries !== undefined && (!Number.isInteger(retries) || retries < 1)) report('healthcheck.retries', `got ${JSON.stringify(value.retries)}; expected a whole number of at least 1`);
  const healthcheck: ComposeHealthcheck = {
    test: command,
    ...optional('intervalSeconds', seconds('interval')),
    ...optional('timeoutSeconds', seconds('timeout')),
    ...optional('retries', retries),
    ...optional('startPeriodSeconds', seconds('start_period')),
  };
  return { healthcheck };
}

function quantities(key: 'limits' | 'reservations', value: unknown, report: Report): { [k: string]: ComposeResourceQuantities } {
  if (!isPlainObject(value)) return {};
  const out: { cpus?: number; memoryBytes?: number } = {};
  if (value.cpus !== undefined) {
    const cpus = parseCpus(value.cpus);
    if (cpus.ok) out.cpus = cpus.value;
    else report(`deploy.resources.${key}.cpus`, cpus.message);
  }
  if (value.memory !== undefined) {
    const memory = parseBytes(value.memory);
    if (memory.ok) out.memoryBytes = memory.value;
    else report(`deploy.resources.${key}.memory`, memory.message);
  }
  return { [key]: out };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [k in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [k in K]?: V };
}
