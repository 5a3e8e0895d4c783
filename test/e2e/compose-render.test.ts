import * as path from 'path';
import { ComposeProject, GitOpsApp, RenderedObject, formatLintFindings, lintRendered, readSources } from '../../src';
import { createSchemaValidator, findHelm, renderEnvironment, synthTree } from '../../src/testing';

// A compose file through the importer, the tree, and a real `helm template` of the golden
// charts: the values the importer writes are the ones the charts' strict schemas accept and
// render into the objects the compose file asked for.
const ROOT = path.join(__dirname, '..', '..');
const CHARTS = path.join(ROOT, 'charts');
const FIXTURE = path.join(ROOT, 'test', 'compose', 'fixtures', 'rendered', 'docker-compose.yml');
const helm = findHelm();

const app = new GitOpsApp();
const project = new ComposeProject(app, 'acme', { compose: readSources([FIXTURE]), project: 'acme', domain: 'acme.example.com' });
const tree = synthTree(app);
const ENVIRONMENTS = [...project.environments.keys()];
const rendered = Object.fromEntries(ENVIRONMENTS.map((env) => [env, renderEnvironment(tree, env, { charts: CHARTS, helm })]));

const find = (objects: readonly RenderedObject[], component: string, kind: string) => objects.filter((o) => o.component === component && o.object.kind === kind).map((o) => o.object as any);

describe('a compose file rendered through the golden charts', () => {
  it('staging and production, each with the web and worker workloads and the database release', () => {
    expect(ENVIRONMENTS).toStrictEqual(['staging', 'production']);
    for (const env of ENVIRONMENTS) {
      expect([env, ...['web', 'jobs-worker'].map((c) => find(rendered[env], c, 'Deployment').length), find(rendered[env], 'db', 'HelmRelease').length]).toStrictEqual([env, 1, 1, 1]);
    }
  });

  it('the database on the exact chart version of x-dit.chartVersion, its chart image pinned by x-dit.imageDigest', () => {
    for (const env of ENVIRONMENTS) {
      const [release] = find(rendered[env], 'db', 'HelmRelease');
      expect([env, release.spec.chart.spec.version, release.spec.values.image]).toStrictEqual([env, '16.7.4', { digest: `sha256:${'3'.repeat(64)}` }]);
    }
  });

  describe.each(['staging', 'production'])('web in %s', (env) => {
    const [deployment] = find(rendered[env], 'web', 'Deployment');
    const pod = deployment.spec.template.spec;
    const [container] = pod.containers;

    it('deploy.replicas, the private ghcr image pinned by digest with its pull secret', () => {
      expect(deployment.spec.replicas).toBe(3);
      expect(container.image).toBe('ghcr.io/acme/web:1.4.2@sha256:1111111111111111111111111111111111111111111111111111111111111111');
      expect(pod.imagePullSecrets).toStrictEqual([{ name: 'ghcr-auth' }]);
    });

    it('the container port from ports:, and the Service on it', () => {
      expect(container.ports).toStrictEqual([{ name: 'http', containerPort: 8000, protocol: 'TCP' }]);
      expect(find(rendered[env], 'web', 'Service')[0].spec.ports).toStrictEqual([{ name: 'http', port: 8000, targetPort: 'http', protocol: 'TCP' }]);
    });

    it('the curl healthcheck: httpGet readiness and liveness with its timing, a startup probe for start_period', () => {
      const check = { httpGet: { path: '/healthz', port: 8000 }, periodSeconds: 15, timeoutSeconds: 3 };
      expect([container.readinessProbe, container.livenessProbe, container.startupProbe]).toStrictEqual([
        { ...check, failureThreshold: 4 },
        { ...check, failureThreshold: 4 },
        { ...check, failureThreshold: 4 },
      ]);
    });

    it('deploy.resources: limits and reservations as limits and requests', () => {
      expect(container.resources).toStrictEqual({ limits: { cpu: '500m', memory: '512Mi' }, requests: { cpu: '100m', memory: '128Mi' } });
    });

    it('the named volumes: mounted (:ro read-only), each a 10Gi ReadWriteOnce PVC', () => {
      expect(container.volumeMounts).toStrictEqual([
        { name: 'tmp', mountPath: '/tmp' },
        { name: 'assets', mountPath: '/srv/assets', readOnly: true },
        { name: 'uploads', mountPath: '/srv/uploads' },
      ]);
      expect(pod.volumes).toStrictEqual([
        { name: 'tmp', emptyDir: {} },
        { name: 'assets', persistentVolumeClaim: { claimName: 'web-assets' } },
        { name: 'uploads', persistentVolumeClaim: { claimName: 'web-uploads' } },
      ]);
      expect(find(rendered[env], 'web', 'PersistentVolumeClaim').map((pvc) => [pvc.metadata.name, pvc.spec])).toStrictEqual([
        ['web-assets', { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } } }],
        ['web-uploads', { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '10Gi' } } }],
      ]);
    });

    it('the ingress network: an Ingress at web.<environment domain> on the http port', () => {
      const host = env === 'production' ? 'web.acme.example.com' : 'web.staging.acme.example.com';
      const [ingress] = find(rendered[env], 'web', 'Ingress');
      expect([ingress.spec.ingressClassName, ingress.spec.rules.map((r: any) => r.host)]).toStrictEqual(['traefik', [host]]);
      expect(ingress.spec.rules[0].http.paths[0].backend).toStrictEqual({ service: { name: 'web', port: { name: 'http' } } });
    });
  });

  describe('jobs-worker in staging', () => {
    const [container] = find(rendered.staging, 'jobs-worker', 'Deployment')[0].spec.template.spec.containers;

    it('no port: no containerPort and no Service (nothing listens)', () => {
      expect(container.ports).toBeUndefined();
      expect(find(rendered.staging, 'jobs-worker', 'Service')).toStrictEqual([]);
    });

    it('the CMD-SHELL healthcheck: exec readiness and liveness, no startup probe without start_period', () => {
      const check = { exec: { command: ['/bin/sh', '-c', 'celery inspect ping || exit 1'] }, periodSeconds: 30, timeoutSeconds: 30, failureThreshold: 3 };
      expect([container.readinessProbe, container.livenessProbe, container.startupProbe]).toStrictEqual([check, check, undefined]);
    });

    it('a memory limit alone is the request too (not the chart default 256Mi over it); x-dit.volumeSize sizes the PVC', () => {
      expect(container.resources).toStrictEqual({ limits: { memory: '256Mi' }, requests: { cpu: '50m', memory: '256Mi' } });
      expect(find(rendered.staging, 'jobs-worker', 'PersistentVolumeClaim')[0].spec.resources).toStrictEqual({ requests: { storage: '2Gi' } });
    });
  });

  it.each(['staging', 'production'])('%s: every rendered object validates strictly against the packaged schemas', (env) => {
    const validate = createSchemaValidator();
    expect(rendered[env].flatMap((o) => validate(o.object).map((f) => `${o.component} ${f.object} ${f.field}: ${f.message}`))).toStrictEqual([]);
  });

  it.each(['staging', 'production'])('%s: dit-gitops lint finds nothing', (env) => {
    expect(formatLintFindings(lintRendered(rendered[env], { pinImageDigests: env === 'production' }))).toBe('');
  });
});
