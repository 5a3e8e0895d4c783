import { helmTemplateArgs, planRender, renderedObjects } from '../../src';

const release = (name: string, spec: object) => ({ apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { name, namespace: 'team' }, spec });
const golden = release('api', { chartRef: { kind: 'HelmChart', name: 'dit-common-api', namespace: 'flux-system' }, values: { replicas: 2 } });
const thirdParty = release('redis', { chart: { spec: { chart: 'redis' } }, values: {} });
const policy = { apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name: 'redis', namespace: 'team', labels: { 'app.kubernetes.io/instance': 'redis' } } };
const CHARTS = ['dit-common-api', 'dit-common-client', 'dit-gateway'];

describe('planRender', () => {
  it('golden-chart releases become helm template runs; everything else is kept', () => {
    const plan = planRender([golden, thirdParty, policy], { environment: 'staging', charts: CHARTS });
    expect(plan.jobs).toStrictEqual([{ component: 'api', releaseName: 'api', namespace: 'team', chart: 'dit-common-api', values: { replicas: 2 }, notes: [] }]);
    expect(plan.objects).toStrictEqual([
      { component: 'redis', environment: 'staging', object: thirdParty },
      { component: 'redis', environment: 'staging', object: policy },
    ]);
  });

  it('a chartRef to a chart that is not local stays a HelmRelease', () => {
    expect(planRender([golden], { environment: 'staging', charts: ['dit-gateway'] }).jobs).toStrictEqual([]);
  });

  it('releaseName, targetNamespace (Flux names the release <namespace>-<name>) and valuesFrom', () => {
    const named = release('users', { ...golden.spec, releaseName: 'users-api', valuesFrom: [{ kind: 'ConfigMap', name: 'flags' }] });
    const targeted = release('web', { ...golden.spec, targetNamespace: 'edge' });
    const [a, b] = planRender([named, targeted], { environment: 'dev', charts: CHARTS }).jobs;
    expect([a.releaseName, a.namespace, a.notes]).toStrictEqual(['users-api', 'team', ['users [dev] valuesFrom: 1 source(s) are read in the cluster; the render shows spec.values only']]);
    expect([b.releaseName, b.namespace]).toStrictEqual(['edge-web', 'edge']);
  });

  it('--component keeps one component; the tree may say whose an object is', () => {
    expect(planRender([golden, thirdParty, policy], { environment: 'dev', charts: CHARTS, component: 'redis' }).objects.map((o) => o.object.kind)).toStrictEqual(['HelmRelease', 'CiliumNetworkPolicy']);
    expect(planRender([policy], { environment: 'dev', charts: CHARTS, componentOf: () => 'cache' }).objects[0].component).toBe('cache');
  });
});

describe('renderedObjects', () => {
  it('places every object in the release namespace and keeps the values', () => {
    const job = planRender([golden], { environment: 'staging', charts: CHARTS }).jobs[0];
    const out = renderedObjects(job, 'staging', '---\n# Source: x\napiVersion: v1\nkind: Service\nmetadata:\n  name: api\n  labels:\n    a: b\n---\n');
    expect(out).toStrictEqual([{ component: 'api', environment: 'staging', values: { replicas: 2 }, object: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'api', namespace: 'team', labels: { a: 'b' } } } }]);
  });

  it('helm template arguments', () => {
    const job = planRender([golden], { environment: 'staging', charts: CHARTS }).jobs[0];
    expect(helmTemplateArgs(job, 'charts/dit-common-api', '/tmp/v.json')).toStrictEqual(['template', 'api', 'charts/dit-common-api', '--namespace', 'team', '--values', '/tmp/v.json']);
  });
});
