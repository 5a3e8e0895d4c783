import * as path from 'path';
import { DEFAULT_SCHEMAS_DIR, createSchemaValidator } from 'dit-gitops/testing';

// The schemas the package ships, strict as `kubeconform -strict` (e2e: compiling them takes seconds).
describe('createSchemaValidator with the packaged schemas', () => {
  const validate = createSchemaValidator();
  const meta = { name: 'x', namespace: 'team' };

  it('is schemas/ at the package root', () => {
    expect(DEFAULT_SCHEMAS_DIR).toBe(path.join(__dirname, '..', '..', 'schemas'));
  });

  it('rejects an unknown field of a core kind, deep in the pod template', () => {
    const deployment = {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta,
      spec: { selector: { matchLabels: { app: 'x' } }, template: { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'x', image: 'x:1', imagePullPolicyy: 'Always' }] } } },
    };
    expect(validate(deployment)).toStrictEqual([{ object: 'Deployment/x', field: '/spec/template/spec/containers/0/imagePullPolicyy', message: 'unknown field' }]);
  });

  it('rejects an unknown top-level field of a custom resource, and accepts any chart values', () => {
    const release = { apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: meta, spec: { interval: '10m', chart: { spec: { chart: 'x', sourceRef: { kind: 'HelmRepository', name: 'x' } } }, values: { anything: { goes: [1] } } } };
    expect(validate(release)).toStrictEqual([]);
    expect(validate({ ...release, sepc: {} })).toStrictEqual([{ object: 'HelmRelease/x', field: '/sepc', message: 'unknown field' }]);
  });

  it('accepts the secret kinds a team commits instead of a Secret', () => {
    expect([
      { apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret', metadata: meta, spec: { encryptedData: { password: 'AgB…' } } },
      { apiVersion: 'secrets.infisical.com/v1alpha1', kind: 'InfisicalSecret', metadata: meta, spec: { authentication: { universalAuth: { credentialsRef: { secretName: 'auth', secretNamespace: 'team' }, secretsScope: { projectSlug: 'team', envSlug: 'prod', secretsPath: '/' } } }, managedKubeSecretReferences: [{ secretName: 'x', secretNamespace: 'team' }] } },
      { apiVersion: 'external-secrets.io/v1', kind: 'ExternalSecret', metadata: meta, spec: { secretStoreRef: { name: 'vault', kind: 'ClusterSecretStore' }, data: [{ secretKey: 'password', remoteRef: { key: 'db/password' } }] } },
    ].flatMap(validate)).toStrictEqual([]);
  });

  it('accepts a Cilium CIDR rule with an except list (oneOf branches restate fields, they do not close the object)', () => {
    const policy = { apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: meta, spec: { endpointSelector: {}, egress: [{ toCIDRSet: [{ cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] }] }] } };
    expect(validate(policy)).toStrictEqual([]);
  });

  it('reports a kind it has no schema for', () => {
    expect(validate({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: meta })).toStrictEqual([
      { object: 'Widget/x', field: '/', message: `no schema for example.com/v1 Widget in ${DEFAULT_SCHEMAS_DIR}` },
    ]);
  });
});
