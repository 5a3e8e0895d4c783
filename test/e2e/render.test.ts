import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { DitApi, DitClient, DitEnvironment, DitGateway, GitOpsApp, Peer, Port, RenderedObject, formatLintFindings, lintRendered } from '../../src';
import { DEFAULT_SCHEMAS_DIR, buildCharts, createSchemaValidator, findHelm, formatRendered, renderEnvironment, synthTree } from '../../src/testing';
import { defineTeam } from '../../src/main';
import { readTree, tempDir } from '../support';

// Golden charts rendered with a real Helm (PATH, else the dev-dependency's static Helm).
const ROOT = path.join(__dirname, '..', '..');
const CHARTS = path.join(ROOT, 'charts');
const PROJECT_SCHEMAS = path.join(ROOT, 'schemas');
// The Kubernetes and CRD schemas the package ships.
const SCHEMAS = DEFAULT_SCHEMAS_DIR;
const helm = findHelm();
const ENVIRONMENTS = ['development', 'staging', 'production'];

const committed = readTree(path.join(ROOT, 'dist'));
const example = synthTree(defineTeam, { previous: committed });
const rendered = Object.fromEntries(ENVIRONMENTS.map((env) => [env, renderEnvironment(example, env, { charts: CHARTS, helm })]));

const find = (objects: readonly RenderedObject[], component: string, kind: string) => objects.filter((o) => o.component === component && o.object.kind === kind).map((o) => o.object as any);

// As Flux builds them: the dit-library dependency packaged into a scratch copy, for helm itself.
const built = buildCharts(CHARTS, ['dit-common-api', 'dit-common-client', 'dit-gateway'], path.join(tempDir(), 'charts'), helm);

describe('helm lint', () => {
  it.each(['dit-common-api', 'dit-common-client', 'dit-gateway'])('%s', (chart) => {
    const result = spawnSync(helm, ['lint', '--strict', path.join(built, chart), '--values', path.join(CHARTS, chart, 'ci', 'default-values.yaml')], { encoding: 'utf8' });
    expect([result.status, result.stdout.trim().split('\n').pop()]).toStrictEqual([0, '1 chart(s) linted, 0 chart(s) failed']);
  });
});

describe(`every rendered object of the example validates strictly (${SCHEMAS})`, () => {
  const validate = createSchemaValidator(SCHEMAS);
  const traefik = createSchemaValidator(PROJECT_SCHEMAS);
  it.each(ENVIRONMENTS)('%s', (env) => {
    const findings = rendered[env].flatMap((o) => validate(o.object).map((f) => `${o.component} ${f.object} ${f.field}: ${f.message}`));
    expect(findings).toStrictEqual([]);
    expect(rendered[env].map((o) => o.object.kind)).toEqual(expect.arrayContaining(['Deployment', 'Service', 'CiliumNetworkPolicy', 'InfisicalSecret', 'SealedSecret', 'ServiceAccount', 'ConfigMap', 'PodDisruptionBudget', 'Ingress']));
  });

  it('the gateway routes: Traefik dynamic configuration whose middlewares validate as Traefik Middleware specs', () => {
    const [routes] = find(rendered.production, 'gateway', 'ConfigMap');
    const config = parse(routes.data['routes.yaml']).http;
    const middlewareFindings = Object.entries(config.middlewares).flatMap(([name, spec]) => traefik({ apiVersion: 'traefik.io/v1alpha1', kind: 'Middleware', metadata: { name }, spec: spec as object }));
    expect(middlewareFindings).toStrictEqual([]);
    expect(config.routers['my-api']).toStrictEqual({ rule: 'Host(`api.my-team.example.com`) && PathPrefix(`/my-api`)', service: 'my-api', middlewares: ['rate-limit', 'strip-my-api', 'security-headers'] });
    expect(config.services.users).toStrictEqual({ loadBalancer: { servers: [{ url: 'http://users-api.my-team.svc:8080' }] } });
    // Every route's port is a port of the Service it names.
    const targets = Object.values(config.services).map((s: any) => /^http:\/\/([^.]+)\.my-team\.svc:(\d+)$/.exec(s.loadBalancer.servers[0].url)!.slice(1));
    expect(targets).toStrictEqual([['my-api', '8080'], ['users-api', '8080']]);
    for (const [service, port] of targets) {
      const found = rendered.production.filter((o) => o.object.kind === 'Service' && (o.object.metadata as any).name === service).map((o) => (o.object.spec as any).ports.map((p: { port: number }) => String(p.port)));
      expect(found).toStrictEqual([[port]]);
    }
  });
});

