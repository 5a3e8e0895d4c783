import { received } from '../app/errors';

// The distribution/reference grammar Docker and containerd parse image names with: an
// optional registry host[:port], then lowercase path components joined by '/'.
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*';
const DOMAIN = '(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?/)';
const REPOSITORY = new RegExp(`^${DOMAIN}?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*$`);
const DIGEST_PINNED = /@sha256:[0-9a-f]{64}$/;
const DIGEST = /^sha256:[0-9a-f]{64}$/;

/** Why `value` is no image repository Docker can pull, or undefined when it is one. */
export function imageRepositoryProblem(value: unknown): string | undefined {
  if (typeof value === 'string' && value.length <= 255 && REPOSITORY.test(value)) return undefined;
  return `got ${received(value)}; expected an image repository such as my-team/my-api or ghcr.io/my-team/my-api: lowercase letters, digits and separators (. _ __ -), components joined by /`;
}

/** True for an image reference pinned by digest (`name[:tag]@sha256:<64 hex>`). */
export function isDigestPinned(image: unknown): boolean {
  return typeof image === 'string' && DIGEST_PINNED.test(image);
}

/** True for a bare digest (`sha256:<64 hex>`). */
export function isDigest(value: unknown): boolean {
  return typeof value === 'string' && DIGEST.test(value);
}
