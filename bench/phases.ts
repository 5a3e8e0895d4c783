// One synthesis in phases, in-process, for `npm run bench -- --profile`: loading the library,
// running the definitions, planning (validate and render every file), and writing (compare
// with the disk, write what changed). Prints JSON: milliseconds per phase, full then no-op.
import * as fs from 'fs';
import * as path from 'path';
import { performance } from 'perf_hooks';

const outdir = process.argv[2];
const t0 = performance.now();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const lib = require('../src') as typeof import('../src');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { defineTeam } = require('./team') as typeof import('./team');
const loaded = performance.now() - t0;

function once(): Record<string, number> {
  const a = performance.now();
  const app = new lib.GitOpsApp({ outdir });
  defineTeam(app);
  const b = performance.now();
  const files = app.plan();
  const c = performance.now();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { writeTree } = require('../src/tree/tree-writer') as typeof import('../src/tree/tree-writer');
  writeTree(outdir, files, app.isPrunable);
  const d = performance.now();
  return { define: b - a, plan: c - b, write: d - c };
}

fs.rmSync(path.resolve(outdir), { recursive: true, force: true });
const full = once();
const noop = once();
console.log(JSON.stringify({ load: loaded, full, noop }));
