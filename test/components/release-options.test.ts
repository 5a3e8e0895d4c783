import { DitApi, DitHelmChart, ChartSource, Peer, Port, RemediationStrategy, ValuesFrom, assertNoDependencyCycle, renderReleaseOptions } from '../../src';
import { failingSynth, planDocuments, twoEnvironments } from '../support';

describe('renderReleaseOptions', () => {
  it('maps every option to its HelmRelease field', () => {
    expect(renderReleaseOptions({
      timeout: '10m',
      suspend: true,
      installRemediation: { retries: 2 },
      upgradeRemediation: { retries: 1, strategy: RemediationStrategy.UNINSTALL },
      cleanupOnFail: true,
      test: true,
      valuesFrom: [ValuesFrom.secret('extra'), ValuesFrom.configMap('cm', { valuesKey: 'v.yaml' })],
    })).toStrictEqual({
      timeout: '10m',
      suspend: true,
      install: { remediation: { retries: 2 } },
      upgrade: { remediation: { retries: 1, strategy: 'uninstall' } },
      rollback: { cleanupOnFail: true },
      test: { enable: true },
      valuesFrom: [{ kind: 'Secret', name: 'extra' }, { kind: 'ConfigMap', name: 'cm', valuesKey: 'v.yaml' }],
    });
  });

  it('renders nothing for no options (the seed base has none)', () => {
    expect(renderReleaseOptions({})).toStrictEqual({});
  });

  it('an upgrade remediation defaults to rollback', () => {
    expect(renderReleaseOptions({ upgradeRemediation: { retries: 3 } })).toStrictEqual({ upgrade: { remediation: { retries: 3, strategy: 'rollback' } } });
  });
});

describe('per-environment release options', () => {
  const docs = planDocuments(twoEnvironments((app, { prod }) => {
    const api = new DitApi(app, 'api', { timeout: '5m' });
    api.connections.allowFrom(Peer.traefik());
    api.addOverride(prod, { suspend: true, timeout: '15m' });
  }));

  it('land in the overlay patch only', () => {
    expect(docs['api/base/release.yaml'][0].spec.timeout).toBe('5m');
    expect(docs['api/production/release.yaml'][0].spec).toStrictEqual({ suspend: true, timeout: '15m' });
    expect(docs['api/development/release.yaml']).toBeUndefined();
  });
});

describe('dependsOn', () => {
  it('a cycle is rejected with its path', () => {
    const error = failingSynth((app) => {
      const a = new DitApi(app, 'a');
      const b = new DitApi(app, 'b', { dependsOn: [a] });
      const c = new DitApi(app, 'c', { dependsOn: [b] });
      a.addOverride('production', { dependsOn: [c] });
      for (const x of [a, b, c]) x.connections.allowFrom(Peer.traefik());
    });
    expect(error.message).toBe('a [production] dependsOn: forms a cycle (a -> c -> b -> a); expected dependencies that end somewhere');
  });

  it('a dependency missing from an environment is rejected', () => {
    expect(failingSynth((app, { dev }) => {
      const db = new DitHelmChart(app, 'db', { source: ChartSource.helmRepository('https://charts.example.com'), environments: [dev], ports: [Port.tcp(5432)] });
      db.connections.denyAllIngress();
      new DitApi(app, 'api', { dependsOn: [db] }).connections.allowFrom(Peer.traefik());
    }).message).toBe('api [production] dependsOn.db: db is not deployed in production; expected a release of the same environment');
  });

  it('assertNoDependencyCycle accepts a diamond', () => {
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((name) => ({ name }));
    const edges = new Map([[a, [b, c]], [b, [d]], [c, [d]], [d, []]]);
    expect(() => assertNoDependencyCycle([a, b, c, d], (r) => edges.get(r)!, 'staging')).not.toThrow();
  });

  it('a malformed timeout is rejected', () => {
    expect(failingSynth((app) => new DitApi(app, 'api', { timeout: '5 minutes' }).connections.allowFrom(Peer.traefik())).message)
      .toBe('api timeout: got "5 minutes"; expected a Go duration as Flux\'s CRDs accept it: numbers with ms, s, m or h, such as 30s, 10m or 1h30m');
  });
});
