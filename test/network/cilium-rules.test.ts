import { CILIUM_ENTITIES, cidrProblem, entityProblem, protocolProblem } from '../../src';

describe('Cilium rules', () => {
  it('the Entity enum is exactly the CRD schema\'s entity list', () => {
    expect([...CILIUM_ENTITIES].sort()).toStrictEqual(['all', 'cluster', 'health', 'host', 'ingress', 'init', 'kube-apiserver', 'none', 'remote-node', 'unmanaged', 'world']);
  });

  it.each(['10.0.0.0/8', '0.0.0.0/0', '192.168.1.1/32', '::/0', 'fd00::/8', '2001:db8::/128'])('accepts CIDR %s', (cidr) => {
    expect(cidrProblem(cidr)).toBeUndefined();
  });

  it.each([
    ['cafe/64', 'got "cafe/64": "cafe" is neither an IPv4 nor an IPv6 address'],
    ['10.0.0.0/33', 'got "10.0.0.0/33": prefix /33 is beyond 32'],
    ['fd00::/129', 'got "fd00::/129": prefix /129 is beyond 128'],
    ['10.0.0.1', 'got "10.0.0.1", which is not address/prefix'],
    ['10.0.0.0/8/8', 'got "10.0.0.0/8/8", which is not address/prefix'],
  ])('refuses CIDR %s', (cidr, start) => {
    expect(cidrProblem(cidr)).toBe(`${start}; expected an IPv4 or IPv6 CIDR such as 10.0.0.0/8 or fd00::/8 (prefix 0-32 for IPv4, 0-128 for IPv6)`);
  });

  it('entities', () => {
    expect(entityProblem('kube-apiserver')).toBeUndefined();
    expect(entityProblem('wrld')).toBe('entity "wrld" is not one Cilium knows; expected one of all, world, cluster, host, init, ingress, unmanaged, remote-node, health, none, kube-apiserver');
  });

  it('protocols: TCP, UDP, SCTP and ANY; ICMP points at icmps rules', () => {
    expect(['TCP', 'UDP', 'SCTP', 'ANY'].map(protocolProblem)).toStrictEqual([undefined, undefined, undefined, undefined]);
    expect(protocolProblem('tcp')).toBe('protocol "tcp" is not one Cilium accepts on a port; expected one of TCP, UDP, SCTP, ANY');
    expect(protocolProblem('ICMPv6')).toBe('protocol "ICMPv6" is not one Cilium accepts on a port (ICMP is allowed with an icmps rule, not a port); expected one of TCP, UDP, SCTP, ANY');
  });
});
