import * as fs from 'fs';
import * as path from 'path';
import { Command } from 'commander';
import { DitError } from '../app/errors';
import { parseEnvironments, renderScaffold } from '../scaffold/render-scaffold';
import { packageRoot } from '../testing/schema-validator';

interface InitFlags {
  readonly team: string;
  readonly environments: string;
  readonly domain: string;
}

/**
 * `dit-gitops init [dir]`: scaffolds a team's GitOps repository from every file under this
 * package's templates/init, plus a copy of its golden charts. Refuses, writing nothing, when
 * one of the files already exists.
 */
export function initCommand(): Command {
  return new Command('init')
    .description('scaffold a team GitOps repository: package.json, cdk8s.yaml, src/main.ts, tests, CI workflow, golden charts')
    .argument('[dir]', 'directory to create the repository in', '.')
    .requiredOption('--team <name>', 'team name (a DNS label): the namespace and the example API are named after it')
    .option('--environments <list>', 'comma-separated environments, in promotion order', 'development,staging,production')
    .requiredOption('--domain <domain>', 'base domain: production serves it, other environments <env>.<domain>')
    .action((dir: string, flags: InitFlags) => {
      const written = initRepository(dir, flags);
      process.stdout.write(`dit-gitops init: ${written.length} files written in ${dir}\n`
        + `next: cd ${dir} && npm install && npm run synth && npm test, then commit everything (package-lock.json, dist/, test/__snapshots__/)\n`);
    });
}

/**
 * Renders the templates for `flags` and writes them under `dir`, with the package's golden
 * charts under `charts/`; returns the written paths.
 */
export function initRepository(dir: string, flags: InitFlags): string[] {
  const root = packageRoot(__dirname);
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    version: string; dependencies?: Record<string, string>; devDependencies?: Record<string, string>; overrides?: Record<string, string>;
  };
  const files = renderScaffold(readTemplates(path.join(root, 'templates', 'init')), {
    team: flags.team,
    environments: parseEnvironments(flags.environments),
    domain: flags.domain,
    packageRange: `^${pkg.version}`,
    versions: { ...pkg.dependencies, ...pkg.devDependencies },
    overrides: pkg.overrides,
  });
  const all: Record<string, string | Buffer> = { ...files, ...chartFiles(root) };
  const existing = Object.keys(all).filter((f) => fs.existsSync(path.join(dir, f)));
  if (existing.length > 0) throw new DitError({ component: 'init', field: '[dir]' }, `${dir} already has ${existing.join(', ')}; expected a directory without them (nothing was written)`);
  for (const [rel, content] of Object.entries(all)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), content);
  }
  return Object.keys(all);
}

/**
 * The golden charts, byte for byte, from the installed package (never the working directory):
 * the team's Flux HelmChart objects read `./charts/<chart>` from the team's own GitRepository.
 */
function chartFiles(root: string): Record<string, Buffer> {
  const dir = path.join(root, 'charts');
  if (!fs.existsSync(path.join(dir, 'dit-common-api', 'Chart.yaml'))) {
    throw new DitError({ component: 'init', field: 'charts' }, `found no golden charts in ${dir}; expected the charts dit-gitops ships (reinstall the package)`);
  }
  return Object.fromEntries(Object.entries(readFiles(dir)).map(([rel, file]) => [`charts/${rel}`, fs.readFileSync(file)]));
}

function readTemplates(dir: string): Record<string, string> {
  return Object.fromEntries(Object.entries(readFiles(dir)).map(([rel, file]) => [rel, fs.readFileSync(file, 'utf8')]));
}

/** Every file under `dir`: its absolute path by relative POSIX path. */
function readFiles(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const file = path.join(entry.parentPath, entry.name);
    if (entry.isFile()) out[path.relative(dir, file).split(path.sep).join('/')] = file;
  }
  return out;
}
