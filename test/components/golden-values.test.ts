import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv';
import { DEFAULT_PORT_VALUES, GatewayChartValues, GoldenChartValues, Port, renderPortValues } from '../../src';

// Every field present at every depth: adding a field to the TypeScript contract without
// adding it here fails `tsc --noEmit`; the tests below then hold the schemas to this sample.
type DeepRequired<T> = T extends ReadonlyArray<infer U> ? Array<DeepRequired<U>> : T extends object ? { -readonly [K in keyof T]-?: DeepRequired<T[K]> } : T;

const GOLDEN: DeepRequired<GoldenChartValues> = {
  replicas: 2,
  image: { registry: 'ghcr.io', repository: 'my-team/my-api' },
  ports: [{ name: 'http', port: 8000, protocol: 'TCP' }],
  securityContext: { runAsUser: 1654, runAsGroup: 1654, runAsNonRoot: true, fsGroup: 1654, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false },
  resources: { requests: { cpu: '50m', memory: '256Mi' }, limits: { cpu: '1', memory: '256Mi' } },
  configs: { RabbitMQ__Port: 5672 },
  infisical: { enabled: true, secretsScope: { secretsPath: '/my-api', envSlug: 'staging' }, sealedSecret: { token: 'AgCXZS4j' } },
  ingress: { enabled: true, className: 'traefik', annotations: { a: 'b' }, hosts: [{ host: 'app.example.com', paths: [{ path: '/', pathType: 'Prefix' }] }] },
  ciliumNetworkPolicy: { enabled: true, ingress: { traefik: { fromEndpoints: [] } }, egress: { 'kube-dns': { toEndpoints: [] } } },
  probes: {
    enabled: true, path: '/health', port: 'http', command: ['pg_isready'],
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
};

const GATEWAY: DeepRequired<GatewayChartValues> = {
  ...GOLDEN,
  gateway: { host: 'api.example.com' },
  middlewares: { 'strip-my-api': { stripPrefix: { prefixes: ['/my-api'] } } },
  routes: { 'my-api': { match: { host: 'api.example.com', pathPrefix: '/my-api' }, service: { name: 'my-api', port: 8000 }, middlewares: ['strip-my-api'] } },
};

const CHARTS = path.join(__dirname, '..', '..', 'charts');
const schemaOf = (chart: string) => JSON.parse(fs.readFileSync(path.join(CHARTS, chart, 'values.schema.json'), 'utf8'));

type Schema = { $ref?: string; properties?: Record<string, Schema>; additionalProperties?: Schema | boolean; items?: Schema; definitions?: Record<string, Schema> };

/** Field paths on which the sample and the schema disagree: a field one side has and the other lacks. */
function mismatches(sample: unknown, schema: Schema, root: Schema, at = ''): string[] {
  const s = schema.$ref ? root.definitions![schema.$ref.replace('#/definitions/', '')] : schema;
  if (Array.isArray(sample)) return s.items ? sample.flatMap((item, i) => mismatches(item, s.items!, root, `${at}[${i}]`)) : [];
  if (typeof sample !== 'object' || sample === null) return [];
  const entries = Object.entries(sample);
  if (s.properties) {
    const fields = Object.keys(s.properties);
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

  it('the charts share one copy of the helpers and workload templates', () => {
    const shared = fs.readdirSync(path.join(CHARTS, 'dit-common-api', 'templates')).filter((f) => f !== '_chart.tpl');
    for (const chart of ['dit-common-client', 'dit-gateway']) {
      for (const file of shared) {
        expect([chart, file, fs.readFileSync(path.join(CHARTS, chart, 'templates', file), 'utf8')]).toStrictEqual([chart, file, fs.readFileSync(path.join(CHARTS, 'dit-common-api', 'templates', file), 'utf8')]);
      }
    }
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
