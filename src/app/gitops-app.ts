import { App } from 'cdk8s';
import { IConstruct } from 'constructs';
import { DitComponent } from '../components/component';
import type { PlanContext } from './plan-context';
import { FluxCluster } from '../flux/flux-cluster';
import { GoldenChartComponent } from '../components/golden-chart';
import { DitEnvironment } from './environment';
import { DitError } from './errors';
import { CiOwnedFile, FileOwner, IGitOpsFile, isGitOpsFile } from '../tree/gitops-file';
import { ReleaseComponent } from '../components/release-component';
import { ReleaseOptions, assertNoDependencyCycle } from '../components/release-options';
import { PlannedFile, SynthSummary, isGenerated, writeTree } from '../tree/tree-writer';
import { isImageFile } from '../images/image-file';

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
}

/**
 * The root of a GitOps repository: holds the environments and components, renders one file
 * per file construct, and writes the tree without touching what it does not own.
 */
export class GitOpsApp extends App {
  public readonly repositoryPath: string;

  constructor(props: GitOpsAppProps = {}) {
    super({ outdir: props.outdir ?? 'dist' });
    this.repositoryPath = validRepositoryPath(props.repositoryPath ?? 'dist');
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
    this.validate(environments, components);
    for (const env of environments) {
      env._prepare(() => components.filter((c) => c.deployedIn(environments).includes(env)).map((c) => c.overlayDirectory(env)));
    }
    const clusters = this.node.findAll().filter(FluxCluster.isFluxCluster);
    if (clusters.length > 1) throw new DitError({ component: 'GitOpsApp', field: 'FluxCluster' }, `${clusters.length} declared; expected one (it is the GitRepository every environment syncs from)`);
    const context: PlanContext = {
      environments,
      repositoryPath: this.repositoryPath,
      gitRepository: clusters[0]?.gitRepository ?? { name: 'flux-system', namespace: 'flux-system' },
    };
    for (const component of components) component._prepare(context);
    for (const cluster of clusters) cluster._prepare(context, () => components.flatMap((c) => (c instanceof GoldenChartComponent ? [c.chart] : [])));
    for (const component of components) component._validate(environments);
    for (const env of environments) {
      const releases = components.filter((c): c is ReleaseComponent<ReleaseOptions> => c instanceof ReleaseComponent && c.deployedIn(environments).includes(env));
      assertNoDependencyCycle(releases, (r) => r.releaseDependencies(env).filter((d): d is ReleaseComponent<ReleaseOptions> => d instanceof ReleaseComponent), env.name);
    }
    const files = this.node.findAll().filter((c): c is IConstruct & IGitOpsFile => isGitOpsFile(c));
    assertUniquePaths(files);
    return files.map((file) => (file instanceof CiOwnedFile
      ? { path: file.path, owner: FileOwner.CI, initialContent: () => file.render(), reconcile: file.reconcile }
      : { path: file.path, owner: file.owner, content: file.render() }));
  }

  /** Writes the tree to `outdir` and returns what changed. */
  public override synth(): SynthSummary {
    return writeTree(this.outdir, this.plan(), this.isPrunable);
  }

  /** Files the engine may delete once unplanned: its generated files and the image.yaml files it created. */
  public readonly isPrunable = (path: string, content: string): boolean => isGenerated(path, content) || isImageFile(path, content);

  private validate(environments: readonly DitEnvironment[], components: readonly DitComponent[]): void {
    if (environments.length === 0) {
      throw new DitError({ component: 'GitOpsApp', field: 'environments' }, 'none declared; expected at least one DitEnvironment');
    }
    assertUnique(environments.map((e) => e.name), (name) => new DitError({ component: `environment ${name}`, field: 'name' }, 'is declared twice; expected one environment per name'));
    assertUnique(components.map((c) => c.name), (name) => new DitError({ component: name, field: 'name' }, 'is used by two components; expected one component per name (it is their directory and release name)'));
    const reserved = components.find((c) => c.name === 'main');
    if (reserved) throw new DitError({ component: 'main', field: 'name' }, 'is reserved for the environment aggregators (dist/main); expected another name');
  }
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

function assertUnique(names: readonly string[], error: (name: string) => Error): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) throw error(name);
    seen.add(name);
  }
}

function assertUniquePaths(files: readonly IGitOpsFile[]): void {
  assertUnique(files.map((f) => f.path), (path) => new DitError({ component: 'GitOpsApp', field: path }, 'two constructs render this file; expected one construct per output file'));
}
