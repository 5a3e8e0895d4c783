import * as semver from 'semver';
import { DitErrorLocation, received } from '../app/errors';
import type { Problems } from '../app/validation';
import { isDigest, isDigestPinned } from '../images/image-reference';
import { PlainObject, isPlainObject } from '../tree/strategic-patch';

/** How a third-party chart's version is stated, for the pinning check. */
export interface ChartVersionStatement {
  /** Field that states it (`version`, `source.tag`, `source.semver`). */
  readonly field: string;
  /** The constraint or tag; undefined when nothing is stated. */
  readonly value: string | undefined;
}

/**
 * Records the problems of a third-party chart deployed in a production environment: the
 * chart version must be exact (a range lets an unreviewed chart in on the next
 * reconciliation), and every image the values set must be pinned by digest, with at least
 * the main `image` set (the chart's default image floats).
 */
export function checkProductionPinning(version: ChartVersionStatement, values: PlainObject, where: Omit<DitErrorLocation, 'field'>, problems: Problems): void {
  if (version.value === undefined || semver.valid(version.value) === null) {
    problems.add({ ...where, field: version.field },
      `got ${received(version.value)}, which is not one exact chart version; expected an exact version such as 15.0.2 in a production environment (a range lets an unreviewed chart in)`);
  }
  const images = findImages(values, 'values');
  if (images.length === 0) {
    problems.add({ ...where, field: 'values.image' },
      'is not set, so the chart\'s default image runs unpinned; expected the chart\'s image values pinned by digest in a production environment, such as image: { digest: \'sha256:<64 hex characters>\' }');
  }
  for (const image of images.filter((i) => !i.pinned)) {
    problems.add({ ...where, field: image.field },
      `got ${received(image.value)}, not pinned by digest; expected digest: sha256:<64 hex characters> (or <image>@sha256:…) in a production environment`);
  }
}

interface FoundImage {
  readonly field: string;
  readonly value: unknown;
  readonly pinned: boolean;
}

// Helm charts set images as `image: { registry, repository, tag, digest }` (Bitnami and most
// others) or as one `image: repo:tag` string; sidecars under any key ending in `image`.
function findImages(value: unknown, path: string): FoundImage[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => findImages(v, `${path}[${i}]`));
  if (!isPlainObject(value)) return [];
  const found: FoundImage[] = [];
  for (const [key, child] of Object.entries(value)) {
    const field = `${path}.${key}`;
    const imageKey = /image$/i.test(key);
    if (imageKey && typeof child === 'string') {
      found.push({ field, value: child, pinned: isDigestPinned(child) });
    } else if (isPlainObject(child) && (imageKey || ('repository' in child && ('tag' in child || 'digest' in child)))) {
      const pinned = isDigest(child.digest) || isDigestPinned(child.tag) || isDigestPinned(child.repository);
      found.push({ field: `${field}.digest`, value: child.digest, pinned });
    } else {
      found.push(...findImages(child, field));
    }
  }
  return found;
}
