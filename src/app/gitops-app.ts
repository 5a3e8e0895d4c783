import { App } from 'cdk8s';
import { IConstruct } from 'constructs';
import { DitComponent, ValidationScope } from '../components/component';
import type { PlanContext } from './plan-context';
import { FluxCluster } from '../flux/flux-cluster';
import { GoldenChartComponent } from '../components/golden-chart';
import { DitEnvironment } from './environment';
import { DitError } from './errors';
import { Problems } from './validation';
import { ownerOf, validateApp } from './app-validation';
import { CiOwnedFile, FileOwner, IGitOpsFile, isGitOpsFile } from '../tree/gitops-file';
import { ReleaseComponent } from '../components/release-component';
import { ReleaseOptions, assertNoDependencyCycle } from '../components/release-options';
import { PlannedFile, SynthSummary, diffTree, isGenerated, writeTree } from '../tree/tree-writer';
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
    if (this.teamRegistry) {
      throw new DitError({ component: 'GitOpsApp', field: 'registry' }, `is already ${this.teamRegistry.host}; expected one team registry (set others per environment or component)`);
    }
    registry.validate({ component: 'GitOpsApp', field: 'registry' });
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
   * writer finds no previous content for them.
   */
  public plan(): PlannedFile[] {
    const environments = this.environments;
    const components = this.components;
    const problems = new Problems();
    if (environments.length === 0) {
      problems.add({ component: 'GitOpsApp', field: 'environments' }, 'none declared; expected at least one DitEnvironment');
      problems.throwIfAny();
    }
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
    const files = this.node.findAll().filter((c): c is IConstruct & IGitOpsFile => isGitOpsFile(c));
    // Two components with one name collide in every file: the name is reported already.
    const earlier = problems.problems.length > 0;
    if (!earlier) reportCollisions(files, problems);
    // What only the rendered objects show is checked last. Rendering needs valid input: when
    // something is already wrong, a renderer tripping over it adds nothing to the report.
    for (const component of components) {
      try {
        component._validateRendered(scope);
      } catch (error) {
        if (!earlier) throw error;
      }
    }
    problems.throwIfAny();
    return files.map((file) => (file instanceof CiOwnedFile
      ? { path: file.path, owner: FileOwner.CI, initialContent: () => file.render(), reconcile: file.reconcile }
      : { path: file.path, owner: file.owner, content: file.render() }));
  }

  /** Writes the tree to `outdir` and returns what changed. */
  public override synth(): SynthSummary {
    const files = this.plan();
    try {
      return writeTree(this.outdir, files, this.isPrunable);
    } catch (error) {
      // A first image.yaml broke its environment's rules (the writer renders those before it
      // writes anything): find every one that does, reading only, and report them together.
      if (!(error instanceof DitError)) throw error;
      const problems = new Problems();
      diffTree(this.outdir, files.map((file) => (file.initialContent ? { ...file, initialContent: collecting(file.initialContent, problems) } : file)), this.isPrunable);
      problems.throwIfAny();
      throw error;
    }
  }

  /** Files the engine may delete once unplanned: its generated files and the image.yaml files it created. */
  public readonly isPrunable = (path: string, content: string): boolean => isGenerated(path, content) || isImageFile(path, content);

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

// The initial content, or an empty placeholder once its problem is recorded.
function collecting(initialContent: () => string, problems: Problems): () => string {
  return () => {
    let content = '';
    problems.check(() => {
      content = initialContent();
    });
    return content;
  };
}

// Flux joins it into Kustomization and image automation paths (`./<repositoryPath>/...`).
function validRepositoryPath(value: string): string {
  const trimmed = value.replace(/^\.\//, '').replace(/\/$/, '');
  const segments = trimmed.split('/');
  if (trimmed === '' || !/^[A-Za-z0-9._\/-]+$/.test(trimmed) || segments.some((s) => s === '' || s === '.' || s === '..')) {
    throw new DitError({ component: 'GitOpsApp', field: 'repositoryPath' }, `got ${JSON.stringify(value)}; expected a relative path inside the git repository (letters, digits, '.', '_', '-' and '/', no '..', e.g. dist or clusters/my-team/dist)`);
  }
  return trimmed;
}
