import { ChartSource, DitApi, DitEnvironment, DitHelmChart, GitOpsApp, Peer, Port } from '../../src';
import { failingSynth, planDocuments, tempDir, twoEnvironments } from '../support';
import { synthError } from '../catalogue';

describe('DitHelmChart', () => {
  const docs = planDocuments(twoEnvironments((app, { prod }) => {
    const redis = new DitHelmChart(app, 'redis', {
      source: ChartSource.helmRepository('https://charts.bitnami.com/bitnami', { interval: '6h' }),
      chart: 'redis',
      version: '20.x',
      ports: [Port.tcp(6379)],
      values: { architecture: 'standalone', auth: { enabled: true } },
      overrides: { production: { values: { architecture: 'replication' }, suspend: true } },
    });
    const api = new DitApi(app, 'api');
    api.connections.allowFrom(Peer.traefik()).allowTo(redis, Port.tcp(6379));
    redis.connections.allowFrom(Peer.cidr('10.8.0.0/16', { name: 'vpn' }), Port.tcp(6379), { environments: [prod] });
    const queue = new DitHelmChart(app, 'queue', { source: ChartSource.ociRepository('oci://ghcr.io/org/charts/queue', { tag: '1.2.0' }) });
    queue.connections.allowFrom(api);
  }));

  it('the base lists its source, release and policy', () => {
    expect(docs['redis/base/kustomization.yaml']).toStrictEqual([{ resources: ['source.yaml', 'release.yaml', 'network-policy.yaml'] }]);
    expect(docs['redis/base/source.yaml'][0]).toStrictEqual({
      apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'HelmRepository', metadata: { name: 'redis' }, spec: { interval: '6h', url: 'https://charts.bitnami.com/bitnami' },
    });
  });

  it('a HelmRepository chart uses chart.spec; an OCI chart uses chartRef', () => {
    expect(docs['redis/base/release.yaml'][0].spec.chart).toStrictEqual({ spec: { chart: 'redis', sourceRef: { kind: 'HelmRepository', name: 'redis' }, version: '20.x' } });
    expect(docs['queue/base/release.yaml'][0].spec.chartRef).toStrictEqual({ kind: 'OCIRepository', name: 'queue' });
    expect(docs['queue/base/source.yaml'][0].spec).toStrictEqual({ interval: '1h', ref: { tag: '1.2.0' }, url: 'oci://ghcr.io/org/charts/queue' });
  });

  it('per-environment values and options land in the overlay', () => {
    expect(docs['redis/production/release.yaml'][0].spec).toStrictEqual({ suspend: true, values: { architecture: 'replication' } });
    expect(docs['redis/development/kustomization.yaml']).toStrictEqual([{ resources: ['../base'] }]);
  });

  it('a standalone CiliumNetworkPolicy, default-deny egress stated as [{}]', () => {
    const policy = docs['queue/base/network-policy.yaml'][0];
    expect(policy.spec).toStrictEqual({
      endpointSelector: { matchLabels: { 'app.kubernetes.io/instance': 'queue' } },
      ingress: [{ fromEndpoints: [{ matchLabels: { 'app.kubernetes.io/instance': 'api' } }], toPorts: [{ ports: [{ port: '8080', protocol: 'TCP' }] }] }],
      egress: [{ toEndpoints: [{ matchLabels: { 'io.kubernetes.pod.namespace': 'kube-system', 'k8s-app': 'kube-dns' } }], toPorts: [{ ports: [{ port: '53' }], rules: { dns: [{ matchPattern: '*' }] } }] }],
    });
  });

  it('a per-environment rule patches the policy lists whole', () => {
    expect(docs['redis/production/network-policy.yaml'][0].spec.ingress.map((r: any) => Object.keys(r)[0])).toStrictEqual(['fromEndpoints', 'fromCIDR']);
  });
});

describe('bad chart input', () => {
  it('a HelmRepository URL that is not http(s) or oci', () => {
    expect(failingSynth((app) => { new DitHelmChart(app, 'redis', { source: ChartSource.helmRepository('git@github.com:bitnami/charts.git') }).connections.allowFrom(Peer.traefik()); }).message)
      .toBe('redis source.url: got "git@github.com:bitnami/charts.git"; expected an http://, https:// or oci:// URL');
  });

  it('an OCIRepository URL that is not oci', () => {
    expect(failingSynth((app) => { new DitHelmChart(app, 'redis', { source: ChartSource.ociRepository('https://ghcr.io/x') }).connections.allowFrom(Peer.traefik()); }).message)
      .toBe('redis source.url: got "https://ghcr.io/x"; expected an oci:// URL');
  });

  it('a credential in chart values', () => {
    expect(failingSynth((app) => { new DitHelmChart(app, 'redis', { source: ChartSource.helmRepository('https://charts.example.com'), values: { auth: { password: 'hunter2' } } }).connections.allowFrom(Peer.traefik()); }).message)
      .toBe('redis values.auth.password: looks like a credential with a literal value, which would be committed in plain text; expected the chart\'s existingSecret-style option pointing at a SealedSecret or an Infisical-managed Secret');
  });

  it('a credential in one environment override', () => {
    expect(failingSynth((app) => {
      const db = new DitHelmChart(app, 'db', { source: ChartSource.helmRepository('https://charts.example.com'), values: { auth: { existingSecret: 'db-auth' } }, overrides: { production: { values: { users: [{ name: 'app', password: 'x' }] } } } });
      db.connections.allowFrom(Peer.traefik());
    }).message).toMatch(/^db \[production\] values.users\[0\].password: looks like a credential/);
  });

  it('a chart without network rules', () => {
    expect(failingSynth((app) => { new DitHelmChart(app, 'redis', { source: ChartSource.helmRepository('https://charts.example.com') }); }).message)
      .toMatch(/^redis connections.ingress: no ingress rule/);
  });
});

describe('DitHelmChart in production: suspended, it may wait for its pins', () => {
  const define = (suspend: boolean) => (app: GitOpsApp) => {
    new DitEnvironment(app, 'production', { namespace: 'team', domain: 'example.com' });
    const db = new DitHelmChart(app, 'db', {
      source: ChartSource.helmRepository('oci://registry-1.docker.io/bitnamicharts'), chart: 'postgresql', ports: [Port.tcp(5432)],
      values: { fullnameOverride: 'db' }, ...(suspend ? { overrides: { production: { suspend: true } } } : {}),
    });
    db.connections.allowFrom(Peer.traefik());
  };

  it('a suspended release (Flux installs nothing) is declared with an unpinned chart version and image', () => {
    expect(synthError(tempDir('dit-gitops-suspended-'), { bare: true, define: define(true) })).toBeUndefined();
    const docs = planDocuments(define(true));
    expect(docs['db/production/release.yaml'][0].spec).toStrictEqual({ suspend: true });
  });

  it('without suspend, production refuses the same chart until it is pinned', () => {
    expect(String(synthError(tempDir('dit-gitops-suspended-'), { bare: true, define: define(false) }))).toBe([
      'DitValidationError: db [production] version: got "*", which is not one exact chart version; expected an exact version such as 15.0.2 in a production environment (a range lets an unreviewed chart in)',
      'db [production] values.image: is not set, so the chart\'s default image runs unpinned; expected the chart\'s image values pinned by digest in a production environment, such as image: { digest: \'sha256:<64 hex characters>\' }',
    ].join('\n'));
  });
});
