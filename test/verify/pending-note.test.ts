import { renderImageFile } from '../../src';
import { pendingNote } from '../../src/verify/check-flux';

// A pending release is a verify note, never a problem: it says what starts the release.
describe('pendingNote', () => {
  test('an empty tag: the action (or set-image) starts it; where digests are pinned the digest is named too', () => {
    expect(pendingNote('api/staging/image.yaml', renderImageFile({ release: 'api', tag: '' }), 'staging')).toBe(
      'pending: api/staging/image.yaml holds no tag yet (tag: ""), so the release installs with no pod (replicas 0, CronJob suspended, no hook Jobs); it starts when CI sets the tag: the auto-deploy action, or npx dit-gitops set-image api --env staging --tag <tag>',
    );
    expect(pendingNote('api/production/image.yaml', renderImageFile({ release: 'api', tag: '', digest: '' }), 'production')).toBe(
      'pending: api/production/image.yaml holds no tag yet (tag: ""), so the release installs with no pod (replicas 0, CronJob suspended, no hook Jobs); it starts once CI records the tag and the digest (production pins digests; the auto-deploy action sets only the tag): npx dit-gitops set-image api --env production --tag <tag> --digest sha256:<digest>, or Flux image automation',
    );
  });

  test('a tag without its pinned digest (the action ran, nothing recorded the digest) waits, and says so', () => {
    expect(pendingNote('api/production/image.yaml', renderImageFile({ release: 'api', tag: 'v1.0.0', digest: '' }), 'production')).toBe(
      'pending: api/production/image.yaml holds tag v1.0.0 but no digest (digest: ""), which production requires, so the release stays at no pod and runs no unpinned image; it starts once the digest is recorded: npx dit-gitops set-image api --env production --tag v1.0.0 --digest sha256:<digest of v1.0.0>, or Flux image automation',
    );
  });

  test('a release with its image: no note', () => {
    expect(pendingNote('api/staging/image.yaml', renderImageFile({ release: 'api', tag: 'v1.0.0' }), 'staging')).toBeUndefined();
  });
});
