import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { DitApi, DitEnvironment, FluxCluster, GitOpsApp, ImageRegistry, Peer, Port, SealedSecret, formatVerifyProblem } from '../../src';
import { synthTree, verifyTree } from '../../src/testing';
import '../../src/testing';
import { defineTeam } from '../../src/main';
import { readTree, tempDir } from '../support';

// The whole path: kubectl kustomize, helm template of the golden charts, then the checks.
const ROOT = path.join(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'dit-gitops.js');
const cli = (args: readonly string[], cwd = ROOT) => spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' } });

describe('dit-gitops verify on the example', () => {
  it('passes in every environment, exit 0, with the third-party charts noted as not rendered', () => {
    const result = cli(['verify']);
    expect([result.status, result.stdout]).toStrictEqual([0, 'dit-gitops: verified development, staging, production: no problems\n']);
    expect(result.stderr).toContain('dit-gitops: note: staging redis: third-party chart not rendered offline: its declared ports (6379/TCP) and pod labels (app.kubernetes.io/instance=redis) and a Service named redis stand in\n');
  });

  it('--format json gives the same as data', () => {
    const result = cli(['verify', 'staging', '--format', 'json']);
    const report = JSON.parse(result.stdout);
    expect([result.status, report.environments, report.problems]).toStrictEqual([0, ['staging'], []]);
    expect(report.notes).toContainEqual({ environment: 'staging', component: 'rabbitmq', message: 'third-party chart not rendered offline: its declared ports (5672/TCP, 15672/TCP) and pod labels (app.kubernetes.io/instance=rabbitmq) and a Service named rabbitmq stand in' });
  });

  it('an unknown environment could not run: exit 2 and the environments there are', () => {
    const result = cli(['verify', 'qa']);
    expect([result.status, result.stderr]).toStrictEqual([2, 'dit-gitops: verify could not run: GitOpsApp environment: got "qa", which the app does not declare; expected one of development, staging, production\n']);
  });

  it('a tree that does not build could not run: exit 2, naming the environment', () => {
    const outdir = tempDir();
    fs.cpSync(path.join(ROOT, 'dist'), outdir, { recursive: true });
    fs.writeFileSync(path.join(outdir, 'main', 'staging', 'kustomization.yaml'), 'resources:\n  - ../../nowhere\n');
    const result = cli(['verify', 'staging', '--outdir', outdir, '--charts', path.join(ROOT, 'charts')]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^dit-gitops: verify could not run: kubectl kustomize main\/staging failed: /);
  });

  it('a golden chart that cannot be found is an error saying where charts are looked for, never a skipped release', () => {
    const result = cli(['verify', 'staging', '--charts', tempDir()]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^dit-gitops: verify could not run: golden chart dit-common-api, dit-common-client not found in \/tmp\/\S+ \(looked in --charts, else \.\/charts, else the charts shipped with dit-gitops\); its releases cannot be rendered\n$/);
  });
});

