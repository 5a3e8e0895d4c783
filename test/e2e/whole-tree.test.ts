import * as path from 'path';
import { createSchemaValidator } from '../../src/testing/schema-validator';
import { EXAMPLE_BASE_RELEASE, EXAMPLE_STAGING_RELEASE } from '../seed-004';
import { kustomize, synthInto, tempDir } from '../support';

const ENVIRONMENTS = ['development', 'staging', 'production'];

describe('every environment builds with kubectl kustomize', () => {
  const outdir = tempDir();
  synthInto(outdir);
  const built = Object.fromEntries(ENVIRONMENTS.map((env) => [env, kustomize(path.join(outdir, 'main', env))]));
  const release = (env: string, name: string) => built[env].find((o) => o.kind === 'HelmRelease' && o.metadata.name === name)!;

  const COMMON = [
    'CiliumNetworkPolicy/api-docs', 'CiliumNetworkPolicy/rabbitmq', 'CiliumNetworkPolicy/redis', 'Deployment/api-docs',
    'HelmRelease/my-api', 'HelmRelease/my-client', 'HelmRelease/rabbitmq', 'HelmRelease/redis', 'HelmRelease/users',
    'HelmRepository/rabbitmq', 'OCIRepository/redis', 'SealedSecret/my-team-tls', 'Service/api-docs',
  ];
  const PRODUCTION_ONLY = ['HelmRelease/gateway', 'ImagePolicy/users', 'ImageRepository/users', 'ImageUpdateAutomation/users'];

  it.each(ENVIRONMENTS)('%s holds every component, all in namespace my-team', (env) => {
    const expected = env === 'production' ? [...COMMON, ...PRODUCTION_ONLY].sort() : COMMON;
    expect(built[env].map((o) => `${o.kind}/${o.metadata.name}`).sort()).toStrictEqual(expected);
    expect(new Set(built[env].map((o) => o.metadata.namespace))).toStrictEqual(new Set(['my-team']));
  });

  it('a release depends on its releases and carries its typed options', () => {
    const users = release('production', 'users').spec;
    expect(users.dependsOn).toStrictEqual([{ name: 'rabbitmq' }, { name: 'redis' }]);
    expect(users.install).toStrictEqual({ remediation: { retries: 3 } });
    expect(users.upgrade).toStrictEqual({ remediation: { retries: 3, strategy: 'uninstall' } });
    expect(release('staging', 'users').spec.upgrade).toStrictEqual({ remediation: { retries: 3, strategy: 'rollback' } });
    expect(users.rollback).toStrictEqual({ cleanupOnFail: true });
    expect(users.timeout).toBe('10m');
    expect(users.valuesFrom).toStrictEqual([{ kind: 'ConfigMap', name: 'users-feature-flags', valuesKey: 'flags.yaml', targetPath: 'configs', optional: true }]);
    expect(release('development', 'users').spec.test).toStrictEqual({ enable: true });
    expect(users.test).toBeUndefined();
  });

  it('image automation updates the production overlay of users', () => {
    const automation = built.production.find((o) => o.kind === 'ImageUpdateAutomation')!;
    expect(automation.spec.update).toStrictEqual({ path: './dist/users/production', strategy: 'Setters' });
    expect(automation.spec.sourceRef).toStrictEqual({ kind: 'GitRepository', name: 'my-team', namespace: 'flux-system' });
    const policy = built.production.find((o) => o.kind === 'ImagePolicy')!;
    expect(policy.spec).toMatchObject({ policy: { semver: { range: '>=1.0.0' } }, digestReflectionPolicy: 'Always', imageRepositoryRef: { name: 'users' } });
    expect(built.production.find((o) => o.kind === 'ImageRepository')!.spec).toStrictEqual({ image: 'ghcr.io/my-team/users-api', interval: '5m', secretRef: { name: 'ghcr-auth' } });
  });

  it('the gateway routes /my-api to my-api, and my-api admits the gateway', () => {
    const values = release('production', 'gateway').spec.values;
    expect(values.routes['my-api']).toStrictEqual({
      match: { host: 'api.my-team.example.com', pathPrefix: '/my-api' },
      service: { name: 'my-api', port: 8080 },
      middlewares: ['rate-limit', 'strip-my-api', 'security-headers'],
    });
    expect(values.routes.users.service).toStrictEqual({ name: 'users-api', port: 8080 });
    expect(Object.keys(release('production', 'my-api').spec.values.ciliumNetworkPolicy.ingress)).toStrictEqual(['gateway', 'traefik']);
    expect(Object.keys(release('staging', 'my-api').spec.values.ciliumNetworkPolicy.ingress)).toStrictEqual(['traefik']);
  });

  it('a third-party chart gets a standalone policy with both ends of its connections', () => {
    const policy = built.development.find((o) => o.kind === 'CiliumNetworkPolicy' && o.metadata.name === 'rabbitmq')!;
    expect(policy.spec.endpointSelector).toStrictEqual({ matchLabels: { 'app.kubernetes.io/instance': 'rabbitmq' } });
    expect(policy.spec.ingress.map((r: any) => r.toPorts[0].ports[0].port)).toStrictEqual(['15672', '5672']);
    expect(built.staging.find((o) => o.kind === 'CiliumNetworkPolicy' && o.metadata.name === 'rabbitmq')!.spec.ingress).toHaveLength(1);
    expect(Object.keys(release('staging', 'users').spec.values.ciliumNetworkPolicy.egress)).toStrictEqual(['kube-dns', 'rabbitmq', 'redis', 'sendgrid']);
  });

  it('staging: replicas 2, configs merged over the base, the extra egress, the tag from image.yaml', () => {
    const values = release('staging', 'my-api').spec.values;
    expect(values.replicas).toBe(2);
    // Staging's configs merged over the base's: every key of both, staging's winning.
    expect(values.configs).toStrictEqual({ ...EXAMPLE_BASE_RELEASE.spec.values.configs, ...EXAMPLE_STAGING_RELEASE.spec.values.configs });
    expect(Object.keys(values.configs)).toHaveLength(10);
    // Seed 004's three, and what staging's configuration dials besides (docs/verify.md).
    expect(Object.keys(values.ciliumNetworkPolicy.egress).sort()).toStrictEqual(['cas', 'database', 'kube-dns', 'rabbitmq', 'storage', 'users']);
    expect(values.global.image.tag).toBe('main-843632a');
    expect(values.infisical).toStrictEqual({
      enabled: true,
      secretsScope: { secretsPath: '/my-api', envSlug: 'staging' },
      sealedSecret: { token: 'AgCXZS4j...' },
    });
  });

  it('development and production have no database, storage or CAS egress', () => {
    for (const env of ['development', 'production']) {
      expect(Object.keys(release(env, 'my-api').spec.values.ciliumNetworkPolicy.egress).sort()).toStrictEqual(['kube-dns', 'rabbitmq', 'users']);
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

describe('every built object validates against the packaged schemas', () => {
  const outdir = tempDir();
  synthInto(outdir);
  const validate = createSchemaValidator();

  it.each(ENVIRONMENTS)('%s', (env) => {
    const objects = kustomize(path.join(outdir, 'main', env));
    expect(objects.length).toBeGreaterThan(0);
    expect(objects.flatMap(validate)).toStrictEqual([]);
  });

  // The chart turns these values into a CiliumNetworkPolicy: check the rules against Cilium's schema.
  it.each(ENVIRONMENTS)('%s: every ciliumNetworkPolicy rule is a valid Cilium rule', (env) => {
    for (const release of kustomize(path.join(outdir, 'main', env)).filter((o) => o.kind === 'HelmRelease' && o.spec.values.ciliumNetworkPolicy)) {
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

  it.each(ENVIRONMENTS)('the cluster side of %s builds and validates', (env) => {
    const objects = kustomize(path.join(outdir, 'clusters', env));
    expect(objects.map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`).sort()).toStrictEqual([
      `Alert/flux-system/my-team-${env}`,
      'GitRepository/flux-system/my-team',
      'HelmChart/flux-system/dit-common-api',
      'HelmChart/flux-system/dit-common-client',
      'HelmChart/flux-system/dit-gateway',
      `Kustomization/flux-system/my-team-${env}`,
      'Provider/flux-system/my-team-slack',
    ]);
    expect(objects.flatMap(validate)).toStrictEqual([]);
    const sync = objects.find((o) => o.kind === 'Kustomization')!;
    expect(sync.spec.path).toBe(`./dist/main/${env}`);
  });

  it('a malformed Cilium rule is caught', () => {
    const cnp = {
      apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name: 'x' },
      spec: { endpointSelector: {}, egress: [{ toFQDN: [{ matchName: 'example.com' }], toPorts: [{ ports: [{ port: '443' }] }] }] },
    };
    expect(validate(cnp)).toContainEqual({ object: 'CiliumNetworkPolicy/x', field: '/spec/egress/0/toFQDN', message: 'unknown field' });
  });

  it('the validator is strict: an unknown field is a finding', () => {
    const object = kustomize(path.join(outdir, 'main', 'staging')).find((o) => o.kind === 'HelmRelease' && o.metadata.name === 'my-api')!;
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
