import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { buildCharts, findHelm } from '../../src/testing';
import { tempDir } from '../support';

// The golden charts built as Flux's source-controller builds a HelmChart from a GitRepository:
// the chart's file:// dependency (dit-library) packaged into its charts/ folder, then rendered.
// Here: `helm dependency build` in a scratch copy, then `helm template` and `helm lint`.
const CHARTS = path.join(__dirname, '..', '..', 'charts');
const APP_CHARTS = ['dit-common-api', 'dit-common-client', 'dit-gateway'];
const helm = findHelm();
const built = buildCharts(CHARTS, APP_CHARTS, path.join(tempDir('dit-gitops-charts-'), 'charts'), helm);

const IMAGE = { image: { registry: 'ghcr.io', repository: 'my-team/shop' }, global: { image: { tag: 'v1.4.0' } } };

function helmTemplate(chart: string, values: object): { status: number | null; stderr: string; objects: any[] } {
  const file = path.join(tempDir(), 'values.yaml');
  fs.writeFileSync(file, stringify(values));
  const result = spawnSync(helm, ['template', 'shop', path.join(built, chart), '--namespace', 'team', '--values', file], { encoding: 'utf8' });
  return { status: result.status, stderr: result.stderr.trim(), objects: parseAllDocuments(result.stdout).map((d) => d.toJS()).filter(Boolean) };
}

function render(values: object, chart = 'dit-common-api'): any[] {
  const result = helmTemplate(chart, { ...IMAGE, ...values });
  if (result.status !== 0) throw new Error(result.stderr);
  return result.objects;
}

const kinds = (objects: readonly any[]) => objects.map((o) => `${o.kind}/${o.metadata.name}`);
const one = (objects: readonly any[], kind: string) => {
  const found = objects.filter((o) => o.kind === kind);
  expect(found).toHaveLength(1);
  return found[0];
};
const failure = (values: object, chart = 'dit-common-api') => {
  const result = helmTemplate(chart, { ...IMAGE, ...values });
  // Helm says where a template failed; what follows is the chart's own message.
  return [result.status, result.stderr.replace(/^Error: execution error at \([^)]*\): /, '').replace(/\n\nUse --debug flag to render out invalid YAML$/, '')];
};

// What every pod of a release gets, whatever runs in it.
const POD_SECURITY = { runAsNonRoot: true, runAsUser: 1654, runAsGroup: 1654, seccompProfile: { type: 'RuntimeDefault' } };
const CONTAINER_SECURITY = { allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } };
const SELECTOR = { 'app.kubernetes.io/name': 'dit-common-api', 'app.kubernetes.io/instance': 'shop' };

describe('building the charts', () => {
  it('each app chart gets dit-library in its charts/ folder; the charts directory itself is never written', () => {
    for (const chart of APP_CHARTS) {
      expect([chart, fs.readdirSync(path.join(built, chart, 'charts'))]).toStrictEqual([chart, ['dit-library-1.0.0.tgz']]);
      expect([chart, fs.existsSync(path.join(CHARTS, chart, 'charts')), fs.existsSync(path.join(CHARTS, chart, 'Chart.lock'))]).toStrictEqual([chart, false, false]);
    }
  });

  it('without the build, helm cannot render a chart: its templates live in the library', () => {
    const result = spawnSync(helm, ['template', 'shop', path.join(CHARTS, 'dit-common-api'), '--values', path.join(CHARTS, 'dit-common-api', 'ci', 'default-values.yaml')], { encoding: 'utf8' });
    expect([result.status, result.stderr]).toStrictEqual([1, expect.stringContaining('found in Chart.yaml, but missing in charts/ directory: dit-library')]);
  });

  it('a failed build says which chart and where it was built from', () => {
    const broken = tempDir();
    fs.cpSync(path.join(CHARTS, 'dit-common-api'), path.join(broken, 'dit-common-api'), { recursive: true });
    expect(() => buildCharts(broken, ['dit-common-api'], path.join(tempDir(), 'charts'), helm))
      .toThrow(new RegExp(`^helm dependency build dit-common-api \\(from ${broken}\\) failed: .*dit-library`));
  });
});

