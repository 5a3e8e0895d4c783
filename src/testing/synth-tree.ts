import { GitOpsApp } from '../app/gitops-app';
import { resolveTree } from '../tree/tree-writer';

/** A synthesized tree in memory: file bytes by path relative to the output directory. */
export type Tree = Readonly<Record<string, string>>;

/** Options of {@link synthTree}. */
export interface SynthTreeOptions {
  /**
   * The tree as it was (for example the committed dist/), so CI-owned files keep their bytes
   * as they would on disk. @default - an empty tree: every image.yaml is rendered fresh
   */
  readonly previous?: Tree;
}

/**
 * Synthesizes `app` (or the definitions function `src/main.ts` exports) in memory with the
 * engine's own renderer and resolver: the same bytes `npm run synth` would write, and
 * nothing touches the disk.
 */
export function synthTree(appOrDefinitions: GitOpsApp | ((app: GitOpsApp) => void), options: SynthTreeOptions = {}): Tree {
  let app: GitOpsApp;
  if (appOrDefinitions instanceof GitOpsApp) {
    app = appOrDefinitions;
  } else {
    app = new GitOpsApp();
    appOrDefinitions(app);
  }
  const previous = options.previous ?? {};
  const { files } = resolveTree(app.plan(), {
    paths: new Set(Object.keys(previous)),
    read: (path) => previous[path],
    recover: () => undefined,
  }, app.isPrunable);
  return Object.fromEntries([...files.keys()].sort().map((path) => [path, files.get(path)!]));
}
