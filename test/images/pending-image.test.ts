import { DitApi, DitEnvironment, DitError, GitOpsApp, ImageFileContext, ImageTagRule, editImageFile, reconcileImageFile, renderImageFile, renderSetImage, staleDigestProblem, validateImageRecord } from '../../src';
import { pendingReason } from '../../src/images/image-file';
import { synthTree } from '../../src/testing';

// Issue 20: a pending release's image.yaml, and what CI's edits make of it.
const DIGEST = `sha256:${'570965b16c53e7fe'.repeat(4)}`;
const production: ImageFileContext = {
  file: 'dist/api/production/image.yaml', component: 'api', environment: 'production', release: 'api',
  requirements: { pinDigest: true, tagRule: ImageTagRule.semver(), allowPending: true },
};
const staging: ImageFileContext = { ...production, file: 'dist/api/staging/image.yaml', environment: 'staging', requirements: { pinDigest: false, allowPending: true } };
const where = { component: 'api', environment: 'production' };

describe('the record of a pending release', () => {
  test('an empty tag, and an empty digest where digests are pinned, are valid only where pending is allowed', () => {
    expect(() => validateImageRecord({ release: 'api', tag: '', digest: '' }, where, { pinDigest: true, tagRule: ImageTagRule.semver(), allowPending: true })).not.toThrow();
    expect(() => validateImageRecord({ release: 'api', tag: 'v1.0.0', digest: '' }, where, { pinDigest: true, tagRule: ImageTagRule.semver(), allowPending: true })).not.toThrow();
    expect(() => validateImageRecord({ release: 'api', tag: '' }, where, { pinDigest: false }))
      .toThrow('api [production] image.tag: got ""; expected a Docker tag: letters, digits, \'_\', \'.\' and \'-\', at most 128');
    expect(() => validateImageRecord({ release: 'api', tag: '', digest: DIGEST }, where, { pinDigest: true, allowPending: true }))
      .toThrow(`api [production] image.digest: got "${DIGEST}" while the tag is empty (a pending release); expected "" or no digest until CI records the image's tag and digest together`);
    // Pinned and pending still needs the digest line: without it the action's tag would start it unpinned.
    expect(() => validateImageRecord({ release: 'api', tag: '' }, where, { pinDigest: true, allowPending: true }))
      .toThrow('api [production] image.digest: is missing, and this environment pins images by digest; expected sha256:<64 hex characters>');
  });

  test('renders as tag: "" (and digest: "" with no digest record)', () => {
    expect(renderImageFile({ release: 'api', tag: '', digest: '' }).split('\n').slice(-4)).toStrictEqual(['      image:', '        tag: ""', '        digest: ""', '']);
    expect(renderImageFile({ release: 'api', tag: '', digest: '' })).not.toContain('dit-gitops.io/digest-tag');
  });

  test('pendingReason reads the merged values: tag first, then the digest; an absent digest is unpinned', () => {
    expect([
      pendingReason({ global: { image: { tag: '' } } }),
      pendingReason({ global: { image: { tag: 'v1.0.0', digest: '' } } }),
      pendingReason({ global: { image: { tag: 'v1.0.0' } } }),
      pendingReason({ global: { image: { tag: 'v1.0.0', digest: DIGEST } } }),
      pendingReason(undefined),
    ]).toStrictEqual(['tag', 'digest', undefined, undefined, undefined]);
  });
});

describe('CI edits a pending image.yaml', () => {
  const pendingProduction = renderImageFile({ release: 'api', tag: '', digest: '' });
  const pendingStaging = renderImageFile({ release: 'api', tag: '' });

  test('synthesis keeps it as it is, committed or not', () => {
    expect(reconcileImageFile(pendingProduction, production)).toBe(pendingProduction);
    expect(reconcileImageFile(pendingStaging, staging, pendingStaging)).toBe(pendingStaging);
  });

  test("the action's edit (the tag only) is accepted: no stale digest, none moved since git HEAD", () => {
    const tagged = pendingProduction.replace('tag: ""', 'tag: v1.0.0');
    expect(reconcileImageFile(tagged, production, pendingProduction)).toBe(tagged);
    expect(staleDigestProblem(tagged)).toBeUndefined();
  });

  test('set-image records tag and digest together, with the digest record', () => {
    const edited = editImageFile(pendingProduction, production, { tag: 'v1.0.0', digest: DIGEST });
    expect(edited).toContain(`    dit-gitops.io/digest-tag: v1.0.0\n`);
    expect(edited.split('\n').slice(-4)).toStrictEqual(['      image:', '        tag: v1.0.0', `        digest: ${DIGEST}`, '']);
  });
});

describe('image: { pending: true } in the definitions', () => {
  function app(): GitOpsApp {
    const a = new GitOpsApp({ outdir: 'unused' });
    new DitEnvironment(a, 'staging', { namespace: 'team-staging', domain: 'staging.example.com' });
    new DitEnvironment(a, 'production', { namespace: 'team', domain: 'example.com' });
    return a;
  }

  test('per environment in overrides: only that image.yaml starts pending; the tag given is not used there', () => {
    const a = app();
    new DitApi(a, 'api', { image: { repository: 'team/api', tag: 'sha-1234567' }, overrides: { production: { image: { pending: true } } } }).connections.denyAllIngress();
    const tree = synthTree(a);
    expect(tree['api/staging/image.yaml']).toContain('        tag: sha-1234567\n');
    expect(tree['api/production/image.yaml']).toContain('        tag: ""\n        digest: ""\n');
  });

  test('a latest tag where latest is refused keeps its clear error: pending is said, never assumed', () => {
    const a = app();
    new DitApi(a, 'api', { image: { repository: 'team/api', tag: 'latest' }, overrides: { production: { image: { pending: true } } } }).connections.denyAllIngress();
    expect(() => synthTree(a)).toThrow(/api \[staging\] image\.tag: got "latest", which breaks the environment's tag rule/);
  });

  test('set-image refuses an empty tag, and where digests are pinned a tag without its digest', () => {
    const a = app();
    new DitApi(a, 'api', { image: { repository: 'team/api', pending: true } }).connections.denyAllIngress();
    const tree = synthTree(a);
    expect(() => renderSetImage(a, { component: 'api', environment: 'staging', tag: '' }, (p) => tree[p]))
      .toThrow('api [staging] tag: is empty; expected the tag of the image CI built (an empty tag is how a pending release waits for its first one)');
    expect(() => renderSetImage(a, { component: 'api', environment: 'production', tag: 'v1.0.0' }, (p) => tree[p])).toThrow(DitError);
    expect(renderSetImage(a, { component: 'api', environment: 'staging', tag: 'main-1234567' }, (p) => tree[p]).content).toContain('        tag: main-1234567\n');
  });
});