describe('helm lint --strict, every ci values file', () => {
  const cases = APP_CHARTS.flatMap((chart) => fs.readdirSync(path.join(CHARTS, chart, 'ci')).sort().map((file) => [chart, file]));
  it('the ci values cover the default release, a worker, a cron job, a hook job and TCP probes', () => {
    expect(cases).toStrictEqual([
      ['dit-common-api', 'cronjob-values.yaml'], ['dit-common-api', 'default-values.yaml'], ['dit-common-api', 'hookjob-values.yaml'], ['dit-common-api', 'tcp-probe-values.yaml'], ['dit-common-api', 'worker-values.yaml'],
      ['dit-common-client', 'default-values.yaml'],
      ['dit-gateway', 'default-values.yaml'],
    ]);
  });
  it('dit-library itself', () => {
    const result = spawnSync(helm, ['lint', '--strict', path.join(CHARTS, 'dit-library')], { encoding: 'utf8' });
    expect([result.status, result.stdout.trim().split('\n').pop()]).toStrictEqual([0, '1 chart(s) linted, 0 chart(s) failed']);
  });
  it.each(cases)('%s with ci/%s', (chart, file) => {
    const result = spawnSync(helm, ['lint', '--strict', path.join(built, chart), '--values', path.join(CHARTS, chart, 'ci', file)], { encoding: 'utf8' });
    expect([result.status, result.stdout.trim().split('\n').pop()]).toStrictEqual([0, '1 chart(s) linted, 0 chart(s) failed']);
  });
});

describe('the default release', () => {
  // Recorded from the charts before the library: the same objects, field for field, except
  // helm.sh/chart (the app charts went from 1.0.0 to 1.1.0 with the new values).
  it.each(APP_CHARTS)('%s renders what it rendered before dit-library', (chart) => {
    expect(render(parse(fs.readFileSync(path.join(CHARTS, chart, 'ci', 'default-values.yaml'), 'utf8')), chart)).toMatchSnapshot();
  });
});

describe('command and args', () => {
  it.each(APP_CHARTS)('%s: the main container runs them; unset, the image\'s own', (chart) => {
    const deployment = one(render({ command: ['celery', '-A', 'shop', 'worker'], args: ['--loglevel', 'info'] }, chart), 'Deployment');
    const container = deployment.spec.template.spec.containers[0];
    expect([container.command, container.args]).toStrictEqual([['celery', '-A', 'shop', 'worker'], ['--loglevel', 'info']]);
    const plain = one(render({}, chart), 'Deployment').spec.template.spec.containers[0];
    expect(['command' in plain, 'args' in plain]).toStrictEqual([false, false]);
  });

  it('the schema refuses a command given as one shell string', () => {
    expect(failure({ command: 'celery -A shop worker' })).toStrictEqual([1, expect.stringContaining("at '/command': got string, want array")]);
  });
});

describe('probes.tcp: a TCP connect for an app with no health endpoint', () => {
  it('startup, readiness and liveness are tcpSocket on the first port, with the charts\' timing, in every app chart', () => {
    for (const chart of APP_CHARTS) {
      const container = one(render({ ports: [{ name: 'http', port: 9200, protocol: 'TCP' }], probes: { tcp: true }, ...(chart === 'dit-gateway' ? { routes: {} } : {}) }, chart), 'Deployment').spec.template.spec.containers[0];
      const tcpSocket = { port: 'http' };
      expect([chart, container.startupProbe, container.readinessProbe, container.livenessProbe]).toStrictEqual([chart,
        { tcpSocket, periodSeconds: 5, failureThreshold: 30 },
        { tcpSocket, periodSeconds: 10, failureThreshold: 3 },
        { tcpSocket, periodSeconds: 20, failureThreshold: 3 },
      ]);
    }
  });

  it('on probes.port when it names one, with each probe\'s timing', () => {
    const container = one(render({ ports: [{ name: 'http', port: 9200, protocol: 'TCP' }, { name: 'transport', port: 9300, protocol: 'TCP' }],
      probes: { tcp: true, port: 9300, readiness: { timeoutSeconds: 5 }, startup: { enabled: false } } }), 'Deployment').spec.template.spec.containers[0];
    expect([container.startupProbe, container.readinessProbe, container.livenessProbe]).toStrictEqual([undefined,
      { tcpSocket: { port: 9300 }, periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 5 },
      { tcpSocket: { port: 9300 }, periodSeconds: 20, failureThreshold: 3 },
    ]);
  });

  it('the schema refuses a tcp that is not a boolean', () => {
    expect(failure({ probes: { tcp: 'open' } })).toStrictEqual([1, expect.stringContaining("at '/probes/tcp': got string, want boolean")]);
  });
});

