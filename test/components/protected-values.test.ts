import { ChartSource, DitHelmChart, DitManifests, Peer, Port, SecurityRelaxation, securityOptOutComment } from '../../src';
import { synthTree } from '../../src/testing';
import { twoEnvironments } from '../support';

const DIGEST = 'sha256:570965b16c53e7fe6c48d50d8601a8cd2327143dba14412692a5b8fc2c119bf9';

describe('securityOptOut', () => {
  const tree = synthTree(twoEnvironments((app) => {
    // A third-party chart: the golden charts' schema has no host namespaces to open at all.
    new DitHelmChart(app, 'node-agent', {
      source: ChartSource.helmRepository('https://prometheus-community.github.io/helm-charts'),
      chart: 'prometheus-node-exporter',
      version: '4.47.0',
      ports: [Port.tcp(9100)],
      values: { hostNetwork: true, hostPID: true },
      securityOptOut: { reason: 'reads node network and process metrics', allow: [SecurityRelaxation.HOST_PID, SecurityRelaxation.HOST_NETWORK] },
    }).connections.allowFrom(Peer.traefik());
    new DitManifests(app, 'fluent-bit', {
      manifests: [{
        apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'fluent-bit' },
        spec: {
          selector: { matchLabels: { app: 'fluent-bit' } },
          template: {
            metadata: { labels: { app: 'fluent-bit' } },
            spec: {
              securityContext: { runAsNonRoot: true, runAsUser: 1000 },
              volumes: [{ name: 'logs', hostPath: { path: '/var/log' } }],
              containers: [{ name: 'fluent-bit', image: `fluent/fluent-bit:3.0@${DIGEST}` }],
            },
          },
        },
      }],
      securityOptOut: { reason: 'tails the node\'s container logs', allow: [SecurityRelaxation.HOST_PATH] },
    }).connections.denyAllIngress().allowTo(Peer.fqdn('logs.example.com'), Port.tcp(443));
  }));

  it('lets what it names through, as written', () => {
    expect(tree['node-agent/base/release.yaml']).toContain('\n    hostNetwork: true\n    hostPID: true\n');
    expect(tree['fluent-bit/base/manifests.yaml']).toContain('\n        - hostPath:\n            path: /var/log\n          name: logs\n');
  });

  it('says in the base files what was relaxed and why', () => {
    expect(tree['node-agent/base/release.yaml'].split('\n').slice(1, 3)).toStrictEqual([
      '# SECURITY OPT-OUT: relaxes host-network, host-pid',
      '# reason: reads node network and process metrics',
    ]);
    expect(tree['fluent-bit/base/network-policy.yaml'].split('\n').slice(1, 3)).toStrictEqual([
      '# SECURITY OPT-OUT: relaxes host-path',
      '# reason: tails the node\'s container logs',
    ]);
  });

  it('a component without one has no such comment', () => {
    expect(securityOptOutComment(undefined)).toStrictEqual([]);
  });

  it('the raw pods\' own labels select them (the policy follows the workload)', () => {
    expect(tree['fluent-bit/base/network-policy.yaml']).toContain('endpointSelector:\n    matchLabels:\n      app: fluent-bit\n');
  });
});

describe('what is not protected', () => {
  it('a third-party chart may set its own non-root security context', () => {
    const tree = synthTree(twoEnvironments((app) => {
      new DitHelmChart(app, 'redis', {
        source: ChartSource.helmRepository('https://charts.example.com'),
        values: { master: { containerSecurityContext: { enabled: true, runAsUser: 1001, runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } } },
      }).connections.allowFrom(Peer.traefik());
    }));
    expect(tree['redis/base/release.yaml']).toContain('runAsUser: 1001');
  });
});
