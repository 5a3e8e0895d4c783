import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { DEFAULT_PORT_VALUES, GatewayChartValues, GoldenChartValues, Port, renderPortValues } from '../../src';

// Every field present at every depth: adding a field to the TypeScript contract without
// adding it here fails `tsc --noEmit`; the tests below then hold the schemas to this sample.
type DeepRequired<T> = T extends ReadonlyArray<infer U> ? Array<DeepRequired<U>> : T extends object ? { -readonly [K in keyof T]-?: DeepRequired<T[K]> } : T;

const GOLDEN: DeepRequired<GoldenChartValues> = {
  replicas: 2,
  image: { registry: 'ghcr.io', repository: 'my-team/my-api' },
  ports: [{ name: 'http', port: 8000, protocol: 'TCP' }],
  command: ['celery', '-A', 'shop', 'worker'],
  args: ['--loglevel', 'info'],
  securityContext: { runAsUser: 1654, runAsGroup: 1654, runAsNonRoot: true, fsGroup: 1654, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false },
  resources: { requests: { cpu: '50m', memory: '256Mi' }, limits: { cpu: '1', memory: '256Mi' } },
  configs: { RabbitMQ__Port: 5672 },
  infisical: { enabled: true, secretsScope: { secretsPath: '/my-api', envSlug: 'staging' }, sealedSecret: { token: 'AgCXZS4j' } },
  ingress: { enabled: true, className: 'traefik', annotations: { a: 'b' }, hosts: [{ host: 'app.example.com', paths: [{ path: '/', pathType: 'Prefix' }] }] },
  ciliumNetworkPolicy: { enabled: true, ingress: { traefik: { fromEndpoints: [] } }, egress: { 'kube-dns': { toEndpoints: [] } } },
  probes: {
    enabled: true, path: '/health', port: 'http', tcp: false, command: ['pg_isready'],
    readiness: { initialDelaySeconds: 0, periodSeconds: 10, timeoutSeconds: 1, failureThreshold: 3 },
    liveness: { initialDelaySeconds: 0, periodSeconds: 20, timeoutSeconds: 1, failureThreshold: 3 },
    startup: { enabled: true, initialDelaySeconds: 0, periodSeconds: 5, timeoutSeconds: 1, failureThreshold: 30 },
  },
  imagePullSecrets: ['ghcr'],
  volumes: { data: { mountPath: '/data', size: '8Gi', storageClassName: 'fast', accessMode: 'ReadWriteOnce', readOnly: false } },
  serviceAccount: { automountToken: false },
  global: { image: { tag: 'v1.2.3', digest: `sha256:${'a'.repeat(64)}` }, annotations: { GITHUB_REPO_URL: 'https://github.com/ditkrg/x' } },
  podLabels: { app: 'my-api' },
  annotations: { GITHUB_COMMIT_HASH: 'abc' },
  cronJob: {
    schedule: '0 3 * * *', timeZone: 'Asia/Baghdad', concurrencyPolicy: 'Forbid', backoffLimit: 1, activeDeadlineSeconds: 600,
    suspend: false, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1,
  },
  hookJobs: { migrate: { command: ['python', 'manage.py', 'migrate'], args: [], hooks: ['post-install', 'pre-upgrade'], weight: 0, backoffLimit: 1, activeDeadlineSeconds: 600 } },
};

const GATEWAY: DeepRequired<GatewayChartValues> = {
  ...GOLDEN,
  gateway: { host: 'api.example.com' },
  middlewares: { 'strip-my-api': { stripPrefix: { prefixes: ['/my-api'] } } },
  routes: { 'my-api': { match: { host: 'api.example.com', pathPrefix: '/my-api' }, service: { name: 'my-api', port: 8000 }, middlewares: ['strip-my-api'] } },
};

const CHARTS = path.join(__dirname, '..', '..', 'charts');
const schemaOf = (chart: string) => JSON.parse(fs.readFileSync(path.join(CHARTS, chart, 'values.schema.json'), 'utf8'));

// Helm adds each dependency's share of the values (`dit-library: { global }`) before it validates
// them, so the strict schemas must allow the key; dit-gitops never writes it.
const HELM_ADDED = ['dit-library'];

type Schema = { $ref?: string; properties?: Record<string, Schema>; additionalProperties?: Schema | boolean; items?: Schema; definitions?: Record<string, Schema> };

/** Field paths on which the sample and the schema disagree: a field one side has and the other lacks. */
function mismatches(sample: unknown, schema: Schema, root: Schema, at = ''): string[] {
  const s = schema.$ref ? root.definitions![schema.$ref.replace('#/definitions/', '')] : schema;
  if (Array.isArray(sample)) return s.items ? sample.flatMap((item, i) => mismatches(item, s.items!, root, `${at}[${i}]`)) : [];
  if (typeof sample !== 'object' || sample === null) return [];
  const entries = Object.entries(sample);
  if (s.properties) {
    const fields = Object.keys(s.properties).filter((k) => !(at === '' && HELM_ADDED.includes(k)));
    return [
      ...entries.filter(([k]) => !fields.includes(k)).map(([k]) => `${at}.${k} is in the TypeScript contract but not in the schema`),
      ...fields.filter((k) => !(k in sample)).map((k) => `${at}.${k} is in the schema but not in the TypeScript contract`),
      ...entries.filter(([k]) => fields.includes(k)).flatMap(([k, v]) => mismatches(v, s.properties![k], root, `${at}.${k}`)),
    ];
  }
  if (typeof s.additionalProperties === 'object') return entries.flatMap(([k, v]) => mismatches(v, s.additionalProperties as Schema, root, `${at}.${k}`));
  return [];
}

