import { DitError, received } from '../app/errors';
import { assertDnsLabel, assertDnsSubdomain } from '../app/kubernetes-names';

/** What `dit-gitops init` scaffolds a team's repository for. */
export interface ScaffoldOptions {
  /** The team: a DNS label; names the repository, the namespace and the example API. */
  readonly team: string;
  /** Environment names, in promotion order (each a DNS label). */
  readonly environments: readonly string[];
  /** The team's base domain; production serves it, every other environment `<env>.<domain>`. */
  readonly domain: string;
  /** The version range of dit-gitops the scaffold depends on (`^<this package's version>`). */
  readonly packageRange: string;
  /**
   * Dependency ranges by package name: the library's own dependencies and devDependencies,
   * so the scaffold's tool chain is the one the library is tested with.
   */
  readonly versions: Readonly<Record<string, string>>;
  /** package.json `overrides` the scaffold inherits (pins the library needs for `npm ci`). @default {} */
  readonly overrides?: Readonly<Record<string, string>>;
}

const WHERE = (field: string) => ({ component: 'init', field });

/**
 * Files the template `gitignore` stands for: npm drops `.gitignore` files from a package
 * tarball, so the template cannot carry the dot.
 */
const RENAMES: Readonly<Record<string, string>> = { gitignore: '.gitignore' };

/**
 * Renders the `templates/init` files (path → text) into the team's repository (path → text).
 * Every template file is rendered, whatever it is: a `%%name%%` placeholder is replaced by its
 * value, and an unknown placeholder is an error rather than text left for the team to find.
 */
export function renderScaffold(templates: Readonly<Record<string, string>>, options: ScaffoldOptions): Record<string, string> {
  const { lookup, known } = scaffoldVariables(options);
  const out: Record<string, string> = {};
  for (const file of Object.keys(templates).sort()) {
    const target = file.split('/').map((part) => RENAMES[part] ?? part).join('/');
    out[target] = templates[file].replace(/%%([a-zA-Z0-9@/:._-]+)%%/g, (_, name: string) => {
      const value = lookup(name);
      if (value === undefined) throw new DitError(WHERE(`templates/init/${file}`), `has the placeholder %%${name}%%, which init does not know; expected one of ${known.join(', ')}, or dep:<package>`);
      return value;
    });
  }
  return out;
}

/** Splits `--environments development,staging,production`; each must be a DNS label, once. */
export function parseEnvironments(list: string): string[] {
  const names = list.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (names.length === 0) throw new DitError(WHERE('--environments'), `got ${received(list)}; expected a comma-separated list such as development,staging,production`);
  const seen = new Set<string>();
  for (const name of names) {
    assertDnsLabel(name, WHERE('--environments'));
    if (seen.has(name)) throw new DitError(WHERE('--environments'), `names ${received(name)} twice; expected each environment once`);
    seen.add(name);
  }
  return names;
}

interface Variables {
  readonly lookup: (name: string) => string | undefined;
  readonly known: readonly string[];
}

function scaffoldVariables(options: ScaffoldOptions): Variables {
  assertDnsLabel(options.team, WHERE('--team'));
  assertDnsSubdomain(options.domain, WHERE('--domain'));
  if (options.environments.length === 0) throw new DitError(WHERE('--environments'), 'got none; expected at least one environment');
  const values: Record<string, string> = {
    'team': options.team,
    'dit-gitops': options.packageRange,
    'overrides': JSON.stringify(options.overrides ?? {}),
    'environments': environmentDeclarations(options),
    'environmentList': options.environments.join(', '),
    'firstEnvironment': firstDeployments(options)[0],
    'firstDeployments': firstDeployments(options).map(identifier).join(', '),
  };
  const lookup = (name: string): string | undefined => {
    if (!name.startsWith('dep:')) return values[name];
    const version = options.versions[name.slice('dep:'.length)];
    if (version === undefined) throw new DitError(WHERE('versions'), `has no version for ${received(name.slice(4))}; expected one of the library's dependencies: ${Object.keys(options.versions).sort().join(', ')}`);
    return version;
  };
  return { lookup, known: Object.keys(values) };
}

/**
 * One `new DitEnvironment` per environment. `production` serves the domain itself and pins
 * images by digest (DitEnvironment's default for it); the others serve `<env>.<domain>`.
 */
function environmentDeclarations(options: ScaffoldOptions): string {
  return options.environments.map((env) => {
    const production = env === 'production';
    const props = [
      `namespace: '${options.team}'`,
      `domain: '${production ? options.domain : `${env}.${options.domain}`}'`,
    ];
    return `  ${production ? '' : `const ${identifier(env)} = `}new DitEnvironment(app, '${env}', { ${props.join(', ')} });`;
  }).join('\n');
}

/** `payments-eu` → `paymentsEu`: environment names are DNS labels, variables are not. */
function identifier(env: string): string {
  return env.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase()).replace(/^([0-9])/, '_$1');
}

/**
 * The environments a new component is deployed in: every one but production, whose image
 * must be pinned by digest, so it has none until the first release is built.
 */
function firstDeployments(options: ScaffoldOptions): string[] {
  const envs = options.environments.filter((env) => env !== 'production');
  if (envs.length === 0) throw new DitError(WHERE('--environments'), `got only ${received(options.environments.join(','))}; expected an environment besides production, where the first build deploys by tag`);
  return envs;
}