describe('a worker (ports: [])', () => {
  const worker = { ports: [], replicas: 2, command: ['celery', '-A', 'shop', 'worker'], probes: { enabled: true, command: ['celery', '-A', 'shop', 'inspect', 'ping'] } };

  it('a Deployment with the command and exec probes, and no Service, containerPort or Ingress', () => {
    const objects = render(worker);
    expect(kinds(objects)).toStrictEqual(['PodDisruptionBudget/shop', 'ServiceAccount/shop', 'Deployment/shop', 'CiliumNetworkPolicy/shop']);
    const container = one(objects, 'Deployment').spec.template.spec.containers[0];
    expect(container.command).toStrictEqual(['celery', '-A', 'shop', 'worker']);
    expect(container.ports).toBeUndefined();
    const exec = { command: ['celery', '-A', 'shop', 'inspect', 'ping'] };
    expect([container.startupProbe, container.readinessProbe, container.livenessProbe]).toStrictEqual([
      { exec, periodSeconds: 5, failureThreshold: 30 },
      { exec, periodSeconds: 10, failureThreshold: 3 },
      { exec, periodSeconds: 20, failureThreshold: 3 },
    ]);
  });

  it('probes.enabled: false renders no probe', () => {
    const container = one(render({ ...worker, probes: { enabled: false } }), 'Deployment').spec.template.spec.containers[0];
    expect([container.startupProbe, container.readinessProbe, container.livenessProbe]).toStrictEqual([undefined, undefined, undefined]);
  });

  it('probes left at GET /health fail with what to set instead', () => {
    expect(failure({ ports: [], command: ['celery', '-A', 'shop', 'worker'] })).toStrictEqual([1,
      'probes: the default check is GET /health on the first port, and ports is empty (a worker listens on no port); set probes.command (an exec check), probes.port, or probes.enabled: false']);
  });

  it('probes.tcp with no port fails likewise, naming the TCP connect', () => {
    expect(failure({ ports: [], command: ['celery', '-A', 'shop', 'worker'], probes: { tcp: true } })).toStrictEqual([1,
      'probes: the default check is a TCP connect on the first port, and ports is empty (a worker listens on no port); set probes.command (an exec check), probes.port, or probes.enabled: false']);
  });

  it('an Ingress to a worker fails: there is no Service to send traffic to', () => {
    expect(failure({ ...worker, ingress: { enabled: true, className: 'traefik', hosts: [{ host: 'shop.example.com', paths: [{ path: '/', pathType: 'Prefix' }] }] } }))
      .toStrictEqual([1, 'ingress: ports is empty (a worker has no Service); declare a port or remove ingress']);
  });
});

