import { DitServiceOverrides } from './compose-model';
import * as semver from 'semver';
import { PlainObject, isPlainObject } from '../tree/strategic-patch';
import { SealedSecret } from '../components/secrets';
import { isDnsSubdomain } from '../app/kubernetes-names';

/**
 * The per-service overrides of the importer's rules, from an `x-dit:` extension field or
 * `dit.*` labels (the extension wins where both are set):
 *
 * | x-dit              | label                         | value                              |
 * |--------------------|-------------------------------|------------------------------------|
 * | port               | dit.port                      | container port                     |
 * | expose             | dit.expose                    | public / internal                  |
 * | host               | dit.host                      | full ingress host                  |
 * | kind               | dit.kind                      | api / client / database / worker   |
 * | volumeSize         | dit.volume-size               | PVC size, for example 20Gi         |
 * | skip               | dit.skip                      | true leaves the service out        |
 * | ingress.className  | dit.ingress.class-name        | ingress class                      |
 * | ingress.annotations| dit.ingress.annotations.<key> | ingress annotations                |
 * | autoDeploy         | dit.auto-deploy               | false: no image automation         |
 * | suspend            | dit.suspend                   | true: HelmRelease suspended        |
 * | allowLatest        | dit.allow-latest              | true: latest outside production    |
 * | chartVersion       | dit.chart-version             | exact chart version of a database  |
 * | imageDigest        | dit.image-digest              | sha256:… of the image it runs      |
 * | probe              | dit.probe                     | /path served on the first port, or none |
 * | infisical.sealedToken.<env> | dit.infisical.sealed-token.<env> | kubeseal --raw output |
 */
