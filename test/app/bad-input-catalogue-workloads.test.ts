import { ConcurrencyPolicy, DitCronJob, DitHelmChart, DitWorker, GoldenChartComponent, HookEvent, ImageSelection, Port, ChartSource } from '../../src';
import { CatalogueCase, api, catalogue } from '../catalogue';

// Workers, cron jobs, hook Jobs and images that follow another component.
const worker = (props: object) => (app: Parameters<CatalogueCase['define']>[0]) => { new DitWorker(app, 'worker', { image: { tag: 'v1.0.0' }, ...props }); };
const cron = (props: object) => (app: Parameters<CatalogueCase['define']>[0]) => { new DitCronJob(app, 'cleanup', { schedule: '0 3 * * *', image: { tag: 'v1.0.0' }, ...props }); };

export const CASES: CatalogueCase[] = [
  { name: 'a worker with ports', define: worker({ ports: [Port.tcp(8080)] }), expected: 'worker ports: got 1 port(s); expected none: a worker serves nothing (use DitApi for a component that listens)' },
  { name: 'a worker with an ingress', define: worker({ ingress: { subdomain: 'w' } }), expected: 'worker ingress: is set but the component declares no port (a worker or cron job serves nothing); expected a port for the Ingress (ports), or no ingress' },
  { name: 'a worker with an HTTP probe in one environment', define: worker({ overrides: { production: { probes: { path: '/health' } } } }), expected: 'worker [production] probes.path: is set; expected probes.command (an exec check) or none: a worker serves no HTTP' },
  { name: 'a command given as one shell string', define: worker({ command: 'celery -A shop worker' }), expected: "worker command: got the string \"celery -A shop worker\"; expected a list of arguments such as ['celery', '-A', 'shop', 'worker'] (a string is not split: use ['sh', '-c', …] for a shell line)" },
  { name: 'an empty command', define: worker({ command: [] }), expected: 'worker command: got []; expected a non-empty list of non-empty strings' },
  { name: 'args that are not strings', define: (app) => { api(app, 'api', { args: ['--port', 8080 as unknown as string] }); }, expected: 'api args: got ["--port",8080]; expected a list of strings' },
  { name: 'a cron schedule with six fields', define: cron({ schedule: '0 0 3 * * *' }), expected: "cleanup schedule: got \"0 0 3 * * *\", 6 fields; expected five fields (minute hour day-of-month month day-of-week, such as '0 3 * * *') or a macro such as @daily" },
  { name: 'a cron schedule with an hour out of range', define: cron({ schedule: '0 25 * * *' }), expected: "cleanup schedule: got \"0 25 * * *\": the hour field \"25\" is not *, a value 0-23, a range or a step; expected five fields (minute hour day-of-month month day-of-week, such as '0 3 * * *') or a macro such as @daily" },
  { name: 'an unknown cron macro in one environment', define: cron({ overrides: { development: { schedule: '@fortnightly' } } }), expected: "cleanup [development] schedule: got \"@fortnightly\", an unknown macro; expected five fields (minute hour day-of-month month day-of-week, such as '0 3 * * *') or a macro such as @daily" },
  { name: 'a concurrency policy Kubernetes does not know', define: cron({ concurrencyPolicy: 'Queue' as ConcurrencyPolicy }), expected: 'cleanup concurrencyPolicy: got "Queue"; expected one of Allow, Forbid, Replace' },
  { name: 'a negative backoff limit and a zero deadline', define: cron({ backoffLimit: -1, activeDeadlineSeconds: 0 }), expected: ['cleanup backoffLimit: got -1; expected a whole number of at least 0', 'cleanup activeDeadlineSeconds: got 0; expected a whole number of at least 1'] },
  { name: 'a time zone that is no IANA name', define: cron({ timeZone: 'GMT +3' }), expected: 'cleanup timeZone: got "GMT +3"; expected an IANA time zone such as Asia/Baghdad or UTC' },
  { name: 'a hook Job with a name Kubernetes refuses and no command', define: (app) => { api(app, 'api').addHookJob('Migrate', { command: [] }); }, expected: [
    "api hookJobs.Migrate: got \"Migrate\"; expected a DNS-1123 label: at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit",
    'api hookJobs.Migrate.command: got []; expected a non-empty list of non-empty strings',
  ] },
  { name: 'a hook Job added twice, on an event Helm does not have', define: (app) => { api(app, 'api').addHookJob('migrate', { command: ['migrate'] }).addHookJob('migrate', { command: ['migrate'], hooks: ['pre-rollback' as HookEvent] }); }, expected: [
    'api hookJobs.migrate: is added twice; expected one hook Job per name',
    'api hookJobs.migrate.hooks: got "pre-rollback"; expected one of pre-install, post-install, pre-upgrade, post-upgrade',
  ] },
  { name: 'imageFrom a component not deployed where the follower is', define: (app, { dev }) => {
    const leader = api(app, 'api', { environments: [dev] });
    new DitWorker(app, 'worker', { imageFrom: leader });
  }, expected: 'worker [production] imageFrom: api is not deployed in production, so there is no image to follow; expected a component deployed wherever worker is' },
  { name: 'imageFrom a third-party chart (no CI-built image)', define: (app) => {
    const redis = new DitHelmChart(app, 'redis', { source: ChartSource.helmRepository('oci://registry-1.docker.io/bitnamicharts'), version: '20.13.4', ports: [Port.tcp(6379)] });
    redis.connections.denyAllIngress();
    new DitWorker(app, 'worker', { imageFrom: redis as unknown as GoldenChartComponent });
  }, expected: 'worker imageFrom: got redis, which has no CI-built image in this app; expected a DitApi, DitClient, DitGateway, DitWorker or DitCronJob of the app' },
  { name: 'imageFrom with an image of its own, and image automation', define: (app, { dev }) => {
    const leader = api(app, 'api');
    new DitWorker(app, 'worker', { imageFrom: leader, image: { tag: 'v1.0.0' } }).enableImageAutomation(dev, { selection: ImageSelection.semver('>=1.0.0') });
  }, expected: [
    "worker image: is set while imageFrom is api; expected no image: the image, its tag and digest are the followed component's",
    'worker [development] imageAutomation: is enabled while imageFrom is api; expected it on api, whose image.yaml this release follows',
  ] },
  { name: 'imageFrom a follower', define: (app) => {
    const leader = api(app, 'api');
    const first = new DitWorker(app, 'worker', { imageFrom: leader });
    new DitWorker(app, 'worker-2', { imageFrom: first });
  }, expected: 'worker-2 imageFrom: worker follows api\'s image itself; expected the component that owns the image.yaml (imageFrom: api)' },
];

catalogue('bad-input catalogue: workers, cron jobs, hook Jobs, imageFrom', CASES);
