import { App } from 'cdk8s';
import { IConstruct } from 'constructs';
import { DitComponent, ValidationScope } from '../components/component';
import type { PlanContext } from './plan-context';
import { FluxCluster } from '../flux/flux-cluster';
import { GoldenChartComponent } from '../components/golden-chart';
import { DitEnvironment } from './environment';
import { DitError, received } from './errors';
import { DitProblem, DitValidationError, Problems, formatProblem } from './validation';
import { ownerOf, validateApp } from './app-validation';
import { CiOwnedFile, FileOwner, IGitOpsFile, isGitOpsFile } from '../tree/gitops-file';
import { ReleaseComponent } from '../components/release-component';
import { ReleaseOptions, assertNoDependencyCycle } from '../components/release-options';
import { PlannedFile, SynthSummary, TreeProblemsError, UnsafeTreeError, diffTree, isGenerated, writeTree } from '../tree/tree-writer';
import { isImageFile } from '../images/image-file';
import { ImageRegistry } from '../images/image-registry';

/** Props of {@link GitOpsApp}. */
export interface GitOpsAppProps {
  /**
   * Directory the tree is written to. `cdk8s synth` does not choose it: its own output folder
   * ($CDK8S_OUTDIR, cdk8s.yaml `output`) is a scratch folder the CLI deletes on every run.
   * @default 'dist'
   */
  readonly outdir?: string;
  /**
   * Path of the output directory inside the git repository, as Flux sees it
   * (Kustomization paths, image automation update paths).
   * @default 'dist'
   */
  readonly repositoryPath?: string;
  /**
   * The registry the team's images come from, unless an environment or a component says
   * otherwise (also settable once from the definitions with {@link GitOpsApp.useRegistry}).
   * @default ImageRegistry.ghcr() (ghcr.io, pull secret ghcr-auth)
   */
  readonly registry?: ImageRegistry;
}

/**
 * The root of a GitOps repository: holds the environments and components, renders one file
 * per file construct, and writes the tree without touching what it does not own.
 */
export class GitOpsApp extends App {
  public readonly repositoryPath: string;
  private teamRegistry?: ImageRegistry;
  // Mistakes made while the definitions were built, reported with the rest when the app plans.
  private readonly deferredProblems: DitProblem[] = [];

  constructor(props: GitOpsAppProps = {}) {
    super({ outdir: props.outdir ?? 'dist' });
    this.repositoryPath = validRepositoryPath(props.repositoryPath ?? 'dist');
    this.teamRegistry = props.registry;
  }

  /** The team's registry (GitOpsAppProps.registry or useRegistry), else ghcr.io. */
  public get registry(): ImageRegistry {
    return this.teamRegistry ?? ImageRegistry.ghcr();
  }

  /**
   * Chooses the team's registry from the definitions, once: the CLI (`verify`, `lint`) and
   * `runSynth` build the app, so the definitions are where a team states it.
   */
  public useRegistry(registry: ImageRegistry): this {
    const where = { component: 'GitOpsApp', field: 'registry' };
    if (this.teamRegistry) {
      this.deferredProblems.push({ ...where, message: `is already ${this.teamRegistry.host}; expected one team registry (set others per environment or component)` });
      return this;
    }
    try {
      registry.validate(where);
    } catch (error) {
      if (!(error instanceof DitError)) throw error;
      this.deferredProblems.push({ ...error.location, message: error.problem });
    }
    this.teamRegistry = registry;
    return this;
  }

  /** Environments in declaration order. */
  public get environments(): DitEnvironment[] {
    return this.node.findAll().filter(DitEnvironment.isEnvironment);
  }

  /** Components in declaration order. */
  public get components(): DitComponent[] {
    return this.node.findAll().filter(DitComponent.isComponent);
  }

  /**
   * Validates the definitions and renders every file in memory. Nothing is written, so a
   * failure here leaves the previous tree as it was. CI-owned files are rendered only if the
   * writer finds no previous content for them. Every problem of every stage is thrown together
   * (a DitValidationError); {@link synth} adds those of the CI-owned files in `outdir`.
   */
  public plan(): PlannedFile[] {
    const problems = new Problems();
    const files = this.planInto(problems);
    problems.throwIfAny();
    return files!;
  }