describe('a cron job', () => {
  const cron = {
    ports: [],
    command: ['python', 'manage.py', 'clearsessions'],
    configs: { DJANGO_SETTINGS_MODULE: 'shop.settings' },
    infisical: { enabled: true, secretsScope: { secretsPath: '/shop', envSlug: 'staging' } },
    imagePullSecrets: ['registry-auth'],
    volumes: { media: { mountPath: '/media', size: '1Gi' } },
    cronJob: { schedule: '0 3 * * *', timeZone: 'Asia/Baghdad', concurrencyPolicy: 'Replace', backoffLimit: 2, activeDeadlineSeconds: 900, suspend: true, successfulJobsHistoryLimit: 5, failedJobsHistoryLimit: 2 },
  };

  it('a CronJob instead of the Deployment: no Service, PodDisruptionBudget, Ingress or probes', () => {
    const objects = render({ ...cron, replicas: 3 });
    expect(kinds(objects)).toStrictEqual(['ServiceAccount/shop', 'ConfigMap/shop-configs', 'PersistentVolumeClaim/shop-media', 'CronJob/shop', 'CiliumNetworkPolicy/shop', 'InfisicalSecret/shop']);
    const cronJob = one(objects, 'CronJob');
    const { jobTemplate, ...schedule } = cronJob.spec;
    expect(schedule).toStrictEqual({ schedule: '0 3 * * *', timeZone: 'Asia/Baghdad', concurrencyPolicy: 'Replace', suspend: true, successfulJobsHistoryLimit: 5, failedJobsHistoryLimit: 2 });
    expect([jobTemplate.spec.backoffLimit, jobTemplate.spec.activeDeadlineSeconds]).toStrictEqual([2, 900]);
    const pod = jobTemplate.spec.template.spec;
    expect([pod.restartPolicy, pod.securityContext, pod.imagePullSecrets, pod.automountServiceAccountToken, pod.serviceAccountName])
      .toStrictEqual(['OnFailure', POD_SECURITY, [{ name: 'registry-auth' }], false, 'shop']);
    expect(pod.containers).toStrictEqual([{
      name: 'app',
      image: 'ghcr.io/my-team/shop:v1.4.0',
      imagePullPolicy: 'IfNotPresent',
      command: ['python', 'manage.py', 'clearsessions'],
      envFrom: [{ configMapRef: { name: 'shop-configs' } }, { secretRef: { name: 'shop-secrets' } }],
      securityContext: CONTAINER_SECURITY,
      resources: { requests: { cpu: '50m', memory: '256Mi' }, limits: { memory: '256Mi' } },
      volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }, { name: 'media', mountPath: '/media' }],
    }]);
    expect(pod.volumes).toStrictEqual([{ name: 'tmp', emptyDir: {} }, { name: 'media', persistentVolumeClaim: { claimName: 'shop-media' } }]);
  });

  it('the defaults: Forbid, backoffLimit 1, not suspended, Kubernetes\' history limits, no deadline', () => {
    const spec = one(render({ ports: [], cronJob: { schedule: '@daily' } }), 'CronJob').spec;
    expect([spec.schedule, spec.concurrencyPolicy, spec.suspend, spec.timeZone, spec.successfulJobsHistoryLimit, spec.failedJobsHistoryLimit]).toStrictEqual(['@daily', 'Forbid', false, undefined, undefined, undefined]);
    expect([spec.jobTemplate.spec.backoffLimit, spec.jobTemplate.spec.activeDeadlineSeconds]).toStrictEqual([1, undefined]);
  });

  it('the release\'s CiliumNetworkPolicy selects its pods', () => {
    const objects = render(cron);
    const selector = one(objects, 'CiliumNetworkPolicy').spec.endpointSelector.matchLabels;
    expect(selector).toStrictEqual(SELECTOR);
    expect(one(objects, 'CronJob').spec.jobTemplate.spec.template.metadata.labels).toStrictEqual(expect.objectContaining(selector));
  });

  it('with the default ports it still serves nothing: no Service, no containerPort', () => {
    const objects = render({ cronJob: { schedule: '@hourly' } });
    expect(kinds(objects)).toStrictEqual(['ServiceAccount/shop', 'CronJob/shop', 'CiliumNetworkPolicy/shop']);
    expect(one(objects, 'CronJob').spec.jobTemplate.spec.template.spec.containers[0].ports).toBeUndefined();
  });

  it('an Ingress to a cron job, a schedule that does not parse, no schedule: clear errors', () => {
    expect(failure({ ...cron, ingress: { enabled: true, className: 'traefik', hosts: [{ host: 'shop.example.com', paths: [{ path: '/', pathType: 'Prefix' }] }] } }))
      .toStrictEqual([1, 'ingress: a cron job has no Service to send traffic to (cronJob is set); remove ingress']);
    expect(failure({ ...cron, cronJob: { schedule: 'every night' } })).toStrictEqual([1, expect.stringContaining("at '/cronJob/schedule': 'every night' does not match pattern")]);
    expect(failure({ ...cron, cronJob: { suspend: true } })).toStrictEqual([1, expect.stringContaining("at '/cronJob': missing property 'schedule'")]);
  });
});

