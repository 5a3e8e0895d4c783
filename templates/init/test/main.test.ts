import * as fs from 'fs';
import * as path from 'path';
import { GitOpsApp } from 'dit-gitops';
import { Tree, expectConnectionAllowed, expectConnectionDenied, expectTreeToMatchSnapshot, synthTree } from 'dit-gitops/testing';
import { defineTeam } from '../src/main';

const app = new GitOpsApp();
defineTeam(app);
// Each image.yaml belongs to CI (`dit-gitops set-image`) once written: the tree under test
// carries the images CI committed, as Flux deploys them, not the first tag src/main.ts gives.
const tree = synthTree(app, { previous: committedImages('dist') });

test('the tree is what it was: review the snapshot diff (`npx jest -u` accepts it)', () => {
  // Every file src/main.ts owns. image.yaml changes with each deploy, so a snapshot of it
  // would fail CI's next run; it is validated below instead.
  expectTreeToMatchSnapshot(withoutImages(tree));
});

test('%%team%%-api reaches its database, and nothing else', () => {
  expectConnectionAllowed(app, tree, { from: '%%team%%-api', to: 'database', port: 5432, environment: '%%firstEnvironment%%' });
  expectConnectionDenied(app, tree, { from: '%%team%%-api', to: 'database', port: 6379, environment: '%%firstEnvironment%%' });
});

// Builds every environment with kubectl kustomize and validates every object strictly
// against the schemas dit-gitops ships (Flux, Cilium, Kubernetes), committed images included.
test('every environment builds and validates', () => {
  expect(tree).toBeValidTree();
});

function isImage(file: string): boolean {
  return path.posix.basename(file) === 'image.yaml';
}

function withoutImages(tree: Tree): Tree {
  return Object.fromEntries(Object.entries(tree).filter(([file]) => !isImage(file)));
}

/** The image.yaml files under `dir` (none before the first synthesis), by tree path. */
function committedImages(dir: string): Tree {
  if (!fs.existsSync(dir)) return {};
  const files = fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => f.split(path.sep).join('/')).filter(isImage);
  return Object.fromEntries(files.map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));
}