describe('my-api in staging', () => {
  const objects = rendered.staging;
  const [deployment] = find(objects, 'my-api', 'Deployment');

  it('2 replicas, the image pinned from image.yaml, provenance annotations', () => {
    expect(deployment.spec.replicas).toBe(2);
    // From the team's registry, with its pull secret: never a short Docker Hub name.
    expect(deployment.spec.template.spec.containers[0].image).toBe('ghcr.io/my-team/my-api:main-843632a@sha256:570965b16c53e7fe6c48d50d8601a8cd2327143dba14412692a5b8fc2c119bf9');
    expect(deployment.spec.template.spec.imagePullSecrets).toStrictEqual([{ name: 'ghcr-auth' }]);
    expect(deployment.spec.template.metadata.annotations.GITHUB_REPO_URL).toBe('https://github.com/ditkrg/my-team-my-api');
  });

  it('the configs of the base and the staging patch merged, as environment from a ConfigMap', () => {
    const [configMap] = find(objects, 'my-api', 'ConfigMap');
    expect(configMap.data).toStrictEqual({
      ASPNETCORE_ENVIRONMENT: 'Staging',
      CAS__URL: 'https://auth.dev.krd',
      MongoDB__DatabaseName: 'my-team-db',
      RabbitMQ__ExchangeName: 'my-team',
      RabbitMQ__HostName: 'cluster.rabbitmq',
      RabbitMQ__Port: '5672',
      RabbitMQ__VirtualHost: 'my-team',
      RemoteServices__UserApiUrl: 'http://users-api:8080',
      Sentry__Environment: 'staging',
      Storage__Endpoint: 'https://s3.dev.krd',
    });
    expect(deployment.spec.template.spec.containers[0].envFrom).toStrictEqual([{ configMapRef: { name: 'my-api-configs' } }, { secretRef: { name: 'my-api-secrets' } }]);
  });

  it('a default-deny policy whose egress is CAS, the staging database, kube-dns (with the DNS rule), rabbitmq, object storage and users', () => {
    const [policy] = find(objects, 'my-api', 'CiliumNetworkPolicy');
    expect(policy.spec.enableDefaultDeny).toStrictEqual({ ingress: true, egress: true });
    const https = [{ ports: [{ port: '443', protocol: 'TCP' }] }];
    expect(policy.spec.egress).toStrictEqual([
      { toFQDNs: [{ matchName: 'auth.dev.krd' }], toPorts: https },
      { toEndpoints: [{ matchLabels: { app: 'my-team-mongodb-svc' } }], toPorts: [{ ports: [{ port: '27017' }] }] },
      { toEndpoints: [{ matchLabels: { 'io.kubernetes.pod.namespace': 'kube-system', 'k8s-app': 'kube-dns' } }], toPorts: [{ ports: [{ port: '53' }], rules: { dns: [{ matchPattern: '*' }] } }] },
      { toEndpoints: [{ matchLabels: { 'app.kubernetes.io/component': 'rabbitmq', 'app.kubernetes.io/name': 'cluster', 'io.kubernetes.pod.namespace': 'rabbitmq' } }], toPorts: [{ ports: [{ port: '5672' }] }] },
      { toFQDNs: [{ matchName: 's3.dev.krd' }], toPorts: https },
      { toEndpoints: [{ matchLabels: { 'app.kubernetes.io/instance': 'users-api' } }], toPorts: [{ ports: [{ port: '8080', protocol: 'TCP' }] }] },
    ]);
  });

  it('the Infisical token: an InfisicalSecret reading the SealedSecret sealed for the namespace', () => {
    const [infisical] = find(objects, 'my-api', 'InfisicalSecret');
    const [sealed] = find(objects, 'my-api', 'SealedSecret');
    expect(infisical.spec.authentication.serviceToken).toStrictEqual({
      secretsScope: { envSlug: 'staging', secretsPath: '/my-api' },
      serviceTokenSecretReference: { secretName: 'my-api-infisical-token', secretNamespace: 'my-team' },
    });
    expect([sealed.metadata.name, sealed.metadata.namespace, sealed.spec.encryptedData]).toStrictEqual(['my-api-infisical-token', 'my-team', { infisicalToken: 'AgCXZS4j...' }]);
  });
});