  /**
   * Every problem a synthesis into `outdir` would meet, reading only: the definitions' and
   * those of the CI-owned files there (an image.yaml that is not acceptable, a first image.yaml
   * that breaks its environment's rules). Empty when the synthesis would succeed.
   */
  public problems(outdir: string = this.outdir): readonly DitProblem[] {
    const problems = new Problems();
    this.planInto(problems);
    this.checkCiOwnedFiles(outdir, problems);
    return problems.problems;
  }

  /** Writes the tree to `outdir` and returns what changed. */
  public override synth(): SynthSummary {
    const problems = new Problems();
    const files = this.planInto(problems);
    // One pass: what the definitions got wrong and what CI's files there got wrong, together.
    const ciOwned = this.checkCiOwnedFiles(this.outdir, problems);
    if (problems.problems.length > 0) {
      // Files CI left unacceptable, and nothing else, keep their own report: the definitions are fine.
      if (ciOwned.length === problems.problems.length) throw new TreeProblemsError(ciOwned.map(formatProblem), this.outdir);
      throw new DitValidationError(problems.problems);
    }
    return writeTree(this.outdir, files!, this.isPrunable);
  }

  // The stages of planning, each recording every problem it finds. Returns the planned files,
  // or undefined when something was found (engine files render from valid input only).
  private planInto(problems: Problems): PlannedFile[] | undefined {
    const environments = this.environments;
    const components = this.components;
    if (environments.length === 0) {
      // The one stop: with no environment nothing deploys, so no later check means anything.
      problems.add({ component: 'GitOpsApp', field: 'environments' }, 'none declared; expected at least one DitEnvironment');
      return undefined;
    }
    for (const problem of this.deferredProblems) problems.add(problem, problem.message);
    for (const env of environments) env._validate(problems);
    validateApp(environments, components, problems);
    for (const env of environments) {
      env._prepare(() => components.filter((c) => c.deployedIn(environments).includes(env) && !c.includedBy(env)).map((c) => c.overlayDirectory(env)));
    }
    const clusters = this.node.findAll().filter(FluxCluster.isFluxCluster);
    if (clusters.length > 1) problems.add({ component: 'GitOpsApp', field: 'FluxCluster' }, `${clusters.length} declared; expected one (it is the GitRepository every environment syncs from)`);
    const context: PlanContext = {
      environments,
      repositoryPath: this.repositoryPath,
      gitRepository: clusters[0]?.gitRepository ?? { name: 'flux-system', namespace: 'flux-system' },
      registry: this.registry,
    };
    for (const component of components) problems.check(() => component._prepare(context));
    for (const cluster of clusters) problems.check(() => cluster._prepare(context, () => components.flatMap((c) => (c instanceof GoldenChartComponent ? [c.chart] : []))));
    const scope: ValidationScope = { environments, components: new Set(components), problems };
    for (const component of components) component._validate(scope);
    for (const env of environments) {
      const releases = components.filter((c): c is ReleaseComponent<ReleaseOptions> => c instanceof ReleaseComponent && c.deployedIn(environments).includes(env));
      problems.check(() => assertNoDependencyCycle(releases, (r) => r.releaseDependencies(env).filter((d): d is ReleaseComponent<ReleaseOptions> => d instanceof ReleaseComponent), env.name));
    }
    const files = this.gitOpsFiles();
    // Two components with one name collide in every file: the name is reported already.
    const earlier = problems.problems.length > 0;
    if (!earlier) reportCollisions(files, problems);
    // What only the rendered objects show is checked last, and always: every check records its
    // own problems. A renderer that trips over input already reported adds nothing, so its own
    // failure is dropped then (and is a bug otherwise).
    for (const component of components) {
      try {
        component._validateRendered(scope);
      } catch (error) {
        if (!earlier) throw error;
      }
    }
    if (problems.problems.length > 0) return undefined;
    return files.map((file) => (file instanceof CiOwnedFile
      ? { path: file.path, owner: FileOwner.CI, initialContent: () => file.render(), reconcile: file.reconcile }
      : { path: file.path, owner: file.owner, content: file.render() }));
  }

