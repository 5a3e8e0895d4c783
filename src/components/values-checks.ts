import * as semver from 'semver';
import { DitErrorLocation, received } from '../app/errors';
import { checkResourceQuantities, imageRepositoryProblem, isDigest, isDigestPinned } from '../app/kubernetes-names';
import type { Problems } from '../app/validation';
import { ChartValues, ValuesContext, checkChartValues, publicConfigs } from './chart-values';
import { SecurityOptOut, SecurityRelaxation, checkProtectedValues, relaxes } from './protected-values';
import { assertNoPlainSecrets, findCredentials } from './secrets';
import { PlainObject, isPlainObject } from '../tree/strategic-patch';

// Checks of chart values beyond their shape: golden charts' typed values and extraValues, and
// what a third-party chart must pin in production.

/**
 * Records every problem of a golden chart's values (the base, or merged for one environment):
 * the typed checks of chart-values, quantities as Kubernetes parses them, the image
 * repository, credentials in annotations, and protected keys in extraValues.
 */
export function checkGoldenChartValues(values: ChartValues, ctx: ValuesContext, optOut: SecurityOptOut | undefined, problems: Problems): void {
  const where = (field: string): DitErrorLocation => ({ component: ctx.component, environment: ctx.environment?.name, field });
  // Root is the one securityContext check an opt-out relaxes.
  checkChartValues(values, ctx, problems, { allowRoot: relaxes(optOut, SecurityRelaxation.RUN_AS_ROOT) });
  const secretsPath = values.infisical?.secretsPath ?? `/${ctx.component}`;
  for (const [key, value] of Object.entries(publicConfigs(values))) {
    problems.check(() => assertNoPlainSecrets({ [key]: value }, where('configs'), secretsPath));
  }
  checkResourceQuantities(values.resources, where('resources'), problems);
  const sealed = values.infisical?.sealedToken?.problem;
  if (sealed) problems.add(where('infisical.sealedToken'), sealed);
  if (values.image?.repository !== undefined) {
    const problem = imageRepositoryProblem(values.image.repository);
    if (problem) problems.add(where('image.repository'), problem);
  }
  for (const field of findCredentials(values.ingress?.annotations, 'ingress.annotations')) {
    problems.add(where(field), 'looks like a credential with a literal value, which would be committed in plain text; expected a reference to a Secret (for example an auth Secret\'s name) managed by Infisical or sealed');
  }
  checkProtectedValues(values.extraValues, where('extraValues'), 'golden-chart', optOut, problems);
}

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
