import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments, stringify } from 'yaml';
import { RenderedObject, helmTemplateArgs, planRender, renderedObjects } from '../render/helm-render';
import { isPlainObject } from '../tree/strategic-patch';
import { findHelm } from './helm-binary';
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
    return renderWithModel(dir, tree, environment, options);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** {@link renderEnvironment} over an output directory on disk (the CLI's `dit-gitops render`). */
export function renderDirectory(outdir: string, environment: string, options: RenderOptions = {}): RenderedObject[] {
  return renderWithModel(outdir, readTree(outdir), environment, options);
}

/** The default charts directory: `./charts` when it holds golden charts, else the ones shipped with dit-gitops. */
export function defaultChartsDir(): string {
  const local = path.resolve('charts');
  return fs.existsSync(path.join(local, 'dit-common-api', 'Chart.yaml')) ? local : path.resolve(__dirname, '..', '..', 'charts');
}

function renderWithModel(dir: string, tree: Tree, environment: string, options: RenderOptions): RenderedObject[] {
  const root = `main/${environment}`;
  if (tree[`${root}/kustomization.yaml`] === undefined) {
    const known = Object.keys(tree).map((p) => /^main\/([^/]+)\/kustomization\.yaml$/.exec(p)?.[1]).filter(Boolean);
    throw new Error(`no environment ${environment} in the tree; expected one of ${known.join(', ') || '(none: synthesize first)'}`);
  }
  const kubectl = options.kubectl ?? 'kubectl';
  const built = spawnSync(kubectl, ['kustomize', path.join(dir, root)], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (built.error) throw new Error(`${kubectl} (kubectl with kustomize v5) was not found; install it to build the environment`);
  if (built.status !== 0) throw new Error(`kubectl kustomize ${root} failed: ${built.stderr.trim()}`);
  const chartsDir = options.charts ?? defaultChartsDir();
  const charts = fs.existsSync(chartsDir) ? fs.readdirSync(chartsDir).filter((c) => fs.existsSync(path.join(chartsDir, c, 'Chart.yaml'))) : [];
  const model = buildKustomization(tree, root);
  const origin = new Map(model.objects.map((o) => [identity(o.object), o.sources[0].file.split('/')[0]]));
  const objects = parseAllDocuments(built.stdout).map((d) => d.toJS()).filter(isPlainObject);
  const plan = planRender(objects, { environment, charts, component: options.component, componentOf: (o) => origin.get(identity(o)) });
  if (options.component !== undefined && plan.jobs.length === 0 && plan.objects.length === 0) {
    throw new Error(`no component ${options.component} in ${environment}`);
  }
  const rendered: RenderedObject[] = [...plan.objects];
  if (plan.jobs.length === 0) return rendered;
  const helm = options.helm ?? findHelm();
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'dit-gitops-values-'));
  try {
    for (const job of plan.jobs) {
      job.notes.forEach((n) => options.onNote?.(n));
      const valuesFile = path.join(scratch, `${job.component}.json`);
      fs.writeFileSync(valuesFile, JSON.stringify(job.values));
      const result = spawnSync(helm, helmTemplateArgs(job, path.join(chartsDir, job.chart), valuesFile), { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      if (result.error) throw new Error(`cannot run ${helm}: ${result.error.message}`);
      if (result.status !== 0) throw new Error(`${job.component} [${environment}] helm template ${job.chart} failed: ${result.stderr.trim()}`);
      rendered.push(...renderedObjects(job, environment, result.stdout));
    }
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  return rendered;
}

function readTree(outdir: string): Tree {
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
