import { DigestReflection, DitApi, DitError, ImageSelection, ImageTagRule, PolicyOrder, addSetterMarkers, renderImageAutomation, renderImageFile } from '../../src';
import * as fs from 'fs';
import { DitEnvironment, Peer } from '../../src';
import { synthTree } from '../../src/testing';
import { failingSynth, planDocuments, synthInto, tempDir, twoEnvironments } from '../support';

const ctx = {
  component: 'users',
  environment: 'production',
  image: 'ghcr.io/my-team/users-api',
  pullSecret: 'ghcr-auth',
  updatePath: './dist/users/production',
  source: { name: 'my-team', namespace: 'flux-system' },
};

describe('renderImageAutomation', () => {
  const [repository, policy, automation] = renderImageAutomation({ selection: ImageSelection.semver('>=1.0.0') }, ctx);

  it('an ImageRepository with the GHCR pull secret', () => {
    expect(repository).toStrictEqual({
      apiVersion: 'image.toolkit.fluxcd.io/v1',
      kind: 'ImageRepository',
      metadata: { name: 'users' },
      spec: { image: 'ghcr.io/my-team/users-api', interval: '5m', secretRef: { name: 'ghcr-auth' } },
    });
  });

  it('an ImagePolicy with digest reflection', () => {
    expect(policy.spec).toStrictEqual({ digestReflectionPolicy: 'Always', imageRepositoryRef: { name: 'users' }, interval: '5m', policy: { semver: { range: '>=1.0.0' } } });
  });

  it('an ImageUpdateAutomation scoped to the overlay, with the Setters strategy', () => {
    expect(automation.spec).toStrictEqual({
      git: {
        checkout: { ref: { branch: 'main' } },
        commit: { author: { email: 'fluxcdbot@users.noreply.github.com', name: 'fluxcdbot' }, messageTemplate: expect.stringContaining('users (production): update image') },
        push: { branch: 'main' },
      },
      interval: '5m',
      sourceRef: { kind: 'GitRepository', name: 'my-team', namespace: 'flux-system' },
      update: { path: './dist/users/production', strategy: 'Setters' },
    });
  });

  it('suspend: true pauses the ImageUpdateAutomation only (skip auto-deploy)', () => {
    const [scan, , paused] = renderImageAutomation({ selection: ImageSelection.semver('>=1.0.0'), suspend: true }, ctx);
    expect(paused.spec).toMatchObject({ suspend: true });
    expect(scan.spec).not.toHaveProperty('suspend');
    expect(automation.spec).not.toHaveProperty('suspend');
  });

  it('filters tags with the environment rule, and other selections', () => {
    const [, numeric] = renderImageAutomation({
      selection: ImageSelection.numerical(PolicyOrder.ASC),
      filterTags: { pattern: '^main-[a-f0-9]+-(?P<ts>[0-9]+)', extract: '$ts' },
      digestReflection: DigestReflection.IF_NOT_PRESENT,
      pushBranch: 'image-updates',
    }, { ...ctx, tagPattern: '^ignored$' });
    expect(numeric.spec).toMatchObject({ policy: { numerical: { order: 'asc' } }, filterTags: { pattern: '^main-[a-f0-9]+-(?P<ts>[0-9]+)', extract: '$ts' }, digestReflectionPolicy: 'IfNotPresent' });
    const [, alpha] = renderImageAutomation({ selection: ImageSelection.alphabetical() }, { ...ctx, tagPattern: '^dev-[0-9a-f]{7}$' });
    expect(alpha.spec).toMatchObject({ policy: { alphabetical: { order: 'asc' } }, filterTags: { pattern: '^dev-[0-9a-f]{7}$' } });
  });
});

