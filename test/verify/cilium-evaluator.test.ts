import { parse } from 'yaml';
import type { PlainObject } from '../../src/tree/strategic-patch';
import { EvaluateOptions, Flow, FlowTarget, PodEndpoint, dnsPatternMatches, evaluateFlow, parseIp, selectsEndpoint } from '../../src/verify/cilium-evaluator';

const pod = (namespace: string, labels: Record<string, string>): PodEndpoint => ({ kind: 'pod', namespace, labels });
const fqdn = (name: string): FlowTarget => ({ kind: 'fqdn', name });
const ip = (address: string): FlowTarget => ({ kind: 'ip', address });
const flow = (from: PodEndpoint, to: FlowTarget, port: number, protocol: 'TCP' | 'UDP' = 'TCP'): Flow => ({ from, to, port, protocol });

function cnp(namespace: string, name: string, spec: PlainObject): PlainObject {
  return { apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name, namespace }, spec };
}

const WEB = pod('shop', { app: 'web' });
const DB = pod('shop', { app: 'db' });
const OTHER_DB = pod('other', { app: 'db' });
const SELECT_WEB = { matchLabels: { app: 'web' } };
const TO_DB = { toEndpoints: [{ matchLabels: { app: 'db' } }] };

/** shop/web: a policy selecting WEB with these egress rules. */
const webEgress = (egress: unknown[], extra: PlainObject = {}) => cnp('shop', 'web', { endpointSelector: SELECT_WEB, egress, ...extra });
const egressOf = (policies: PlainObject[], to: FlowTarget, port = 80, protocol: 'TCP' | 'UDP' = 'TCP', options?: EvaluateOptions) =>
  evaluateFlow(policies, flow(WEB, to, port, protocol), options).egress;
const refused = (reason: string, policies = ['shop/web']) => ({ allowed: false, reason, policies });
const allowed = (reason: string, policies = ['shop/web']) => ({ allowed: true, reason, policies });

/** Egress to kube-dns on 53 through Cilium's DNS proxy, as the golden charts write it. */
const dnsRule = (dns: PlainObject[]) => ({
  toEndpoints: [{ matchLabels: { 'io.kubernetes.pod.namespace': 'kube-system', 'k8s-app': 'kube-dns' } }],
  toPorts: [{ ports: [{ port: '53' }], rules: { dns } }],
});
const HTTPS = { toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }] };

