import * as fs from 'fs';
import * as path from 'path';
import { DitApi, DitEnvironment, GitOpsApp, GoldenChartProps, Peer, Port, SealedSecret } from '../../src';
import { failingSynth, readTree, synthInto, tempDir, twoEnvironments } from '../support';

function api(app: GitOpsApp, name = 'api', values: GoldenChartProps = {}, envs?: DitEnvironment[]): DitApi {
  const component = new DitApi(app, name, { ...values, environments: envs });
  component.connections.allowFrom(Peer.traefik());
  return component;
}

const define = twoEnvironments;

describe('bad input gets one clear error and writes nothing', () => {
  it('a name that is not DNS-1123', () => {
    expect(failingSynth((app) => api(app, 'My_Api')).message)
      .toBe('My_Api name: got "My_Api"; expected a DNS-1123 label: at most 63 lowercase letters, digits and \'-\', starting and ending with a letter or digit');
  });

  it('an environment namespace that is not DNS-1123', () => {
    expect(failingSynth((app) => { new DitEnvironment(app, 'staging', { namespace: 'Team', domain: 'example.com' }); }).message)
      .toMatch(/^environment staging namespace: got "Team"; expected a DNS-1123 label/);
  });

  it('two components with one name (same id)', () => {
    expect(failingSynth((app) => { api(app, 'api'); api(app, 'api'); }).message)
      .toMatch(/^api name: is used by two components; expected one component per name/);
  });

  it('two components with one name (different ids)', () => {
    expect(failingSynth((app) => { api(app, 'api'); new DitApi(app, 'api-2', { name: 'api' }).connections.allowFrom(Peer.traefik()); }).message)
      .toMatch(/^api name: is used by two components/);
  });

  it('an override for an environment the component is not deployed in', () => {
    const error = failingSynth((app, { dev }) => api(app, 'api', { overrides: { production: { replicas: 3 } } }, [dev]));
    expect(error.message).toBe('api [production] overrides.production: api is not deployed in production; expected one of development');
    expect(error.location).toStrictEqual({ component: 'api', environment: 'production', field: 'overrides.production' });
  });

  it('an override for an environment that does not exist', () => {
    expect(failingSynth((app) => api(app, 'api', { overrides: { staging: { replicas: 3 } } })).message)
      .toMatch(/^api \[staging\] overrides.staging: api is not deployed in staging; expected one of development, production$/);
  });

  it('a port out of range', () => {
    expect(failingSynth((app) => api(app).connections.allowTo(Peer.cidr('10.0.0.0/8'), Port.tcp(70000))).message)
      .toBe('api connections.allowTo(cidr-10-0-0-0-8).ports: port 70000 is out of range; expected an integer from 1 to 65535');
  });

  it('a component port out of range', () => {
    expect(failingSynth((app) => new DitApi(app, 'api', { ports: [Port.tcp(0)] }).connections.denyAllIngress()).message)
      .toBe('api ports[0]: port 0 is out of range; expected an integer from 1 to 65535');
  });

  it('a connection to a component that has no such port', () => {
    expect(failingSynth((app) => api(app, 'web').connections.allowTo(api(app, 'users'), Port.tcp(5432))).message)
      .toBe('web connections.allowTo(users).ports: users has no port 5432/TCP; expected one of its ports: 8080/TCP');
  });

  it('a component without ingress and no opt-out', () => {
    expect(failingSynth((app) => new DitApi(app, 'worker')).message)
      .toMatch(/^worker connections.ingress: no ingress rule; .* expected an allowFrom\(\) rule, or connections.denyAllIngress\(\)/);
  });

  it('a component without egress and no opt-out', () => {
    expect(failingSynth((app) => api(app, 'api').connections.withoutDefaultDns()).message)
      .toMatch(/^api connections.egress: no egress rule; .* or connections.denyAllEgress\(\)/);
  });

  it('a rule after denyAllIngress', () => {
    expect(failingSynth((app) => new DitApi(app, 'worker').connections.denyAllIngress().allowFrom(Peer.traefik())).message)
      .toMatch(/^worker connections.allowFrom\(traefik\): worker denies all ingress/);
  });

  it('a per-environment rule for an environment the component is not in', () => {
    expect(failingSynth((app, { dev, prod }) => api(app, 'api', {}, [dev]).connections.allowTo(Peer.fqdn('example.com'), Port.tcp(443), { environments: [prod] })).message)
      .toBe('api [production] connections.allowTo(example-com).environments: api is not deployed in production; expected one of development');
  });

  it('a config key that looks like a secret, with a literal value, points to Infisical', () => {
    expect(failingSynth((app) => api(app, 'api', { configs: { MongoDB__Password: 'hunter2' } })).message)
      .toBe('api configs.MongoDB__Password: looks like a secret and has a literal value, which would be committed in plain text; expected it in Infisical (path /api), which the chart injects as an environment variable');
  });

  it('a secret in one environment override names that environment', () => {
    expect(failingSynth((app) => api(app, 'api', { infisical: { secretsPath: '/team/api', sealedToken: SealedSecret.fromCiphertext('AgBx7Yk2...') }, overrides: { production: { configs: { STRIPE_API_KEY: 'sk_live_1' } } } })).message)
      .toMatch(/^api \[production\] configs.STRIPE_API_KEY: looks like a secret .*Infisical \(path \/team\/api\)/);
  });

  it('a securityContext that runs as root', () => {
    expect(failingSynth((app) => api(app, 'api', { securityContext: { runAsUser: 0 } })).message)
      .toBe('api securityContext.runAsUser: runs the container as root (got 0); expected a non-zero runAsUser and runAsNonRoot left true');
  });

  it('a securityContext that turns runAsNonRoot off in one environment', () => {
    expect(failingSynth((app) => api(app, 'api', { securityContext: { runAsUser: 1000 }, overrides: { development: { securityContext: { runAsNonRoot: false } } } })).message)
      .toMatch(/^api \[development\] securityContext.runAsNonRoot: runs the container as root/);
  });

  it('a production image without a digest', () => {
    const error = failingSynth((app) => {
      new DitEnvironment(app, 'production-eu', { namespace: 'team', domain: 'eu.example.com', pinImageDigests: true });
      api(app, 'api', { image: { tag: 'v1.0.0' } });
    });
    expect(error.message).toBe('api [production-eu] image.digest: is missing, and this environment pins images by digest; expected sha256:<64 hex characters>');
  });

  it('a malformed digest', () => {
    expect(failingSynth((app) => api(app, 'api', { image: { digest: 'sha256:abc' } })).message)
      .toBe('api image.digest: got "sha256:abc"; expected sha256: followed by 64 lowercase hex characters');
  });

  it('a plain-text sealed token', () => {
    expect(failingSynth((app) => api(app, 'api', { overrides: { development: { infisical: { sealedToken: SealedSecret.fromCiphertext('my-infisical-token') } } } })).message)
      .toMatch(/^api \[development\] infisical.sealedToken: got "my-i…"; expected kubeseal --raw output/);
  });

  it('a bad ingress subdomain', () => {
    expect(failingSynth((app) => api(app, 'api', { ingress: { subdomain: 'Web App' } })).message)
      .toMatch(/^api ingress.subdomain: got "Web App"; expected a DNS-1123 label/);
  });

  it('two different peers with one rule name', () => {
    expect(failingSynth((app) => api(app).connections
      .allowTo(Peer.endpoint({ name: 'db', labels: { app: 'pg' } }), Port.tcp(5432))
      .allowTo(Peer.endpoint({ name: 'db', labels: { app: 'mongo' } }), Port.tcp(27017))).message)
      .toBe('api connections.allowTo(db): two different egress peers are named db; expected one name per peer: pass { name } to tell them apart');
  });

  it('an app without environments', () => {
    expect(() => synthInto(tempDir(), (app) => api(app))).toThrow('GitOpsApp environments: none declared; expected at least one DitEnvironment');
  });
});

describe('a failed synthesis keeps CI-owned files', () => {
  it('leaves an edited image.yaml as it was', () => {
    const outdir = tempDir();
    synthInto(outdir, define((app) => api(app)));
    const image = path.join(outdir, 'api/development/image.yaml');
    fs.writeFileSync(image, fs.readFileSync(image, 'utf8').replace('tag: latest', 'tag: dev-1234567'));
    const before = readTree(outdir);
    expect(() => synthInto(outdir, define((app) => api(app, 'api', { replicas: -1 })))).toThrow('api replicas: got -1; expected a whole number of at least 0');
    expect(readTree(outdir)).toStrictEqual(before);
  });
});