describe('dit-gitops lint on the example', () => {
  it.each(ENVIRONMENTS)('%s: zero findings', (env) => {
    const findings = lintRendered(rendered[env], { pinImageDigests: env === 'production' });
    expect(formatLintFindings(findings)).toBe('');
  });
});

describe('ports: one contract from the component to the Service, the container and the policy', () => {
  const tree = synthTree((app: GitOpsApp) => {
    const dev = new DitEnvironment(app, 'development', { namespace: 'team', domain: 'dev.example.com' });
    const api = new DitApi(app, 'django', { ports: [Port.tcp(8000)], image: { tag: 'v1' }, environments: [dev] });
    const client = new DitClient(app, 'next', { ports: [Port.tcp(3000)], image: { tag: 'v1' }, environments: [dev] });
    const gateway = new DitGateway(app, 'gateway', { ports: [Port.tcp(8443)], image: { tag: 'v1' }, environments: [dev] });
    gateway.connections.allowFrom(Peer.traefik(), Port.tcp(8443));
    gateway.addRoute({ backend: api, pathPrefix: '/api' });
    gateway.addRoute({ backend: client });
    client.connections.allowTo(api, Port.tcp(8000));
  });
  const objects = renderEnvironment(tree, 'development', { charts: CHARTS, helm });

  it.each([['django', 8000], ['next', 3000]])('%s listens, is served and is allowed on %d', (component, port) => {
    const [deployment] = find(objects, component as string, 'Deployment');
    const [service] = find(objects, component as string, 'Service');
    const [policy] = find(objects, component as string, 'CiliumNetworkPolicy');
    expect(deployment.spec.template.spec.containers[0].ports).toStrictEqual([{ name: 'http', containerPort: port, protocol: 'TCP' }]);
    expect(deployment.spec.template.spec.containers[0].readinessProbe.httpGet).toStrictEqual({ path: '/health', port: 'http' });
    expect(service.spec.ports).toStrictEqual([{ name: 'http', port, targetPort: 'http', protocol: 'TCP' }]);
    expect(policy.spec.ingress.flatMap((r: any) => r.toPorts.flatMap((t: any) => t.ports.map((p: any) => p.port)))).toContain(String(port));
  });

  it('the gateway routes to the same port numbers, and 8080 appears nowhere', () => {
    const config = parse(find(objects, 'gateway', 'ConfigMap')[0].data['routes.yaml']).http;
    expect(config.services).toStrictEqual({
      django: { loadBalancer: { servers: [{ url: 'http://django.team.svc:8000' }] } },
      next: { loadBalancer: { servers: [{ url: 'http://next.team.svc:3000' }] } },
    });
    expect(formatRendered(objects)).not.toMatch(/8080/);
  });
});

describe('the schema is enforced', () => {
  it('renaming a value in the tree makes helm template fail, naming the release and the key', () => {
    const file = 'my-api/staging/release.yaml';
    const typo = { ...example, [file]: example[file].replace('    replicas: 2', '    replica: 2') };
    expect(typo[file]).toContain('replica: 2');
    expect(() => renderEnvironment(typo, 'staging', { charts: CHARTS, helm, component: 'my-api' }))
      .toThrow(/^my-api \[staging\] helm template dit-common-api failed: .*additional properties 'replica' not allowed/s);
  });
});

describe('the CLI', () => {
  const cli = (...args: string[]) => spawnSync('node', [path.join(ROOT, 'bin/dit-gitops.js'), ...args], { cwd: ROOT, encoding: 'utf8' });

  it('render prints the manifests of one component', () => {
    const result = cli('render', 'staging', '--component', 'my-client');
    expect(result.status).toBe(0);
    expect(result.stdout.split('\n').filter((l) => l.startsWith('kind: '))).toStrictEqual(['kind: PodDisruptionBudget', 'kind: ServiceAccount', 'kind: Service', 'kind: Deployment', 'kind: Ingress', 'kind: CiliumNetworkPolicy']);
    expect(result.stdout).toContain('# my-client [staging]\n');
  });

  it('lint reports no finding on the example', () => {
    const result = cli('lint', 'production');
    expect([result.status, result.stdout]).toStrictEqual([0, `dit-gitops: production: ${rendered.production.length} objects, no findings\n`]);
  });

  it('an unknown environment', () => {
    const result = cli('render', 'qa');
    expect([result.status, result.stderr]).toStrictEqual([1, 'dit-gitops: no environment qa in the tree; expected one of development, production, staging\n']);
  });
});

