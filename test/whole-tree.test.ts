import * as path from 'path';
import { createSchemaValidator } from '../src/testing/schema-validator';
import { SHARED_DIR, describeWithShared, kustomize, synthInto, tempDir } from './support';

const ENVIRONMENTS = ['development', 'staging', 'production'];

describe('every environment builds with kubectl kustomize', () => {
  const outdir = tempDir();
  synthInto(outdir);
  const built = Object.fromEntries(ENVIRONMENTS.map((env) => [env, kustomize(path.join(outdir, 'main', env))]));
  const release = (env: string, name: string) => built[env].find((o) => o.kind === 'HelmRelease' && o.metadata.name === name)!;

  it.each(ENVIRONMENTS)('%s holds my-api and my-client in namespace my-team', (env) => {
    expect(built[env].map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`).sort())
      .toStrictEqual(['HelmRelease/my-team/my-api', 'HelmRelease/my-team/my-client']);
  });

  it('staging: replicas 2, configs merged over the base, the extra egress, the tag from image.yaml', () => {
    const values = release('staging', 'my-api').spec.values;
    expect(values.replicas).toBe(2);
    expect(values.configs).toStrictEqual({
      MongoDB__DatabaseName: 'my-team-db',
      RabbitMQ__HostName: 'cluster.rabbitmq',
      RabbitMQ__ExchangeName: 'my-team',
      RabbitMQ__Port: 5672,
      RabbitMQ__VirtualHost: 'my-team',
      RemoteServices__UserApiUrl: 'http://users-api',
      ASPNETCORE_ENVIRONMENT: 'Staging',
      Sentry__Environment: 'staging',
      Storage__Endpoint: 'https://s3.dev.krd',
      CAS__URL: 'https://auth.dev.krd',
    });
    expect(Object.keys(values.ciliumNetworkPolicy.egress).sort()).toStrictEqual(['database', 'kube-dns', 'rabbitmq']);
    expect(values.global.image.tag).toBe('main-843632a');
    expect(values.infisical).toStrictEqual({
      enabled: true,
      secretsScope: { secretsPath: '/my-api', envSlug: 'staging' },
      sealedSecret: { token: 'AgCXZS4j...' },
    });
  });

  it('development and production have no database egress', () => {
    for (const env of ['development', 'production']) {
      expect(Object.keys(release(env, 'my-api').spec.values.ciliumNetworkPolicy.egress).sort()).toStrictEqual(['kube-dns', 'rabbitmq']);
    }
  });

  it('production pins the image by digest', () => {
    expect(release('production', 'my-api').spec.values.global.image).toStrictEqual({
      tag: 'v1.2.3',
      digest: 'sha256:570965b16c53e7fe6c48d50d8601a8cd2327143dba14412692a5b8fc2c119bf9',
    });
  });

  it('the client ingress host comes from the environment domain', () => {
    expect(release('staging', 'my-client').spec.values.ingress.hosts).toStrictEqual([
      { host: 'app.staging.my-team.example.com', paths: [{ path: '/', pathType: 'Prefix' }] },
    ]);
  });
});

describeWithShared('every built object validates against ../shared/schemas', () => {
  const outdir = tempDir();
  synthInto(outdir);
  const validate = createSchemaValidator(path.join(SHARED_DIR, 'schemas'));

  it.each(ENVIRONMENTS)('%s', (env) => {
    const objects = kustomize(path.join(outdir, 'main', env));
    expect(objects.length).toBeGreaterThan(0);
    expect(objects.flatMap(validate)).toStrictEqual([]);
  });

  // The chart turns these values into a CiliumNetworkPolicy: check the rules against Cilium's schema.
  it.each(ENVIRONMENTS)('%s: every ciliumNetworkPolicy rule is a valid Cilium rule', (env) => {
    for (const release of kustomize(path.join(outdir, 'main', env))) {
      const policy = release.spec.values.ciliumNetworkPolicy;
      const cnp = {
        apiVersion: 'cilium.io/v2',
        kind: 'CiliumNetworkPolicy',
        metadata: { name: release.metadata.name },
        spec: { endpointSelector: { matchLabels: { 'app.kubernetes.io/instance': release.metadata.name } }, ingress: Object.values(policy.ingress), egress: Object.values(policy.egress) },
      };
      expect(validate(cnp)).toStrictEqual([]);
    }
  });

  it('a malformed Cilium rule is caught', () => {
    const cnp = {
      apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name: 'x' },
      spec: { endpointSelector: {}, egress: [{ toFQDN: [{ matchName: 'example.com' }], toPorts: [{ ports: [{ port: '443' }] }] }] },
    };
    expect(validate(cnp)).toContainEqual({ object: 'CiliumNetworkPolicy/x', field: '/spec/egress/0/toFQDN', message: 'unknown field' });
  });

  it('the validator is strict: an unknown field is a finding', () => {
    const [object] = kustomize(path.join(outdir, 'main', 'staging'));
    const broken = { ...object, spec: { ...object.spec, chartRefs: object.spec.chartRef } };
    expect(validate(broken)).toContainEqual({ object: 'HelmRelease/my-api', field: '/spec/chartRefs', message: 'unknown field' });
  });

  it('the validator refuses a kind it has no schema for', () => {
    expect(validate({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } })).toHaveLength(1);
  });

  it('core objects are checked strictly too', () => {
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 'b' } };
    expect(validate(cm)).toStrictEqual([]);
    expect(validate({ ...cm, datum: {} })).toStrictEqual([{ object: 'ConfigMap/c', field: '/datum', message: 'unknown field' }]);
  });
});
