import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { GENERATED_HEADER, toYaml } from './yaml-format';

/**
 * Who owns a file's bytes. The engine rewrites its files on every synthesis; a CI-owned
 * file (image.yaml) is created once and from then on kept exactly as CI or Flux image
 * automation left it.
 */
export enum FileOwner {
  ENGINE = 'engine',
  CI = 'ci',
}

/** One output file: a construct that knows its path under the output directory. */
export interface IGitOpsFile {
  /** Path relative to the output directory, with forward slashes. */
  readonly path: string;
  readonly owner: FileOwner;
  /** The file's bytes, or undefined when the file should not exist (an empty overlay patch). */
  render(): string | undefined;
}

const FILE_SYMBOL = Symbol.for('dit-gitops.GitOpsFile');

export function isGitOpsFile(x: unknown): x is IGitOpsFile {
  return typeof x === 'object' && x !== null && FILE_SYMBOL in x;
}

function markAsFile(file: IGitOpsFile): void {
  Object.defineProperty(file, FILE_SYMBOL, { value: true });
}

/** Props of {@link DataFile}. */
export interface DataFileProps {
  readonly path: string;
  /** Produces the documents at render time; an empty list means "no file". */
  readonly documents: () => readonly unknown[];
  /** @default FileOwner.ENGINE */
  readonly owner?: FileOwner;
  /** Comment lines (each starting with `#`) written after the header. @default none */
  readonly comments?: () => readonly string[];
}

/** A file of plain YAML documents (kustomization.yaml, partial patches). */
export class DataFile extends Construct implements IGitOpsFile {
  public readonly path: string;
  public readonly owner: FileOwner;
  private readonly documents: () => readonly unknown[];
  private readonly comments: () => readonly string[];

  constructor(scope: Construct, id: string, props: DataFileProps) {
    super(scope, id);
    this.path = props.path;
    this.owner = props.owner ?? FileOwner.ENGINE;
    this.documents = props.documents;
    this.comments = props.comments ?? (() => []);
    markAsFile(this);
  }

  public render(): string | undefined {
    const docs = this.documents();
    return docs.length === 0 ? undefined : toYaml(docs, [GENERATED_HEADER, ...this.comments()].join('\n'));
  }
}

/** Props of {@link ManifestFile}. */
export interface ManifestFileProps {
  readonly path: string;
}

/**
 * A file of typed cdk8s API objects (its children). A cdk8s Chart, so the generated CRD
 * classes and `Lazy` values resolve as usual, but rendered on its own rather than through
 * `App.synth`, which re-walks the whole app for every chart.
 */
export class ManifestFile extends Chart implements IGitOpsFile {
  public readonly path: string;
  public readonly owner = FileOwner.ENGINE;

  constructor(scope: Construct, id: string, props: ManifestFileProps) {
    super(scope, id, { disableResourceNameHashes: true });
    this.path = props.path;
    markAsFile(this);
  }

  public render(): string | undefined {
    // Chart.toJson() validates and orders the whole app for every chart (quadratic in the
    // number of files): this file's own objects are all it needs.
    const docs = this.apiObjects.map((o) => o.toJson());
    return docs.length === 0 ? undefined : toYaml(docs);
  }
}

/** Props of {@link CiOwnedFile}. */
export interface CiOwnedFileProps {
  readonly path: string;
  /** The bytes for a file that does not exist yet. Called only then. */
  readonly initialContent: () => string;
  /**
   * Brings previous bytes up to date and throws when they are not acceptable; must keep what
   * CI wrote. `committed`: the bytes in git HEAD when the disk differs from them.
   * @default - identity
   */
  readonly reconcile?: (previous: string, committed?: string) => string;
}

/** A file the engine creates once and then leaves to CI (image.yaml). */
export class CiOwnedFile extends Construct implements IGitOpsFile {
  public readonly path: string;
  public readonly owner = FileOwner.CI;
  public readonly reconcile: (previous: string, committed?: string) => string;
  private readonly initialContent: () => string;

  constructor(scope: Construct, id: string, props: CiOwnedFileProps) {
    super(scope, id);
    this.path = props.path;
    this.initialContent = props.initialContent;
    this.reconcile = props.reconcile ?? ((previous) => previous);
    markAsFile(this);
  }

  public render(): string {
    return this.initialContent();
  }
}