export function parseDitOverrides(extension: unknown, labels: { readonly [key: string]: string | undefined }, report: (key: string, message: string) => void): DitServiceOverrides {
  const fromLabels: PlainObject = {};
  const annotations: { [key: string]: string } = {};
  const LABELS: { readonly [label: string]: string } = {
    'dit.port': 'port', 'dit.expose': 'expose', 'dit.host': 'host', 'dit.kind': 'kind', 'dit.volume-size': 'volumeSize',
    'dit.skip': 'skip', 'dit.auto-deploy': 'autoDeploy', 'dit.suspend': 'suspend', 'dit.ingress.class-name': 'className',
    'dit.allow-latest': 'allowLatest', 'dit.chart-version': 'chartVersion', 'dit.image-digest': 'imageDigest', 'dit.probe': 'probe',
  };
  const tokens: { [env: string]: unknown } = {};
  for (const [label, value] of Object.entries(labels)) {
    if (!label.startsWith('dit.')) continue;
    if (label.startsWith('dit.ingress.annotations.')) annotations[label.slice('dit.ingress.annotations.'.length)] = value ?? '';
    else if (label.startsWith('dit.infisical.sealed-token.')) tokens[label.slice('dit.infisical.sealed-token.'.length)] = value;
    else if (LABELS[label]) fromLabels[LABELS[label]] = value;
    else report(`labels.${label}`, `is not a dit label; expected one of ${[...Object.keys(LABELS), 'dit.ingress.annotations.<key>', 'dit.infisical.sealed-token.<environment>'].join(', ')}`);
  }
  if (extension !== undefined && !isPlainObject(extension)) report('x-dit', `got ${JSON.stringify(extension)}; expected a map`);
  const ext: PlainObject = isPlainObject(extension) ? extension : {};
  const known = ['port', 'expose', 'host', 'kind', 'volumeSize', 'skip', 'ingress', 'autoDeploy', 'suspend', 'allowLatest', 'chartVersion', 'imageDigest', 'infisical', 'probe'];
  for (const key of Object.keys(ext)) if (!known.includes(key)) report(`x-dit.${key}`, `is not known; expected one of ${known.join(', ')}`);
  const extIngress: PlainObject = isPlainObject(ext.ingress) ? ext.ingress : {};
  if (ext.ingress !== undefined && !isPlainObject(ext.ingress)) report('x-dit.ingress', `got ${JSON.stringify(ext.ingress)}; expected a map with className and annotations`);
  const pick = (key: string): { value: unknown; field: string } => (ext[key] !== undefined
    ? { value: ext[key], field: `x-dit.${key}` }
    : { value: fromLabels[key], field: `labels.${Object.keys(LABELS).find((l) => LABELS[l] === key)}` });

  const out: { -readonly [K in keyof DitServiceOverrides]: DitServiceOverrides[K] } = {};
  const port = pick('port');
  if (port.value !== undefined) {
    const n = Number(port.value);
    if (Number.isInteger(n) && n >= 1 && n <= 65535) out.port = n;
    else report(port.field, `got ${JSON.stringify(port.value)}; expected a port from 1 to 65535`);
  }
  const expose = pick('expose');
  if (expose.value !== undefined) {
    if (expose.value === 'public' || expose.value === 'internal') out.expose = expose.value;
    else report(expose.field, `got ${JSON.stringify(expose.value)}; expected public or internal`);
  }
  const host = pick('host');
  if (host.value !== undefined) {
    if (typeof host.value === 'string' && isDnsSubdomain(host.value)) out.host = host.value;
    else report(host.field, `got ${JSON.stringify(host.value)}; expected a DNS name such as shop.example.com`);
  }
  const kind = pick('kind');
  if (kind.value !== undefined) {
    if (['api', 'client', 'database', 'worker'].includes(String(kind.value))) out.kind = kind.value as DitServiceOverrides['kind'];
    else report(kind.field, `got ${JSON.stringify(kind.value)}; expected api, client, database or worker`);
  }
  const size = pick('volumeSize');
  if (size.value !== undefined) {
    if (typeof size.value === 'string' && /^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|k|M|G|T|P)?$/.test(size.value)) out.volumeSize = size.value;
    else report(size.field, `got ${JSON.stringify(size.value)}; expected a Kubernetes quantity such as 10Gi`);
  }
  const chartVersion = pick('chartVersion');
  if (chartVersion.value !== undefined) {
    // An exact version: production refuses a range, and a range is what the default already is.
    if (typeof chartVersion.value === 'string' && semver.valid(chartVersion.value) !== null) out.chartVersion = chartVersion.value;
    else report(chartVersion.field, `got ${JSON.stringify(chartVersion.value)}; expected one exact chart version such as 16.4.5`);
  }
  const digest = pick('imageDigest');
  if (digest.value !== undefined) {
    if (typeof digest.value === 'string' && /^sha256:[0-9a-f]{64}$/.test(digest.value)) out.imageDigest = digest.value;
    else report(digest.field, `got ${JSON.stringify(digest.value)}; expected sha256: and 64 lowercase hex characters`);
  }
  const probe = pick('probe');
  if (probe.value !== undefined) {
    if (probe.value === 'none' || (typeof probe.value === 'string' && /^\/[^\s]*$/.test(probe.value))) out.probe = probe.value as string;
    else report(probe.field, `got ${JSON.stringify(probe.value)}; expected an HTTP path the app serves on its first port, such as /health, or none`);
  }
  const sealed = parseSealedTokens(ext.infisical, tokens, report);
  if (sealed) out.infisical = { sealedToken: sealed };
  for (const key of ['skip', 'autoDeploy', 'suspend', 'allowLatest'] as const) {
    const flag = pick(key);
    if (flag.value === undefined) continue;
    if (flag.value === true || flag.value === 'true') out[key] = true;
    else if (flag.value === false || flag.value === 'false') out[key] = false;
    else report(flag.field, `got ${JSON.stringify(flag.value)}; expected true or false`);
  }
  const className = extIngress.className ?? fromLabels.className;
  if (className !== undefined && typeof className !== 'string') report('x-dit.ingress.className', `got ${JSON.stringify(className)}; expected an ingress class name`);
  const extAnnotations = extIngress.annotations;
  if (extAnnotations !== undefined && !isPlainObject(extAnnotations)) report('x-dit.ingress.annotations', `got ${JSON.stringify(extAnnotations)}; expected a map of annotation to value`);
  const allAnnotations = { ...annotations, ...Object.fromEntries(Object.entries(isPlainObject(extAnnotations) ? extAnnotations : {}).map(([k, v]) => [k, String(v)])) };
  if (typeof className === 'string' || Object.keys(allAnnotations).length > 0) {
    out.ingress = {
      ...(typeof className === 'string' ? { className } : {}),
      ...(Object.keys(allAnnotations).length > 0 ? { annotations: allAnnotations } : {}),
    };
  }
  return out;
}

/** x-dit.infisical.sealedToken.<env> and dit.infisical.sealed-token.<env>: kubeseal output only. */
function parseSealedTokens(extension: unknown, fromLabels: { readonly [env: string]: unknown }, report: (key: string, message: string) => void): { [env: string]: string } | undefined {
  if (extension !== undefined && !(isPlainObject(extension) && Object.keys(extension).every((k) => k === 'sealedToken') && (extension.sealedToken === undefined || isPlainObject(extension.sealedToken)))) {
    report('x-dit.infisical', `got ${JSON.stringify(extension)}; expected sealedToken: a map of environment name to kubeseal --raw output`);
    return undefined;
  }
  const fromExtension = isPlainObject(extension) && isPlainObject(extension.sealedToken) ? extension.sealedToken : {};
  const tokens: { [env: string]: string } = {};
  const entries: Array<[string, unknown, string]> = [
    ...Object.entries(fromLabels).map(([env, v]): [string, unknown, string] => [env, v, `labels.dit.infisical.sealed-token.${env}`]),
    ...Object.entries(fromExtension).map(([env, v]): [string, unknown, string] => [env, v, `x-dit.infisical.sealedToken.${env}`]),
  ];
  for (const [env, value, field] of entries) {
    // The sealed-secrets check: a plain secret pasted here would be committed as is.
    const problem = SealedSecret.fromCiphertext(value as string).problem;
    if (problem) report(field, problem);
    else tokens[env] = value as string;
  }
  return Object.keys(tokens).length > 0 ? tokens : undefined;
}
