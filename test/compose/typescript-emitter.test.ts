import * as path from 'path';
import { transformSync } from '@swc/core';
import * as lib from '../../src';
import { ComposeProject, GitOpsApp, emitTypeScript, loadCompose, readSources, transformCompose } from '../../src';
import { synthTree } from '../../src/testing';

const SHOP = path.join(__dirname, 'fixtures', 'shop', 'docker-compose.yml');
const OPTIONS = { project: 'shop', domain: 'shop.example.com' };

/** Runs emitted TypeScript as a module whose `dit-gitops` is this checkout's src/. */
function definitionsOf(code: string): (app: GitOpsApp) => void {
  const js = transformSync(code, { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }).code;
  const mod = { exports: {} as { defineTeam?: (app: GitOpsApp) => void } };
  const load = (id: string) => {
    if (id !== 'dit-gitops') throw new Error(`the emitted file imports ${id}; expected only dit-gitops`);
    return lib;
  };
  new Function('require', 'module', 'exports', js)(load, mod, mod.exports);
  return mod.exports.defineTeam!;
}

describe('emitTypeScript', () => {
  const sources = readSources([SHOP]);
  const code = emitTypeScript(transformCompose(loadCompose(sources), OPTIONS), { sources: ['docker-compose.yml'] });

  test('the imported file synthesizes to the same tree as the ComposeProject construct', () => {
    const constructApp = new GitOpsApp();
    new ComposeProject(constructApp, 'shop', { compose: sources, ...OPTIONS });
    const importedApp = new GitOpsApp();
    definitionsOf(code)(importedApp);
    expect(synthTree(importedApp)).toStrictEqual(synthTree(constructApp));
  });

  test('the whole file', () => {
    expect(code).toMatchSnapshot();
  });

  test('names that are no identifiers, nginx environments and UDP ports come out as valid TypeScript with the same tree', () => {
    const compose = { files: [{ file: 'c.yml', content: `
services:
  default: { image: "nginx:1.27.0@sha256:${'d'.repeat(64)}", networks: [ingress], ports: ["53:53/udp", "80"] }
  web-ui: { image: "nginx:1.27.0@sha256:${'d'.repeat(64)}", networks: [ingress], depends_on: [default] }
` }] };
    const options = { project: 'p', domain: 'p.example.com', environments: [{ name: 'staging', ingressClassName: 'nginx' }, { name: 'production' }] };
    const emitted = emitTypeScript(transformCompose(loadCompose(compose), options), { sources: ['c.yml'] });
    expect(emitted).toMatch(/const defaultComponent = new DitClient\(app, 'default'/);
    expect(emitted).toMatch(/const webUi = new DitClient\(app, 'web-ui'/);
    // The TCP port first: the charts' first port is the one probes and the Ingress use.
    expect(emitted).toMatch(/ports: \[Port\.tcp\(80\), Port\.udp\(53\)\]/);
    expect(emitted).toMatch(/defaultComponent\.connections\.allowFrom\(ingressNginx, Port\.tcp\(80\), \{ environments: \[staging\] \}\);/);
    const a = new GitOpsApp();
    new ComposeProject(a, 'p', { compose, ...options });
    const b = new GitOpsApp();
    definitionsOf(emitted)(b);
    expect(synthTree(b)).toStrictEqual(synthTree(a));
  });

  test('x-dit.allowLatest prints the staging rule it needs, and synthesizes the same tree', () => {
    const compose = { files: [{ file: 'c.yml', content: 'services:\n  preview:\n    build: .\n    ports: ["8080"]\n    x-dit: { allowLatest: true }\n' }] };
    const options = { project: 'p', domain: 'p.example.com' };
    const emitted = emitTypeScript(transformCompose(loadCompose(compose), options), { sources: ['c.yml'] });
    expect(emitted.split('\n').filter((l) => /new DitEnvironment|^import/.test(l))).toStrictEqual([
      "import { DitApi, DitEnvironment, GitOpsApp, ImageTagRule, Peer, Port, runSynth } from 'dit-gitops';",
      "  const staging = new DitEnvironment(app, 'staging', {",
      "  const production = new DitEnvironment(app, 'production', { namespace: 'p-production', domain: 'p.example.com', production: true, pinImageDigests: true });",
    ]);
    expect(emitted).toContain('    imageTagRule: ImageTagRule.any({ allowLatest: true }),\n');
    const a = new GitOpsApp();
    new ComposeProject(a, 'p', { compose, ...options });
    const b = new GitOpsApp();
    definitionsOf(emitted)(b);
    expect(synthTree(b)).toStrictEqual(synthTree(a));
    expect(Object.keys(synthTree(a)).filter((f) => f.startsWith('preview/'))).toStrictEqual(['preview/base/kustomization.yaml', 'preview/base/release.yaml', 'preview/production/image.yaml', 'preview/production/kustomization.yaml', 'preview/production/release.yaml', 'preview/staging/image.yaml', 'preview/staging/kustomization.yaml', 'preview/staging/release.yaml']);
  });
});
