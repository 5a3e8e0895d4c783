// Seed 004's files, transcribed (the seed's text lost its indentation). The example in
// src/main.ts must reproduce them as data.
export const SEED_BASE_RELEASE = {
  apiVersion: 'helm.toolkit.fluxcd.io/v2',
  kind: 'HelmRelease',
  metadata: { name: 'my-api' },
  spec: {
    releaseName: 'my-api',
    interval: '1h',
    driftDetection: { mode: 'warn' },
    chartRef: { kind: 'HelmChart', name: 'dit-common-api', namespace: 'flux-system' },
    values: {
      replicas: 4,
      image: { repository: 'my-team/my-api' },
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
      infisical: { enabled: true, secretsScope: { secretsPath: '/my-api' } },
      ciliumNetworkPolicy: {
        enabled: true,
        ingress: {
          traefik: {
            fromEndpoints: [{ matchLabels: { 'app.kubernetes.io/instance': 'traefik-traefik', 'io.kubernetes.pod.namespace': 'traefik' } }],
            toPorts: [{ ports: [{ port: '8080' }] }],
          },
        },
        egress: {
          'kube-dns': {
            toEndpoints: [{ matchLabels: { 'k8s-app': 'kube-dns', 'io.kubernetes.pod.namespace': 'kube-system' } }],
            toPorts: [{ ports: [{ port: '53' }], rules: { dns: [{ matchPattern: '*' }] } }],
          },
          'rabbitmq': {
            toEndpoints: [{ matchLabels: { 'app.kubernetes.io/component': 'rabbitmq', 'app.kubernetes.io/name': 'cluster', 'io.kubernetes.pod.namespace': 'rabbitmq' } }],
            toPorts: [{ ports: [{ port: '5672' }] }],
          },
        },
      },
    },
  },
};

export const SEED_STAGING_RELEASE = {
  apiVersion: 'helm.toolkit.fluxcd.io/v2',
  kind: 'HelmRelease',
  metadata: { name: 'my-api' },
  spec: {
    values: {
      replicas: 2,
      configs: {
        ASPNETCORE_ENVIRONMENT: 'Staging',
        Sentry__Environment: 'staging',
        Storage__Endpoint: 'https://s3.dev.krd',
        CAS__URL: 'https://auth.dev.krd',
      },
      infisical: { secretsScope: { envSlug: 'staging' }, sealedSecret: { token: 'AgCXZS4j...' } },
      ciliumNetworkPolicy: {
        egress: {
          database: { toEndpoints: [{ matchLabels: { app: 'my-team-mongodb-svc' } }], toPorts: [{ ports: [{ port: '27017' }] }] },
        },
      },
    },
  },
};
