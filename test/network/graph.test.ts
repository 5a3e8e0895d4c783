import * as fs from 'fs';
import * as path from 'path';
import { DitApi, DitEnvironment, GitOpsApp, Peer, Port } from '../../src';
import { defineTeam } from '../../src/main';
import { networkGraph, toDot, toMermaid } from '../../src/network/graph';

function example(): GitOpsApp {
  const app = new GitOpsApp({ outdir: 'unused' });
  defineTeam(app);
  return app;
}

describe('networkGraph', () => {
  const staging = networkGraph(example(), 'staging');

  it('names the outside peers of staging: Traefik, kube-dns, the platform RabbitMQ, the staging database, CAS, object storage and SendGrid', () => {
    expect(staging.nodes.filter((n) => n.kind !== 'component')).toStrictEqual([
      { id: 'cas', kind: 'fqdn', name: 'cas', detail: 'auth.dev.krd' },
      { id: 'database', kind: 'endpoint', name: 'database', detail: 'my-team/app=my-team-mongodb-svc' },
      { id: 'kube-dns', kind: 'endpoint', name: 'kube-dns', detail: 'kube-system/k8s-app=kube-dns' },
      { id: 'rabbitmq@my-api', kind: 'endpoint', name: 'rabbitmq', detail: 'rabbitmq/app.kubernetes.io/component=rabbitmq,app.kubernetes.io/name=cluster' },
      { id: 'sendgrid', kind: 'fqdn', name: 'sendgrid', detail: 'api.sendgrid.com' },
      { id: 'storage', kind: 'fqdn', name: 'storage', detail: 's3.dev.krd' },
      { id: 'traefik', kind: 'endpoint', name: 'traefik', detail: 'traefik/app.kubernetes.io/instance=traefik-traefik' },
    ]);
  });

  it('lists the components with pods (certs has none; the gateway is production only)', () => {
    expect(staging.nodes.filter((n) => n.kind === 'component').map((n) => n.id)).toStrictEqual(['api-docs', 'my-api', 'my-client', 'rabbitmq', 'redis', 'users']);
  });

  it('draws each allowed connection once, from the side that opens it, with its ports', () => {
    expect(staging.edges).toStrictEqual([
      { from: 'my-api', to: 'cas', ports: ['443/TCP'] },
      { from: 'my-api', to: 'database', ports: ['27017'] },
      { from: 'my-api', to: 'kube-dns', ports: ['53'] },
      { from: 'my-api', to: 'rabbitmq@my-api', ports: ['5672'] },
      { from: 'my-api', to: 'storage', ports: ['443/TCP'] },
      { from: 'my-api', to: 'users', ports: ['8080/TCP'] },
      { from: 'rabbitmq', to: 'kube-dns', ports: ['53'] },
      { from: 'redis', to: 'kube-dns', ports: ['53'] },
      { from: 'traefik', to: 'api-docs', ports: ['8080/TCP'] },
      { from: 'traefik', to: 'my-api', ports: ['8080'] },
      { from: 'traefik', to: 'my-client', ports: ['8080/TCP'] },
      { from: 'traefik', to: 'users', ports: ['8080/TCP'] },
      { from: 'users', to: 'kube-dns', ports: ['53'] },
      { from: 'users', to: 'rabbitmq', ports: ['5672/TCP'] },
      { from: 'users', to: 'redis', ports: ['6379/TCP'] },
      { from: 'users', to: 'sendgrid', ports: ['443/TCP'] },
    ]);
  });

  it('follows the environment: the database rule is staging only, the RabbitMQ console is reachable in development', () => {
    const development = networkGraph(example(), 'development');
    expect(development.edges.some((e) => e.to === 'database')).toBe(false);
    expect(development.edges).toContainEqual({ from: 'traefik', to: 'rabbitmq', ports: ['15672/TCP'] });
  });

  it('keeps a connection between components only on the ports both ends allow', () => {
    const app = new GitOpsApp({ outdir: 'unused' });
    const dev = new DitEnvironment(app, 'dev', { namespace: 'team', domain: 'dev.example.com' });
    const web = new DitApi(app, 'web');
    const api = new DitApi(app, 'api', { ports: [Port.tcp(8080), Port.tcp(9090)] });
    web.connections.allowFrom(Peer.traefik());
    web.connections.allowTo(api, [Port.tcp(8080), Port.tcp(9090)]);
    // A rule stated on one end only (the api's egress back to web) opens nothing.
    api.connections.add({ direction: 'egress', peer: web, ports: [Port.tcp(8080)], statement: 'one-sided' });
    expect(networkGraph(app, dev.name).edges.filter((e) => e.from === 'web' || e.from === 'api').filter((e) => e.to !== 'kube-dns')).toStrictEqual([
      { from: 'web', to: 'api', ports: ['8080/TCP', '9090/TCP'] },
    ]);
  });

  it('lists the environments that exist for an unknown one', () => {
    expect(() => networkGraph(example(), 'nope')).toThrow('GitOpsApp environment: got "nope", which the app does not declare; expected one of development, staging, production');
  });
});

describe('graph formats', () => {
  const graph = {
    environment: 'staging', namespace: 'team',
    nodes: [
      { id: 'api', kind: 'component' as const, name: 'api', detail: 'app=api' },
      { id: 'rabbitmq@api', kind: 'endpoint' as const, name: 'rabbitmq', detail: 'rabbitmq/app=rabbitmq' },
      { id: 'world', kind: 'entity' as const, name: 'world', detail: 'world' },
    ],
    edges: [{ from: 'api', to: 'rabbitmq@api', ports: ['5672/TCP'] }, { from: 'world', to: 'api', ports: ['443', '8080/TCP'] }],
  };

  it('renders Mermaid with a namespace subgraph and labelled arrows', () => {
    expect(toMermaid(graph)).toBe([
      'flowchart LR',
      '  subgraph staging_namespace["staging: namespace team"]',
      '    staging_api["api<br/><small>component</small>"]',
      '  end',
      '  staging_rabbitmq__api(["rabbitmq<br/><small>endpoint: rabbitmq/app=rabbitmq</small>"])',
      '  staging_world{{"world<br/><small>entity: world</small>"}}',
      '  staging_api -->|"5672/TCP"| staging_rabbitmq__api',
      '  staging_world -->|"443, 8080/TCP"| staging_api',
      '',
    ].join('\n'));
  });

  it('renders Graphviz dot', () => {
    expect(toDot(graph)).toBe([
      'digraph "staging" {',
      '  rankdir=LR;',
      '  subgraph "cluster_staging" {',
      '    label="staging: namespace team";',
      '    "api" [shape=box, label="api"];',
      '  }',
      '  "rabbitmq@api" [shape=ellipse, label="rabbitmq\\nendpoint: rabbitmq/app=rabbitmq"];',
      '  "world" [shape=hexagon, label="world\\nentity: world"];',
      '  "api" -> "rabbitmq@api" [label="5672/TCP"];',
      '  "world" -> "api" [label="443, 8080/TCP"];',
      '}',
      '',
    ].join('\n'));
  });
});

describe('the README', () => {
  it('shows the example\'s staging graph as dit-gitops graph draws it', () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
    expect(/```mermaid\n([\s\S]*?)```/.exec(readme)?.[1]).toBe(toMermaid(networkGraph(example(), 'staging')));
  });
});
