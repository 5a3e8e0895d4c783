import type { GitOpsApp } from '../app/gitops-app';
import { formatVerifyProblem } from '../verify/verify-problem';
import type { Tree } from './synth-tree';
import { ValidateTreeOptions, formatFindings, validateTree } from './validate-tree';
import { VerifyOptions, verifyTree } from './verify';

/**
 * Snapshots every file under its own path, so a review shows exactly which file changed.
 * Call it inside a jest test.
 */
export function expectTreeToMatchSnapshot(tree: Tree): void {
  for (const path of Object.keys(tree).sort()) expect(tree[path]).toMatchSnapshot(path);
}

/** `expect(tree).toBeValidTree()`: builds and validates, listing every finding on failure. */
function toBeValidTree(this: jest.MatcherContext, tree: Tree, options: ValidateTreeOptions = {}): jest.CustomMatcherResult {
  const findings = validateTree(tree, options);
  return {
    pass: findings.length === 0,
    message: () => (findings.length === 0
      ? 'expected the tree to have findings, but every environment built and every object validated'
      : `expected a valid tree, but found ${findings.length} problem(s):\n${formatFindings(findings)}`),
  };
}

/**
 * `expect(tree).toPassVerify(app)`: renders every environment and checks it as a running
 * system (docs/verify.md), listing every problem on failure. `app` is the planned app the
 * tree was synthesized from (`synthTree(app)`).
 */
function toPassVerify(this: jest.MatcherContext, tree: Tree, app: GitOpsApp, options: VerifyOptions = {}): jest.CustomMatcherResult {
  const { problems, environments } = verifyTree(app, tree, options);
  return {
    pass: problems.length === 0,
    message: () => (problems.length === 0
      ? `expected verify to find problems, but ${environments.join(', ')} would run`
      : `expected ${environments.join(', ')} to verify, but found ${problems.length} problem(s):\n${problems.map(formatVerifyProblem).join('\n')}`),
  };
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    interface Matchers<R> {
      /** Builds every environment with kubectl kustomize and validates every object against the schemas. */
      toBeValidTree(options?: ValidateTreeOptions): R;
      /** Renders every environment and checks it would run: images, references, Flux references, dialed hosts against the policies, ingress. */
      toPassVerify(app: GitOpsApp, options?: VerifyOptions): R;
    }
  }
}

// Registered on import, so `import 'dit-gitops/testing'` is all a test file needs.
if (typeof expect !== 'undefined' && typeof expect.extend === 'function') expect.extend({ toBeValidTree, toPassVerify });
