import { Peer, Port, ValuesFrom } from '../../src';
import { CatalogueCase, api, catalogue } from '../catalogue';

// Issue 18's remaining checks: each with its exact message; the tree stays byte for byte.
export const CASES: CatalogueCase[] = [
  { name: 'an IPv4 CIDR with host bits set', define: (app) => { api(app).connections.allowTo(Peer.cidr('10.1.2.3/8'), Port.tcp(443)); },
    expected: 'api connections.allowTo(cidr-10-1-2-3-8): got "10.1.2.3/8": host bits are set, and Cilium silently uses 10.0.0.0/8; expected the network address (10.0.0.0/8), or 10.1.2.3/32 for that one host' },
  { name: 'an IPv6 CIDR with host bits set', define: (app) => { api(app).connections.allowTo(Peer.cidr('2001:db8::1/64'), Port.tcp(443)); },
    expected: 'api connections.allowTo(cidr-2001-db8-1-64): got "2001:db8::1/64": host bits are set, and Cilium silently uses 2001:db8::/64; expected the network address (2001:db8::/64), or 2001:db8::1/128 for that one host' },
  { name: 'notSecrets naming a key configs does not have', define: (app) => { api(app, 'api', { configs: { PASSWORD_MIN_LENGTH: 12 }, notSecrets: ['PASSWORD_MAX_LENGTH'] }); },
    expected: 'api notSecrets: names "PASSWORD_MAX_LENGTH", which is no key of configs; expected keys of configs only (PASSWORD_MIN_LENGTH)' },
  { name: 'a password config key ending in PASS', define: (app) => { api(app, 'api', { configs: { DB_PASS: 'hunter2' } }); },
    expected: 'api configs.DB_PASS: looks like a secret and has a literal value, which would be committed in plain text; expected it in Infisical (path /api), which the chart injects as an environment variable' },
  { name: 'an empty ingress className', define: (app) => { api(app, 'api', { ingress: { className: '' } }); },
    expected: 'api ingress.className: got ""; expected an IngressClass name such as traefik (a DNS-1123 subdomain), or no className for the default traefik' },
  { name: 'a valuesFrom name Kubernetes refuses', define: (app) => { api(app, 'api', { valuesFrom: [ValuesFrom.configMap('API Values')] }); },
    expected: 'api valuesFrom[0].name: got "API Values"; expected the name of a ConfigMap in the release\'s namespace (a DNS-1123 subdomain such as my-api-values)' },
  { name: 'config keys that cannot be ConfigMap keys', define: (app) => { api(app, 'api', { configs: { 'LOG LEVEL': 'debug', 'A=B': 'x' } }); },
    expected: [
      'api configs.LOG LEVEL: key "LOG LEVEL" is not a ConfigMap key; expected at most 253 letters, digits, \'-\', \'_\' and \'.\' (no spaces, no \'=\')',
      'api configs.A=B: key "A=B" is not a ConfigMap key; expected at most 253 letters, digits, \'-\', \'_\' and \'.\' (no spaces, no \'=\')',
    ] },
];

catalogue('bad-input catalogue: issue 18 (CIDR host bits, credential keys, ingress class, valuesFrom, ConfigMap keys)', CASES);