describe('hook jobs', () => {
  const api = {
    replicas: 2,
    configs: { DJANGO_SETTINGS_MODULE: 'shop.settings' },
    infisical: { enabled: true, secretsScope: { secretsPath: '/shop', envSlug: 'staging' } },
    volumes: { media: { mountPath: '/media', size: '1Gi' } },
    hookJobs: {
      migrate: { command: ['python', 'manage.py', 'migrate'], args: ['--noinput'] },
      seed: { command: ['python', 'manage.py', 'loaddata', 'base'], hooks: ['post-install'], weight: 5, backoffLimit: 0, activeDeadlineSeconds: 120 },
    },
  };

  it.each(APP_CHARTS)('%s: a Job per hook with the hook annotations, next to the Deployment', (chart) => {
    const objects = render(api, chart);
    expect(kinds(objects)).toStrictEqual(expect.arrayContaining(['Deployment/shop', 'Service/shop', 'Job/shop-migrate', 'Job/shop-seed']));
    const jobs = objects.filter((o) => o.kind === 'Job');
    expect(jobs.map((j) => [j.metadata.name, j.metadata.annotations, j.spec.backoffLimit, j.spec.activeDeadlineSeconds])).toStrictEqual([
      ['shop-migrate', { 'helm.sh/hook': 'post-install,pre-upgrade', 'helm.sh/hook-weight': '0', 'helm.sh/hook-delete-policy': 'before-hook-creation,hook-succeeded' }, 1, 600],
      ['shop-seed', { 'helm.sh/hook': 'post-install', 'helm.sh/hook-weight': '5', 'helm.sh/hook-delete-policy': 'before-hook-creation,hook-succeeded' }, 0, 120],
    ]);
  });

  it('the Job pod: the release\'s image, config, secrets and pod security, restartPolicy Never, no port, probe or claim', () => {
    const objects = render(api);
    const pod = objects.find((o) => o.metadata.name === 'shop-migrate').spec.template;
    expect(pod.metadata.labels).toStrictEqual(expect.objectContaining(SELECTOR));
    expect([pod.spec.restartPolicy, pod.spec.securityContext, pod.spec.serviceAccountName, pod.spec.volumes]).toStrictEqual(['Never', POD_SECURITY, 'shop', [{ name: 'tmp', emptyDir: {} }]]);
    expect(pod.spec.containers).toStrictEqual([{
      name: 'app',
      image: 'ghcr.io/my-team/shop:v1.4.0',
      imagePullPolicy: 'IfNotPresent',
      command: ['python', 'manage.py', 'migrate'],
      args: ['--noinput'],
      envFrom: [{ configMapRef: { name: 'shop-configs' } }, { secretRef: { name: 'shop-secrets' } }],
      securityContext: CONTAINER_SECURITY,
      resources: { requests: { cpu: '50m', memory: '256Mi' }, limits: { memory: '256Mi' } },
      volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
    }]);
    // The Deployment's container keeps the image's own command: hook commands are the Jobs' only.
    expect('command' in one(objects, 'Deployment').spec.template.spec.containers[0]).toBe(false);
  });

  it('the PodDisruptionBudget leaves the Job pods out (it counts only pods of scalable controllers)', () => {
    expect(one(render(api), 'PodDisruptionBudget').spec.selector).toStrictEqual({ matchLabels: SELECTOR, matchExpressions: [{ key: 'batch.kubernetes.io/job-name', operator: 'DoesNotExist' }] });
    expect(one(render({ replicas: 2 }), 'PodDisruptionBudget').spec.selector).toStrictEqual({ matchLabels: SELECTOR });
  });

  it('a cron job\'s release runs its hook Jobs too', () => {
    expect(kinds(render({ ports: [], cronJob: { schedule: '@daily' }, hookJobs: { migrate: { command: ['migrate'] } } }))).toStrictEqual(['ServiceAccount/shop', 'CronJob/shop', 'CiliumNetworkPolicy/shop', 'Job/shop-migrate']);
  });

  it('a name Kubernetes refuses, a missing command, an unknown hook: clear errors', () => {
    const long = 'x'.repeat(60);
    expect(failure({ hookJobs: { [long]: { command: ['migrate'] } } })).toStrictEqual([1, `hookJobs.${long}: the Job name shop-${long} is 65 characters; Kubernetes allows 63 (a shorter key or release name)`]);
    expect(failure({ hookJobs: { migrate: { args: ['x'] } } })).toStrictEqual([1, expect.stringContaining("at '/hookJobs/migrate': missing property 'command'")]);
    expect(failure({ hookJobs: { migrate: { command: ['x'], hooks: ['pre-delete'] } } })).toStrictEqual([1, expect.stringContaining("at '/hookJobs/migrate/hooks/0': value must be one of 'pre-install', 'post-install', 'pre-upgrade', 'post-upgrade'")]);
  });
});

