import { ImageRegistry, Port, renderChartValues, validateChartValues } from '../../src';

const ctx = { component: 'api', defaultUser: 1654, registry: ImageRegistry.ghcr() };

describe('chart values: ports, probes, pull secrets, volumes, token, pod labels', () => {
  it('renders what the golden charts read', () => {
    const values = renderChartValues({
      probes: { path: '/healthz' },
      imagePullSecrets: ['ghcr'],
      volumes: { data: { mountPath: '/data', size: '8Gi' } },
      automountServiceAccountToken: true,
    }, { ...ctx, ports: [Port.tcp(8000), Port.udp(5353)], podLabels: { app: 'api' } });
    expect(values).toStrictEqual({
      replicas: 1,
      // The registry's pull secret comes first, then the ones the values name.
      image: { registry: 'ghcr.io', repository: 'api' },
      securityContext: { runAsNonRoot: true, runAsUser: 1654, runAsGroup: 1654 },
      resources: { requests: { cpu: '50m', memory: '256Mi' }, limits: { memory: '256Mi' } },
      ports: [{ name: 'http', port: 8000, protocol: 'TCP' }, { name: 'udp-5353', port: 5353, protocol: 'UDP' }],
      podLabels: { app: 'api' },
      probes: { path: '/healthz' },
      imagePullSecrets: ['ghcr-auth', 'ghcr'],
      volumes: { data: { mountPath: '/data', size: '8Gi' } },
      serviceAccount: { automountToken: true },
    });
  });

  it('an exec check with its own timing per probe, and a read-only volume, pass as they are', () => {
    const probes = {
      command: ['/bin/sh', '-c', 'redis-cli ping'],
      readiness: { periodSeconds: 5, timeoutSeconds: 2, failureThreshold: 4 },
      liveness: { periodSeconds: 5, timeoutSeconds: 2, failureThreshold: 4, initialDelaySeconds: undefined },
      startup: { enabled: false },
    };
    const values = { probes, volumes: { cache: { mountPath: '/cache', size: '1Gi', readOnly: true } } };
    validateChartValues(values, ctx);
    const rendered = renderChartValues(values, ctx);
    expect([rendered.probes, rendered.volumes]).toStrictEqual([{
      command: ['/bin/sh', '-c', 'redis-cli ping'],
      readiness: { periodSeconds: 5, timeoutSeconds: 2, failureThreshold: 4 },
      liveness: { periodSeconds: 5, timeoutSeconds: 2, failureThreshold: 4 },
      startup: { enabled: false },
    }, { cache: { mountPath: '/cache', size: '1Gi', readOnly: true } }]);
  });

  it('leaves out the charts default port (8080/TCP) and no pod labels', () => {
    const values = renderChartValues({}, { ...ctx, ports: [Port.any(8080)], podLabels: {} });
    expect([values.ports, values.podLabels]).toStrictEqual([undefined, undefined]);
  });

  const bad: Array<[string, object, string]> = [
    ['privilege escalation', { securityContext: { runAsUser: 1000, allowPrivilegeEscalation: true } }, 'api securityContext.allowPrivilegeEscalation: got true; expected false or unset (the golden charts never let a process gain privileges)'],
    ['a probe path without /', { probes: { path: 'health' } }, 'api probes.path: got "health"; expected a path starting with /, such as /health'],
    ['a probe command that is empty', { probes: { command: [] } }, 'api probes.command: got []; expected a non-empty list of non-empty strings, such as [\'pg_isready\']'],
    ['a probe command and a path', { probes: { command: ['true'], path: '/health' } }, 'api probes.command: is set with probes.path; expected a command or an httpGet path and port, not both'],
    ['a probe port out of range', { probes: { port: 70000 } }, 'api probes.port: got 70000; expected a port number (1-65535) or a port name such as http'],
    ['a TCP probe and a command', { probes: { tcp: true, command: ['true'] } }, 'api probes.tcp: is set with probes.command; expected a TCP connect to the port or an exec command, not both'],
    ['a TCP probe and a path', { probes: { tcp: true, path: '/health' } }, 'api probes.tcp: is set with probes.path; expected a TCP connect to the port or an httpGet path, not both'],
    ['a probe period of 0', { probes: { readiness: { periodSeconds: 0 } } }, 'api probes.readiness.periodSeconds: got 0; expected a whole number of at least 1'],
    ['a negative initial delay', { probes: { startup: { initialDelaySeconds: -1 } } }, 'api probes.startup.initialDelaySeconds: got -1; expected a whole number of at least 0'],
    ['an unknown probe field', { probes: { liveness: { period: 3 } } }, 'api probes.liveness.period: is not a probe field; expected initialDelaySeconds, periodSeconds, timeoutSeconds or failureThreshold'],
    ['a volume over the chart /tmp', { volumes: { data: { mountPath: '/tmp', size: '1Gi' } } }, 'api volumes.data.mountPath: got "/tmp"; expected an absolute path other than /tmp (the chart mounts its own /tmp)'],
    ['a volume size that is no quantity', { volumes: { data: { mountPath: '/data', size: 'big' } } }, 'api volumes.data.size: got "big"; expected a storage quantity such as 8Gi'],
  ];
  it.each(bad)('%s', (_name, values, message) => {
    expect(() => validateChartValues(values, ctx)).toThrow(message);
  });

  it('no port: rendered as an empty list (the charts render no Service), and what needs a port says so', () => {
    const none = { ...ctx, ports: [] };
    expect(renderChartValues({ probes: { command: ['true'] } }, none).ports).toStrictEqual([]);
    expect(() => validateChartValues({ probes: { enabled: false } }, none)).not.toThrow();
    expect(() => validateChartValues({ probes: { command: ['true'] } }, none)).not.toThrow();
    expect(() => validateChartValues({ probes: { tcp: true } }, none)).toThrow('api probes: is a TCP connect to the first port, but the component declares no port; expected probes.command (an exec check), probes.port, or probes.enabled: false');
    expect(() => validateChartValues({}, none)).toThrow('api probes: is the default GET /health on the first port, but the component declares no port; expected probes.command (an exec check), probes.port, or probes.enabled: false');
    expect(() => validateChartValues({ probes: { enabled: false }, ingress: {} }, none)).toThrow('api ingress: is set but the component declares no port (a worker or cron job serves nothing); expected a port for the Ingress (ports), or no ingress');
  });

  it('a volume or pull secret name Kubernetes refuses', () => {
    expect(() => validateChartValues({ volumes: { Data: { mountPath: '/data', size: '1Gi' } } }, ctx)).toThrow(/^api volumes\.Data: /);
    expect(() => validateChartValues({ imagePullSecrets: ['GHCR creds'] }, ctx)).toThrow(/^api imagePullSecrets: /);
  });
});