describe('Cilium policy evaluator', () => {
  it('a namespaced policy selects pods of its own namespace only, whatever namespace its endpointSelector names', () => {
    const policy = cnp('shop', 'p', { endpointSelector: { matchLabels: { app: 'db', 'io.kubernetes.pod.namespace': 'other' } }, ingress: [{}] });
    expect([selectsEndpoint(policy, DB), selectsEndpoint(policy, OTHER_DB), selectsEndpoint(policy, WEB)]).toStrictEqual([true, false, false]);
  });

  it('toEndpoints without the namespace label reaches the policy namespace only; with it, that namespace', () => {
    const local = [webEgress([TO_DB])];
    expect(egressOf(local, DB)).toStrictEqual(allowed('allowed by shop/web egress rule 1 (toEndpoints)'));
    expect(egressOf(local, OTHER_DB)).toStrictEqual(refused('no egress rule of shop/web allows other/db:80/TCP'));
    const cross = [webEgress([{ toEndpoints: [{ matchLabels: { app: 'db', 'k8s:io.kubernetes.pod.namespace': 'other' } }] }])];
    expect(egressOf(cross, OTHER_DB)).toStrictEqual(allowed('allowed by shop/web egress rule 1 (toEndpoints)'));
    expect(egressOf(cross, DB)).toStrictEqual(refused('no egress rule of shop/web allows shop/db:80/TCP'));
  });

  it('the {} selector is every pod of the policy namespace, as endpointSelector and as toEndpoints', () => {
    const policy = cnp('shop', 'all', { endpointSelector: {}, egress: [{ toEndpoints: [{}] }] });
    expect([selectsEndpoint(policy, WEB), selectsEndpoint(policy, DB), selectsEndpoint(policy, OTHER_DB)]).toStrictEqual([true, true, false]);
    expect(egressOf([policy], DB)).toStrictEqual(allowed('allowed by shop/all egress rule 1 (toEndpoints)', ['shop/all']));
    expect(egressOf([policy], OTHER_DB)).toStrictEqual(refused('no egress rule of shop/all allows other/db:80/TCP', ['shop/all']));
  });

  it('matchExpressions: In, NotIn, Exists, DoesNotExist, and them with matchLabels', () => {
    const tiered = pod('shop', { app: 'api', tier: 'back' });
    const plain = pod('shop', { app: 'api' });
    const selects = (selector: PlainObject) => [tiered, plain].map((p) => selectsEndpoint(cnp('shop', 'p', { endpointSelector: selector, ingress: [{}] }), p));
    const expression = (operator: string, values?: string[]) => ({ matchExpressions: [{ key: 'tier', operator, ...(values ? { values } : {}) }] });
    expect(selects(expression('In', ['back', 'front']))).toStrictEqual([true, false]);
    expect(selects(expression('NotIn', ['front']))).toStrictEqual([true, true]);
    expect(selects(expression('NotIn', ['back']))).toStrictEqual([false, true]);
    expect(selects(expression('Exists'))).toStrictEqual([true, false]);
    expect(selects(expression('DoesNotExist'))).toStrictEqual([false, true]);
    expect(selects({ matchLabels: { app: 'web' }, ...expression('Exists') })).toStrictEqual([false, false]);
  });

  it('label keys with a source prefix: k8s: and any: match pod labels, other sources never do', () => {
    const selects = (key: string) => selectsEndpoint(cnp('shop', 'p', { endpointSelector: { matchLabels: { [key]: 'web' } }, ingress: [{}] }), WEB);
    expect(['k8s:app', 'any:app', 'app', 'reserved:app'].map(selects)).toStrictEqual([true, true, true, false]);
  });

  it('toPorts: a port as a string or a number matches that port only', () => {
    const policies = [webEgress([{ ...TO_DB, toPorts: [{ ports: [{ port: '5432' }, { port: 6379 }] }] }])];
    expect(egressOf(policies, DB, 5432)).toStrictEqual(allowed('allowed by shop/web egress rule 1 (toEndpoints)'));
    expect(egressOf(policies, DB, 6379).allowed).toBe(true);
    expect(egressOf(policies, DB, 5433)).toStrictEqual(refused('no egress rule of shop/web allows shop/db:5433/TCP'));
  });

  it('protocol: TCP and UDP match themselves, ANY (or none) both, SCTP neither', () => {
    const port = (p: string, protocol?: string) => ({ ...TO_DB, toPorts: [{ ports: [{ port: p, ...(protocol ? { protocol } : {}) }] }] });
    const policies = [webEgress([port('53', 'UDP'), port('80', 'TCP'), port('443'), port('444', 'ANY'), port('9', 'SCTP')])];
    const cases: [number, 'TCP' | 'UDP'][] = [[53, 'UDP'], [53, 'TCP'], [80, 'TCP'], [80, 'UDP'], [443, 'TCP'], [443, 'UDP'], [444, 'UDP'], [9, 'TCP'], [9, 'UDP']];
    expect(cases.map(([p, protocol]) => egressOf(policies, DB, p, protocol).allowed)).toStrictEqual([true, false, true, false, true, true, true, false, false]);
    expect(egressOf(policies, DB, 80, 'UDP')).toStrictEqual(refused('no egress rule of shop/web allows shop/db:80/UDP'));
  });

  it('endPort: the range from port to endPort, both included', () => {
    const policies = [webEgress([{ ...TO_DB, toPorts: [{ ports: [{ port: '8000', endPort: 8010, protocol: 'TCP' }] }] }])];
    expect([7999, 8000, 8005, 8010, 8011].map((p) => egressOf(policies, DB, p).allowed)).toStrictEqual([false, true, true, true, false]);
  });

  it('a rule without toPorts allows every port and protocol of its peers', () => {
    const policies = [webEgress([TO_DB])];
    expect([egressOf(policies, DB, 1).allowed, egressOf(policies, DB, 65535, 'UDP').allowed]).toStrictEqual([true, true]);
    // Unless it has icmps: then it allows ICMP only.
    const pingOnly = [webEgress([{ ...TO_DB, icmps: [{ fields: [{ type: 8 }] }] }])];
    expect(egressOf(pingOnly, DB)).toStrictEqual(refused('no egress rule of shop/web allows shop/db:80/TCP'));
  });

  it('a rule with toPorts and no peer allows those ports to any peer', () => {
    const policies = [webEgress([HTTPS])];
    expect(egressOf(policies, fqdn('example.com'), 443)).toStrictEqual(allowed('allowed by shop/web egress rule 1 (toPorts)'));
    expect([egressOf(policies, OTHER_DB, 443).allowed, egressOf(policies, ip('203.0.113.1'), 443).allowed]).toStrictEqual([true, true]);
    expect(egressOf(policies, fqdn('example.com'), 80)).toStrictEqual(refused('no egress rule of shop/web allows example.com:80/TCP'));
  });

  it('`- {}` (what dit.ciliumRules renders for no rule) denies the whole direction', () => {
    const policies = [cnp('shop', 'web', { endpointSelector: SELECT_WEB, ingress: [{}], egress: [{}] })];
    const verdict = evaluateFlow(policies, flow(WEB, DB, 80), { unselected: 'allow' });
    expect(verdict.egress).toStrictEqual(refused('no egress rule of shop/web allows shop/db:80/TCP'));
    expect(evaluateFlow(policies, flow(DB, WEB, 80), { unselected: 'allow' }).ingress).toStrictEqual(refused('no ingress rule of shop/web allows shop/db on 80/TCP'));
  });

  it('enableDefaultDeny: false leaves the direction open unless another policy or the cluster closes it; rules in a direction close it by default', () => {
    const open = webEgress([TO_DB], { enableDefaultDeny: { egress: false, ingress: false } });
    const notDefaultDeny = 'no policy selecting the pod puts its egress in default deny (enableDefaultDeny false, or no egress rules)';
    expect(egressOf([open], OTHER_DB, 80, 'TCP', { unselected: 'allow' })).toStrictEqual(allowed(notDefaultDeny));
    expect(egressOf([open], OTHER_DB)).toStrictEqual(refused('no egress rule of shop/web allows other/db:80/TCP and the cluster denies by default'));
    expect(egressOf([open], DB)).toStrictEqual(allowed('allowed by shop/web egress rule 1 (toEndpoints)'));
    // Default deny is on when any selecting policy asks for it, even one without egress rules.
    const lock = cnp('shop', 'lock', { endpointSelector: SELECT_WEB, enableDefaultDeny: { egress: true }, ingress: [{ fromEndpoints: [{}] }] });
    expect(egressOf([open, lock], OTHER_DB, 80, 'TCP', { unselected: 'allow' })).toStrictEqual(refused('no egress rule of shop/web, shop/lock allows other/db:80/TCP', ['shop/web', 'shop/lock']));
    // No rule in a direction (`egress: []` or none) leaves that direction alone.
    const ingressOnly = cnp('shop', 'in', { endpointSelector: SELECT_WEB, ingress: [{ fromEndpoints: [{}] }], egress: [] });
    expect(egressOf([ingressOnly], OTHER_DB, 80, 'TCP', { unselected: 'allow' })).toStrictEqual(allowed(notDefaultDeny, ['shop/in']));
  });

  it('toFQDNs matchName: exact, case-insensitive, trailing dot ignored, with a DNS rule', () => {
    const policies = [webEgress([dnsRule([{ matchPattern: '*' }]), { toFQDNs: [{ matchName: 'API.SendGrid.com.' }], ...HTTPS }])];
    expect(egressOf(policies, fqdn('api.sendgrid.com'), 443)).toStrictEqual(allowed('allowed by shop/web egress rule 2 (toFQDNs)'));
    expect(egressOf(policies, fqdn('API.SENDGRID.COM.'), 443).allowed).toBe(true);
    expect(egressOf(policies, fqdn('sendgrid.com'), 443)).toStrictEqual(refused('no egress rule of shop/web allows sendgrid.com:443/TCP'));
    expect(egressOf(policies, fqdn('api.sendgrid.com'), 80)).toStrictEqual(refused('no egress rule of shop/web allows api.sendgrid.com:80/TCP'));
  });

  it('toFQDNs matchPattern: `*` stays within one label, `*` alone matches every name', () => {
    expect(['a.example.com', 'A.Example.COM.', 'example.com', 'a.b.example.com'].map((n) => dnsPatternMatches('*.example.com', n))).toStrictEqual([true, true, false, false]);
    expect(['api-eu.example.com', 'api-.example.com', 'web.example.com'].map((n) => dnsPatternMatches('api-*.example.com', n))).toStrictEqual([true, true, false]);
    expect(['x', 'a.b.c.example.com'].map((n) => dnsPatternMatches('*', n))).toStrictEqual([true, true]);
    // Cilium 1.18 (the CRDs in crds/) reads `**` as `*`.
    expect(['a.example.com', 'a.b.example.com'].map((n) => dnsPatternMatches('**.example.com', n))).toStrictEqual([true, false]);
    const policies = [webEgress([dnsRule([{ matchPattern: '*' }]), { toFQDNs: [{ matchPattern: '*.s3.dev.krd' }], ...HTTPS }])];
    expect(egressOf(policies, fqdn('bucket.s3.dev.krd'), 443)).toStrictEqual(allowed('allowed by shop/web egress rule 2 (toFQDNs)'));
    expect(egressOf(policies, fqdn('s3.dev.krd'), 443)).toStrictEqual(refused('no egress rule of shop/web allows s3.dev.krd:443/TCP'));
  });

  it('toFQDNs without an L7 DNS rule covering the name is refused: Cilium never learns its addresses', () => {
    const toSendgrid = { toFQDNs: [{ matchName: 'api.sendgrid.com' }], ...HTTPS };
    const unresolved = refused('toFQDNs allows api.sendgrid.com but no egress DNS rule lets Cilium resolve it');
    const l4Dns = { toEndpoints: dnsRule([]).toEndpoints, toPorts: [{ ports: [{ port: '53' }] }] };
    const dnsDeny = cnp('shop', 'no-dns', { endpointSelector: SELECT_WEB, egressDeny: [{ toPorts: [{ ports: [{ port: '53', protocol: 'UDP' }] }] }] });
    expect(egressOf([webEgress([toSendgrid])], fqdn('api.sendgrid.com'), 443)).toStrictEqual(unresolved);
    expect(egressOf([webEgress([dnsRule([{ matchName: 'other.example.com' }]), toSendgrid])], fqdn('api.sendgrid.com'), 443)).toStrictEqual(unresolved);
    expect(egressOf([webEgress([l4Dns, toSendgrid])], fqdn('api.sendgrid.com'), 443)).toStrictEqual(unresolved);
    expect(egressOf([webEgress([dnsRule([{ matchPattern: '*' }]), toSendgrid]), dnsDeny], fqdn('api.sendgrid.com'), 443))
      .toStrictEqual(refused('toFQDNs allows api.sendgrid.com but no egress DNS rule lets Cilium resolve it', ['shop/web', 'shop/no-dns']));
    expect(egressOf([webEgress([dnsRule([{ matchPattern: '*.sendgrid.com' }]), toSendgrid])], fqdn('api.sendgrid.com'), 443))
      .toStrictEqual(allowed('allowed by shop/web egress rule 2 (toFQDNs)'));
  });

  it('entities: world is outside the cluster, cluster is every pod, all is both; others are neither', () => {
    const reach = (entity: string) => [fqdn('example.com'), ip('203.0.113.1'), DB, OTHER_DB].map((to) => egressOf([webEgress([{ toEntities: [entity] }])], to).allowed);
    expect(reach('world')).toStrictEqual([true, true, false, false]);
    expect(reach('cluster')).toStrictEqual([false, false, true, true]);
    expect(reach('all')).toStrictEqual([true, true, true, true]);
    expect(reach('host')).toStrictEqual([false, false, false, false]);
    expect(egressOf([webEgress([{ toEntities: ['world'] }])], fqdn('example.com'))).toStrictEqual(allowed('allowed by shop/web egress rule 1 (toEntities)'));
  });

  it('toCIDR and toCIDRSet with except, IPv4 and IPv6; CIDRs never match pods, and reach a name only as /0', () => {
    const policies = [webEgress([{ toCIDRSet: [{ cidr: '10.0.0.0/8', except: ['10.96.0.0/12'] }] }, { toCIDR: ['203.0.113.7/32', '2001:db8::/32'] }])];
    expect(egressOf(policies, ip('10.1.2.3'))).toStrictEqual(allowed('allowed by shop/web egress rule 1 (toCIDRSet)'));
    expect(egressOf(policies, ip('10.96.0.1'))).toStrictEqual(refused('no egress rule of shop/web allows 10.96.0.1:80/TCP'));
    expect(egressOf(policies, ip('203.0.113.7'))).toStrictEqual(allowed('allowed by shop/web egress rule 2 (toCIDR)'));
    expect(egressOf(policies, ip('2001:db8::1'))).toStrictEqual(allowed('allowed by shop/web egress rule 2 (toCIDR)'));
    expect(egressOf(policies, ip('2001:db9::1'))).toStrictEqual(refused('no egress rule of shop/web allows [2001:db9::1]:80/TCP'));
    expect([egressOf(policies, ip('203.0.113.8')).allowed, egressOf(policies, DB).allowed, egressOf(policies, fqdn('example.com')).allowed]).toStrictEqual([false, false, false]);
    expect(egressOf([webEgress([{ toCIDR: ['0.0.0.0/0'] }])], fqdn('example.com'))).toStrictEqual(allowed('allowed by shop/web egress rule 1 (toCIDR)'));
    expect(['::ffff:10.0.0.1', '1::', '::', '10.0.0.256', '1:2:3', 'example.com'].map((a) => parseIp(a)?.bits)).toStrictEqual([128, 128, 128, undefined, undefined, undefined]);
  });

  it('egressDeny and ingressDeny win over any allow, of any policy', () => {
    const open = webEgress([{ toEntities: ['all'] }]);
    const noDb = cnp('shop', 'no-db', { endpointSelector: SELECT_WEB, egressDeny: [{ ...TO_DB, toPorts: [{ ports: [{ port: '5432' }] }] }, { toEntities: ['world'] }] });
    expect(egressOf([open, noDb], DB, 5432)).toStrictEqual(refused('egressDeny rule 1 of shop/no-db refuses it', ['shop/web', 'shop/no-db']));
    expect(egressOf([open, noDb], fqdn('example.com'), 443)).toStrictEqual(refused('egressDeny rule 2 of shop/no-db refuses it', ['shop/web', 'shop/no-db']));
    expect(egressOf([open, noDb], DB, 80)).toStrictEqual(allowed('allowed by shop/web egress rule 1 (toEntities)', ['shop/web', 'shop/no-db']));
    const db = cnp('shop', 'db', { endpointSelector: { matchLabels: { app: 'db' } }, ingress: [{ fromEntities: ['cluster'] }], ingressDeny: [{ fromEndpoints: [SELECT_WEB] }] });
    expect(evaluateFlow([open, db], flow(WEB, DB, 5432)).ingress).toStrictEqual(refused('ingressDeny rule 1 of shop/db refuses it', ['shop/db']));
  });

  it('an end no policy selects gets what the cluster does by default', () => {
    expect(evaluateFlow([], flow(WEB, fqdn('example.com'), 443))).toStrictEqual({ egress: refused('no policy selects the pod and the cluster denies by default', []) });
    expect(evaluateFlow([], flow(WEB, DB, 80), { unselected: 'allow' })).toStrictEqual({
      egress: allowed('no policy selects the pod and the cluster allows by default', []),
      ingress: allowed('no policy selects the pod and the cluster allows by default', []),
    });
  });

  it('ingress: fromEndpoints and fromEntities pick the source pod, toPorts are the destination pod\'s, fromCIDR never matches a pod', () => {
    const db = cnp('shop', 'db', {
      endpointSelector: { matchLabels: { app: 'db' } },
      ingress: [
        { fromEndpoints: [SELECT_WEB], toPorts: [{ ports: [{ port: '5432', protocol: 'TCP' }] }] },
        { fromEntities: ['cluster'], toPorts: [{ ports: [{ port: '9187' }] }] },
        { fromCIDR: ['0.0.0.0/0'] },
      ],
    });
    const policies = [webEgress([{ toEntities: ['cluster'] }]), db];
    expect(evaluateFlow(policies, flow(WEB, DB, 5432))).toStrictEqual({
      egress: allowed('allowed by shop/web egress rule 1 (toEntities)'),
      ingress: allowed('allowed by shop/db ingress rule 1 (fromEndpoints)', ['shop/db']),
    });
    expect(evaluateFlow(policies, flow(WEB, DB, 5433)).ingress).toStrictEqual(refused('no ingress rule of shop/db allows shop/web on 5433/TCP', ['shop/db']));
    const stranger = pod('other', { app: 'web' });
    expect([evaluateFlow(policies, flow(stranger, DB, 9187)).ingress, evaluateFlow(policies, flow(stranger, DB, 5432)).ingress]).toStrictEqual([
      allowed('allowed by shop/db ingress rule 2 (fromEntities)', ['shop/db']),
      refused('no ingress rule of shop/db allows other/web on 5432/TCP', ['shop/db']),
    ]);
  });

  it('a CiliumClusterwideNetworkPolicy has no namespace bound; other kinds are ignored', () => {
    const ccnp = { apiVersion: 'cilium.io/v2', kind: 'CiliumClusterwideNetworkPolicy', metadata: { name: 'dbs' }, spec: { endpointSelector: SELECT_WEB, egress: [TO_DB] } };
    expect(selectsEndpoint(ccnp, pod('elsewhere', { app: 'web' }))).toBe(true);
    expect(egressOf([ccnp], OTHER_DB)).toStrictEqual(allowed('allowed by dbs egress rule 1 (toEndpoints)', ['dbs']));
    const knp = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'web', namespace: 'shop' }, spec: { podSelector: {}, policyTypes: ['Egress'] } };
    expect(selectsEndpoint(knp, WEB)).toBe(false);
    expect(egressOf([knp], DB)).toStrictEqual(refused('no policy selects the pod and the cluster denies by default', []));
  });

  describe('the golden chart policies of dist/', () => {
    /** What the golden charts render (charts/dit-library): `dit.ciliumRules` lists rules in name order, none as `- {}`. */
    function chartPolicy(namespace: string, release: string, values: string): PlainObject {
      const { ingress, egress } = (parse(values) as { ciliumNetworkPolicy: Record<'ingress' | 'egress', Record<string, unknown> | undefined> }).ciliumNetworkPolicy;
      const rules = (named: Record<string, unknown> = {}) => {
        const names = Object.keys(named).sort();
        return names.length > 0 ? names.map((name) => named[name]) : [{}];
      };
      return cnp(namespace, release, {
        endpointSelector: { matchLabels: { 'app.kubernetes.io/name': 'dit-common-api', 'app.kubernetes.io/instance': release } },
        enableDefaultDeny: { ingress: true, egress: true },
        ingress: rules(ingress),
        egress: rules(egress),
      });
    }
    const apiPod = (instance: string) => pod('my-team', { 'app.kubernetes.io/name': 'dit-common-api', 'app.kubernetes.io/instance': instance });

    // The ciliumNetworkPolicy values of seed 004's my-api (the example's before verify added its calls).
    const MY_API = chartPolicy('my-team', 'my-api', `
ciliumNetworkPolicy:
  egress:
    kube-dns:
      toEndpoints:
        - matchLabels:
            io.kubernetes.pod.namespace: kube-system
            k8s-app: kube-dns
      toPorts:
        - ports:
            - port: "53"
          rules:
            dns:
              - matchPattern: "*"
    rabbitmq:
      toEndpoints:
        - matchLabels:
            app.kubernetes.io/component: rabbitmq
            app.kubernetes.io/name: cluster
            io.kubernetes.pod.namespace: rabbitmq
      toPorts:
        - ports:
            - port: "5672"
  enabled: true
  ingress:
    traefik:
      fromEndpoints:
        - matchLabels:
            app.kubernetes.io/instance: traefik-traefik
            io.kubernetes.pod.namespace: traefik
      toPorts:
        - ports:
            - port: "8080"
`);

    it('my-api reaches rabbitmq, and is refused s3.dev.krd:443 by its own egress', () => {
      const rabbitmq = pod('rabbitmq', { 'app.kubernetes.io/component': 'rabbitmq', 'app.kubernetes.io/name': 'cluster' });
      expect(evaluateFlow([MY_API], flow(apiPod('my-api'), rabbitmq, 5672), { unselected: 'allow' })).toStrictEqual({
        egress: allowed('allowed by my-team/my-api egress rule 2 (toEndpoints)', ['my-team/my-api']),
        ingress: allowed('no policy selects the pod and the cluster allows by default', []),
      });
      expect(evaluateFlow([MY_API], flow(apiPod('my-api'), rabbitmq, 5672)).ingress).toStrictEqual(refused('no policy selects the pod and the cluster denies by default', []));
      expect(evaluateFlow([MY_API], flow(apiPod('my-api'), fqdn('s3.dev.krd'), 443))).toStrictEqual({
        egress: refused('no egress rule of my-team/my-api allows s3.dev.krd:443/TCP', ['my-team/my-api']),
      });
    });

    it('my-api takes traefik on 8080 only', () => {
      const traefik = pod('traefik', { 'app.kubernetes.io/instance': 'traefik-traefik' });
      expect(evaluateFlow([MY_API], flow(traefik, apiPod('my-api'), 8080), { unselected: 'allow' }).ingress).toStrictEqual(allowed('allowed by my-team/my-api ingress rule 1 (fromEndpoints)', ['my-team/my-api']));
      expect(evaluateFlow([MY_API], flow(traefik, apiPod('my-api'), 80), { unselected: 'allow' }).ingress).toStrictEqual(refused('no ingress rule of my-team/my-api allows traefik/traefik-traefik on 80/TCP', ['my-team/my-api']));
    });

    it('users-api reaches api.sendgrid.com through toFQDNs resolved by its kube-dns rule, and takes no ingress (`ingress: {}`)', () => {
      // The ciliumNetworkPolicy values of dist/users/base/release.yaml, verbatim.
      const users = chartPolicy('my-team', 'users-api', `
ciliumNetworkPolicy:
  egress:
    kube-dns:
      toEndpoints:
        - matchLabels:
            io.kubernetes.pod.namespace: kube-system
            k8s-app: kube-dns
      toPorts:
        - ports:
            - port: "53"
          rules:
            dns:
              - matchPattern: "*"
    rabbitmq:
      toEndpoints:
        - matchLabels:
            app.kubernetes.io/instance: rabbitmq
      toPorts:
        - ports:
            - port: "5672"
              protocol: TCP
    redis:
      toEndpoints:
        - matchLabels:
            app.kubernetes.io/instance: redis
      toPorts:
        - ports:
            - port: "6379"
              protocol: TCP
    sendgrid:
      toFQDNs:
        - matchName: api.sendgrid.com
      toPorts:
        - ports:
            - port: "443"
              protocol: TCP
  enabled: true
  ingress: {}
`);
      expect(evaluateFlow([users], flow(apiPod('users-api'), fqdn('api.sendgrid.com'), 443))).toStrictEqual({
        egress: allowed('allowed by my-team/users-api egress rule 4 (toFQDNs)', ['my-team/users-api']),
      });
      expect(evaluateFlow([users, MY_API], flow(apiPod('my-api'), apiPod('users-api'), 8080), { unselected: 'allow' })).toStrictEqual({
        egress: refused('no egress rule of my-team/my-api allows my-team/users-api:8080/TCP', ['my-team/my-api']),
        ingress: refused('no ingress rule of my-team/users-api allows my-team/my-api on 8080/TCP', ['my-team/users-api']),
      });
    });
  });
});
