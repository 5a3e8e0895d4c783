import { buildKustomization } from './kustomize-model';
import type { TreeFinding } from './kustomize-model';
import type { Tree } from './synth-tree';
import { ValidateTreeOptions, validateTree } from './validate-tree';

/** What {@link validateEnvironments} found in one built folder. */
export interface EnvironmentValidation {
  /** The folder kustomize built: `main/<env>` or `clusters/<env>`. */
  readonly root: string;
  /** Objects the folder builds to (the in-memory model's count; kubectl builds the same). */
  readonly objects: number;
  readonly findings: readonly TreeFinding[];
}

const ROOT = /^((?:main|clusters)\/[^/]+)\/kustomization\.yaml$/;

/** The folders Flux applies: `main/<env>` and `clusters/<env>`, sorted. */
export function environmentRoots(tree: Tree): string[] {
  return Object.keys(tree).map((p) => ROOT.exec(p)?.[1]).filter((p): p is string => p !== undefined).sort();
}

/**
 * {@link validateTree} one built folder at a time, so a reviewer reads which environment is
 * broken: a finding in a shared base shows under every environment that builds it. Each
 * folder is validated in a tree that holds no other root kustomization, with the same
 * kubectl build and schemas as validateTree.
 */
export function validateEnvironments(tree: Tree, options: ValidateTreeOptions): EnvironmentValidation[] {
  const roots = environmentRoots(tree);
  const shared = Object.fromEntries(Object.entries(tree).filter(([p]) => !ROOT.test(p)));
  return roots.map((root) => {
    const file = `${root}/kustomization.yaml`;
    const findings = validateTree({ ...shared, [file]: tree[file] }, options);
    return { root, objects: countObjects(tree, root), findings };
  });
}

function countObjects(tree: Tree, root: string): number {
  try {
    return buildKustomization(tree, root).objects.length;
  } catch {
    // A file that is no YAML at all: kubectl's finding says so; the count is unknown.
    return 0;
  }
}
