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
import { KeptFilesChangedError, PlannedFile, SynthSummary, TreeProblemsError, UnsafeTreeError, diffTree, isGenerated, writeTree } from '../tree/tree-writer';
import { OwnerRecord, TreeManifest, isUntouched, libraryIdentity, readTreeManifest } from '../tree/tree-manifest';
import { ShallowHashes, appFingerprint, fingerprint } from './fingerprint';
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
  /**
   * Let {@link GitOpsApp.synth} skip the components whose inputs, and files on disk, are
   * exactly those of the last synthesis (docs/tree.md, "The no-op fast path"). `check` never
   * skips anything. $DIT_GITOPS_CACHE=off turns it off too.
   * @default true
   */
  readonly cache?: boolean;
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
  private readonly cache: boolean;

  constructor(props: GitOpsAppProps = {}) {
    super({ outdir: props.outdir ?? 'dist' });
    this.repositoryPath = validRepositoryPath(props.repositoryPath ?? 'dist');
    this.teamRegistry = props.registry;
    this.cache = props.cache ?? process.env.DIT_GITOPS_CACHE !== 'off';
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

  /**
   * Writes the tree to `outdir` and returns what changed. A component whose inputs and files
   * are exactly those of the last synthesis is neither rendered nor re-read (GitOpsAppProps.cache).
   */
  public override synth(): SynthSummary {
    const inputs = this.cache ? this.synthInputs() : undefined;
    const previous = inputs ? readTreeManifest(this.outdir) : undefined;
    try {
      return this.synthWith(inputs, previous, inputs && previous ? this.reusable(inputs, previous) : new Map());
    } catch (error) {
      // Kept files changed under us (a killed run's journal was completed): keep nothing.
      if (!(error instanceof KeptFilesChangedError)) throw error;
      return this.synthWith(inputs, undefined, new Map());
    }
  }

  private synthWith(inputs: { app: string; owners: Map<string, string> } | undefined, previous: TreeManifest | undefined, reusable: ReadonlyMap<DitComponent, OwnerRecord>): SynthSummary {
    const problems = new Problems();
    const files = this.planInto(problems, reusable);
    if (problems.problems.length > 0) {
      // One pass: what the definitions got wrong and what CI's files there got wrong, together.
      this.checkCiOwnedFiles(this.outdir, problems);
      throw new DitValidationError(problems.problems);
    }
    // CI-owned files are checked as the writer resolves them: one scan, one read each.
    const firstRenders = new Problems();
    const unacceptable = new Problems();
    const checked = files!.map((file): PlannedFile => (file.owner !== FileOwner.CI || file.kept ? file : {
      ...file,
      // A problem is recorded and the write stops in `inspect`, before anything is written.
      initialContent: () => {
        let content = '';
        firstRenders.check(() => { content = file.initialContent!(); });
        return content;
      },
      reconcile: (before, committed) => {
        let content = before;
        unacceptable.check(() => { content = file.reconcile!(before, committed); });
        return content;
      },
    }));
    return writeTree(this.outdir, checked, this.isPrunable, {
      manifest: inputs,
      previousManifest: previous,
      inspect: () => {
        // Files CI left unacceptable, and nothing else, keep their own report: the definitions are fine.
        if (firstRenders.problems.length > 0) throw new DitValidationError([...firstRenders.problems, ...unacceptable.problems]);
        if (unacceptable.problems.length > 0) throw new TreeProblemsError(unacceptable.problems.map(formatProblem), this.outdir);
      },
    });
  }

  // The inputs of this synthesis: app-wide (library, app, environments, cluster) and each component's.
  private synthInputs(): { app: string; owners: Map<string, string> } {
    const shared = [...this.environments, ...this.node.findAll().filter(FluxCluster.isFluxCluster)];
    const shallow = new ShallowHashes();
    return {
      app: appFingerprint(this, shared, libraryIdentity()),
      owners: new Map(this.components.map((c) => [c.node.path, fingerprint(c, shallow)])),
    };
  }

  // The components the last synthesis rendered from these very inputs, whose files on disk are
  // untouched since: their files are kept unread.
  private reusable(inputs: { app: string; owners: Map<string, string> }, previous: TreeManifest): Map<DitComponent, OwnerRecord> {
    const reusable = new Map<DitComponent, OwnerRecord>();
    if (previous.app !== inputs.app) return reusable;
    for (const component of this.components) {
      const record = previous.owners[component.node.path];
      if (!record || record.fingerprint !== inputs.owners.get(component.node.path)) continue;
      if (record.files.every((rel) => isUntouched(this.outdir, rel, previous.files[rel]))) reusable.set(component, record);
    }
    return reusable;
  }

  // The stages of planning, each recording every problem it finds. Returns the planned files,
  // or undefined when something was found (engine files render from valid input only).
  // `reusable` components are neither prepared, checked nor rendered: their last files are kept.
  private planInto(problems: Problems, reusable: ReadonlyMap<DitComponent, OwnerRecord> = new Map()): PlannedFile[] | undefined {
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
    const fresh = components.filter((c) => !reusable.has(c));
    for (const component of fresh) problems.check(() => component._prepare(context));
    for (const cluster of clusters) problems.check(() => cluster._prepare(context, () => components.flatMap((c) => (c instanceof GoldenChartComponent ? [c.chart] : []))));
    const scope: ValidationScope = { environments, components: new Set(components), problems };
    for (const component of fresh) component._validate(scope);
    for (const env of environments) {
      const releases = components.filter((c): c is ReleaseComponent<ReleaseOptions> => c instanceof ReleaseComponent && c.deployedIn(environments).includes(env));
      problems.check(() => assertNoDependencyCycle(releases, (r) => r.releaseDependencies(env).filter((d): d is ReleaseComponent<ReleaseOptions> => d instanceof ReleaseComponent), env.name));
    }
    const files = this.gitOpsFiles().filter((f) => !reusable.has(owningComponent(f)!));
    const kept = [...reusable].flatMap(([component, record]) => record.files.map((path) => ({ path, component, ci: record.ci.includes(path) })));
    // Two components with one name collide in every file: the name is reported already.
    const earlier = problems.problems.length > 0;
    if (!earlier) reportCollisions([...files.map((f) => ({ path: f.path, owner: ownerOf(f) })), ...kept.map((k) => ({ path: k.path, owner: k.component.name }))], problems);
    // What only the rendered objects show is checked last, and always: every check records its
    // own problems. A renderer that trips over input already reported adds nothing, so its own
    // failure is dropped then (and is a bug otherwise).
    for (const component of fresh) {
      try {
        component._validateRendered(scope);
      } catch (error) {
        if (!earlier) throw error;
      }
    }
    if (problems.problems.length > 0) return undefined;
    const origin = (file: IConstruct) => owningComponent(file)?.node.path;
    return [
      ...files.map((file): PlannedFile => (file instanceof CiOwnedFile
        ? { path: file.path, owner: FileOwner.CI, initialContent: () => file.render(), reconcile: file.reconcile, origin: origin(file) }
        : { path: file.path, owner: file.owner, content: file.render(), origin: origin(file) })),
      ...kept.map(({ path, component, ci }): PlannedFile => ({ path, owner: ci ? FileOwner.CI : FileOwner.ENGINE, kept: true, origin: component.node.path })),
    ];
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

// The component a file construct belongs to, if any.
function owningComponent(construct: IConstruct): DitComponent | undefined {
  for (let node: IConstruct | undefined = construct; node; node = node.node.scope) if (DitComponent.isComponent(node)) return node;
  return undefined;
}

// Two constructs that render one file: name the components (or cluster) and the name to change.
function reportCollisions(files: ReadonlyArray<{ readonly path: string; readonly owner: string }>, problems: Problems): void {
  const byPath = new Map<string, string>();
  for (const { path: filePath, owner } of files) {
    const first = byPath.get(filePath);
    if (first === undefined) {
      byPath.set(filePath, owner);
    } else {
      problems.add({ component: owner, field: 'name' },
        `renders ${filePath}, which ${first} renders too; expected names that give every component, environment and cluster its own files`);
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
