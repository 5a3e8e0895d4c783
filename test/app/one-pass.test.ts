import * as fs from 'fs';
import * as path from 'path';
import { ChartSource, DitApi, DitEnvironment, DitHelmChart, DitManifests, DitValidationError, GitOpsApp, ImageRegistry, ImageTagRule, Peer, Port } from '../../src';
import { readTree, synthInto, tempDir } from '../support';

// Issue 18, item 2: a new user's first draft of a four-environment team, with mistakes in
// every stage of planning. One run reports every one of them, and writes nothing.
function environments(app: GitOpsApp) {
  return {
    development: new DitEnvironment(app, 'development', { namespace: 'team-dev', domain: 'dev.example.com' }),
    staging: new DitEnvironment(app, 'staging', { namespace: 'team-staging', domain: 'staging.example.com' }),
    // stage: constructors (a factory given a bad range)
    qa: new DitEnvironment(app, 'qa', { namespace: 'team-qa', domain: 'qa.example.com', imageTagRule: ImageTagRule.semver('banana') }),
    production: new DitEnvironment(app, 'production', { namespace: 'team', domain: 'example.com' }),
  };
}

function firstDraft(app: GitOpsApp): void {
  const { production } = environments(app);
  // stage: constructors (the team registry stated twice)
  app.useRegistry(ImageRegistry.of('reg.dev.krd')).useRegistry(ImageRegistry.of('ghcr.io'));
  // stages: values checks, Infisical, tag rules and pinning (the first image.yaml of every environment)
  const api = new DitApi(app, 'api', {
    replicas: -1,
    configs: { DB_PASS: 'hunter2', 'LOG LEVEL': 'debug' },
    ingress: { className: '' },
    infisical: { secretsPath: 'api' },
  });
  api.connections.allowFrom(Peer.traefik());
  // stage: connections
  api.connections.allowTo(Peer.cidr('10.1.2.3/8'), Port.tcp(5432));
  // stage: pinning of a third-party chart in production
  new DitHelmChart(app, 'rabbitmq', { source: ChartSource.helmRepository('https://charts.bitnami.com/bitnami'), version: '^15.0.0', environments: [production], ports: [Port.tcp(5672)] })
    .connections.allowFrom(api, Port.tcp(5672));
  // stage: raw manifests
  new DitManifests(app, 'raw', { manifests: [{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' }, stringData: { password: 'hunter2' } }] }).connections.denyAllIngress().denyAllEgress();
}

describe('one pass: every problem of every stage in one run', () => {
  const outdir = tempDir('dit-gitops-one-pass-');
  let before: Record<string, string> = {};

  beforeAll(() => {
    // stage: CI-owned files. A tree synthesized before, whose image.yaml CI then broke.
    synthInto(outdir, (app) => {
      new DitEnvironment(app, 'staging', { namespace: 'team-staging', domain: 'staging.example.com' });
      new DitApi(app, 'web', { image: { tag: 'v1.0.0' } }).connections.allowFrom(Peer.traefik());
    });
    const file = path.join(outdir, 'web/staging/image.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('tag: v1.0.0', 'tag: latest'));
    before = readTree(outdir);
  });

  it('reports all of them together, sorted, and leaves the tree as it was', () => {
    let error: unknown;
    try {
      synthInto(outdir, (app) => {
        firstDraft(app);
        new DitApi(app, 'web', { environments: [app.environments.find((e) => e.name === 'staging')!] }).connections.allowFrom(Peer.traefik());
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DitValidationError);
    const lines = (error as DitValidationError).message.split('\n');
    // 20 problems from 8 stages: constructors (registry, tag rule), values, connections,
    // Infisical, tag rules of the first image.yaml, production pinning, raw manifests and a
    // CI-owned file already on disk.
    expect(lines).toStrictEqual([
      'GitOpsApp registry: is already reg.dev.krd; expected one team registry (set others per environment or component)',
      'api connections.allowTo(cidr-10-1-2-3-8): got "10.1.2.3/8": host bits are set, and Cilium silently uses 10.0.0.0/8; expected the network address (10.0.0.0/8), or 10.1.2.3/32 for that one host',
      'api replicas: got -1; expected a whole number of at least 0',
      'api configs.DB_PASS: looks like a secret and has a literal value, which would be committed in plain text; expected it in Infisical (path api), which the chart injects as an environment variable',
      'api configs.LOG LEVEL: key "LOG LEVEL" is not a ConfigMap key; expected at most 253 letters, digits, \'-\', \'_\' and \'.\' (no spaces, no \'=\')',
      'api ingress.className: got ""; expected an IngressClass name such as traefik (a DNS-1123 subdomain), or no className for the default traefik',
      'api infisical.secretsPath: got "api"; expected an Infisical folder starting with /',
      'api [development] infisical.sealedToken: is missing, so the chart\'s Infisical operator cannot sign in to read api; expected SealedSecret.fromCiphertext(<kubeseal --raw output>) for this environment, or infisical.enabled: false',
      'api [development] image.tag: got "latest", which breaks the environment\'s tag rule; expected any Docker tag except latest (a tag that names one build)',
      'api [production] infisical.sealedToken: is missing, so the chart\'s Infisical operator cannot sign in to read api; expected SealedSecret.fromCiphertext(<kubeseal --raw output>) for this environment, or infisical.enabled: false',
      'api [production] image.tag: got "latest", which breaks the environment\'s tag rule; expected a semantic version such as v1.2.3',
      'api [qa] infisical.sealedToken: is missing, so the chart\'s Infisical operator cannot sign in to read api; expected SealedSecret.fromCiphertext(<kubeseal --raw output>) for this environment, or infisical.enabled: false',
      'api [qa] image.tag: got "latest", which breaks the environment\'s tag rule; expected any Docker tag except latest',
      'api [staging] infisical.sealedToken: is missing, so the chart\'s Infisical operator cannot sign in to read api; expected SealedSecret.fromCiphertext(<kubeseal --raw output>) for this environment, or infisical.enabled: false',
      'api [staging] image.tag: got "latest", which breaks the environment\'s tag rule; expected any Docker tag except latest (a tag that names one build)',
      'environment qa imageTagRule.semver: got "banana", which is not a semver range; expected a range such as *, >=1.0.0 or ^2.x',
      'rabbitmq [production] version: got "^15.0.0", which is not one exact chart version; expected an exact version such as 15.0.2 in a production environment (a range lets an unreviewed chart in)',
      'rabbitmq [production] values.image: is not set, so the chart\'s default image runs unpinned; expected the chart\'s image values pinned by digest in a production environment, such as image: { digest: \'sha256:<64 hex characters>\' }',
      'raw Secret/db: is a plain Secret (kind "Secret"), which would be committed in plain text; expected a SealedSecret, an InfisicalSecret or an ExternalSecret',
      'web [staging] dist/web/staging/image.yaml spec.values.global.image.tag: got "latest", which breaks the environment\'s tag rule; expected any Docker tag except latest (a tag that names one build)',
    ]);
    expect((error as DitValidationError).problems).toHaveLength(20);
    expect(readTree(outdir)).toStrictEqual(before);
  });
});