describe('chart values: the registry', () => {
  const base = { component: 'api', defaultUser: 1654, registry: ImageRegistry.ghcr() };

  it('the team registry and its pull secret, by default', () => {
    const values = renderChartValues({ image: { repository: 'my-team/api' } }, base);
    expect([values.image, values.imagePullSecrets]).toStrictEqual([{ registry: 'ghcr.io', repository: 'my-team/api' }, ['ghcr-auth']]);
  });

  it("the component's registry over the context's (environment or team)", () => {
    const values = renderChartValues({ image: { repository: 'my-team/api', registry: ImageRegistry.of('reg.dev.krd') } }, base);
    expect([values.image, values.imagePullSecrets]).toStrictEqual([{ registry: 'reg.dev.krd', repository: 'my-team/api' }, ['reg-dev-krd-auth']]);
  });

  it('a repository that starts with a host names its registry; the path stays in repository', () => {
    const values = renderChartValues({ image: { repository: 'registry.example.com:5000/team/api' } }, base);
    expect([values.image, values.imagePullSecrets]).toStrictEqual([{ registry: 'registry.example.com:5000', repository: 'team/api' }, ['registry-example-com-auth']]);
  });

  it('Docker Hub only when chosen, with no pull secret unless given', () => {
    const values = renderChartValues({ image: { repository: 'library/nginx', registry: ImageRegistry.dockerHub() } }, base);
    expect([values.image, values.imagePullSecrets]).toStrictEqual([{ registry: 'docker.io', repository: 'library/nginx' }, undefined]);
  });

  it('refuses a repository naming one registry and image.registry another', () => {
    expect(() => validateChartValues({ image: { repository: 'ghcr.io/team/api', registry: ImageRegistry.of('reg.dev.krd') } }, base))
      .toThrow('api image.repository: names registry ghcr.io while image.registry is reg.dev.krd; expected the path only ("team/api") or the same registry');
  });

  it('refuses a registry host that is no host, and a pull secret that is no Secret name', () => {
    expect(() => validateChartValues({ image: { registry: ImageRegistry.of('not a host') } }, base))
      .toThrow('api image.registry.host: got "not a host"; expected a registry host such as ghcr.io or reg.dev.krd (a DNS name with a dot, optionally :port)');
    expect(() => validateChartValues({ image: { registry: ImageRegistry.of('reg.dev.krd', { pullSecret: 'Bad_Name' }) } }, base))
      .toThrow(/^api image\.registry\.pullSecret: /);
  });
});

describe('chart values: keys that read like credentials but hold none', () => {
  const base = { component: 'api', defaultUser: 1654, registry: ImageRegistry.ghcr() };

  it('are refused as plain secrets unless notSecrets names them', () => {
    const configs = { PASSWORD_MIN_LENGTH: '12', Jwt__Secret: 'hunter2' };
    expect(() => validateChartValues({ configs }, base)).toThrow('api configs.PASSWORD_MIN_LENGTH: looks like a secret and has a literal value');
    expect(() => validateChartValues({ configs, notSecrets: ['PASSWORD_MIN_LENGTH'] }, base))
      .toThrow(/^api configs\.Jwt__Secret: looks like a secret and has a literal value, which would be committed in plain text; expected it in Infisical \(path \/api\)/);
    expect(() => validateChartValues({ configs: { PASSWORD_MIN_LENGTH: '12' }, notSecrets: ['PASSWORD_MIN_LENGTH'] }, base)).not.toThrow();
  });

  it('stay in configs as they are: notSecrets is not a chart value', () => {
    expect(renderChartValues({ configs: { PASSWORD_MIN_LENGTH: 12 }, notSecrets: ['PASSWORD_MIN_LENGTH'] }, base)).toStrictEqual(
      expect.objectContaining({ configs: { PASSWORD_MIN_LENGTH: 12 } }));
    expect(Object.keys(renderChartValues({ notSecrets: [] }, base))).not.toContain('notSecrets');
  });
});
