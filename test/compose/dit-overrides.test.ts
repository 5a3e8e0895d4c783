import { parseDitOverrides } from '../../src/compose/dit-overrides';

const parse = (extension: unknown, labels: Record<string, string> = {}) => {
  const issues: string[] = [];
  const value = parseDitOverrides(extension, labels, (key, message) => issues.push(`${key}: ${message}`));
  return { value, issues };
};

describe('parseDitOverrides', () => {
  test('x-dit fields', () => {
    expect(parse({ port: 8080, expose: 'public', host: 'shop.example.com', kind: 'api', volumeSize: '20Gi', skip: false, autoDeploy: false, suspend: true, ingress: { className: 'nginx', annotations: { a: 'b' } } })).toStrictEqual({
      value: { port: 8080, expose: 'public', host: 'shop.example.com', kind: 'api', volumeSize: '20Gi', skip: false, autoDeploy: false, suspend: true, ingress: { className: 'nginx', annotations: { a: 'b' } } },
      issues: [],
    });
  });

  test('dit.* labels say the same, x-dit wins where both are set', () => {
    expect(parse({ port: 9000 }, {
      'dit.port': '8080', 'dit.expose': 'internal', 'dit.skip': 'true', 'dit.auto-deploy': 'false', 'dit.volume-size': '5Gi',
      'dit.ingress.class-name': 'nginx', 'dit.ingress.annotations.cert-manager.io/cluster-issuer': 'letsencrypt', team: 'shop',
    })).toStrictEqual({
      value: { port: 9000, expose: 'internal', volumeSize: '5Gi', skip: true, autoDeploy: false, ingress: { className: 'nginx', annotations: { 'cert-manager.io/cluster-issuer': 'letsencrypt' } } },
      issues: [],
    });
  });

  test('every bad value is reported with its key', () => {
    expect(parse({ port: 'http', expose: 'yes', kind: 'cron', volumeSize: 'big', suspend: 'maybe', colour: 'red' }, { 'dit.hots': 'x' }).issues).toStrictEqual([
      'labels.dit.hots: is not a dit label; expected one of dit.port, dit.expose, dit.host, dit.kind, dit.volume-size, dit.skip, dit.auto-deploy, dit.suspend, dit.ingress.class-name, dit.allow-latest, dit.chart-version, dit.image-digest, dit.probe, dit.ingress.annotations.<key>, dit.infisical.sealed-token.<environment>',
      'x-dit.colour: is not known; expected one of port, expose, host, kind, volumeSize, skip, ingress, autoDeploy, suspend, allowLatest, chartVersion, imageDigest, infisical, probe',
      'x-dit.port: got "http"; expected a port from 1 to 65535',
      'x-dit.expose: got "yes"; expected public or internal',
      'x-dit.kind: got "cron"; expected api, client, database or worker',
      'x-dit.volumeSize: got "big"; expected a Kubernetes quantity such as 10Gi',
      'x-dit.suspend: got "maybe"; expected true or false',
    ]);
  });

  test('the environment-rule overrides: allowLatest, an exact chartVersion, imageDigest, sealed Infisical tokens per environment', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    expect(parse({ allowLatest: true, chartVersion: '16.7.4', imageDigest: digest, infisical: { sealedToken: { production: 'AgProd==' } } }, { 'dit.infisical.sealed-token.staging': 'AgStaging==' })).toStrictEqual({
      value: { chartVersion: '16.7.4', imageDigest: digest, infisical: { sealedToken: { staging: 'AgStaging==', production: 'AgProd==' } }, allowLatest: true },
      issues: [],
    });
    expect(parse({ allowLatest: 'yes', chartVersion: '16.x', imageDigest: 'sha256:abc', infisical: { sealedToken: { staging: 'hunter2' } } }).issues).toStrictEqual([
      'x-dit.chartVersion: got "16.x"; expected one exact chart version such as 16.4.5',
      'x-dit.imageDigest: got "sha256:abc"; expected sha256: and 64 lowercase hex characters',
      'x-dit.infisical.sealedToken.staging: got "hunt…"; expected kubeseal --raw output (base64 starting with "Ag"), never the plain secret',
      'x-dit.allowLatest: got "yes"; expected true or false',
    ]);
    expect(parse({ infisical: { token: 'x' } }).issues).toStrictEqual(['x-dit.infisical: got {"token":"x"}; expected sealedToken: a map of environment name to kubeseal --raw output']);
  });
});
