import { k8s } from 'cdk8s-plus-28';
import {
  ChartSource, DitApi, DitClient, DitEnvironment, DitGateway, DitHelmChart, DitManifests, FluxCluster, GitOpsApp, ImageSelection,
  ImageTagRule, Middleware, Peer, Port, RemediationStrategy, SealedSecret, ValuesFrom, runSynth,
} from '.';

/**
 * The team's definitions: seed 004's my-team. `npm run synth` (or `npx cdk8s synth`) turns
 * them into dist/.
 */
export function defineTeam(app: GitOpsApp): void {
  // Each environment is its own cluster, so the namespace can repeat.
  const development = new DitEnvironment(app, 'development', {
    namespace: 'my-team', domain: 'dev.my-team.example.com', infisicalSlug: 'dev', imageTagRule: ImageTagRule.pattern(/^dev-[0-9a-f]{7}$/),
  });
  const staging = new DitEnvironment(app, 'staging', {
    namespace: 'my-team', domain: 'staging.my-team.example.com', imageTagRule: ImageTagRule.pattern(/^main-[0-9a-f]{7}$/),
  });
  const production = new DitEnvironment(app, 'production', {
    namespace: 'my-team', domain: 'my-team.example.com', infisicalSlug: 'prod', imageTagRule: ImageTagRule.semver(),
  });

  new FluxCluster(app, 'cluster', {
    name: 'my-team',
    git: { url: 'ssh://git@github.com/ditkrg/my-team-gitops', secretRef: 'my-team-gitops-deploy-key' },
    sync: { interval: '10m', retryInterval: '2m', timeout: '5m', dependsOn: ['infrastructure'] },
    slack: { channel: 'my-team-deployments', secretRef: 'slack-webhook' },
    overrides: { production: { interval: '30m', sopsSecretRef: 'sops-age', slackSeverity: 'info' } },
  });

  // The RabbitMQ cluster the platform team runs for everyone, in its own namespace.
  const sharedRabbitmq = Peer.endpoint({
    name: 'rabbitmq',
    namespace: 'rabbitmq',
    labels: { 'app.kubernetes.io/component': 'rabbitmq', 'app.kubernetes.io/name': 'cluster' },
    // The Service in front of it, as RabbitMQ__HostName names it: verify follows the host here.
    hosts: ['cluster.rabbitmq'],
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
      // Seed 004 wrote http://users-api (port 80); users-api's Service serves 8080.
      RemoteServices__UserApiUrl: 'http://users-api:8080',
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
  api.connections.allowTo(sharedRabbitmq, Port.any(5672));
  api.connections.allowTo(database, Port.any(27017), { environments: [staging] });
  // Staging's configuration dials object storage and the CAS server (seed 004's egress forgot them).
  api.connections.allowTo(Peer.fqdn('s3.dev.krd', { name: 'storage' }), Port.tcp(443), { environments: [staging] });
  api.connections.allowTo(Peer.fqdn('auth.dev.krd', { name: 'cas' }), Port.tcp(443), { environments: [staging] });

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

  const rabbitmq = new DitHelmChart(app, 'rabbitmq', {
    source: ChartSource.helmRepository('oci://registry-1.docker.io/bitnamicharts'),
    // Production pins the chart version and the image digest (DitEnvironment production).
    version: '15.5.3',
    ports: [Port.tcp(5672), Port.tcp(15672)],
    values: { auth: { username: 'my-team', existingPasswordSecret: 'rabbitmq-auth' }, persistence: { size: '8Gi' } },
    overrides: { production: { values: { replicaCount: 3, image: { digest: 'sha256:d056c1a1d79561b3a564fb79a9aeb0502d9aa91f2d32ec2314e72b192136cc11' } } } },
  });
  rabbitmq.connections.allowFrom(Peer.traefik(), Port.tcp(15672), { environments: [development] });

  const redis = new DitHelmChart(app, 'redis', {
    source: ChartSource.ociRepository('oci://registry-1.docker.io/bitnamicharts/redis', { tag: '20.13.4' }),
    ports: [Port.tcp(6379)],
    values: { architecture: 'standalone', auth: { existingSecret: 'redis-auth' } },
    overrides: { production: { values: { image: { digest: 'sha256:f53d96af050546897c065e3e2bc70bdfc036680c24aa945ff2e8369330d529ad' } } } },
  });

  const users = new DitApi(app, 'users', {
    releaseName: 'users-api',
    image: { repository: 'my-team/users-api', githubRepository: 'ditkrg/my-team-users-api' },
    infisical: { secretsPath: '/users' },
    timeout: '10m',
    installRemediation: { retries: 3 },
    upgradeRemediation: { retries: 3, strategy: RemediationStrategy.ROLLBACK },
    cleanupOnFail: true,
    dependsOn: [rabbitmq, redis],
    valuesFrom: [ValuesFrom.configMap('users-feature-flags', { valuesKey: 'flags.yaml', targetPath: 'configs', optional: true })],
    overrides: {
      development: { image: { tag: 'dev-5c1d2e3' }, test: true, infisical: { sealedToken: SealedSecret.fromCiphertext('AgDf3kL9...') } },
      staging: { image: { tag: 'main-5c1d2e3' }, infisical: { sealedToken: SealedSecret.fromCiphertext('AgC7pQx1...') } },
      production: {
        replicas: 3,
        infisical: { sealedToken: SealedSecret.fromCiphertext('AgA2hVt8...') },
        image: { tag: 'v1.4.0', digest: 'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08', commit: '5c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d' },
        upgradeRemediation: { retries: 3, strategy: RemediationStrategy.UNINSTALL },
      },
    },
  });
  users.connections.allowFrom(Peer.traefik(), Port.tcp(8080), { environments: [development, staging] });
  users.connections.allowTo(rabbitmq, Port.tcp(5672));
  users.connections.allowTo(redis, Port.tcp(6379));
  users.connections.allowTo(Peer.fqdn('api.sendgrid.com', { name: 'sendgrid' }), Port.tcp(443));
  // Flux commits each new release tag (and its digest) of users-api to production.
  users.enableImageAutomation(production, { selection: ImageSelection.semver('>=1.0.0') });
  // RemoteServices__UserApiUrl: my-api calls users-api (egress on my-api, ingress on users).
  api.connections.allowTo(users, Port.tcp(8080));

  // The gateway fronts production only: development and staging expose each service directly.
  const gateway = new DitGateway(app, 'gateway', {
    environments: [production],
    image: { repository: 'ditkrg/dit-gateway', githubRepository: 'ditkrg/dit-gateway', tag: 'v3.1.0', digest: 'sha256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae' },
  });
  const stripApi = Middleware.stripPrefix('strip-my-api', ['/my-api']);
  const stripUsers = Middleware.stripPrefix('strip-users', ['/users']);
  const rateLimit = Middleware.rateLimit('rate-limit', { average: 100, burst: 200 });
  const security = Middleware.headers('security-headers', { response: { 'Strict-Transport-Security': 'max-age=31536000' } });
  [stripApi, stripUsers, rateLimit, security].forEach((m) => gateway.addMiddleware(m));
  gateway.addRoute({ backend: api, pathPrefix: '/my-api', middlewares: [rateLimit, stripApi, security] });
  gateway.addRoute({ backend: users, pathPrefix: '/users', middlewares: [rateLimit, stripUsers, security] });
  gateway.connections.allowFrom(Peer.traefik(), Port.tcp(8080));

  // API documentation, one static site for every environment.
  const docs = new DitManifests(app, 'api-docs', { shared: true });
  const labels = { 'app.kubernetes.io/instance': 'api-docs' };
  new k8s.KubeDeployment(docs.chart, 'Deployment', {
    metadata: { name: 'api-docs' },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          automountServiceAccountToken: false,
          // The team's registry (ghcr.io) and its pull secret, as the golden charts pull.
          imagePullSecrets: [{ name: 'ghcr-auth' }],
          securityContext: { runAsNonRoot: true, runAsUser: 101, runAsGroup: 101, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [{
            name: 'docs',
            image: 'ghcr.io/ditkrg/my-team-api-docs:v1.0.0@sha256:b5bb9d8014a0f9b1d61e21e796d78dccdf1352f23cd32812f4850b878ae4944c',
            ports: [{ name: 'http', containerPort: 8080 }],
            securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
            // A static site: it is up when nginx serves the index.
            readinessProbe: { httpGet: { path: '/', port: k8s.IntOrString.fromString('http') } },
            livenessProbe: { httpGet: { path: '/', port: k8s.IntOrString.fromString('http') } },
            resources: { requests: { cpu: k8s.Quantity.fromString('10m'), memory: k8s.Quantity.fromString('32Mi') }, limits: { memory: k8s.Quantity.fromString('32Mi') } },
          }],
        },
      },
    },
  });
  new k8s.KubeService(docs.chart, 'Service', {
    metadata: { name: 'api-docs' },
    spec: { selector: labels, ports: [{ port: 80, targetPort: k8s.IntOrString.fromNumber(8080) }] },
  });
  docs.connections.allowFrom(Peer.traefik(), Port.tcp(8080)).denyAllEgress();

  // TLS certificates, sealed for the my-team namespace (kubeseal --scope namespace-wide).
  new DitManifests(app, 'certs', {
    shared: true,
    manifests: [{
      apiVersion: 'bitnami.com/v1alpha1',
      kind: 'SealedSecret',
      metadata: { name: 'my-team-tls', annotations: { 'sealedsecrets.bitnami.com/namespace-wide': 'true' } },
      spec: {
        encryptedData: { 'tls.crt': 'AgBh7Jp2ZQ...', 'tls.key': 'AgC9xWm4Rt...' },
        template: { type: 'kubernetes.io/tls', metadata: { name: 'my-team-tls' } },
      },
    }],
  });
}

export default defineTeam;

if (require.main === module) runSynth(defineTeam);
