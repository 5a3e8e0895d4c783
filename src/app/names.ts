import { DitError, DitErrorLocation, received } from './errors';

// RFC 1123 label: what Kubernetes accepts for namespaces, Services and HelmRelease names
// that double as Service names.
const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
// RFC 1123 subdomain: dotted labels, for hosts and domains.
const DNS_1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Throws unless `value` is a DNS-1123 label (lowercase alphanumerics and '-', at most 63). */
export function assertDnsLabel(value: unknown, where: DitErrorLocation): asserts value is string {
  if (typeof value !== 'string' || value.length > 63 || !DNS_1123_LABEL.test(value)) {
    throw new DitError(where, `got ${received(value)}; expected a DNS-1123 label: at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit`);
  }
}

/** Throws unless `value` is a DNS-1123 subdomain such as `staging.example.com`. */
export function assertDnsSubdomain(value: unknown, where: DitErrorLocation): asserts value is string {
  if (typeof value !== 'string' || value.length > 253 || !DNS_1123_SUBDOMAIN.test(value)) {
    throw new DitError(where, `got ${received(value)}; expected a DNS-1123 subdomain such as staging.example.com`);
  }
}
