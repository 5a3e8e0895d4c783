import { DitApi, DitError, FluxCluster, GitOpsApp, ImageSelection, Peer } from '../../src';
import { failingSynth, planDocuments, twoEnvironments } from '../support';

const git = { url: 'https://github.com/org/team-gitops' };

describe('FluxCluster', () => {
  const docs = planDocuments(twoEnvironments((app) => {
    new FluxCluster(app, 'cluster', {
      name: 'team',
      git,
      goldenCharts: { url: 'https://charts.example.com', secretRef: 'charts-auth' },
      sync: { healthChecks: [{ kind: 'HelmRelease', name: 'api' }], wait: false },
      slack: { channel: 'team', secretRef: 'slack', severity: 'error' },
      overrides: { production: { suspend: true, branch: 'release' } },
    });
    new DitApi(app, 'api').connections.allowFrom(Peer.traefik());
  }));

  it('one directory per environment, listing its files', () => {
    expect(docs['clusters/development/kustomization.yaml']).toStrictEqual([{ resources: ['sync.yaml', 'charts.yaml', 'notifications.yaml'] }]);
  });

  it('the Flux Kustomization points at the environment aggregator', () => {
    const [repository, sync] = docs['clusters/development/sync.yaml'];
    expect(repository.spec).toStrictEqual({ interval: '1m', ref: { branch: 'main' }, secretRef: { name: 'flux-system' }, url: git.url });
    expect(sync.spec).toStrictEqual({
      healthChecks: [{ apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', name: 'api', namespace: 'team' }],
      interval: '10m',
      path: './dist/main/development',
      prune: true,
      retryInterval: '2m',
      sourceRef: { kind: 'GitRepository', name: 'team' },
      timeout: '5m',
      wait: false,
    });
  });

  it('environment overrides: a paused environment on another branch', () => {
    const [repository, sync] = docs['clusters/production/sync.yaml'];
    expect(repository.spec.ref).toStrictEqual({ branch: 'release' });
    expect(sync.spec.suspend).toBe(true);
  });

  it('HelmCharts only for the golden charts in use', () => {
    expect(docs['clusters/development/charts.yaml'].map((o) => `${o.kind}/${o.metadata.name}`)).toStrictEqual(['HelmRepository/dit-charts', 'HelmChart/dit-common-api']);
    expect(docs['clusters/development/charts.yaml'][0].spec).toStrictEqual({ interval: '10m', secretRef: { name: 'charts-auth' }, url: 'https://charts.example.com' });
  });

  it('by default the golden charts build ./charts/<chart> from the project GitRepository', () => {
    const charts = (goldenCharts?: ConstructorParameters<typeof FluxCluster>[2]['goldenCharts']) => planDocuments(twoEnvironments((app) => {
      new FluxCluster(app, 'cluster', { name: 'team', git, ...(goldenCharts !== undefined ? { goldenCharts } : {}), slack: { channel: 'team', secretRef: 'slack' } });
      new DitApi(app, 'api').connections.allowFrom(Peer.traefik());
    }));
    const byDefault = charts();
    expect(byDefault['clusters/development/charts.yaml']).toStrictEqual([{
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'HelmChart',
      metadata: { name: 'dit-common-api', namespace: 'flux-system' },
      spec: { chart: './charts/dit-common-api', interval: '10m', reconcileStrategy: 'Revision', sourceRef: { kind: 'GitRepository', name: 'team' } },
    }]);
    expect(byDefault['clusters/development/notifications.yaml'][1].spec.eventSources.filter((s: { name: string }) => s.name === 'dit-charts')).toStrictEqual([]);
    expect(charts({ path: './platform/charts', interval: '1h' })['clusters/development/charts.yaml'][0].spec)
      .toStrictEqual({ chart: './platform/charts/dit-common-api', interval: '1h', reconcileStrategy: 'Revision', sourceRef: { kind: 'GitRepository', name: 'team' } });
    const shipped = charts(false);
    expect(shipped['clusters/development/kustomization.yaml']).toStrictEqual([{ resources: ['sync.yaml', 'notifications.yaml'] }]);
    expect(shipped['clusters/development/charts.yaml']).toBeUndefined();
  });

  it('a Slack provider and an alert with the configured severity', () => {
    const [provider, alert] = docs['clusters/development/notifications.yaml'];
    expect(provider.spec).toStrictEqual({ channel: 'team', secretRef: { name: 'slack' }, type: 'slack' });
    expect(alert.spec.eventSeverity).toBe('error');
    expect(alert.spec.providerRef).toStrictEqual({ name: 'team-slack' });
  });

  it('image automation pushes through the cluster GitRepository', () => {
    const withAutomation = planDocuments(twoEnvironments((app, { prod }) => {
      new FluxCluster(app, 'cluster', { name: 'team', git });
      const api = new DitApi(app, 'api', { image: { tag: '1.0.0' } });
      api.connections.allowFrom(Peer.traefik());
      api.enableImageAutomation(prod, { selection: ImageSelection.semver('*') });
    }));
    expect(withAutomation['api/production/image-automation.yaml'][2].spec.sourceRef).toStrictEqual({ kind: 'GitRepository', name: 'team', namespace: 'flux-system' });
  });
});

describe('bad cluster input', () => {
  it('a Slack provider without a secret reference', () => {
    expect(() => new FluxCluster(new GitOpsApp(), 'c', { name: 'team', git, slack: { channel: 'x', secretRef: '' } }))
      .toThrow('FluxCluster team slack.secretRef: is missing; expected the name of a Secret in flux-system holding the Slack webhook address (a Slack provider without it cannot post)');
  });

  it('a golden chart repository URL that is not http(s) or oci', () => {
    expect(() => new FluxCluster(new GitOpsApp(), 'c', { name: 'team', git, goldenCharts: { url: 'git@github.com:org/charts' } }))
      .toThrow(new DitError({ component: 'FluxCluster team', field: 'goldenCharts.url' }, 'got "git@github.com:org/charts"; expected an http(s):// or oci:// Helm repository URL').message);
  });

  it('a version or secret without a Helm repository, a path outside the repository, or both sources', () => {
    const make = (goldenCharts: object) => () => new FluxCluster(new GitOpsApp(), 'c', { name: 'team', git, goldenCharts });
    expect(make({ version: '1.x' })).toThrow('FluxCluster team goldenCharts.version: got "1.x" without goldenCharts.url; expected it only with a Helm repository (a Git source builds the chart at the synced revision)');
    expect(make({ secretRef: 'auth' })).toThrow(/^FluxCluster team goldenCharts.secretRef: got "auth" without goldenCharts.url/);
    expect(make({ path: '/abs/charts' })).toThrow('FluxCluster team goldenCharts.path: got "/abs/charts"; expected a path in this repository such as ./charts');
    expect(make({ url: 'oci://ghcr.io/x', path: './charts' })).toThrow('FluxCluster team goldenCharts.path: got "./charts" with goldenCharts.url; expected one source: a Helm repository url or a path in this repository');
  });

  it('a duration Flux\'s CRDs refuse, in the source, the charts, the sync or an environment\'s override', () => {
    const expected = "expected a Go duration as Flux's CRDs accept it: numbers with ms, s, m or h, such as 30s, 10m or 1h30m";
    const make = (props: object) => () => new FluxCluster(new GitOpsApp(), 'c', { name: 'team', git, ...props });
    expect(make({ git: { ...git, interval: '1 minute' } })).toThrow(`FluxCluster team git.interval: got "1 minute"; ${expected}`);
    expect(make({ goldenCharts: { interval: '10' } })).toThrow(`FluxCluster team goldenCharts.interval: got "10"; ${expected}`);
    expect(make({ sync: { timeout: '5min' } })).toThrow(`FluxCluster team sync.timeout: got "5min"; ${expected}`);
    expect(make({ overrides: { production: { retryInterval: '2d' } } })).toThrow(`FluxCluster team overrides.production.retryInterval: got "2d"; ${expected}`);
    expect(make({ sync: { interval: '1h30m', retryInterval: '30s', timeout: '500ms' } })).not.toThrow();
  });

  it('a git URL Flux cannot clone', () => {
    expect(() => new FluxCluster(new GitOpsApp(), 'c', { name: 'team', git: { url: 'github.com/org/x' } })).toThrow(/^FluxCluster team git.url: got "github.com\/org\/x"; expected an https:\/\/ or ssh:\/\/ repository URL$/);
  });

  it('an override for an environment that does not exist', () => {
    expect(failingSynth((app) => { new FluxCluster(app, 'c', { name: 'team', git, overrides: { qa: { suspend: true } } }); }).message)
      .toBe('FluxCluster team [qa] overrides.qa: no environment is named qa; expected one of development, production');
  });

  it('two clusters', () => {
    expect(failingSynth((app) => { new FluxCluster(app, 'a', { name: 'a', git }); new FluxCluster(app, 'b', { name: 'b', git }); }).message)
      .toBe('GitOpsApp FluxCluster: 2 declared; expected one (it is the GitRepository every environment syncs from)');
  });
});
