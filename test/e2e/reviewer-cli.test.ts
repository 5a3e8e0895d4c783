import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { readTreeAtRef } from '../../src/tree/tree-diff';
import { synthInto, tempDir } from '../support';

// The reviewer's commands (validate, diff, graph) run as a user runs them: one process each.
const ROOT = path.join(__dirname, '..', '..');

function cli(...args: string[]) {
  const result = spawnSync(process.execPath, [path.join(ROOT, 'bin/dit-gitops.js'), ...args], { encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

// validate uses the schemas the package ships unless --schemas says otherwise.
const schemaFlags: string[] = [];
const describeWithSchemas = describe;

describeWithSchemas('dit-gitops validate', () => {
  const outdir = path.join(tempDir(), 'dist');
  synthInto(outdir);

  it('prints one line per built folder and a total, and exits 0 on the example', () => {
    const result = cli('validate', outdir, ...schemaFlags);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe([
      'clusters/development    7 objects  ok',
      'clusters/production     7 objects  ok',
      'clusters/staging        7 objects  ok',
      'main/development       13 objects  ok',
      'main/production        17 objects  ok',
      'main/staging           13 objects  ok',
      'dit-gitops validate: 6 folders, 64 objects, valid',
      '',
    ].join('\n'));
    expect(result.status).toBe(0);
  });

  it('names the environment, file, object and field of a broken staging overlay, and exits 1', () => {
    const broken = path.join(tempDir(), 'dist');
    fs.cpSync(outdir, broken, { recursive: true });
    const patch = path.join(broken, 'my-api/staging/release.yaml');
    fs.writeFileSync(patch, fs.readFileSync(patch, 'utf8').replace('spec:\n', 'spec:\n  suspended: true\n'));
    const result = cli('validate', broken, ...schemaFlags);
    expect(result.stdout.split('\n').slice(3, 7)).toStrictEqual([
      'main/development       13 objects  ok',
      'main/production        17 objects  ok',
      'main/staging           13 objects  1 finding',
      '  my-api/staging/release.yaml: HelmRelease/my-api spec.suspended: unknown field',
    ]);
    expect(result.stdout).toMatch(/\ndit-gitops validate: 6 folders, 64 objects, 1 finding\n$/);
    expect(result.status).toBe(1);
  });
});

describe('dit-gitops validate on bad input', () => {
  it('says so when the folder holds no main/*/kustomization.yaml', () => {
    const empty = tempDir();
    const result = cli('validate', empty);
    expect(result.stderr).toBe(`dit-gitops: ${empty}/ has no main/*/kustomization.yaml; expected a tree synthesized by dit-gitops (run \`npx dit-gitops synth\`, or pass its directory)\n`);
    expect(result.status).toBe(1);
  });

  it('says clearly when kubectl is missing', () => {
    const outdir = tempDir();
    fs.mkdirSync(path.join(outdir, 'main/dev'), { recursive: true });
    fs.writeFileSync(path.join(outdir, 'main/dev/kustomization.yaml'), 'resources: []\n');
    const result = cli('validate', outdir, '--kubectl', '/nonexistent/kubectl');
    expect(result.stderr).toBe('dit-gitops: /nonexistent/kubectl was not found: validate builds every environment with `kubectl kustomize` (kustomize v5); install kubectl, or pass --kubectl <path>\n');
    expect(result.status).toBe(1);
  });
});

/** A copy of the example's definitions with `edit` applied, importing the library from this project. */
function editedDefinitions(edit: (source: string) => string): string {
  const source = fs.readFileSync(path.join(ROOT, 'src/main.ts'), 'utf8')
    .replace("from '.';", `from ${JSON.stringify(path.join(ROOT, 'src'))};`)
    .replace("from 'cdk8s-plus-28';", `from ${JSON.stringify(require.resolve('cdk8s-plus-28'))};`);
  const edited = edit(source);
  expect(edited).not.toBe(source);
  const file = path.join(tempDir(), 'team.ts');
  fs.writeFileSync(file, edited);
  return file;
}

describe('dit-gitops diff', () => {
  const outdir = path.join(tempDir(), 'dist');
  synthInto(outdir);
  const definitions = editedDefinitions((s) => s
    .replace('  api.addOverride(staging, {\n    replicas: 2,', '  api.addOverride(staging, {\n    replicas: 3,')
    .replace("  api.connections.allowTo(sharedRabbitmq, Port.any(5672));\n", "  api.connections.allowTo(sharedRabbitmq, Port.any(5672));\n  api.connections.allowTo(Peer.endpoint({ name: 'payments-api', labels: { app: 'payments' } }), Port.any(8000), { environments: [staging] });\n"));

  it('says there is nothing to change when the tree is what the definitions synthesize', () => {
    const result = cli('diff', '--outdir', outdir, '--definitions', path.join(ROOT, 'src/main.ts'));
    expect(result).toStrictEqual({ status: 0, stdout: 'dit-gitops diff: no changes\n', stderr: '' });
  });

  it('shows the effective change per environment and component, then the unified file diff, and writes nothing', () => {
    const before = fs.readFileSync(path.join(outdir, 'my-api/staging/release.yaml'), 'utf8');
    const result = cli('diff', '--outdir', outdir, '--definitions', definitions);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout.split('\n').slice(0, 6)).toStrictEqual([
      'Effective changes (per environment and component, as Flux applies them):',
      '  staging my-api: egress + payments-api:8000; replicas 2 → 3',
      '',
      'Files (0 added, 1 modified, 0 deleted):',
      '--- a/my-api/staging/release.yaml',
      '+++ b/my-api/staging/release.yaml',
    ]);
    expect(result.stdout).toMatch(/\n-    replicas: 2\n\+    replicas: 3\n$/);
    expect(fs.readFileSync(path.join(outdir, 'my-api/staging/release.yaml'), 'utf8')).toBe(before);
  });

  it('--format markdown gives a PR comment; --env narrows it', () => {
    const staging = cli('diff', '--outdir', outdir, '--definitions', definitions, '--format', 'markdown', '--env', 'staging');
    expect(staging.stdout.split('\n').slice(0, 9)).toStrictEqual([
      '### dit-gitops diff',
      '',
      'What this change does in staging, as Flux will apply it:',
      '',
      '| environment | component | change |',
      '|---|---|---|',
      '| staging | my-api | `egress + payments-api:8000`<br>`replicas 2 → 3` |',
      '',
      '<details><summary>Files (0 added, 1 modified, 0 deleted)</summary>',
    ]);
    expect(staging.stdout).toMatch(/\n```diff\n--- a\/my-api\/staging\/release.yaml\n[^]*\n```\n\n<\/details>\n$/);
    const production = cli('diff', '--outdir', outdir, '--definitions', definitions, '--format', 'markdown', '--env', 'production');
    expect(production.stdout).toBe('### dit-gitops diff\n\nNo changes in production: the committed tree is what the definitions synthesize.\n');
  });

  it('--env nope lists the environments that exist', () => {
    const result = cli('diff', '--outdir', outdir, '--definitions', definitions, '--env', 'nope');
    expect(result.stderr).toBe('dit-gitops: GitOpsApp environment: got "nope", which the app does not declare; expected one of development, staging, production\n');
    expect(result.status).toBe(1);
  });
});

describe('dit-gitops graph', () => {
  const definitions = path.join(ROOT, 'src/main.ts');

  it('prints the staging graph as Mermaid, naming Traefik, kube-dns, RabbitMQ and the staging database', () => {
    const result = cli('graph', '--env', 'staging', '--definitions', definitions);
    expect(result.status).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toBe('flowchart LR');
    expect(lines).toEqual(expect.arrayContaining([
      '  staging_traefik -->|"8080"| staging_my_api',
      '  staging_my_api -->|"53"| staging_kube_dns',
      '  staging_my_api -->|"5672"| staging_rabbitmq__my_api',
      '  staging_users -->|"5672/TCP"| staging_rabbitmq',
      '  staging_my_api -->|"27017"| staging_database',
      '  staging_database(["database<br/><small>endpoint: my-team/app=my-team-mongodb-svc</small>"])',
    ]));
  });

  it('without --env draws every environment in one flowchart, one namespace subgraph each', () => {
    const result = cli('graph', '--definitions', definitions);
    expect(result.stdout.match(/^flowchart LR$/gm)).toStrictEqual(['flowchart LR']);
    expect(result.stdout.match(/^ {2}subgraph \w+/gm)).toStrictEqual(['  subgraph development_namespace', '  subgraph staging_namespace', '  subgraph production_namespace']);
  });

  it('--format json is the graph itself; dot is Graphviz', () => {
    const json = JSON.parse(cli('graph', '--env', 'production', '--format', 'json', '--definitions', definitions).stdout);
    expect(json.environment).toBe('production');
    expect(json.edges).toContainEqual({ from: 'gateway', to: 'my-api', ports: ['8080/TCP'] });
    expect(json.edges.some((e: { to: string }) => e.to === 'database')).toBe(false);
    expect(cli('graph', '--env', 'staging', '--format', 'dot', '--definitions', definitions).stdout).toMatch(/^digraph "staging" \{\n[^]*  "my-api" -> "database" \[label="27017"\];\n/);
  });

  it('--env nope lists the environments that exist', () => {
    const result = cli('graph', '--env', 'nope', '--definitions', definitions);
    expect(result.stderr).toBe('dit-gitops: GitOpsApp environment: got "nope", which the app does not declare; expected one of development, staging, production\n');
    expect(result.status).toBe(1);
  });
});

describe('usage errors', () => {
  it.each([
    [['deploy'], /^error: unknown command 'deploy'\n\nUsage: dit-gitops \[options\] \[command\]\n/],
    [['diff', '--nope'], /^error: unknown option '--nope'\n\nUsage: dit-gitops diff \[options\]\n/],
    [['graph', '--format', 'svg'], /^error: option '--format <format>' argument 'svg' is invalid. Allowed choices are mermaid, dot, json.\n\nUsage: dit-gitops graph/],
    [['validate', 'a', 'b'], /^error: too many arguments for 'validate'. Expected 1 argument but got 2.\n\nUsage: dit-gitops validate/],
  ])('%j prints the error and the usage, and exits 2', (args, stderr) => {
    const result = cli(...args);
    expect(result.stderr).toMatch(stderr);
    expect(result.stdout).toBe('');
    expect(result.status).toBe(2);
  });
});

describe('readTreeAtRef (diff --base)', () => {
  it('reads the output directory as committed at a ref, not as it is on disk', () => {
    const repo = tempDir();
    const git = (...args: string[]) => spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: repo, encoding: 'utf8' });
    fs.mkdirSync(path.join(repo, 'gitops/dist/a'), { recursive: true });
    fs.writeFileSync(path.join(repo, 'gitops/dist/a/x.yaml'), 'x: 1\n');
    fs.writeFileSync(path.join(repo, 'gitops/dist/b.yaml'), 'b: 1\n');
    fs.writeFileSync(path.join(repo, 'gitops/dist/notes.md'), 'no yaml\n');
    git('init', '-q');
    git('add', '-A');
    git('commit', '-qm', 'base');
    fs.writeFileSync(path.join(repo, 'gitops/dist/a/x.yaml'), 'x: 2\n');
    fs.writeFileSync(path.join(repo, 'gitops/dist/c.yaml'), 'c: 1\n');
    expect(readTreeAtRef(path.join(repo, 'gitops/dist'), 'HEAD')).toStrictEqual({ 'a/x.yaml': 'x: 1\n', 'b.yaml': 'b: 1\n' });
    expect(() => readTreeAtRef(path.join(repo, 'gitops/dist'), 'no-such-branch')).toThrow('no-such-branch is not a commit of a git repository around');
  });
});
