/**
 * `npm run test:corpus [dir]`: converts every compose file of a corpus of real projects and
 * checks the result. A file passes when it converts to a tree in which every environment
 * builds with `kubectl kustomize` and every object validates against the schemas, or when
 * the importer rejects it with a clear ComposeError (file, service, key). Anything else (a
 * crash, a tree that does not build or validate) fails the run. With Helm at hand (PATH or
 * the dev-dependency), every environment is also rendered through the golden charts, as
 * `dit-gitops render` does: a release the charts' schema refuses, or (with the schemas) a
 * rendered object that does not validate, fails the file; `dit-gitops lint` findings are counted, not failed
 * (other projects' images use tags such as latest).
 *
 * Every converted tree must declare every component in production (seed 000: each service
 * lands in every environment), waiting where it cannot run yet: a golden-chart release pending
 * (image.yaml tag "") or a third-party chart's HelmRelease suspended. A component missing from
 * production fails the file; the totals count those declared, pending and suspended there.
 *
 * The corpus is other projects' code: it stays outside the project (default
 * ../shared/corpus/compose) and the script says so and exits 0 when it is absent. Corpus
 * conventions: `<stem>.<x>.yml` beside `<stem>.yml` is an override merged after it, and an
 * `env_file: db.env` of `<stem>.yml` is stored as `<stem>.db.env`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { ComposeError, ComposeProject, GitOpsApp, formatVerifyProblem } from '../src';
import { lintRendered } from '../src';
import { createSchemaValidator, findHelm, formatFindings, renderEnvironment, synthTree, validateTree, verifyTree } from '../src/testing';

const ROOT = path.resolve(__dirname, '..');
const dir = path.resolve(process.argv[2] ?? path.join(ROOT, '..', 'shared', 'corpus', 'compose'));

const CHARTS = path.join(ROOT, 'charts');
const helm = (() => {
  try {
    return findHelm();
  } catch {
    return undefined;
  }
})();
const validateObject = createSchemaValidator();

/** Renders every environment through the golden charts: the problems that fail the file, and the lint findings. */
function renderChecks(project: ComposeProject, tree: Record<string, string>): { problems: string[]; lint: number } {
  const problems: string[] = [];
  let lint = 0;
  for (const env of project.environments.values()) {
    try {
      const objects = renderEnvironment(tree, env.name, { charts: CHARTS, helm });
      problems.push(...objects.flatMap((o) => validateObject(o.object).map((f) => `${o.component} [${env.name}] ${f.object} ${f.field}: ${f.message}`)));
      lint += lintRendered(objects, { pinImageDigests: env.pinImageDigests }).length;
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error));
    }
  }
  return { problems, lint };
}

interface Case {
  readonly name: string;
  readonly files: readonly string[];
}

function cases(): Case[] {
  const yamls = fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
  const stem = (f: string) => f.replace(/\.ya?ml$/, '');
  const baseOf = (f: string) => yamls.find((b) => b !== f && stem(f).startsWith(`${stem(b)}.`));
  return yamls.filter((f) => !baseOf(f)).map((f) => ({ name: f, files: [f, ...yamls.filter((o) => baseOf(o) === f)] }));
}

function readCorpusFile(base: string, relative: string): string | undefined {
  const candidates = [path.join(dir, relative), path.join(dir, `${base.replace(/\.ya?ml$/, '')}.${path.basename(relative)}`)];
  const found = candidates.find((c) => fs.existsSync(c) && fs.statSync(c).isFile());
  return found ? fs.readFileSync(found, 'utf8') : undefined;
}

/** Components declared in production over all converted trees: running, pending, suspended. */
const production = { components: 0, declared: 0, pending: 0, suspended: 0 };

/**
 * How production declares each component of the plan: the components its kustomization
 * misses, and those declared waiting (pending: image.yaml holds no tag; suspended: the
 * HelmRelease, base or overlay, says spec.suspend: true).
 */
function productionDeclarations(tree: Record<string, string>, components: readonly string[]): { missing: string[]; pending: string[]; suspended: string[] } {
  const read = (file: string) => (tree[file] === undefined ? undefined : parse(tree[file], { version: '1.1' }));
  // What kustomize builds from main/production: the folders its resources reach, followed
  // through each overlay (an imageFrom follower comes in through its leader's).
  const declared = new Set<string>();
  const visit = (folder: string): void => {
    for (const resource of (read(`${folder}/kustomization.yaml`)?.resources ?? []) as string[]) {
      const target = path.posix.normalize(path.posix.join(folder, resource));
      const top = target.split('/')[0];
      if (declared.has(target) || tree[`${target}/kustomization.yaml`] === undefined) continue;
      declared.add(target);
      declared.add(top);
      visit(target);
    }
  };
  visit('main/production');
  const missing = components.filter((c) => !declared.has(c));
  const pending = components.filter((c) => declared.has(c) && read(`${c}/production/image.yaml`)?.spec?.values?.global?.image?.tag === '');
  const suspended = components.filter((c) => declared.has(c) && (read(`${c}/production/release.yaml`)?.spec?.suspend ?? read(`${c}/base/release.yaml`)?.spec?.suspend) === true);
  return { missing, pending, suspended };
}

