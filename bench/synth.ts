// Synthesis speed at team scale: N components over three environments, first write and a
// no-change rewrite. Run with `npm run bench` (not part of the tests: timings are not asserted).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { DitApi, DitEnvironment, GitOpsApp, Peer, Port, formatSummary } from '../src';

function build(outdir: string, count: number): GitOpsApp {
  const app = new GitOpsApp({ outdir });
  const envs = ['development', 'staging', 'production'].map((name) => new DitEnvironment(app, name, { namespace: 'bench', domain: `${name}.example.com`, pinImageDigests: false }));
  let previous: DitApi | undefined;
  for (let i = 0; i < count; i++) {
    const api = new DitApi(app, `svc-${i}`, { replicas: 2, image: { tag: 'v1.0.0' }, configs: { INDEX: i }, infisical: {}, ingress: {} });
    api.connections.allowFrom(Peer.traefik(), Port.tcp(8080));
    if (previous) previous.connections.allowTo(api, Port.tcp(8080));
    api.addOverride(envs[1], { replicas: 3 });
    previous = api;
  }
  return app;
}

function time<T>(fn: () => T): [T, number] {
  const start = performance.now();
  const result = fn();
  return [result, performance.now() - start];
}

for (const count of [10, 100, 400]) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dit-bench-'));
  const [first, firstMs] = time(() => build(dir, count).synth());
  const [second, secondMs] = time(() => build(dir, count).synth());
  console.log(`${String(count).padStart(4)} components: first ${firstMs.toFixed(0)} ms (${formatSummary(first)}); again ${secondMs.toFixed(0)} ms (${formatSummary(second)})`);
  fs.rmSync(dir, { recursive: true, force: true });
}
