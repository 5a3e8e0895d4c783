import { DitApi, DitClient, DitEnvironment, Entity, GitOpsApp, Peer, Port } from '../../src';
import { planDocuments, twoEnvironments } from '../support';

function team(define: (app: GitOpsApp, envs: { dev: DitEnvironment; prod: DitEnvironment }) => void) {
  return planDocuments((app) => {
    twoEnvironments((a, envs) => define(a, envs))(app);
  });
}

const policy = (docs: Record<string, any[]>, file: string) => docs[file][0].spec.values.ciliumNetworkPolicy;

describe('connections between two components', () => {
  const docs = team((app) => {
    const api = new DitApi(app, 'users', { ports: [Port.tcp(8080)] });
    const worker = new DitApi(app, 'worker');
    worker.connections.allowTo(api, Port.tcp(8080)).denyAllIngress();
    api.connections.allowFrom(Peer.traefik(), Port.tcp(8080));
  });

  it('one allowTo gives egress on the caller', () => {
    expect(policy(docs, 'worker/base/release.yaml').egress.users).toStrictEqual({
      toEndpoints: [{ matchLabels: { 'app.kubernetes.io/instance': 'users' } }],
      toPorts: [{ ports: [{ port: '8080', protocol: 'TCP' }] }],
    });
  });

  it('and ingress on the callee', () => {
    expect(policy(docs, 'users/base/release.yaml').ingress.worker).toStrictEqual({
      fromEndpoints: [{ matchLabels: { 'app.kubernetes.io/instance': 'worker' } }],
      toPorts: [{ ports: [{ port: '8080', protocol: 'TCP' }] }],
    });
  });

  it('an opted-out direction renders as an empty map', () => {
    expect(policy(docs, 'worker/base/release.yaml').ingress).toStrictEqual({});
  });

  it('DNS egress to kube-dns comes by default', () => {
    expect(Object.keys(policy(docs, 'users/base/release.yaml').egress)).toStrictEqual(['kube-dns']);
  });
});

describe('per-environment rules', () => {
  const docs = team((app, { prod }) => {
    const api = new DitApi(app, 'api');
    api.connections.allowFrom(Peer.traefik(), Port.tcp(8080));
    api.connections.allowTo(Peer.cidr('10.20.0.0/16', { name: 'legacy' }), Port.tcp(1433), { environments: [prod] });
  });

  it('stay out of the base', () => {
    expect(Object.keys(policy(docs, 'api/base/release.yaml').egress)).toStrictEqual(['kube-dns']);
  });

  it('land in their overlay only', () => {
    expect(policy(docs, 'api/production/release.yaml')).toStrictEqual({
      egress: { legacy: { toCIDR: ['10.20.0.0/16'], toPorts: [{ ports: [{ port: '1433', protocol: 'TCP' }] }] } },
    });
    expect(docs['api/development/release.yaml']).toBeUndefined();
  });

  it('an environment with no difference lists only image.yaml', () => {
    expect(docs['api/development/kustomization.yaml']).toStrictEqual([{ resources: ['../base'], patches: [{ path: 'image.yaml' }] }]);
  });
});

describe('peers', () => {
  const docs = team((app) => {
    const api = new DitApi(app, 'api');
    api.connections
      .allowFrom(Peer.entity(Entity.CLUSTER), Port.tcp(8080))
      .withoutDefaultDns()
      .allowTo(Peer.fqdn('sentry.io', { name: 'sentry' }), Port.tcp(443))
      .allowTo(Peer.fqdnPattern('*.amazonaws.com'), [Port.tcp(443), Port.tcp(80)])
      .allowTo(Peer.entity(Entity.KUBE_APISERVER), Port.tcp(6443));
  });
  const egress = policy(docs, 'api/base/release.yaml').egress;

  it('an FQDN rule brings back the DNS rule Cilium needs', () => {
    expect(egress['kube-dns'].toPorts).toStrictEqual([{ ports: [{ port: '53' }], rules: { dns: [{ matchPattern: '*' }] } }]);
  });

  it('FQDN names and patterns', () => {
    expect(egress.sentry).toStrictEqual({ toFQDNs: [{ matchName: 'sentry.io' }], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }] });
    expect(egress['any-amazonaws-com']).toStrictEqual({
      toFQDNs: [{ matchPattern: '*.amazonaws.com' }],
      toPorts: [{ ports: [{ port: '80', protocol: 'TCP' }, { port: '443', protocol: 'TCP' }] }],
    });
  });

  it('entities on both sides', () => {
    expect(egress['kube-apiserver'].toEntities).toStrictEqual(['kube-apiserver']);
    expect(policy(docs, 'api/base/release.yaml').ingress.cluster.fromEntities).toStrictEqual(['cluster']);
  });

  it('without FQDN rules, withoutDefaultDns drops kube-dns', () => {
    const quiet = team((app) => {
      new DitApi(app, 'api').connections.allowFrom(Peer.traefik()).withoutDefaultDns().allowTo(Peer.cidr('10.0.0.0/8'), Port.tcp(5432));
    });
    expect(Object.keys(policy(quiet, 'api/base/release.yaml').egress)).toStrictEqual(['cidr-10-0-0-0-8']);
  });
});

describe('components in different environments', () => {
  const docs = team((app, { dev }) => {
    const api = new DitApi(app, 'api');
    const mock = new DitClient(app, 'mock-payments', { environments: [dev] });
    api.connections.allowFrom(Peer.traefik()).allowTo(mock);
    mock.connections.allowFrom(Peer.traefik());
  });

  it('a rule to a component exists only where both are deployed', () => {
    expect(Object.keys(policy(docs, 'api/base/release.yaml').egress)).toStrictEqual(['kube-dns']);
    expect(Object.keys(policy(docs, 'api/development/release.yaml').egress)).toStrictEqual(['mock-payments']);
    expect(docs['api/production/release.yaml']).toBeUndefined();
  });

  it('a component limited to some environments is aggregated there only', () => {
    expect(docs['main/production/kustomization.yaml'][0].resources).toStrictEqual(['../../api/production']);
    expect(docs['mock-payments/production/kustomization.yaml']).toBeUndefined();
  });
});
