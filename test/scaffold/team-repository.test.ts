import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { assertScratchOutput } from '../../src/cli/synth';
import { renderScaffold } from '../../src/scaffold/render-scaffold';

// This repository is a team repository too (its team is src/main.ts), and the one every
// integrity guarantee is tested in: its cdk8s.yaml, .gitignore, tool chain and CI are the
// source of truth, and the scaffold `dit-gitops init` writes may not drift from them.
const ROOT = path.join(__dirname, '..', '..');
const ours = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');
const pkg = JSON.parse(ours('package.json'));
const TEMPLATES = path.join(ROOT, 'templates', 'init');
const templates = Object.fromEntries(fs.readdirSync(TEMPLATES, { recursive: true, withFileTypes: true }).filter((e) => e.isFile())
  .map((e) => [path.relative(TEMPLATES, path.join(e.parentPath, e.name)).split(path.sep).join('/'), fs.readFileSync(path.join(e.parentPath, e.name), 'utf8')]));
const team = renderScaffold(templates, {
  team: 't', environments: ['development', 'staging', 'production'], domain: 't.example.com',
  packageRange: `^${pkg.version}`, versions: { ...pkg.dependencies, ...pkg.devDependencies }, overrides: pkg.overrides,
});
const lines = (text: string) => text.split('\n').filter((l) => l !== '');

describe('a team repository holds what this one holds', () => {
  it('cdk8s.yaml: the same language and scratch output; the app is the installed CLI', () => {
    const [theirs, mine] = [parse(team['cdk8s.yaml']), parse(ours('cdk8s.yaml'))];
    expect(mine.output).toBe('.cdk8s-out');
    expect({ language: theirs.language, output: theirs.output }).toStrictEqual({ language: mine.language, output: mine.output });
    expect(theirs.app).toBe('dit-gitops synth');
  });

  it('synth takes that output as scratch, and refuses one cdk8s would delete the tree with', () => {
    expect(() => assertScratchOutput(parse(team['cdk8s.yaml']).output, 'dist')).not.toThrow();
    expect(() => assertScratchOutput(undefined, 'dist')).not.toThrow();
    for (const output of ['dist', './dist/', '.', 'dist/scratch']) {
      expect(() => assertScratchOutput(output, 'dist')).toThrow(`synth cdk8s.yaml output: is ${JSON.stringify(output)}, which overlaps the tree dist/, and cdk8s synth deletes it before every run`);
    }
  });

  it('.gitignore: the scratch output, and only what this repository ignores too', () => {
    // .tools/: where render and verify unpack the Helm of the layer package.
    expect(lines(team['.gitignore'])).toStrictEqual(['node_modules/', 'coverage/', '*.tsbuildinfo', '.cdk8s-out/', '.tools/']);
    expect(lines(team['.gitignore']).filter((l) => !lines(ours('.gitignore')).includes(l))).toStrictEqual([]);
  });

  it('package.json: cdk8s-cli and the test tool chain at the versions this package uses', () => {
    const theirs = JSON.parse(team['package.json']);
    expect(Object.keys(theirs.devDependencies)).toContain('cdk8s-cli');
    expect(Object.entries(theirs.devDependencies).filter(([name, version]) => pkg.devDependencies[name] !== version)).toStrictEqual([]);
    expect(theirs.overrides).toStrictEqual(pkg.overrides);
  });

  it('.ci/run runs each step of the scaffold workflow in the scaffold it makes', () => {
    const steps: string[] = parse(team['.github/workflows/ci.yml']).jobs.test.steps.filter((s: { run?: string }) => s.run).map((s: { run: string }) => s.run);
    const script = ours('.ci/run');
    const scaffoldPart = lines(script.slice(script.indexOf('\ncd "$work/team"\n'), script.lastIndexOf('\ncd "$root"\n')));
    // The installs take flags.
    const runs = (step: string) => scaffoldPart.some((l) => l === step || l.startsWith(`${step} --`));
    expect(steps.filter((step) => !runs(step))).toStrictEqual([]);
    expect(steps).toContain('npx cdk8s synth');
  });
});