describe('dit-gitops lint on a broken tree', () => {
  it('names component, environment, object and rule, and exits 1', () => {
    const outdir = tempDir();
    for (const [file, content] of Object.entries(committed)) {
      fs.mkdirSync(path.dirname(path.join(outdir, file)), { recursive: true });
      fs.writeFileSync(path.join(outdir, file), file === 'api-docs/manifests.yaml' ? content.replace('automountServiceAccountToken: false', 'hostNetwork: true') : content);
    }
    const result = spawnSync('node', [path.join(ROOT, 'bin/dit-gitops.js'), 'lint', 'staging', '--outdir', outdir], { cwd: ROOT, encoding: 'utf8' });
    expect([result.status, result.stderr]).toStrictEqual([1, [
      'dit-gitops: staging: 2 finding(s):',
      'api-docs [staging] Deployment/api-docs host-access: spec.hostNetwork is true; expected the pod in its own namespaces',
      'api-docs [staging] Deployment/api-docs service-account-token: automountServiceAccountToken is not set (Kubernetes mounts the token); expected false unless the app calls the Kubernetes API (serviceAccount.automountToken: true)',
      '',
    ].join('\n')]);
  });
});

describe('a release using every value', () => {
  const values = {
    replicas: 3,
    image: { registry: 'ghcr.io', repository: 'my-team/my-api' },
    ports: [{ name: 'http', port: 8000, protocol: 'TCP' }, { name: 'udp-5353', port: 5353, protocol: 'UDP' }],
    securityContext: { runAsUser: 1000, fsGroup: 2000, readOnlyRootFilesystem: false },
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '128Mi' } },
    configs: { A: 1, B: true },
    infisical: { enabled: true, secretsScope: { secretsPath: '/x', envSlug: 'dev' } },
    ingress: { enabled: true, className: 'nginx', hosts: [{ host: 'a.example.com', paths: [{ path: '/', pathType: 'Prefix' }] }] },
    probes: { enabled: false },
    imagePullSecrets: ['ghcr'],
    volumes: { data: { mountPath: '/data', size: '8Gi', storageClassName: 'fast', accessMode: 'ReadWriteOncePod' } },
    serviceAccount: { automountToken: true },
    global: { image: { tag: 'v1' }, annotations: { OLD: 'old', SAME: 'global' } },
    annotations: { SAME: 'values' },
    podLabels: { team: 'x' },
  };
  const dir = tempDir();
  fs.writeFileSync(path.join(dir, 'values.json'), JSON.stringify(values));
  const result = spawnSync(helm, ['template', 'full', path.join(built, 'dit-common-api'), '--namespace', 't', '--values', path.join(dir, 'values.json')], { encoding: 'utf8' });
  const objects = result.stdout.split(/^---$/m).map((d) => parse(d)).filter(Boolean);
  const byKind = (kind: string) => objects.find((o) => o.kind === kind);

  it('renders, and every object validates', () => {
    expect(result.stderr).toBe('');
    expect(objects.map((o) => o.kind).sort()).toStrictEqual(['ConfigMap', 'Deployment', 'Ingress', 'InfisicalSecret', 'PersistentVolumeClaim', 'PodDisruptionBudget', 'Service', 'ServiceAccount', 'CiliumNetworkPolicy'].sort());
    expect(objects.flatMap((o) => createSchemaValidator(SCHEMAS)(o))).toStrictEqual([]);
  });

  it('the volume, pull secret, token, opt-outs, labels and annotations', () => {
    const pod = byKind('Deployment').spec.template;
    expect(pod.spec.volumes[1]).toStrictEqual({ name: 'data', persistentVolumeClaim: { claimName: 'full-data' } });
    expect(byKind('PersistentVolumeClaim').spec).toStrictEqual({ accessModes: ['ReadWriteOncePod'], storageClassName: 'fast', resources: { requests: { storage: '8Gi' } } });
    expect([pod.spec.imagePullSecrets, pod.spec.automountServiceAccountToken, byKind('ServiceAccount').automountServiceAccountToken]).toStrictEqual([[{ name: 'ghcr' }], true, true]);
    expect(pod.spec.containers[0].securityContext.readOnlyRootFilesystem).toBe(false);
    expect(pod.spec.containers[0].readinessProbe).toBeUndefined();
    expect(pod.metadata.labels.team).toBe('x');
    expect([pod.metadata.annotations.OLD, pod.metadata.annotations.SAME]).toStrictEqual(['old', 'values']);
    expect(byKind('ConfigMap').data).toStrictEqual({ A: '1', B: 'true' });
  });
});
