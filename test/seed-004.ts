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

// Where the example differs from seed 004, and why: `dit-gitops verify` found that the
// seed's configuration would not run (docs/verify.md, "The example and seed 004").
const seedValues = SEED_BASE_RELEASE.spec.values;
export const EXAMPLE_BASE_RELEASE = {
  ...SEED_BASE_RELEASE,
  spec: {
    ...SEED_BASE_RELEASE.spec,
    values: {
      ...seedValues,
      // The seed's repository alone is a short name: the runtime would pull it from Docker Hub.
      image: { registry: 'ghcr.io', ...seedValues.image },
      imagePullSecrets: ['ghcr-auth'],
      // users-api's Service serves 8080; http://users-api dials 80.
      configs: { ...seedValues.configs, RemoteServices__UserApiUrl: 'http://users-api:8080' },
      ciliumNetworkPolicy: {
        ...seedValues.ciliumNetworkPolicy,
        egress: {
          ...seedValues.ciliumNetworkPolicy.egress,
          // The seed's egress forbade the call RemoteServices__UserApiUrl makes.
          users: { toEndpoints: [{ matchLabels: { 'app.kubernetes.io/instance': 'users-api' } }], toPorts: [{ ports: [{ port: '8080', protocol: 'TCP' }] }] },
        },
      },
    },
  },
};

const fqdnRule = (host: string) => ({ toFQDNs: [{ matchName: host }], toPorts: [{ ports: [{ port: '443', protocol: 'TCP' }] }] });
export const EXAMPLE_STAGING_RELEASE = {
  ...SEED_STAGING_RELEASE,
  spec: {
    values: {
      ...SEED_STAGING_RELEASE.spec.values,
      ciliumNetworkPolicy: {
        egress: {
          ...SEED_STAGING_RELEASE.spec.values.ciliumNetworkPolicy.egress,
          // Storage__Endpoint and CAS__URL: staging's configuration dials both.
          cas: fqdnRule('auth.dev.krd'),
          storage: fqdnRule('s3.dev.krd'),
        },
      },
    },
  },
};
