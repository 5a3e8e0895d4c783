import * as fs from 'fs';
import * as path from 'path';
import { parseEnvironments, renderScaffold, ScaffoldOptions } from '../../src/scaffold/render-scaffold';

const TEMPLATES = path.join(__dirname, '..', '..', 'templates', 'init');
const templates: Record<string, string> = {};
for (const e of fs.readdirSync(TEMPLATES, { recursive: true, withFileTypes: true })) {
  if (e.isFile()) templates[path.relative(TEMPLATES, path.join(e.parentPath, e.name)).split(path.sep).join('/')] = fs.readFileSync(path.join(e.parentPath, e.name), 'utf8');
}
const options: ScaffoldOptions = {
  team: 'payments',
  environments: ['development', 'staging', 'production'],
  domain: 'payments.example.com',
  packageRange: '^0.1.0',
  versions: { '@aws-cdk/lambda-layer-kubectl-v33': '^2.2.2', '@swc/core': '1.16.18', '@swc/jest': '^0.2.39', '@types/jest': '^30.0.0', '@types/node': '^20.19.43', 'cdk8s-cli': '^2.207.60', 'jest': '^30.5.2', 'typescript': '~5.9.3' },
  overrides: { 'unrs-resolver': '1.12.2' },
};

describe('renderScaffold', () => {
  const files = renderScaffold(templates, options);

  it('renders every template file, workflows included, and gitignore as .gitignore', () => {
    expect(Object.keys(files).sort()).toStrictEqual(Object.keys(templates).map((f) => (f === 'gitignore' ? '.gitignore' : f)).sort());
    expect(Object.keys(files)).toContain('.github/workflows/ci.yml');
    expect(Object.entries(files).filter(([, text]) => text.includes('%%')).map(([f]) => f)).toStrictEqual([]);
  });

  it('package.json depends on dit-gitops, with the library\'s tool chain and overrides', () => {
    const pkg = JSON.parse(files['package.json']);
    expect(pkg.name).toBe('payments-gitops');
    expect(pkg.dependencies).toStrictEqual({ 'dit-gitops': '^0.1.0' });
    expect(pkg.devDependencies).toStrictEqual(options.versions);
    expect(pkg.overrides).toStrictEqual({ 'unrs-resolver': '1.12.2' });
  });

  it('src/main.ts declares each environment and deploys the API where it can go by tag', () => {
    expect(files['src/main.ts']).toContain([
      "  const development = new DitEnvironment(app, 'development', { namespace: 'payments', domain: 'development.payments.example.com' });",
      "  const staging = new DitEnvironment(app, 'staging', { namespace: 'payments', domain: 'staging.payments.example.com' });",
      "  new DitEnvironment(app, 'production', { namespace: 'payments', domain: 'payments.example.com' });",
    ].join('\n'));
    expect(files['src/main.ts']).toContain("  const api = new DitApi(app, 'payments-api', {\n    environments: [development, staging],");
  });

  it('the workflow checks for drift before anything writes dist/, then synthesizes through cdk8s and the tree must not move', () => {
    expect(files['.github/workflows/ci.yml'].match(/- run: .*/g)).toStrictEqual([
      '- run: npm ci',
      '- run: npx dit-gitops check',
      '- run: npx dit-gitops verify',
      '- run: npx cdk8s synth',
      '- run: git add -A && git diff --cached --exit-code',
      '- run: npm test',
    ]);
  });

  it('names environments with dashes as variables', () => {
    expect(renderScaffold({ 'main.ts': '%%firstDeployments%%' }, { ...options, environments: ['dev-eu', 'production'] })).toStrictEqual({ 'main.ts': 'devEu' });
  });

  it('rejects a bad team, domain or environment list, and an unknown placeholder', () => {
    expect(() => renderScaffold(templates, { ...options, team: 'Payments' })).toThrow(/^init --team: /);
    expect(() => renderScaffold(templates, { ...options, domain: 'not a domain' })).toThrow(/^init --domain: /);
    expect(() => renderScaffold(templates, { ...options, environments: ['production'] }))
      .toThrow('init --environments: got only "production"; expected an environment besides production, where the first build deploys by tag');
    expect(() => renderScaffold({ 'x.md': '%%teams%%' }, options)).toThrow(/^init templates\/init\/x.md: has the placeholder %%teams%%, which init does not know; expected one of team, /);
    expect(() => renderScaffold({ 'x.json': '%%dep:left-pad%%' }, options)).toThrow(/^init versions: has no version for "left-pad"; expected one of the library's dependencies: @aws-cdk\/lambda-layer-kubectl-v33, @swc\/core, /);
  });
});

describe('parseEnvironments', () => {
  it('splits and trims', () => {
    expect(parseEnvironments('development, staging,production')).toStrictEqual(['development', 'staging', 'production']);
  });

  it('rejects an empty list, a repeated name and a name that is no DNS label', () => {
    expect(() => parseEnvironments(' , ')).toThrow('init --environments: got " , "; expected a comma-separated list such as development,staging,production');
    expect(() => parseEnvironments('staging,staging')).toThrow('init --environments: names "staging" twice; expected each environment once');
    expect(() => parseEnvironments('Staging')).toThrow(/^init --environments: /);
  });
});
