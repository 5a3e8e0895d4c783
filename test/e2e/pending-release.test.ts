import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { DitApi, DitCronJob, DitEnvironment, DitWorker, FluxCluster, GitOpsApp, Peer, Port, SealedSecret, formatVerifyProblem, renderSetImage } from '../../src';
import { Tree, renderEnvironment, synthTree, verifyTree } from '../../src/testing';
import { lintRendered } from '../../src/lint/rendered-lint';

// Issue 20, item 1: an image CI has not built yet is deployed pending. The release installs
// with no pod; the auto-deploy action's one edit (the tag, with yq -i) starts it.
const ROOT = path.join(__dirname, '..', '..');
const CHARTS = path.join(ROOT, 'charts');
const DIGEST = 'sha256:570965b16c53e7fe6c48d50d8601a8cd2327143dba14412692a5b8fc2c119bf9';

function team(app: GitOpsApp): void {
  new FluxCluster(app, 'cluster', { name: 'orders', git: { url: 'ssh://git@github.com/org/orders-gitops', secretRef: 'deploy-key' } });
  new DitEnvironment(app, 'staging', { namespace: 'orders-staging', domain: 'staging.example.com' });
  new DitEnvironment(app, 'production', { namespace: 'orders', domain: 'example.com' });
  const sealed = { infisical: { sealedToken: SealedSecret.fromCiphertext('AgBy3i4OJSWKordersproductiontoken==') } };
  const api = new DitApi(app, 'orders-api', {
    image: { repository: 'dit/orders-api', pending: true },
    replicas: 2,
    infisical: { secretsPath: '/orders' },
    overrides: { production: sealed, staging: sealed },
  });
  api.addHookJob('migrate', { command: ['python', 'manage.py', 'migrate'] });
  api.connections.allowFrom(Peer.traefik(), Port.tcp(8080));
  new DitWorker(app, 'orders-worker', { imageFrom: api, command: ['celery', '-A', 'orders', 'worker'], infisical: { secretsPath: '/orders' }, overrides: { production: sealed, staging: sealed } });
  new DitCronJob(app, 'orders-cleanup', { imageFrom: api, schedule: '0 3 * * *', command: ['python', 'manage.py', 'cleanup'], infisical: { secretsPath: '/orders' }, overrides: { production: sealed, staging: sealed } });
  // A dependent with an image of its own: deployed and running while orders-api waits.
  const web = new DitApi(app, 'orders-web', { image: { repository: 'dit/orders-web', tag: 'v2.0.0', digest: DIGEST }, dependsOn: [api] });
  web.connections.allowFrom(Peer.traefik(), Port.tcp(8080));
  web.connections.allowTo(api, Port.tcp(8080));
}

/** What each workload of `env` runs: replicas (or suspend) and the image, by `Kind/name`. */
function workloads(tree: Tree, env: string): Record<string, unknown> {
  const objects = renderEnvironment(tree, env, { charts: CHARTS }).map((o) => o.object as any);
  return Object.fromEntries(objects.filter((o) => ['Deployment', 'CronJob', 'Job'].includes(o.kind)).map((o) => {
    const pod = o.kind === 'CronJob' ? o.spec.jobTemplate.spec.template.spec : o.spec.template.spec;
    const state = o.kind === 'Deployment' ? { replicas: o.spec.replicas } : o.kind === 'CronJob' ? { suspend: o.spec.suspend } : {};
    return [`${o.kind}/${o.metadata.name}`, { ...state, image: pod.containers[0].image }];
  }));
}

/** The auto-deploy action's edit, exactly: `yq -i '.spec.values.global.image.tag = "<tag>"'` changes that one line. */
function actionSetsTag(content: string, tag: string): string {
  const edited = content.replace(/^(\s+tag: )""$/m, `$1${tag}`);
  expect(edited).not.toBe(content);
  return edited;
}

