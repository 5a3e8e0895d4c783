import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { GitOpsApp } from '../app/gitops-app';
import { checkCalls, checkIngressReachability } from '../verify/check-calls';
import { checkFlux } from '../verify/check-flux';
import { checkImages } from '../verify/check-images';
import { checkReferences } from '../verify/check-references';
import { environmentFacts } from '../verify/environment-facts';
import { RenderedIndex } from '../verify/rendered-index';
import { VerifyNote, VerifyProblem, VerifyReport, VerifyRule, sortProblems } from '../verify/verify-problem';
import { staleDigestProblem } from '../images/image-document';
import { RenderOptions, kustomizeBuild, readTree, renderParts } from './render';
import type { Tree } from './synth-tree';

/** Options of {@link verifyDirectory} and {@link verifyTree}. */
export interface VerifyOptions extends Omit<RenderOptions, 'component' | 'onNote'> {
  /** Environments to verify. @default - every environment of the definitions */
  readonly environments?: readonly string[];
  /**
   * Root of the git repository Flux syncs: HelmChart and Kustomization paths are read from
   * it. @default - the output directory less the app's repositoryPath (the current directory for an in-memory tree)
   */
  readonly repositoryRoot?: string;
}

/**
 * "Would it run?": renders each environment as `render` does (kustomize, then helm template
 * for the golden charts) and checks it as a running system: images, references between
 * objects, Flux references, every host the configuration dials against the Cilium policies
 * on both ends, and ingress reachability (docs/verify.md). `app` holds the definitions.
 */
export function verifyDirectory(app: GitOpsApp, outdir: string, options: VerifyOptions = {}): VerifyReport {
  if (!fs.existsSync(outdir)) throw new Error(`${outdir} does not exist; run synth first`);
  const depth = app.repositoryPath.split('/').filter(Boolean).length;
  const root = options.repositoryRoot ?? path.resolve(outdir, ...Array<string>(depth).fill('..'));
  return verifyAt(app, outdir, readTree(outdir), root, options);
}

/** {@link verifyDirectory} over a synthesized tree in memory (`synthTree`), written to a temporary directory. */
export function verifyTree(app: GitOpsApp, tree: Tree, options: VerifyOptions = {}): VerifyReport {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dit-gitops-verify-'));
  try {
    const outdir = path.join(dir, ...app.repositoryPath.split('/'));
    for (const [rel, content] of Object.entries(tree)) {
      fs.mkdirSync(path.dirname(path.join(outdir, rel)), { recursive: true });
      fs.writeFileSync(path.join(outdir, rel), content);
    }
    const root = options.repositoryRoot ?? process.cwd();
    // The tree lives in the scratch copy; everything else of the repository (charts/) in root.
    const inTree = (p: string) => path.join(dir, p);
    return verifyAt(app, outdir, tree, root, options, (p) => (p.startsWith(`./${app.repositoryPath}/`) ? inTree(p) : path.join(root, p)));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function verifyAt(app: GitOpsApp, outdir: string, tree: Tree, root: string, options: VerifyOptions, locate = (p: string) => path.join(root, p)): VerifyReport {
  const environments = options.environments ?? app.environments.map((e) => e.name);
  const problems: VerifyProblem[] = [];
  const notes: VerifyNote[] = [];
  for (const environment of environments) {
    const facts = environmentFacts(app, environment);
    const parts = renderParts(outdir, tree, environment, { ...options, component: undefined });
    const index = new RenderedIndex(parts.rendered, facts);
    const cluster = tree[`clusters/${environment}/kustomization.yaml`] !== undefined ? kustomizeBuild(outdir, `clusters/${environment}`, options.kubectl) : undefined;
    const deployed = new Set(facts.components.map((c) => c.name));
    const imageFiles = Object.fromEntries(Object.entries(tree).filter(([file]) => file.endsWith(`/${environment}/image.yaml`) && deployed.has(file.split('/')[0])));
    const flux = checkFlux(facts, { built: parts.built, cluster, imageFiles, exists: (p) => fs.existsSync(locate(p)) });
    for (const [file, text] of Object.entries(imageFiles)) {
      // A digest recorded for another tag: the pod runs the old image under the new tag.
      const stale = staleDigestProblem(text, { component: file.split('/')[0], environment });
      if (stale) problems.push({ environment, component: file.split('/')[0], rule: VerifyRule.IMAGE, message: `${file} ${stale}` });
    }
    const calls = checkCalls(index);
    problems.push(...checkImages(index), ...checkReferences(index), ...flux.problems, ...calls.problems, ...checkIngressReachability(index));
    notes.push(...flux.notes, ...calls.notes);
    for (const c of facts.components.filter((f) => f.standIn)) {
      notes.push({ environment, component: c.name, message: `third-party chart not rendered offline: its declared ports (${c.ports.map(String).join(', ')}) and pod labels (${Object.entries(c.podLabels).map(([k, v]) => `${k}=${v}`).join(',')}) and ${c.services.length === 1 ? 'a Service' : 'Services'} named ${c.services.join(', ')} stand in` });
    }
  }
  return { environments, problems: sortProblems(problems), notes: sortProblems(notes) };
}
