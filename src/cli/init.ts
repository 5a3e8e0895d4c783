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
 * package's templates/init. Refuses, writing nothing, when one of the files already exists.
 */
export function initCommand(): Command {
  return new Command('init')
    .description('scaffold a team GitOps repository: package.json, cdk8s.yaml, src/main.ts, tests, CI workflow')
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

/** Renders the templates for `flags` and writes them under `dir`; returns the written paths. */
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
  const existing = Object.keys(files).filter((f) => fs.existsSync(path.join(dir, f)));
  if (existing.length > 0) throw new DitError({ component: 'init', field: '[dir]' }, `${dir} already has ${existing.join(', ')}; expected a directory without them (nothing was written)`);
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), content);
  }
  return Object.keys(files);
}

function readTemplates(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) out[path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/')] = fs.readFileSync(path.join(entry.parentPath, entry.name), 'utf8');
  }
  return out;
}
