import { Entity, Peer } from '../../src';

const where = { component: 'api', field: 'connections' };

describe('Peer', () => {
  it('traefik and kube-dns presets match the DIT clusters', () => {
    expect(Peer.traefik().toCiliumSelector('ingress', where)).toStrictEqual({
      fromEndpoints: [{ matchLabels: { 'app.kubernetes.io/instance': 'traefik-traefik', 'io.kubernetes.pod.namespace': 'traefik' } }],
    });
    expect(Peer.kubeDns().toCiliumSelector('egress', where)).toStrictEqual({
      toEndpoints: [{ matchLabels: { 'k8s-app': 'kube-dns', 'io.kubernetes.pod.namespace': 'kube-system' } }],
    });
    expect(Peer.kubeDns().l7Rules).toStrictEqual({ dns: [{ matchPattern: '*' }] });
  });

  it('an endpoint without a namespace stays in the component namespace', () => {
    expect(Peer.endpoint({ name: 'db', labels: { app: 'pg' } }).toCiliumSelector('egress', where)).toStrictEqual({ toEndpoints: [{ matchLabels: { app: 'pg' } }] });
  });

  it('CIDR and entity peers on both sides', () => {
    expect(Peer.cidr('192.168.0.0/16').toCiliumSelector('ingress', where)).toStrictEqual({ fromCIDR: ['192.168.0.0/16'] });
    expect(Peer.cidr('fd00::/8', { name: 'v6' }).peerName).toBe('v6');
    expect(Peer.entity(Entity.WORLD).toCiliumSelector('egress', where)).toStrictEqual({ toEntities: ['world'] });
  });

  it('carries a malformed address as a problem, reported by the component that uses it', () => {
    expect(Peer.cidr('10.0.0.0/33').problem).toBe('got "10.0.0.0/33": prefix /33 is beyond 32; expected an IPv4 or IPv6 CIDR such as 10.0.0.0/8 or fd00::/8 (prefix 0-32 for IPv4, 0-128 for IPv6)');
    expect(Peer.fqdn('not a host').problem).toMatch(/expected a fully qualified host name/);
    expect(Peer.fqdn('*.example.com').problem).toMatch(/expected a fully qualified host name/);
    expect(Peer.cidr('10.0.0.0/8').problem).toBeUndefined();
    expect(Peer.cidr('2001:db8::/32').problem).toBeUndefined();
  });

  it('an FQDN peer cannot be an ingress source', () => {
    expect(() => Peer.fqdn('example.com').toCiliumSelector('ingress', where)).toThrow(/Cilium has no fromFQDNs/);
  });

  it('an endpoint needs a label', () => {
    expect(() => Peer.endpoint({ name: 'x', labels: {} }).toCiliumSelector('egress', where)).toThrow('api connections: peer x has no labels; expected at least one pod label to select it');
  });
});
