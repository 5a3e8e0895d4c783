import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { DitApi, DitCronJob, DitEnvironment, DitWorker, GitOpsApp, HookEvent, Peer, Port, renderSetImage } from '../../src';
import { synthTree } from '../../src/testing';
import { cronScheduleProblem } from '../../src/components/cron-schedule';
import { kustomize, tempDir } from '../support';

const DIGEST = 'sha256:570965b16c53e7fe6c48d50d8601a8cd2327143dba14412692a5b8fc2c119bf9';

/** A Django API, its Celery worker and a nightly cleanup, all on the API's image. */
function permits(app: GitOpsApp): { api: DitApi; worker: DitWorker; cleanup: DitCronJob } {
  new DitEnvironment(app, 'staging', { namespace: 'permits', domain: 'staging.example.com' });
  new DitEnvironment(app, 'production', { namespace: 'permits', domain: 'example.com' });
  const api = new DitApi(app, 'permits-api', {
    image: { repository: 'dit/permits-api' },
    command: ['gunicorn', 'permits.wsgi'],
    overrides: { staging: { image: { tag: 'main-1234567' } }, production: { image: { tag: 'v1.4.0', digest: DIGEST } } },
  });
  api.addHookJob('migrate', { command: ['python', 'manage.py', 'migrate'] });
  api.connections.allowFrom(Peer.traefik(), Port.tcp(8080));
  const worker = new DitWorker(app, 'permits-worker', { imageFrom: api, command: ['celery', '-A', 'permits', 'worker'] });
  const cleanup = new DitCronJob(app, 'permits-cleanup', { imageFrom: api, schedule: '0 3 * * *', command: ['python', 'manage.py', 'cleanup'], activeDeadlineSeconds: 3600 });
  return { api, worker, cleanup };
}

const values = (tree: Record<string, string>, file: string) => parse(tree[file].split('---\n')[1]).spec.values;

describe('DitWorker, DitCronJob and hook Jobs', () => {
  const app = new GitOpsApp({ outdir: 'unused' });
  permits(app);
  const tree = synthTree(app);

  it('a worker: no port (no Service), probes stated off, its command, nothing may connect to it', () => {
    const v = values(tree, 'permits-worker/base/release.yaml');
    expect([v.ports, v.probes, v.command, v.ciliumNetworkPolicy.ingress]).toStrictEqual([[], { enabled: false }, ['celery', '-A', 'permits', 'worker'], {}]);
  });

  it("a cron job: the CronJob settings with Forbid and one retry by default, on the API's registry and path", () => {
    const v = values(tree, 'permits-cleanup/base/release.yaml');
    expect(v.cronJob).toStrictEqual({ schedule: '0 3 * * *', concurrencyPolicy: 'Forbid', backoffLimit: 1, suspend: false, activeDeadlineSeconds: 3600 });
    expect([v.image, v.imagePullSecrets]).toStrictEqual([{ registry: 'ghcr.io', repository: 'dit/permits-api' }, ['ghcr-auth']]);
  });

  it('a hook Job: after the first install and before every upgrade, one retry, ten minutes', () => {
    expect(values(tree, 'permits-api/base/release.yaml').hookJobs).toStrictEqual({
      migrate: { command: ['python', 'manage.py', 'migrate'], hooks: [HookEvent.POST_INSTALL, HookEvent.PRE_UPGRADE], weight: 0, backoffLimit: 1, activeDeadlineSeconds: 600 },
    });
  });
});

describe('imageFrom: one image.yaml moves the API, its worker and its cron job', () => {
  const app = new GitOpsApp({ outdir: 'unused' });
  permits(app);
  const tree = synthTree(app);

  it('followers have no image.yaml; the leader overlay includes them and patches its image.yaml into their releases', () => {
    expect(Object.keys(tree).filter((f) => f.endsWith('image.yaml')).sort()).toStrictEqual(['permits-api/production/image.yaml', 'permits-api/staging/image.yaml']);
    expect(parse(tree['permits-api/staging/kustomization.yaml'].split('---\n')[1])).toStrictEqual({
      resources: ['../base', '../../permits-worker/staging', '../../permits-cleanup/staging'],
      patches: [
        { path: 'image.yaml' },
        { path: 'image.yaml', target: { kind: 'HelmRelease', name: 'permits-worker' } },
        { path: 'image.yaml', target: { kind: 'HelmRelease', name: 'permits-cleanup' } },
      ],
    });
    expect(parse(tree['main/staging/kustomization.yaml'].split('---\n')[1])).toStrictEqual({ namespace: 'permits', resources: ['../../permits-api/staging'] });
  });

  it("kustomize gives each release the API's tag and digest; a set-image of the API moves all three", () => {
    const outdir = tempDir();
    for (const [file, content] of Object.entries(tree)) {
      fs.mkdirSync(path.dirname(path.join(outdir, file)), { recursive: true });
      fs.writeFileSync(path.join(outdir, file), content);
    }
    const images = () => kustomize(path.join(outdir, 'main', 'production')).map((o) => [o.metadata.name, o.spec.values.global.image]);
    expect(images()).toStrictEqual([
      ['permits-api', { tag: 'v1.4.0', digest: DIGEST }],
      ['permits-cleanup', { tag: 'v1.4.0', digest: DIGEST }],
      ['permits-worker', { tag: 'v1.4.0', digest: DIGEST }],
    ]);
    const next = 'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';
    const file = path.join(outdir, 'permits-api', 'production', 'image.yaml');
    const edited = renderSetImage(app, { component: 'permits-api', environment: 'production', tag: 'v1.5.0', digest: next }, () => fs.readFileSync(file, 'utf8'));
    fs.writeFileSync(path.join(outdir, edited.path), edited.content);
    expect(images().map(([, image]) => image)).toStrictEqual([{ tag: 'v1.5.0', digest: next }, { tag: 'v1.5.0', digest: next }, { tag: 'v1.5.0', digest: next }]);
  });

  it("set-image on a follower says whose image it runs", () => {
    expect(() => renderSetImage(app, { component: 'permits-worker', environment: 'staging', tag: 'main-7654321' }))
      .toThrow("permits-worker component: runs permits-api's image (imageFrom) and has no image.yaml of its own; expected set-image permits-api, which moves both");
  });
});

describe('cron schedules, as the Kubernetes API server parses them', () => {
  it.each(['0 3 * * *', '*/15 * * * *', '0 9-17 * * MON-FRI', '30 2 1,15 * ?', '0 0 1 JAN *', '@daily', '@hourly'])('accepts %s', (schedule) => {
    expect(cronScheduleProblem(schedule)).toBeUndefined();
  });

  it.each([
    ['0 3 * *', '4 fields'],
    ['60 * * * *', 'the minute field "60"'],
    ['0 0 0 * *', 'the day of month field "0"'],
    ['0 0 * 13 *', 'the month field "13"'],
    ['0 0 * * 7', 'the day of week field "7"'],
    ['5-1 * * * *', 'the minute field "5-1"'],
    ['*/0 * * * *', 'the minute field "*/0"'],
    ['? * * * *', 'the minute field "?"'],
  ])('refuses %s (%s)', (schedule, why) => {
    expect(cronScheduleProblem(schedule)).toContain(why);
  });
});
