import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { DitApi, DitEnvironment, DitError, GitOpsApp, ImageTagRule, Peer, SynthSummary } from '../src';
import { defineTeam } from '../src/main';
import { CACHE_DIR } from '../src/tree/tree-manifest';

const temps: string[] = [];
afterAll(() => {
  for (const dir of temps.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A temporary directory removed after the suite. */
export function tempDir(prefix = 'dit-gitops-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

/** Synthesizes `define` (default: the example) into `outdir`. */
export function synthInto(outdir: string, define: (app: GitOpsApp) => void = defineTeam): SynthSummary {
  const app = new GitOpsApp({ outdir });
  define(app);
  return app.synth();
}

/** Renders `define` in memory: every file's parsed documents by path (CI-owned files as first created). */
export function planDocuments(define: (app: GitOpsApp) => void): Record<string, any[]> {
  const app = new GitOpsApp({ outdir: 'unused' });
  define(app);
  const out: Record<string, any[]> = {};
  for (const file of app.plan()) {
    const content = file.content ?? file.initialContent?.();
    if (content !== undefined) out[file.path] = parseAllDocuments(content).map((d) => d.toJS());
  }
  return out;
}

/** Every file under `dir`, by relative path. */
export function readTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const rel = path.relative(dir, path.join(entry.parentPath, entry.name));
    // The synthesis cache ignores itself in git: not part of the tree a user commits.
    if (entry.isFile() && !rel.startsWith(`${CACHE_DIR}${path.sep}`)) out[rel] = fs.readFileSync(path.join(entry.parentPath, entry.name), 'utf8');
  }
  return out;
}

/** Parses a YAML file of one or more documents. */
export function readYaml(file: string): unknown[] {
  return parseAllDocuments(fs.readFileSync(file, 'utf8')).map((d) => d.toJS());
}

/** What Flux applies for `dir`: `kubectl kustomize`, parsed. */
export function kustomize(dir: string): Array<Record<string, any>> {
  const out = execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return parseAllDocuments(out).map((d) => d.toJS());
}

/**
 * Two environments for small apps: development, and production marked as no production
 * environment (no semver, digest or chart pinning), both accepting the default `latest` tag.
 */
export interface TwoEnvironments {
  readonly dev: DitEnvironment;
  readonly prod: DitEnvironment;
}

/** Declares development and production, then applies `mutate`. */
export function twoEnvironments(mutate: (app: GitOpsApp, envs: TwoEnvironments) => void): (app: GitOpsApp) => void {
  return (app) => {
    const dev = new DitEnvironment(app, 'development', { namespace: 'team', domain: 'dev.example.com', imageTagRule: ImageTagRule.any({ allowLatest: true }) });
    const prod = new DitEnvironment(app, 'production', { namespace: 'team', domain: 'example.com', production: false, imageTagRule: ImageTagRule.any({ allowLatest: true }) });
    mutate(app, { dev, prod });
  };
}

/**
 * Synthesizes a valid tree, then `mutate` over it; returns the DitError and asserts that the
 * tree was left exactly as it was.
 */
export function failingSynth(mutate: (app: GitOpsApp, envs: TwoEnvironments) => void): DitError {
  const outdir = tempDir();
  synthInto(outdir, twoEnvironments((app) => {
    new DitApiForTests(app, 'existing');
  }));
  const before = readTree(outdir);
  let caught: unknown;
  try {
    synthInto(outdir, twoEnvironments(mutate));
  } catch (error) {
    caught = error;
  }
  expect(readTree(outdir)).toStrictEqual(before);
  expect(caught).toBeInstanceOf(DitError);
  return caught as DitError;
}

/** A DitApi reachable through Traefik: complete, so it synthesizes on its own. */
class DitApiForTests extends DitApi {
  constructor(app: GitOpsApp, name: string) {
    super(app, name);
    this.connections.allowFrom(Peer.traefik());
  }
}