describe('verify catches what a check of form passes', () => {
  // Seed 004's my-api as the seed wrote it: the staging configuration dials hosts the egress forbids.
  function seedTeam(app: GitOpsApp): void {
    new FluxCluster(app, 'cluster', { name: 'team', git: { url: 'ssh://git@github.com/org/team-gitops', secretRef: 'deploy-key' } });
    const staging = new DitEnvironment(app, 'staging', { namespace: 'team', domain: 'staging.example.com' });
    const api = new DitApi(app, 'my-api', {
      image: { repository: 'team/my-api', tag: 'main-843632a' },
      configs: { RemoteServices__UserApiUrl: 'http://users-api', Storage__Endpoint: 'https://s3.dev.krd' },
      infisical: { secretsPath: '/my-api', sealedToken: SealedSecret.fromCiphertext('AgCXZS4jexampleexampleexample==') },
    });
    const users = new DitApi(app, 'users', { releaseName: 'users-api', image: { repository: 'team/users-api', tag: 'main-5c1d2e3' } });
    api.connections.allowFrom(Peer.traefik(), Port.tcp(8080));
    users.connections.allowFrom(Peer.traefik(), Port.tcp(8080), { environments: [staging] });
  }

  it('names each call that would fail, with the end that refuses it and the statement that fixes it', () => {
    const app = new GitOpsApp({ outdir: 'unused' });
    seedTeam(app);
    const tree = synthTree(app);
    expect(verifyTree(app, tree, { repositoryRoot: ROOT }).problems.map(formatVerifyProblem)).toStrictEqual([
      'staging my-api call: configs.RemoteServices__UserApiUrl dials users-api:80: Service/users-api serves 8080, not 80; expected the value to dial users-api:8080',
      "staging my-api call: configs.Storage__Endpoint dials s3.dev.krd:443: my-api egress refuses it (no egress rule of team/my-api allows s3.dev.krd:443/TCP); fix: my-api.connections.allowTo(Peer.fqdn('s3.dev.krd'), Port.tcp(443))",
    ]);
  });

  it('passes once the configuration dials the served port and the connections are stated (toPassVerify)', () => {
    const app = new GitOpsApp({ outdir: 'unused', registry: ImageRegistry.ghcr() });
    seedTeam(app);
    const [api, users] = ['my-api', 'users'].map((n) => app.components.find((c) => c.name === n)!) as DitApi[];
    api.addOverride(app.environments[0], { configs: { RemoteServices__UserApiUrl: 'http://users-api:8080' } });
    api.connections.allowTo(users, Port.tcp(8080)).allowTo(Peer.fqdn('s3.dev.krd'), Port.tcp(443));
    expect(synthTree(app)).toPassVerify(app, { repositoryRoot: ROOT });
  });

  it('a missing golden chart in the repository is a Flux problem: Flux could not build the HelmChart', () => {
    const app = new GitOpsApp({ outdir: 'unused' });
    seedTeam(app);
    const problems = verifyTree(app, synthTree(app), { repositoryRoot: tempDir(), charts: path.join(ROOT, 'charts') }).problems.map(formatVerifyProblem);
    expect(problems.filter((p) => p.includes(' flux: '))).toStrictEqual([
      'staging dit-common-api flux: HelmChart path ./charts/dit-common-api has no Chart.yaml in the repository; Flux cannot build the chart (copy the golden charts there: dit-gitops init does)',
    ]);
  });
});

describe('a tag the auto-deploy action bumped without its digest', () => {
  it('is a stale digest in verify too, judged from the file alone', () => {
    const app = new GitOpsApp({ outdir: 'unused' });
    defineTeam(app);
    const tree = synthTree(app, { previous: readTree(path.join(ROOT, 'dist')) });
    const file = 'my-api/production/image.yaml';
    // yq -i '.spec.values.global.image.tag = "v1.2.4"': the tag moves, the digest stays.
    const bumped = { ...tree, [file]: tree[file].replace(/^(\s+)tag: v1\.2\.3$/m, '$1tag: v1.2.4') };
    expect(verifyTree(app, bumped, { repositoryRoot: ROOT, environments: ['production'] }).problems.map(formatVerifyProblem)).toStrictEqual([
      'production my-api image: my-api/production/image.yaml spec.values.global.image.digest is the digest recorded for tag "v1.2.3" (metadata.annotations.dit-gitops.io/digest-tag), but the tag is now "v1.2.4": the pod would keep running the v1.2.3 image under the new tag; expected the digest of v1.2.4, recorded with npx dit-gitops set-image my-api --env production --tag v1.2.4 --digest sha256:<digest of v1.2.4>',
    ]);
  });
});

describe('the library and the CLI agree', () => {
  it('verifyTree on the synthesized example finds what the CLI finds on dist/: nothing', () => {
    const app = new GitOpsApp({ outdir: 'unused' });
    defineTeam(app);
    const tree = synthTree(app, { previous: readTree(path.join(ROOT, 'dist')) });
    expect(verifyTree(app, tree, { repositoryRoot: ROOT }).problems).toStrictEqual([]);
  });
});