type Outcome = 'converted' | 'rejected' | 'failed';
/** Converted files whose staging tree passes verify, and the verify problems of the others. */
const verified = { clean: 0, problems: 0 };

function run(c: Case): { outcome: Outcome; line: string } {
  const label = c.files.join(' + ');
  let tree;
  try {
    const app = new GitOpsApp({ outdir: path.join(ROOT, '.corpus-unused') });
    const project = new ComposeProject(app, 'compose', {
      compose: { files: c.files.map((f) => ({ file: f, content: fs.readFileSync(path.join(dir, f), 'utf8') })), readFile: (p) => readCorpusFile(c.files[0], p) },
      project: 'corpus',
      domain: 'corpus.example.com',
    });
    tree = synthTree(app);
    const decisions = project.report.length;
    const done = [`${project.plan.components.length} components`, `${decisions} decisions`];
    if (project.environments.has('production')) {
      const components = project.plan.components.map((p) => p.name);
      const { missing, pending, suspended } = productionDeclarations(tree, components);
      production.components += components.length;
      production.declared += components.length - missing.length;
      production.pending += pending.length;
      production.suspended += suspended.length;
      if (missing.length > 0) return { outcome: 'failed', line: `FAILED   ${label}: not declared in production: ${missing.join(', ')} (every component must be, waiting where it cannot run yet)` };
      done.push(`all ${components.length} in production (${pending.length} pending, ${suspended.length} suspended)`);
    }
    // The schemas the package ships (validateTree's default).
    const findings = validateTree(tree);
    if (findings.length > 0) return { outcome: 'failed', line: `FAILED   ${label}: the tree does not build or validate\n${formatFindings(findings).replace(/^/gm, '           ')}` };
    done.push('every environment builds and validates');
    if (helm) {
      const { problems, lint } = renderChecks(project, tree);
      if (problems.length > 0) return { outcome: 'failed', line: `FAILED   ${label}: the golden charts do not render or validate\n${problems.join('\n').replace(/^/gm, '           ')}` };
      done.push(`renders through the golden charts (${lint} lint finding${lint === 1 ? '' : 's'})`);
      // Would it run? verify in staging, as the import itself runs it.
      if (project.environments.has('staging')) {
        const report = verifyTree(app, tree, { environments: ['staging'], charts: CHARTS, helm, repositoryRoot: ROOT });
        if (report.problems.length === 0) {
          verified.clean++;
          done.push('verify clean in staging');
        } else {
          verified.problems += report.problems.length;
          done.push(`verify in staging: ${report.problems.length} problem${report.problems.length === 1 ? '' : 's'}\n${report.problems.map(formatVerifyProblem).join('\n').replace(/^/gm, '           ')}`);
        }
      }
    }
    return { outcome: 'converted', line: `ok       ${label}: ${done.join(', ')}${helm ? '' : ' (not rendered: no helm)'}` };
  } catch (error) {
    if (error instanceof ComposeError) {
      const first = error.message.split('\n')[1];
      const more = error.issues.length > 1 ? ` (+${error.issues.length - 1} more)` : '';
      return { outcome: 'rejected', line: `rejected ${label}: ${first}${more}` };
    }
    return { outcome: 'failed', line: `FAILED   ${label}: ${error instanceof Error ? error.message : String(error)}` };
  }
}

function main(): number {
  if (!fs.existsSync(dir)) {
    console.log(`test:corpus: ${dir} does not exist; nothing to convert`);
    return 0;
  }
  const all = cases();
  const counts: Record<Outcome, number> = { converted: 0, rejected: 0, failed: 0 };
  for (const c of all) {
    const result = run(c);
    counts[result.outcome]++;
    console.log(result.line);
  }
  console.log(`test:corpus: ${all.length} files: ${counts.converted} converted, ${counts.rejected} rejected with a clear error, ${counts.failed} failed${helm ? `; verify in staging: ${verified.clean} of ${counts.converted} clean (${verified.problems} problems)` : ''}`);
  console.log(`test:corpus: in production, ${production.declared} of ${production.components} components of the converted trees declared (${production.pending} pending, ${production.suspended} suspended)`);
  return counts.failed > 0 ? 1 : 0;
}

process.exitCode = main();