describe('dit-gateway', () => {
  it('the routes ConfigMap is mounted in the CronJob and Deployment pods alike, never in hook Jobs', () => {
    const values = { routes: { shop: { service: { name: 'shop', port: 8080 } } }, hookJobs: { warm: { command: ['warm'] } } };
    const objects = render(values, 'dit-gateway');
    const mounts = (pod: any) => pod.spec.containers[0].volumeMounts.map((m: { name: string }) => m.name);
    expect(mounts(one(objects, 'Deployment').spec.template)).toStrictEqual(['tmp', 'routes']);
    expect(mounts(one(objects, 'Job').spec.template)).toStrictEqual(['tmp']);
    expect(Object.keys(one(objects, 'Deployment').spec.template.metadata.annotations).sort()).toStrictEqual(['checksum/configs', 'checksum/routes']);
  });
});

describe('a pending release (image.yaml tag "": no image CI built yet)', () => {
  const api = {
    replicas: 2,
    hookJobs: { migrate: { command: ['python', 'manage.py', 'migrate'] } },
  };
  const cron = { ports: [], command: ['python', 'manage.py', 'clearsessions'], cronJob: { schedule: '0 3 * * *' } };
  const pending = { global: { image: { tag: '' } } };
  const podImage = (o: any) => (o.kind === 'CronJob' ? o.spec.jobTemplate.spec.template : o.spec.template).spec.containers[0].image;

  it.each(APP_CHARTS)('%s: replicas 0, no image pulled, no hook Job, no PodDisruptionBudget; the Service stays', (chart) => {
    const objects = render({ ...api, ...pending }, chart);
    expect(kinds(objects).filter((k) => /^(Deployment|Job|PodDisruptionBudget|Service)\//.test(k))).toStrictEqual(['Service/shop', 'Deployment/shop']);
    const deployment = one(objects, 'Deployment');
    expect([deployment.spec.replicas, podImage(deployment), deployment.metadata.labels['app.kubernetes.io/version']]).toStrictEqual([0, undefined, undefined]);
  });

  it('a cron job is suspended, whatever cronJob.suspend says', () => {
    const cronJob = one(render({ ...cron, ...pending }), 'CronJob');
    expect([cronJob.spec.suspend, podImage(cronJob)]).toStrictEqual([true, undefined]);
  });

  it('once the tag is set, the same values render the normal objects', () => {
    const objects = render({ ...api, global: { image: { tag: 'main-1234567' } } });
    expect(kinds(objects).filter((k) => /^(Deployment|Job|PodDisruptionBudget)\//.test(k))).toStrictEqual(['PodDisruptionBudget/shop', 'Deployment/shop', 'Job/shop-migrate']);
    expect([one(objects, 'Deployment').spec.replicas, podImage(one(objects, 'Deployment')), podImage(one(objects, 'Job'))])
      .toStrictEqual([2, 'ghcr.io/my-team/shop:main-1234567', 'ghcr.io/my-team/shop:main-1234567']);
    const cronJob = one(render({ ...cron, global: { image: { tag: 'main-1234567' } } }), 'CronJob');
    expect([cronJob.spec.suspend, podImage(cronJob)]).toStrictEqual([false, 'ghcr.io/my-team/shop:main-1234567']);
  });

  it('digest: "" (an environment that pins digests, none recorded yet) keeps it pending with a tag; an absent digest is unpinned', () => {
    const waiting = render({ ...api, global: { image: { tag: 'v1.0.0', digest: '' } } });
    expect([one(waiting, 'Deployment').spec.replicas, podImage(one(waiting, 'Deployment')), waiting.some((o) => o.kind === 'Job')]).toStrictEqual([0, undefined, false]);
    const pinned = render({ ...api, global: { image: { tag: 'v1.0.0', digest: `sha256:${'a'.repeat(64)}` } } });
    expect(podImage(one(pinned, 'Deployment'))).toBe(`ghcr.io/my-team/shop:v1.0.0@sha256:${'a'.repeat(64)}`);
    expect(podImage(one(render({ ...api, global: { image: { tag: 'v1.0.0' } } }), 'Deployment'))).toBe('ghcr.io/my-team/shop:v1.0.0');
  });

  it('a missing tag is still an error (image.yaml not patched in), not a pending release', () => {
    expect(failure({ global: { image: {} } })).toStrictEqual([1, 'global.image.tag is missing: image.yaml (written by CI) sets it']);
  });
});