  private gitOpsFiles(): Array<IConstruct & IGitOpsFile> {
    return this.node.findAll().filter((c): c is IConstruct & IGitOpsFile => isGitOpsFile(c));
  }

  /**
   * Records the problems of the CI-owned files as the writer would meet them in `outdir`
   * (reading only): a file CI left that is not acceptable, and a first file that breaks its
   * environment's rules. Returns the former (problems of files CI wrote, not of the definitions).
   */
  private checkCiOwnedFiles(outdir: string, problems: Problems): DitProblem[] {
    const unacceptable: DitProblem[] = [];
    const planned: PlannedFile[] = this.gitOpsFiles().filter((f): f is CiOwnedFile & IConstruct => f instanceof CiOwnedFile).map((file) => ({
      path: file.path,
      owner: FileOwner.CI,
      initialContent: () => {
        const found = new Problems();
        collect(found, () => file.render(), problems.problems.length > 0);
        // The owner/name derived from an image repository already reported adds nothing.
        const derived = (p: DitProblem) => p.field === 'image.githubRepository'
          && problems.problems.some((q) => q.component === p.component && q.field === 'image.repository');
        for (const p of found.problems) if (!derived(p)) problems.add(p, p.message);
        return '';
      },
      reconcile: (previous: string, committed?: string) => {
        const found = new Problems();
        collect(found, () => file.reconcile(previous, committed), problems.problems.length > 0);
        for (const p of found.problems) {
          unacceptable.push(p);
          problems.add(p, p.message);
        }
        return previous;
      },
    }));
    if (planned.length > 0) {
      try {
        diffTree(outdir, planned, () => false);
      } catch (error) {
        // A tree the writer refuses (a symlink) is the writer's to report.
        if (!(error instanceof UnsafeTreeError)) throw error;
      }
    }
    return unacceptable;
  }

  /** Files the engine may delete once unplanned: its generated files and the image.yaml files it created. */
  public readonly isPrunable = (path: string, content: string): boolean => isGenerated(path, content) || isImageFile(path, content);

}

/** The environment named `name`, or a DitError listing the environments that exist. */
export function findEnvironment(app: GitOpsApp, name: string): DitEnvironment {
  const env = app.environments.find((e) => e.name === name);
  if (!env) throw new DitError({ component: 'GitOpsApp', field: 'environment' }, `got ${received(name)}, which the app does not declare; expected one of ${app.environments.map((e) => e.name).join(', ')}`);
  return env;
}

// Two constructs that render one file: name the components (or cluster) and the name to change.
function reportCollisions(files: ReadonlyArray<IConstruct & IGitOpsFile>, problems: Problems): void {
  const byPath = new Map<string, string>();
  for (const file of files) {
    const owner = ownerOf(file);
    const first = byPath.get(file.path);
    if (first === undefined) {
      byPath.set(file.path, owner);
    } else {
      problems.add({ component: owner, field: 'name' },
        `renders ${file.path}, which ${first} renders too; expected names that give every component, environment and cluster its own files`);
    }
  }
}

// Runs a render or a reconcile; a DitError it throws is recorded. With definitions already
// at fault, a renderer's own failure adds nothing and is dropped.
function collect(problems: Problems, run: () => void, earlier: boolean): void {
  try {
    problems.check(run);
  } catch (error) {
    if (!earlier) throw error;
  }
}

// Flux joins it into Kustomization and image automation paths (`./<repositoryPath>/...`).
function validRepositoryPath(value: string): string {
  const trimmed = value.replace(/^\.\//, '').replace(/\/$/, '');
  const segments = trimmed.split('/');
  if (trimmed === '' || !/^[A-Za-z0-9._\/-]+$/.test(trimmed) || segments.some((s) => s === '' || s === '.' || s === '..')) {
    throw new DitError({ component: 'GitOpsApp', field: 'repositoryPath' }, `got ${received(value)}; expected a relative path inside the git repository (letters, digits, '.', '_', '-' and '/', no '..', e.g. dist or clusters/my-team/dist)`);
  }
  return trimmed;
}