describe('a pending release: declared before CI built its image', () => {
  const app = new GitOpsApp({ outdir: 'unused' });
  team(app);
  const tree = synthTree(app);

  it('starts image.yaml with an empty tag (and an empty digest where digests are pinned)', () => {
    expect(tree['orders-api/staging/image.yaml']).toContain('      image:\n        tag: ""\n');
    expect(tree['orders-api/staging/image.yaml']).not.toContain('digest');
    expect(tree['orders-api/production/image.yaml']).toContain('      image:\n        tag: ""\n        digest: ""\n');
  });

  it('renders no pod: replicas 0, the CronJob suspended, no hook Job, no image; the dependent runs', () => {
    expect(workloads(tree, 'staging')).toStrictEqual({
      'Deployment/orders-api': { replicas: 0, image: undefined },
      'Deployment/orders-worker': { replicas: 0, image: undefined },
      'CronJob/orders-cleanup': { suspend: true, image: undefined },
      'Deployment/orders-web': { replicas: 1, image: `ghcr.io/dit/orders-web:v2.0.0@${DIGEST}` },
    });
    const objects = renderEnvironment(tree, 'staging', { charts: CHARTS });
    // The release installs whole (its Service too), minus the hook Job and the disruption budget of its pods.
    expect(objects.filter((o) => o.component === 'orders-api').map((o) => `${o.object.kind}/${(o.object.metadata as any).name}`).sort()).toStrictEqual([
      'CiliumNetworkPolicy/orders-api', 'Deployment/orders-api', 'InfisicalSecret/orders-api', 'SealedSecret/orders-api-infisical-token', 'Service/orders-api', 'ServiceAccount/orders-api',
    ]);
  });

  it('verify passes, with a note saying how each pending release starts; lint finds nothing about the missing image', () => {
    const report = verifyTree(app, tree, { repositoryRoot: ROOT, charts: CHARTS });
    expect(report.problems.map(formatVerifyProblem)).toStrictEqual([]);
    expect(report.notes.filter((n) => n.message.startsWith('pending'))).toStrictEqual([
      {
        environment: 'production', component: 'orders-api',
        message: 'pending: orders-api/production/image.yaml holds no tag yet (tag: ""), so the release installs with no pod (replicas 0, CronJob suspended, no hook Jobs); it starts once CI records the tag and the digest (production pins digests; the auto-deploy action sets only the tag): npx dit-gitops set-image orders-api --env production --tag <tag> --digest sha256:<digest>, or Flux image automation',
      },
      {
        environment: 'staging', component: 'orders-api',
        message: 'pending: orders-api/staging/image.yaml holds no tag yet (tag: ""), so the release installs with no pod (replicas 0, CronJob suspended, no hook Jobs); it starts when CI sets the tag: the auto-deploy action, or npx dit-gitops set-image orders-api --env staging --tag <tag>',
      },
    ]);
    const objects = renderEnvironment(tree, 'staging', { charts: CHARTS });
    expect(lintRendered(objects, { pinImageDigests: false }).filter((f) => /image/.test(f.rule))).toStrictEqual([]);
  });

  it('the action\'s edit alone (tag: "" → tag: main-1234567) starts it in staging: pods, the image, the CronJob and the hook Job', () => {
    const edited: Tree = { ...tree, 'orders-api/staging/image.yaml': actionSetsTag(tree['orders-api/staging/image.yaml'], 'main-1234567') };
    const image = 'ghcr.io/dit/orders-api:main-1234567';
    expect(workloads(edited, 'staging')).toStrictEqual({
      'Deployment/orders-api': { replicas: 2, image },
      'Job/orders-api-migrate': { image },
      'Deployment/orders-worker': { replicas: 1, image },
      'CronJob/orders-cleanup': { suspend: false, image },
      'Deployment/orders-web': { replicas: 1, image: `ghcr.io/dit/orders-web:v2.0.0@${DIGEST}` },
    });
    const report = verifyTree(app, edited, { repositoryRoot: ROOT, charts: CHARTS, environments: ['staging'] });
    expect([report.problems, report.notes.filter((n) => n.message.startsWith('pending'))]).toStrictEqual([[], []]);
  });

  it('in production the action\'s tag alone does not start it (no digest yet: nothing runs unpinned); set-image --digest does', () => {
    const tagged: Tree = { ...tree, 'orders-api/production/image.yaml': actionSetsTag(tree['orders-api/production/image.yaml'], 'v1.0.0') };
    expect(workloads(tagged, 'production')['Deployment/orders-api']).toStrictEqual({ replicas: 0, image: undefined });
    const report = verifyTree(app, tagged, { repositoryRoot: ROOT, charts: CHARTS, environments: ['production'] });
    expect(report.problems.map(formatVerifyProblem)).toStrictEqual([]);
    expect(report.notes.filter((n) => n.message.startsWith('pending')).map((n) => n.message)).toStrictEqual([
      'pending: orders-api/production/image.yaml holds tag v1.0.0 but no digest (digest: ""), which production requires, so the release stays at no pod and runs no unpinned image; it starts once the digest is recorded: npx dit-gitops set-image orders-api --env production --tag v1.0.0 --digest sha256:<digest of v1.0.0>, or Flux image automation',
    ]);
    expect(() => renderSetImage(app, { component: 'orders-api', environment: 'production', tag: 'v1.0.0' }, (p) => tagged[p]))
      .toThrow('orders-api [production] digest: is required: production pins images by digest and orders-api/production/image.yaml holds none yet; expected --digest sha256:<digest of v1.0.0>');
    const set = renderSetImage(app, { component: 'orders-api', environment: 'production', tag: 'v1.0.0', digest: DIGEST }, (p) => tagged[p]);
    expect(workloads({ ...tagged, [set.path]: set.content }, 'production')['Deployment/orders-api']).toStrictEqual({ replicas: 2, image: `ghcr.io/dit/orders-api:v1.0.0@${DIGEST}` });
  });
});

describe('dit-gitops check on a pending release', () => {
  it('is up to date, and says on stderr what each pending release waits for', () => {
    const dir = fs.mkdtempSync(path.join(require('os').tmpdir(), 'dit-gitops-pending-'));
    try {
      const definitions = path.join(dir, 'team.ts');
      // The team above, as a definitions module the CLI loads.
      const source = fs.readFileSync(__filename, 'utf8');
      const body = source.slice(source.indexOf('function team(app: GitOpsApp): void {'), source.indexOf('/** What each workload of'));
      fs.writeFileSync(definitions, `import { DitApi, DitCronJob, DitEnvironment, DitWorker, FluxCluster, GitOpsApp, Peer, Port, SealedSecret } from ${JSON.stringify(path.join(ROOT, 'src'))};\nconst DIGEST = '${DIGEST}';\nexport default ${body}`);
      const cli = (...args: string[]) => spawnSync(process.execPath, [path.join(ROOT, 'bin/dit-gitops.js'), ...args, '--definitions', definitions, '--outdir', path.join(dir, 'dist')], { cwd: ROOT, encoding: 'utf8' });
      expect(cli('synth').status).toBe(0);
      const check = cli('check');
      expect([check.status, check.stdout]).toStrictEqual([0, `dit-gitops: ${path.join(dir, 'dist')}/ is up to date (34 files)\n`]);
      expect(check.stderr.split('\n').filter((l) => l.startsWith('dit-gitops: note: pending: orders-api/'))).toHaveLength(2);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