describe('the values contract', () => {
  it.each([['dit-common-api', GOLDEN], ['dit-common-client', GOLDEN], ['dit-gateway', GATEWAY]])('%s: values.schema.json has exactly the fields of the TypeScript contract', (chart, sample) => {
    const schema = schemaOf(chart);
    expect(mismatches(sample, schema, schema)).toStrictEqual([]);
    const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
    expect(validate(sample) ? [] : validate.errors).toStrictEqual([]);
  });

  it('the check sees a field on one side only', () => {
    const schema = schemaOf('dit-common-api');
    const { probes: _probes, ...withoutProbes } = GOLDEN;
    expect(mismatches(withoutProbes, schema, schema)).toStrictEqual(['.probes is in the schema but not in the TypeScript contract']);
    expect(mismatches({ ...GOLDEN, image: { ...GOLDEN.image, pullPolicy: 'Always' } }, schema, schema)).toStrictEqual(['.image.pullPolicy is in the TypeScript contract but not in the schema']);
  });

  it('the schemas refuse an unknown value: a typo is an error, not a silently ignored key', () => {
    const validate = new Ajv({ strict: false }).compile(schemaOf('dit-common-api'));
    expect(validate({ ...GOLDEN, replica: 3 })).toBe(false);
    expect(validate.errors!.map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`)).toStrictEqual([' must NOT have additional properties {"additionalProperty":"replica"}']);
  });

  it('the schemas refuse what the charts cannot render: a command as one string, an empty command, a bad schedule or hook', () => {
    const validate = new Ajv({ strict: false }).compile(schemaOf('dit-common-api'));
    const errors = (values: object) => (validate(values) ? [] : validate.errors!.map((e) => `${e.instancePath} ${e.message}`));
    expect(errors({ ...GOLDEN, command: 'celery -A shop worker' })).toStrictEqual(['/command must be array']);
    expect(errors({ ...GOLDEN, command: [] })).toStrictEqual(['/command must NOT have fewer than 1 items']);
    expect(errors({ ...GOLDEN, command: ['celery', ''] })).toStrictEqual(['/command/1 must NOT have fewer than 1 characters']);
    expect(errors({ ...GOLDEN, args: ['--name', ''] })).toStrictEqual([]);
    for (const schedule of ['0 3 * * *', '*/15 * * * *', '0 9-17 * * MON-FRI', '@daily', '@hourly', '@weekly', '@monthly', '@yearly']) {
      expect([schedule, errors({ ...GOLDEN, cronJob: { schedule } })]).toStrictEqual([schedule, []]);
    }
    for (const schedule of ['0 3 * *', '0 3 * * * *', 'every night', '@every 1h', 'TZ=UTC 0 3 * * *', '']) {
      expect([schedule, errors({ ...GOLDEN, cronJob: { schedule } })]).toStrictEqual([schedule, ['/cronJob/schedule must match pattern "^(@(hourly|daily|weekly|monthly|yearly)|[0-9A-Za-z*?/,-]+( +[0-9A-Za-z*?/,-]+){4})$"']]);
    }
    expect(errors({ ...GOLDEN, cronJob: { timeZone: 'UTC' } })).toStrictEqual(["/cronJob must have required property 'schedule'"]);
    expect(errors({ ...GOLDEN, cronJob: { schedule: '@daily', concurrencyPolicy: 'Never' } })).toStrictEqual(['/cronJob/concurrencyPolicy must be equal to one of the allowed values']);
    expect(errors({ ...GOLDEN, cronJob: { schedule: '@daily', backoffLimit: -1 } })).toStrictEqual(['/cronJob/backoffLimit must be >= 0']);
    expect(errors({ ...GOLDEN, hookJobs: { migrate: { args: ['x'] } } })).toStrictEqual(["/hookJobs/migrate must have required property 'command'"]);
    expect(errors({ ...GOLDEN, hookJobs: { migrate: { command: ['x'], hooks: ['pre-delete'] } } })).toStrictEqual(['/hookJobs/migrate/hooks/0 must be equal to one of the allowed values']);
    expect(errors({ ...GOLDEN, hookJobs: { Migrate: { command: ['x'] } } })).toStrictEqual(['/hookJobs must match pattern "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"', '/hookJobs property name must be valid']);
    expect(errors({ ...GOLDEN, 'dit-library': { global: {} } })).toStrictEqual([]);
    expect(errors({ ...GOLDEN, 'dit-library': { replicas: 2 } })).toStrictEqual(['/dit-library must NOT have additional properties']);
  });
});

/** The text and actions of a template outside every `define` (comments left out). */
function outsideDefines(template: string): string {
  let depth = 0;
  let outside = '';
  let last = 0;
  for (const action of template.matchAll(/\{\{-?\s*([\s\S]*?)\s*-?\}\}/g)) {
    if (depth === 0) outside += template.slice(last, action.index);
    last = action.index! + action[0].length;
    if (action[1].startsWith('/*')) continue;
    if (/^(define|if|range|with|block)\b/.test(action[1])) depth++;
    else if (/^end\b/.test(action[1])) depth--;
    else if (depth === 0) outside += action[0];
  }
  return outside + template.slice(last);
}

describe('one library chart', () => {
  const APP_CHARTS = ['dit-common-api', 'dit-common-client', 'dit-gateway'];
  const templates = (chart: string) => fs.readdirSync(path.join(CHARTS, chart, 'templates')).map((f) => path.join(chart, 'templates', f));

  it('no template file is byte-identical across charts', () => {
    const files = [...APP_CHARTS, 'dit-library'].flatMap(templates);
    const byContent = new Map<string, string[]>();
    for (const file of files) {
      const content = fs.readFileSync(path.join(CHARTS, file), 'utf8');
      byContent.set(content, [...byContent.get(content) ?? [], file]);
    }
    expect([...byContent.values()].filter((same) => same.length > 1)).toStrictEqual([]);
  });

  it('outsideDefines sees text and actions outside a define', () => {
    expect(outsideDefines('{{/* why */}}\n{{- define "a" -}}x{{ if .b }}y{{ end }}{{- end -}}\n')).toBe('\n\n');
    expect(outsideDefines('kind: Stray\n{{- define "a" -}}x{{- end -}}{{ include "a" . }}')).toBe('kind: Stray\n{{ include "a" . }}');
  });

  it('dit-library is a library chart of named templates only; the app charts depend on it at one exact version', () => {
    const library = parse(fs.readFileSync(path.join(CHARTS, 'dit-library', 'Chart.yaml'), 'utf8'));
    expect([library.name, library.type]).toStrictEqual(['dit-library', 'library']);
    for (const file of templates('dit-library')) {
      expect([file, path.basename(file).startsWith('_')]).toStrictEqual([file, true]);
      // Outside `define`, a library chart's templates render nothing: only comments and defines.
      const outside = outsideDefines(fs.readFileSync(path.join(CHARTS, file), 'utf8'));
      expect([file, outside.trim()]).toStrictEqual([file, '']);
    }
    for (const chart of APP_CHARTS) {
      const meta = parse(fs.readFileSync(path.join(CHARTS, chart, 'Chart.yaml'), 'utf8'));
      expect([chart, meta.type, meta.dependencies]).toStrictEqual([chart, 'application', [{ name: 'dit-library', version: library.version, repository: 'file://../dit-library' }]]);
    }
  });

  it('the app charts are thin: values, schema, ci values and an include (the gateway adds its routes)', () => {
    expect(Object.fromEntries(APP_CHARTS.map((c) => [c, templates(c).map((f) => path.basename(f)).sort()]))).toStrictEqual({
      'dit-common-api': ['release.yaml'],
      'dit-common-client': ['release.yaml'],
      'dit-gateway': ['gateway-ingress.yaml', 'release.yaml', 'routes.yaml'],
    });
    for (const chart of APP_CHARTS) {
      expect([chart, fs.readFileSync(path.join(CHARTS, chart, 'templates', 'release.yaml'), 'utf8')]).toStrictEqual([chart, expect.stringContaining('{{ include "dit.release" (dict "root" .')]);
    }
  });

  it('built dependencies and their lock are not committed: Flux builds them from Chart.yaml at the synced revision', () => {
    expect(fs.readFileSync(path.join(CHARTS, '.gitignore'), 'utf8')).toMatch(/^\*\/charts\/$/m);
    expect(fs.readFileSync(path.join(CHARTS, '.gitignore'), 'utf8')).toMatch(/^\*\/Chart\.lock$/m);
  });
});

describe('renderPortValues', () => {
  it('the first port is http; the others are named by protocol and number; any protocol listens on TCP', () => {
    expect(renderPortValues([Port.tcp(8000), Port.udp(5353), Port.any(9090)])).toStrictEqual([
      { name: 'http', port: 8000, protocol: 'TCP' },
      { name: 'udp-5353', port: 5353, protocol: 'UDP' },
      { name: 'tcp-9090', port: 9090, protocol: 'TCP' },
    ]);
  });

  it('the charts default to the same ports the values leave out', () => {
    const values = fs.readFileSync(path.join(CHARTS, 'dit-common-api', 'values.yaml'), 'utf8');
    expect(values).toContain('ports:\n  - name: http\n    port: 8080\n    protocol: TCP\n');
    expect(DEFAULT_PORT_VALUES).toStrictEqual([{ name: 'http', port: 8080, protocol: 'TCP' }]);
  });
});
