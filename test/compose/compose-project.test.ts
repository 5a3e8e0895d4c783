import * as path from 'path';
import { parse } from 'yaml';
import { ComposeProject, DitApi, DitEnvironment, GitOpsApp, ImageTagRule, Peer, Port, readSources } from '../../src';
import { synthTree } from '../../src/testing';

const SHOP = path.join(__dirname, 'fixtures', 'shop', 'docker-compose.yml');
const DIGEST = `sha256:${'c'.repeat(64)}`;
const release = (tree: Record<string, string>, file: string) => parse(tree[file].split('---\n')[1]);

function shopTree(): Record<string, string> {
  const app = new GitOpsApp();
  new ComposeProject(app, 'shop', { compose: readSources([SHOP]), project: 'shop', domain: 'shop.example.com' });
  return synthTree(app);
}

describe('ComposeProject', () => {
  const tree = shopTree();

  test('one directory per service, overlays where the service is deployed: pending in production, the front end is there too', () => {
    expect(Object.keys(tree).filter((f) => f.startsWith('frontend/') || f.startsWith('main/'))).toStrictEqual([
      'frontend/base/kustomization.yaml', 'frontend/base/release.yaml', 'frontend/production/image.yaml', 'frontend/production/kustomization.yaml',
      'frontend/production/release.yaml', 'frontend/staging/image.yaml', 'frontend/staging/kustomization.yaml',
      'frontend/staging/release.yaml', 'main/production/kustomization.yaml', 'main/staging/kustomization.yaml',
    ]);
    expect(parse(tree['main/production/kustomization.yaml'].split('---\n')[1]).resources).toContain('../../frontend/production');
    // Pending: the first image.yaml holds an empty tag and, production pinning digests, an empty digest.
    expect(parse(tree['frontend/production/image.yaml']).spec.values.global).toStrictEqual({ image: { tag: '', digest: '' } });
    expect(parse(tree['frontend/staging/image.yaml']).spec.values.global).toStrictEqual({ image: { tag: 'sha-1f2e3d4' } });
  });

  test('the rules reach the HelmRelease: dependsOn, probes, resources, pull secrets, ingress, network policy', () => {
    const spec = release(tree, 'frontend/base/release.yaml').spec;
    expect(spec.dependsOn).toStrictEqual([{ name: 'api' }]);
    expect(spec.values.probes).toStrictEqual({
      path: '/healthz',
      port: 3000,
      readiness: { failureThreshold: 3, periodSeconds: 30, timeoutSeconds: 5 },
      liveness: { failureThreshold: 3, periodSeconds: 30, timeoutSeconds: 5 },
      startup: { failureThreshold: 2, periodSeconds: 30, timeoutSeconds: 5 },
    });
    expect(spec.values.ports).toStrictEqual([{ name: 'http', port: 3000, protocol: 'TCP' }]);
    expect(spec.values.resources).toStrictEqual({ limits: { cpu: '500m', memory: '512Mi' }, requests: { cpu: '100m', memory: '256Mi' } });
    expect(spec.values.imagePullSecrets).toStrictEqual(['ghcr-auth']);
    expect(spec.values.ingress).toStrictEqual({ annotations: { 'nginx.ingress.kubernetes.io/proxy-body-size': '8m' }, className: 'traefik', enabled: true });
    expect(Object.keys(spec.values.ciliumNetworkPolicy.ingress)).toStrictEqual(['traefik']);
    expect(release(tree, 'frontend/staging/release.yaml').spec.values.ingress.hosts[0].host).toBe('frontend.staging.shop.example.com');
  });

  test('the database only accepts its users; a worker nobody reaches denies all ingress', () => {
    const db = parse(tree['db/base/network-policy.yaml'].split('---\n')[1]);
    const from = (instance: string) => ({ fromEndpoints: [{ matchLabels: { 'app.kubernetes.io/instance': instance } }], toPorts: [{ ports: [{ port: '5432', protocol: 'TCP' }] }] });
    expect(db.spec.ingress).toStrictEqual([from('api'), from('worker')]);
    expect(release(tree, 'worker/base/release.yaml').spec.values.ciliumNetworkPolicy.ingress).toStrictEqual({});
  });

  test('semver tags of the team registry get Flux image automation; the worker on the same image follows the API (imageFrom) and has none of its own', () => {
    expect(Object.keys(tree).filter((f) => f.endsWith('image-automation.yaml'))).toStrictEqual(['api/production/image-automation.yaml', 'api/staging/image-automation.yaml']);
    const updateAutomation = (file: string) => parse(tree[file].split('---\n')[3]);
    expect(updateAutomation('api/staging/image-automation.yaml').spec).not.toHaveProperty('suspend');
    expect(Object.keys(tree).filter((f) => f.startsWith('worker/staging/'))).toStrictEqual(['worker/staging/kustomization.yaml']);
    expect(release(tree, 'worker/base/release.yaml').spec.values.args).toStrictEqual(['celery', '-A', 'shop', 'worker']);
  });

  test('x-dit.suspend renders the HelmRelease suspended', () => {
    const app = new GitOpsApp();
    new ComposeProject(app, 'p', { compose: { files: [{ file: 'c.yml', content: `services:\n  web: { image: "nginx:1.27.0@${DIGEST}", x-dit: { suspend: true } }\n` }] }, project: 'p', domain: 'p.example.com' });
    expect(release(synthTree(app), 'web/base/release.yaml').spec.suspend).toBe(true);
  });

  test('lives beside hand-written components, in the app\'s own environments, with override hooks', () => {
    const app = new GitOpsApp();
    const staging = new DitEnvironment(app, 'staging', { namespace: 'team', domain: 'staging.team.example.com' });
    const users = new DitApi(app, 'users', { image: { repository: 'team/users', tag: '1.0.0' } });
    users.connections.allowFrom(Peer.traefik(), Port.tcp(8080));
    const project = new ComposeProject(app, 'shop', {
      compose: { files: [{ file: 'c.yml', content: 'services:\n  web:\n    image: ghcr.io/team/web:sha-1234567\n    expose: ["80"]\n    networks: [ingress]\n' }] },
      project: 'team',
      domain: 'team.example.com',
      environments: [{ name: 'staging' }],
      existingEnvironments: [staging],
      customize: (plan) => ({ ...plan, golden: { ...plan.golden!, replicas: 3 } }),
    });
    project.component('web').connections.allowTo(users);
    const out = synthTree(app);
    expect(parse(out['main/staging/kustomization.yaml'].split('---\n')[1])).toStrictEqual({ namespace: 'team', resources: ['../../users/staging', '../../web/staging'] });
    expect(release(out, 'web/base/release.yaml').spec.values.replicas).toBe(3);
    expect(Object.keys(release(out, 'users/base/release.yaml').spec.values.ciliumNetworkPolicy.ingress)).toStrictEqual(['traefik', 'web']);
    expect(project.report.slice(0, 2)).toStrictEqual([{ service: 'web', message: 'api (default for a service that is neither database, worker nor front end)' }, { service: 'web', message: 'port 80 (from expose:)' }]);
  });

  test('errors name the project and what is allowed', () => {
    const app = new GitOpsApp();
    const dev = new DitEnvironment(app, 'dev', { namespace: 'team', domain: 'dev.example.com' });
    const compose = { files: [{ file: 'c.yml', content: 'services:\n  web: { image: "nginx:1.27.0" }\n' }] };
    expect(() => new ComposeProject(app, 'shop', { compose, project: 'team', domain: 'team.example.com', existingEnvironments: [dev] }))
      .toThrow('compose project team existingEnvironments: has no environment named staging; expected one of dev, or the environments option to match them');
    const project = new ComposeProject(new GitOpsApp(), 'shop', { compose, project: 'team', domain: 'team.example.com' });
    expect(() => project.component('api')).toThrow('compose project team component(api): no component was built for "api"; expected one of web');
  });

  test('existing environments keep their own rules: a tag their rule refuses makes the component pending, and the report says so', () => {
    const app = new GitOpsApp();
    const staging = new DitEnvironment(app, 'staging', { namespace: 'team', domain: 'staging.team.example.com', imageTagRule: ImageTagRule.pattern(/^main-[0-9a-f]{7}$/) });
    const content = 'services:\n  web: { image: "ghcr.io/team/web:main-1a2b3c4" }\n  old: { image: "ghcr.io/team/old:1.0.0" }\n';
    const project = new ComposeProject(app, 'team', {
      compose: { files: [{ file: 'c.yml', content }] }, project: 'team', domain: 'team.example.com', environments: [{ name: 'staging' }], existingEnvironments: [staging],
    });
    expect(project.plan.components.map((c) => c.name)).toStrictEqual(['web', 'old']);
    expect(project.report.filter((l) => l.service === 'old').slice(-1).map((l) => l.message)).toStrictEqual([
      'pending in staging: tag 1.0.0 breaks staging\'s tag rule (a tag matching /^main-[0-9a-f]{7}$/); installed with no pod (image.yaml tag "") until CI sets the tag: the auto-deploy action, or npx dit-gitops set-image old --env staging --tag <tag> (or pin it in compose: use a tag staging\'s rule accepts)',
    ]);
    expect(parse(synthTree(app)['old/staging/image.yaml']).spec.values.global).toStrictEqual({ image: { tag: '' } });
    expect(Object.keys(synthTree(app)).filter((f) => f.startsWith('web/staging/'))).toStrictEqual(['web/staging/image.yaml', 'web/staging/kustomization.yaml']);
  });
});
