import { DitError, DitErrorLocation, received } from './errors';
import type { Problems } from './validation';

// Names and values as the systems that read them parse them: the API server, Helm, Flux and
// the container runtime. A value that passes here is one they accept.

// RFC 1123 label: what Kubernetes accepts for namespaces, Services and HelmRelease names
// that double as Service names.
const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
// RFC 1123 subdomain: dotted labels, for hosts, domains and label-key prefixes.
const DNS_1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
// Helm 3 (pkg/chartutil ValidateReleaseName): a DNS-1123 subdomain of at most 53 characters,
// because Helm appends suffixes to the release name to name its Secrets.
const HELM_RELEASE_NAME_MAX = 53;
// apimachinery IsQualifiedName / IsValidLabelValue: the name part of a label key and a label value.
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/** True for a DNS-1123 label: at most 63 lowercase letters, digits and '-', alphanumeric at both ends. */
export function isDnsLabel(value: unknown): boolean {
  return typeof value === 'string' && value.length <= 63 && DNS_1123_LABEL.test(value);
}

/** True for a DNS-1123 subdomain (dotted labels, at most 253) such as `staging.example.com`. */
export function isDnsSubdomain(value: unknown): boolean {
  return typeof value === 'string' && value.length <= 253 && DNS_1123_SUBDOMAIN.test(value);
}

/** Throws unless `value` is a DNS-1123 label (lowercase alphanumerics and '-', at most 63). */
export function assertDnsLabel(value: unknown, where: DitErrorLocation): asserts value is string {
  if (typeof value !== 'string' || !isDnsLabel(value)) {
    throw new DitError(where, `got ${received(value)}; expected a DNS-1123 label: at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit`);
  }
}

/** Throws unless `value` is a DNS-1123 subdomain such as `staging.example.com`. */
export function assertDnsSubdomain(value: unknown, where: DitErrorLocation): asserts value is string {
  if (typeof value !== 'string' || !isDnsSubdomain(value)) {
    throw new DitError(where, `got ${received(value)}; expected a DNS-1123 subdomain such as staging.example.com`);
  }
}

/** Why `value` is no Helm release name, or undefined when it is one. */
export function helmReleaseNameProblem(value: unknown): string | undefined {
  if (typeof value === 'string' && value.length <= HELM_RELEASE_NAME_MAX && DNS_1123_SUBDOMAIN.test(value)) return undefined;
  const length = typeof value === 'string' && value.length > HELM_RELEASE_NAME_MAX ? ` (${value.length} characters)` : '';
  return `got ${received(value)}${length}; expected a Helm release name: at most 53 lowercase letters, digits, '-' and '.', starting and ending with a letter or digit`;
}

/** Why `key` is no Kubernetes label key (`[prefix/]name`), or undefined when it is one. */
export function labelKeyProblem(key: string): string | undefined {
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  const expected = 'expected [prefix/]name: an optional DNS-1123 subdomain prefix (at most 253) and a name of at most 63 letters, digits, \'-\', \'_\' and \'.\', starting and ending with a letter or digit';
  if (prefix !== undefined && (prefix.length === 0 || prefix.length > 253 || !DNS_1123_SUBDOMAIN.test(prefix))) return `key ${received(key)} has an invalid prefix; ${expected}`;
  if (name.length === 0 || name.length > 63 || !QUALIFIED_NAME.test(name)) return `key ${received(key)} is not a valid label key; ${expected}`;
  return undefined;
}

/** Why `value` is no Kubernetes label value, or undefined when it is one. */
export function labelValueProblem(value: unknown): string | undefined {
  if (typeof value === 'string' && (value === '' || (value.length <= 63 && QUALIFIED_NAME.test(value)))) return undefined;
  return `value ${received(value)} is not a valid label value; expected at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit (or empty)`;
}

/** Records a problem for each bad key or value of a label map (pod labels, selectors). */
export function checkLabels(labels: unknown, where: DitErrorLocation, problems: Problems, options: { readonly nonEmpty?: boolean } = {}): void {
  if (typeof labels !== 'object' || labels === null || Array.isArray(labels)) {
    problems.add(where, `got ${received(labels)}; expected a map of label keys to values`);
    return;
  }
  const entries = Object.entries(labels);
  if (options.nonEmpty && entries.length === 0) problems.add(where, 'is empty, which selects every pod of the namespace; expected at least one label');
  for (const [key, value] of entries) {
    const problem = labelKeyProblem(key) ?? labelValueProblem(value);
    if (problem) problems.add({ ...where, field: `${where.field}.${key}` }, problem);
  }
}

// apimachinery resource.Quantity: a signed decimal number, then a binary-SI suffix, a
// decimal-SI suffix or a decimal exponent.
const QUANTITY = /^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?[0-9]+)?$/;

/** Why `value` is no non-negative Kubernetes resource quantity, or undefined when it is one. */
export function quantityProblem(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return undefined;
  if (typeof value === 'string' && QUANTITY.test(value) && !value.startsWith('-')) return undefined;
  return `got ${received(value)}; expected a Kubernetes quantity such as 250m, 0.5, 512Mi or 1Gi (a number, then Ki/Mi/Gi/Ti/Pi/Ei, n/u/m/k/M/G/T/P/E or an exponent; no spaces)`;
}

/**
 * Records a problem for each bad quantity of a container's `resources` (`requests` and
 * `limits`), at `<where.field>.<requests|limits>.<resource>`.
 */
export function checkResourceQuantities(resources: unknown, where: DitErrorLocation, problems: Problems): void {
  if (typeof resources !== 'object' || resources === null) return;
  for (const kind of ['requests', 'limits'] as const) {
    const quantities: unknown = (resources as Record<string, unknown>)[kind];
    if (quantities === undefined) continue;
    if (typeof quantities !== 'object' || quantities === null || Array.isArray(quantities)) {
      problems.add({ ...where, field: `${where.field}.${kind}` }, `got ${received(quantities)}; expected a map of resource names to quantities, such as { cpu: 250m, memory: 512Mi }`);
      continue;
    }
    for (const [resource, quantity] of Object.entries(quantities)) {
      const problem = quantityProblem(quantity);
      if (problem) problems.add({ ...where, field: `${where.field}.${kind}.${resource}` }, problem);
    }
  }
}

// The pattern Flux's CRDs put on every duration field (interval, timeout, retryInterval):
// the API server refuses anything else before Flux's time.ParseDuration sees it.
export const FLUX_DURATION = /^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$/;

/** Why `value` is no duration Flux accepts, or undefined when it is one. */
export function fluxDurationProblem(value: unknown): string | undefined {
  if (typeof value === 'string' && FLUX_DURATION.test(value)) return undefined;
  return `got ${received(value)}; expected a Go duration as Flux's CRDs accept it: numbers with ms, s, m or h, such as 30s, 10m or 1h30m`;
}

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
