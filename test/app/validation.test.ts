import { ApiObject } from 'cdk8s';
import { DitApi, DitEnvironment, DitError, DitManifests, DitValidationError, GitOpsApp, Peer, Port, Problems, runSynth } from '../../src';
import { synthTree } from '../../src/testing';
import { api } from '../catalogue';
import { readTree, synthInto, tempDir, twoEnvironments } from '../support';

// Six mistakes in three components: each is reported, in one error, sorted by component and
// environment (within those, in the order the checks found them).
const sixMistakes = twoEnvironments((app, { dev }) => {
  api(app, 'users', { replicas: -1, resources: { limits: { memory: '500 mb' } } });
  api(app, 'billing', { interval: '10 minutes', overrides: { development: { configs: { DB_PASSWORD: 'hunter2' } } } })
    .connections.allowTo(Peer.cidr('cafe/64'), Port.tcp(443));
  new DitApi(app, 'Orders_API', { environments: [dev] }).connections.denyAllIngress();
});

const SIX_MISTAKES = [
  'Orders_API name: got "Orders_API"; expected a DNS-1123 label: at most 63 lowercase letters, digits and \'-\', starting and ending with a letter or digit',
  'billing connections.allowTo(cidr-cafe-64): got "cafe/64": "cafe" is neither an IPv4 nor an IPv6 address; expected an IPv4 or IPv6 CIDR such as 10.0.0.0/8 or fd00::/8 (prefix 0-32 for IPv4, 0-128 for IPv6)',
  'billing interval: got "10 minutes"; expected a Go duration as Flux\'s CRDs accept it: numbers with ms, s, m or h, such as 30s, 10m or 1h30m',
  'billing [development] configs.DB_PASSWORD: looks like a secret and has a literal value, which would be committed in plain text; expected it in Infisical (path /billing), which the chart injects as an environment variable',
  'users replicas: got -1; expected a whole number of at least 0',
  'users resources.limits.memory: got "500 mb"; expected a Kubernetes quantity such as 250m, 0.5, 512Mi or 1Gi (a number, then Ki/Mi/Gi/Ti/Pi/Ei, n/u/m/k/M/G/T/P/E or an exponent; no spaces)',
];

function planError(define: (app: GitOpsApp) => void): DitValidationError {
  const app = new GitOpsApp({ outdir: 'unused' });
  define(app);
  try {
    app.plan();
  } catch (error) {
    if (error instanceof DitValidationError) return error;
    throw error;
  }
  throw new Error('plan() did not fail');
}

describe('several mistakes at once', () => {
  it('plan() reports every one, sorted by component then environment', () => {
    const error = planError(sixMistakes);
    expect(error.message).toBe(SIX_MISTAKES.join('\n'));
    expect(error.problems.map((p) => [p.component, p.environment, p.field])).toStrictEqual([
      ['Orders_API', undefined, 'name'],
      ['billing', undefined, 'connections.allowTo(cidr-cafe-64)'],
      ['billing', undefined, 'interval'],
      ['billing', 'development', 'configs.DB_PASSWORD'],
      ['users', undefined, 'replicas'],
      ['users', undefined, 'resources.limits.memory'],
    ]);
  });

  it('is a DitError whose location is the first problem', () => {
    const error = planError(sixMistakes);
    expect(error).toBeInstanceOf(DitError);
    expect(error.location).toStrictEqual({ component: 'Orders_API', environment: undefined, field: 'name' });
  });

  it('synthTree fails the same way and writes nothing anywhere', () => {
    expect(() => synthTree(sixMistakes)).toThrow(new DitValidationError(planError(sixMistakes).problems));
  });

  it('leaves a written tree byte-identical', () => {
    const outdir = tempDir();
    synthInto(outdir, twoEnvironments((app) => { api(app, 'users'); }));
    const before = readTree(outdir);
    expect(() => synthInto(outdir, sixMistakes)).toThrow(DitValidationError);
    expect(readTree(outdir)).toStrictEqual(before);
  });

  it('runSynth prints the count and every problem, no stack trace, sets a failing exit code and writes nothing', () => {
    const outdir = tempDir();
    synthInto(outdir, twoEnvironments((app) => { api(app, 'users'); }));
    const before = readTree(outdir);
    const errors: string[] = [];
    const spy = jest.spyOn(console, 'error').mockImplementation((line: string) => { errors.push(line); });
    const exitCode = process.exitCode;
    try {
      expect(runSynth(sixMistakes, { outdir })).toBeUndefined();
      expect(process.exitCode).toBe(1);
    } finally {
      spy.mockRestore();
      process.exitCode = exitCode;
    }
    expect(errors).toStrictEqual([
      `dit-gitops: synthesis failed, ${outdir}/ left as it was: 6 problems in the definitions:\n${SIX_MISTAKES.map((l) => `  ${l}`).join('\n')}`,
    ]);
    expect(readTree(outdir)).toStrictEqual(before);
  });
});

