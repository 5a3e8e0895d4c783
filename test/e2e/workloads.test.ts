import * as path from 'path';
import { DitApi, DitCronJob, DitEnvironment, DitWorker, FluxCluster, GitOpsApp, Peer, Port, SealedSecret, formatVerifyProblem, renderSetImage } from '../../src';
import { Tree, renderEnvironment, synthTree, verifyTree } from '../../src/testing';

// Issue 17's team: a Django API, its Celery worker and a nightly cleanup on the API's image.
const ROOT = path.join(__dirname, '..', '..');
const DIGEST = 'sha256:570965b16c53e7fe6c48d50d8601a8cd2327143dba14412692a5b8fc2c119bf9';
const NEXT = 'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';

function permits(app: GitOpsApp): void {
  new FluxCluster(app, 'cluster', { name: 'permits', git: { url: 'ssh://git@github.com/org/permits-gitops', secretRef: 'deploy-key' } });
  new DitEnvironment(app, 'production', { namespace: 'permits', domain: 'example.com' });
  const sealed = { infisical: { sealedToken: SealedSecret.fromCiphertext('AgBy3i4OJSWKpermitsproductiontoken==') } };
  const api = new DitApi(app, 'permits-api', {
    image: { repository: 'dit/permits-api', tag: 'v1.4.0', digest: DIGEST },
    command: ['gunicorn', 'permits.wsgi', '--bind', '0.0.0.0:8080'],
    infisical: { secretsPath: '/permits' },
    overrides: { production: sealed },
  });
  api.addHookJob('migrate', { command: ['python', 'manage.py', 'migrate'] });
  api.connections.allowFrom(Peer.traefik(), Port.tcp(8080));
  new DitWorker(app, 'permits-worker', { imageFrom: api, command: ['celery', '-A', 'permits', 'worker'], infisical: { secretsPath: '/permits' }, overrides: { production: sealed } });
  new DitCronJob(app, 'permits-cleanup', { imageFrom: api, schedule: '0 3 * * *', command: ['python', 'manage.py', 'cleanup'], infisical: { secretsPath: '/permits' }, overrides: { production: sealed } });
}

/** The image each workload of production runs, by `Kind/name`. */
function images(tree: Tree): Record<string, string> {
  const objects = renderEnvironment(tree, 'production', { charts: path.join(ROOT, 'charts') }).map((o) => o.object as any);
  return Object.fromEntries(objects.filter((o) => ['Deployment', 'CronJob', 'Job'].includes(o.kind)).map((o) => {
    const pod = o.kind === 'CronJob' ? o.spec.jobTemplate.spec.template.spec : o.spec.template.spec;
    return [`${o.kind}/${o.metadata.name}`, pod.containers[0].image];
  }));
}

describe('an API, a DitWorker and a DitCronJob on one image', () => {
  const app = new GitOpsApp({ outdir: 'unused' });
  permits(app);
  const tree = synthTree(app);

  it('renders a Deployment, a CronJob and the migration hook Job, all running the API image', () => {
    const image = `ghcr.io/dit/permits-api:v1.4.0@${DIGEST}`;
    expect(images(tree)).toStrictEqual({
      'Deployment/permits-api': image,
      'Job/permits-api-migrate': image,
      'Deployment/permits-worker': image,
      'CronJob/permits-cleanup': image,
    });
  });

  it('verifies: images, references, Flux references, calls and ingress', () => {
    expect(verifyTree(app, tree, { repositoryRoot: ROOT, charts: path.join(ROOT, 'charts') }).problems.map(formatVerifyProblem)).toStrictEqual([]);
  });

  it("one set-image of the API moves all four to the new tag and digest", () => {
    const edited = renderSetImage(app, { component: 'permits-api', environment: 'production', tag: 'v1.5.0', digest: NEXT }, (p) => tree[p]);
    const image = `ghcr.io/dit/permits-api:v1.5.0@${NEXT}`;
    expect(images({ ...tree, [edited.path]: edited.content })).toStrictEqual({
      'Deployment/permits-api': image,
      'Job/permits-api-migrate': image,
      'Deployment/permits-worker': image,
      'CronJob/permits-cleanup': image,
    });
  });
});