describe('setter markers', () => {
  const plain = renderImageFile({ release: 'users', githubRepository: 'o/users', tag: 'v1.0.0', digest: `sha256:${'a'.repeat(64)}` });

  it('are added to a file that lacks them, keeping every value: the tag, the digest and the tag the digest was recorded for', () => {
    expect(addSetterMarkers(plain, 'team', 'users')).toBe(plain
      .replace(/tag: v1\.0\.0/g, 'tag: v1.0.0 # {"$imagepolicy": "team:users:tag"}')
      .replace(`digest: sha256:${'a'.repeat(64)}`, `digest: sha256:${'a'.repeat(64)} # {"$imagepolicy": "team:users:digest"}`));
  });

  it('are left alone when present (what Flux committed survives)', () => {
    const flux = addSetterMarkers(plain, 'team', 'users').replace(/v1\.0\.0/g, 'v1.1.0');
    expect(addSetterMarkers(flux, 'team', 'users')).toBe(flux);
  });

  it('land in a synthesized image.yaml, and the overlay lists image-automation.yaml', () => {
    const define = twoEnvironments((app, { prod }) => {
      const api = new DitApi(app, 'api', { image: { tag: '1.0.0', digest: `sha256:${'b'.repeat(64)}` } });
      api.connections.allowFrom(Peer.traefik());
      api.enableImageAutomation(prod, { selection: ImageSelection.semver('^1.0.0') });
    });
    const tree = synthTree(define);
    expect(tree['api/production/image.yaml']).toContain('        tag: 1.0.0 # {"$imagepolicy": "team:api:tag"}\n');
    expect(tree['api/production/image.yaml']).toContain(`        digest: sha256:${'b'.repeat(64)} # {"$imagepolicy": "team:api:digest"}\n`);
    expect(tree['api/development/image.yaml']).toContain('        tag: 1.0.0\n');
    const docs = planDocuments(define);
    expect(docs['api/production/kustomization.yaml']).toStrictEqual([{ resources: ['../base', 'image-automation.yaml'], patches: [{ path: 'image.yaml' }] }]);
    expect(docs['api/production/image-automation.yaml'].map((o) => o.kind)).toStrictEqual(['ImageRepository', 'ImagePolicy', 'ImageUpdateAutomation']);
    expect(docs['api/development/image-automation.yaml']).toBeUndefined();
  });
});

describe('bad image input', () => {
  it('an image policy whose semver range does not parse', () => {
    expect(failingSynth((app, { prod }) => {
      const api = new DitApi(app, 'api');
      api.connections.allowFrom(Peer.traefik());
      api.enableImageAutomation(prod, { selection: ImageSelection.semver('>=one.two') });
    }).message).toBe('api [production] imageAutomation.selection: semver range ">=one.two" does not parse; expected a range such as >=1.0.0 or ^2.x');
  });

  it('a first tag that breaks the environment rule', () => {
    const outdir = tempDir();
    expect(() => synthInto(outdir, (app) => {
      new DitEnvironment(app, 'release', { namespace: 'team', domain: 'example.com', imageTagRule: ImageTagRule.semver() });
      new DitApi(app, 'web').connections.allowFrom(Peer.traefik());
    })).toThrow('web [release] image.tag: got "latest", which breaks the environment\'s tag rule; expected a semantic version such as v1.2.3');
    expect(fs.readdirSync(outdir)).toStrictEqual([]);
  });

  it('a semver range that does not parse is reported by the environment that uses it', () => {
    const outdir = tempDir();
    expect(() => synthInto(outdir, (app) => {
      new DitEnvironment(app, 'release', { namespace: 'team', domain: 'example.com', imageTagRule: ImageTagRule.semver('banana') });
      new DitApi(app, 'web', { image: { tag: 'v1.0.0' } }).connections.allowFrom(Peer.traefik());
    })).toThrow(new DitError({ component: 'environment release', field: 'imageTagRule.semver' }, 'got "banana", which is not a semver range; expected a range such as *, >=1.0.0 or ^2.x'));
    expect(fs.readdirSync(outdir)).toStrictEqual([]);
  });
});

describe('addSetterMarkers on a file with other tag lines', () => {
  it('marks spec.values.global.image.tag only', () => {
    const content = [
      'apiVersion: helm.toolkit.fluxcd.io/v2', 'kind: HelmRelease', 'metadata:', '  name: users', 'spec:', '  values:',
      '    sidecar:', '      tag: v9', '    global:', '      image:', '        tag: v1.0.0', '',
    ].join('\n');
    expect(addSetterMarkers(content, 'team', 'users')).toBe(content.replace('        tag: v1.0.0', '        tag: v1.0.0 # {"$imagepolicy": "team:users:tag"}'));
  });
});
