import { DitApi, DitClient, DitEnvironment, GitOpsApp, Peer, Port, SealedSecret, runSynth } from '.';

/**
 * The team's definitions: seed 004's my-team. `npm run synth` (or `npx cdk8s synth`) turns
 * them into dist/.
 */
export function defineTeam(app: GitOpsApp): void {
  const development = new DitEnvironment(app, 'development', { namespace: 'my-team', domain: 'dev.my-team.example.com', infisicalSlug: 'dev' });
  const staging = new DitEnvironment(app, 'staging', { namespace: 'my-team', domain: 'staging.my-team.example.com' });
  const production = new DitEnvironment(app, 'production', { namespace: 'my-team', domain: 'my-team.example.com', infisicalSlug: 'prod' });

  const rabbitmq = Peer.endpoint({
    name: 'rabbitmq',
    namespace: 'rabbitmq',
    labels: { 'app.kubernetes.io/component': 'rabbitmq', 'app.kubernetes.io/name': 'cluster' },
  });
  const database = Peer.endpoint({ name: 'database', labels: { app: 'my-team-mongodb-svc' } });

  const api = new DitApi(app, 'my-api', {
    replicas: 4,
    image: { repository: 'my-team/my-api', githubRepository: 'ditkrg/my-team-my-api' },
    securityContext: { runAsUser: 1654, runAsGroup: 1654 },
    resources: { limits: { memory: '750Mi' }, requests: { cpu: '50m', memory: '750Mi' } },
    configs: {
      MongoDB__DatabaseName: 'my-team-db',
      RabbitMQ__HostName: 'cluster.rabbitmq',
      RabbitMQ__ExchangeName: 'my-team',
      RabbitMQ__Port: 5672,
      RabbitMQ__VirtualHost: 'my-team',
      RemoteServices__UserApiUrl: 'http://users-api',
    },
    infisical: { secretsPath: '/my-api' },
  });
  api.addOverride(development, {
    replicas: 1,
    image: { tag: 'dev-843632a', digest: 'sha256:570965b16c53e7fe6c48d50d8601a8cd2327143dba14412692a5b8fc2c119bf9', commit: '843632abfd85fba907355af9f95755d0d40ce4b3' },
    configs: { ASPNETCORE_ENVIRONMENT: 'Development', Sentry__Environment: 'development' },
    infisical: { sealedToken: SealedSecret.fromCiphertext('AgBy3i4OJSWK...') },
  });
  api.addOverride(staging, {
    replicas: 2,
    image: { tag: 'main-843632a', digest: 'sha256:570965b16c53e7fe6c48d50d8601a8cd2327143dba14412692a5b8fc2c119bf9', commit: '843632abfd85fba907355af9f95755d0d40ce4b3' },
    configs: {
      ASPNETCORE_ENVIRONMENT: 'Staging',
      Sentry__Environment: 'staging',
      Storage__Endpoint: 'https://s3.dev.krd',
      CAS__URL: 'https://auth.dev.krd',
    },
    infisical: { sealedToken: SealedSecret.fromCiphertext('AgCXZS4j...') },
  });
  api.addOverride(production, {
    image: { tag: 'v1.2.3', digest: 'sha256:570965b16c53e7fe6c48d50d8601a8cd2327143dba14412692a5b8fc2c119bf9', commit: '843632abfd85fba907355af9f95755d0d40ce4b3' },
    configs: { ASPNETCORE_ENVIRONMENT: 'Production', Sentry__Environment: 'production' },
    infisical: { sealedToken: SealedSecret.fromCiphertext('AgAKt7Q2mZcd...') },
  });
  // The seed states its ports without a protocol (Cilium: any); Port.any keeps it that way.
  api.connections.allowFrom(Peer.traefik(), Port.any(8080));
  api.connections.allowTo(rabbitmq, Port.any(5672));
  api.connections.allowTo(database, Port.any(27017), { environments: [staging] });

  const client = new DitClient(app, 'my-client', {
    replicas: 2,
    image: { repository: 'my-team/my-client', githubRepository: 'ditkrg/my-team-my-client' },
    resources: { limits: { memory: '128Mi' }, requests: { cpu: '10m', memory: '128Mi' } },
    ingress: { subdomain: 'app' },
    overrides: {
      development: { image: { tag: 'dev-1f2e3d4' } },
      staging: { image: { tag: 'main-1f2e3d4' } },
      production: { image: { tag: 'v2.0.1', digest: 'sha256:0d5e8a1c3b7f9e2d4c6a8b0e1f3d5c7a9b2e4f6d8c0a1b3e5f7d9c2a4b6e8f0a' } },
    },
  });
  client.connections.allowFrom(Peer.traefik(), Port.tcp(8080));
  // A static site served by nginx opens no connection of its own.
  client.connections.denyAllEgress();
}

export default defineTeam;

if (require.main === module) runSynth(defineTeam);