describe('what only rendering shows', () => {
  it('is reported with the other problems', () => {
    const error = planError((app) => {
      new DitEnvironment(app, 'production', { namespace: 'team', domain: 'example.com' });
      api(app, 'users', { replicas: -1, image: { tag: 'v1.0.0', digest: 'sha256:570965b16c53e7fe6c48d50d8601a8cd2327143dba14412692a5b8fc2c119bf9' } });
      new DitManifests(app, 'docs', {
        manifests: [{
          apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'docs' },
          spec: { template: { metadata: { labels: { app: 'docs' } }, spec: { securityContext: { runAsNonRoot: true }, containers: [{ name: 'docs', image: 'nginx:1.27' }] } } },
        }],
      }).connections.allowFrom(Peer.traefik(), Port.tcp(8080)).denyAllEgress();
    });
    expect(error.message).toBe([
      'docs [production] Deployment/docs.containers.docs.image: got "nginx:1.27", not pinned by digest; expected <image>:<tag>@sha256:<64 hex characters> in an environment that pins images',
      'users replicas: got -1; expected a whole number of at least 0',
    ].join('\n'));
  });
});

describe('first image.yaml files that break their environment\'s rules', () => {
  it('are all reported, and nothing is written', () => {
    const outdir = tempDir();
    const define = (app: GitOpsApp) => {
      new DitEnvironment(app, 'production', { namespace: 'team', domain: 'example.com' });
      api(app, 'users');
      api(app, 'orders', { image: { repository: 'team/orders' } });
    };
    expect(() => synthInto(outdir, define)).toThrow(new DitValidationError([
      { component: 'orders', environment: 'production', field: 'image.tag', message: 'got "latest", which breaks the environment\'s tag rule; expected a semantic version such as v1.2.3' },
      { component: 'users', environment: 'production', field: 'image.tag', message: 'got "latest", which breaks the environment\'s tag rule; expected a semantic version such as v1.2.3' },
    ]));
    expect(readTree(outdir)).toStrictEqual({});
  });
});

describe('Problems', () => {
  it('reports a base mistake once, not again for each environment it is merged into', () => {
    const problems = new Problems();
    problems.add({ component: 'api', field: 'replicas' }, 'got -1');
    problems.add({ component: 'api', environment: 'development', field: 'replicas' }, 'got -1');
    problems.add({ component: 'api', environment: 'development', field: 'replicas' }, 'got -2');
    expect(problems.problems).toStrictEqual([
      { component: 'api', field: 'replicas', message: 'got -1' },
      { component: 'api', environment: 'development', field: 'replicas', message: 'got -2' },
    ]);
  });

  it('collects DitErrors and lets other errors through', () => {
    const problems = new Problems();
    problems.check(() => { throw new DitError({ component: 'api', field: 'name' }, 'got "A"'); });
    expect(problems.problems).toStrictEqual([{ component: 'api', field: 'name', message: 'got "A"' }]);
    expect(() => problems.check(() => { throw new TypeError('a bug'); })).toThrow(TypeError);
    expect(() => problems.throwIfAny()).toThrow(new DitValidationError([{ component: 'api', field: 'name', message: 'got "A"' }]));
  });

  it('throws nothing when nothing was found', () => {
    expect(() => new Problems().throwIfAny()).not.toThrow();
  });
});

describe('runSynth on a constructs id clash in the definitions', () => {
  it('prints one located line without a stack trace', () => {
    const errors: string[] = [];
    const spy = jest.spyOn(console, 'error').mockImplementation((line: string) => { errors.push(line); });
    const exitCode = process.exitCode;
    const outdir = tempDir();
    try {
      runSynth(twoEnvironments((app) => {
        const raw = new DitManifests(app, 'raw');
        new ApiObject(raw.chart, 'Config', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } });
        new ApiObject(raw.chart, 'Config', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b' } });
      }), { outdir });
      expect(process.exitCode).toBe(1);
    } finally {
      spy.mockRestore();
      process.exitCode = exitCode;
    }
    expect(errors).toStrictEqual([`dit-gitops: synthesis failed, ${outdir}/ left as it was: raw chart.Config: is the id of two constructs added to raw.chart; expected one id per object (for example its kind and name)`]);
  });
});
