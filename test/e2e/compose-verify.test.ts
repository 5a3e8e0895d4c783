import * as path from 'path';
import { ComposeProject, GitOpsApp, formatVerifyProblem, readSources } from '../../src';
import { findHelm, renderEnvironment, synthTree, verifyTree } from '../../src/testing';

// Issue 20: a converted compose app runs. The importer's fixture (a Django app with a one-shot
// migration, a Celery worker on its image, Postgres, Redis and a third-party search engine)
// is synthesized, rendered through the golden charts and verified in staging as Flux would run it.
const ROOT = path.join(__dirname, '..', '..');
const CHARTS = path.join(ROOT, 'charts');
const FIXTURE = path.join(ROOT, 'test', 'compose', 'fixtures', 'runs', 'docker-compose.yml');
const helm = findHelm();

const app = new GitOpsApp();
new ComposeProject(app, 'acme', { compose: readSources([FIXTURE]), project: 'acme', domain: 'acme.example.com' });
const tree = synthTree(app);

describe('a converted compose app runs in staging', () => {
  it('passes verify: images, references, Flux, every dialed host against the Cilium policies, ingress', () => {
    const report = verifyTree(app, tree, { environments: ['staging'], charts: CHARTS, helm, repositoryRoot: ROOT });
    expect(report.problems.map(formatVerifyProblem)).toStrictEqual([]);
  });

  it('the worker runs its command on web\'s image, the migration is a hook Job, and the search engine\'s probes only connect to its port', () => {
    const objects = renderEnvironment(tree, 'staging', { charts: CHARTS, helm });
    const deployment = (component: string) => objects.find((o) => o.component === component && o.object.kind === 'Deployment')!.object as any;
    const worker = deployment('celery-worker').spec.template.spec.containers[0];
    const web = deployment('web').spec.template.spec.containers[0];
    expect([worker.image, worker.args]).toStrictEqual([web.image, ['celery', '-A', 'acme', 'worker', '--loglevel=info']]);
    expect(objects.filter((o) => o.component === 'celery-worker' && o.object.kind === 'Service')).toStrictEqual([]);
    const job = objects.find((o) => o.component === 'web' && o.object.kind === 'Job')!.object as any;
    expect([job.metadata.annotations['helm.sh/hook'], job.spec.template.spec.containers[0].command, job.spec.template.spec.containers[0].image])
      .toStrictEqual(['post-install,pre-upgrade', ['python', 'manage.py', 'migrate'], web.image]);
    const search = deployment('search').spec.template.spec.containers[0];
    expect([search.image.startsWith('docker.io/elasticsearch:') || search.image.startsWith('elasticsearch:'), search.readinessProbe, search.livenessProbe, search.ports])
      .toStrictEqual([true, { tcpSocket: { port: 'http' }, periodSeconds: 10, failureThreshold: 3 }, { tcpSocket: { port: 'http' }, periodSeconds: 20, failureThreshold: 3 }, [{ name: 'http', containerPort: 9200, protocol: 'TCP' }]]);
  });
});

// What the app names without a port, or names without the pod dialing it: WordPress's bare
// WORDPRESS_DB_HOST, empty hosts, a Next.js NEXT_PUBLIC_API_URL of localhost, a loopback
// self-check. Each converts to a tree verify passes, without rewriting the values.
describe('hosts without a port, empty hosts, browser-side values and loopback pass verify', () => {
  const dials = new GitOpsApp();
  new ComposeProject(dials, 'acme', { compose: readSources([path.join(ROOT, 'test', 'compose', 'fixtures', 'dials', 'docker-compose.yml')]), project: 'acme', domain: 'acme.example.com' });
  const dialsTree = synthTree(dials);

  it('passes verify in staging, the loopback self-check a note', () => {
    const report = verifyTree(dials, dialsTree, { environments: ['staging'], charts: CHARTS, helm, repositoryRoot: ROOT });
    expect(report.problems.map(formatVerifyProblem)).toStrictEqual([]);
    expect(report.notes.filter((n) => n.message.includes('loopback')).map((n) => `${n.component}: ${n.message}`)).toStrictEqual([
      'api: configs.SELF_CHECK_URL dials localhost:8000: loopback, the pod itself: a container of Deployment/api listens on 8000 (no Service or policy is involved)',
    ]);
  });
});
