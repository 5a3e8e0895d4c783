import { GitOpsApp } from 'dit-gitops';
import { expectConnectionAllowed, expectConnectionDenied, expectTreeToMatchSnapshot, synthTree } from 'dit-gitops/testing';
import { defineTeam } from '../src/main';

const app = new GitOpsApp();
defineTeam(app);
const tree = synthTree(app);

test('the tree is what it was: review the snapshot diff (`npx jest -u` accepts it)', () => {
  expectTreeToMatchSnapshot(tree);
});

test('%%team%%-api reaches its database, and nothing else', () => {
  expectConnectionAllowed(app, tree, { from: '%%team%%-api', to: 'database', port: 5432, environment: '%%firstEnvironment%%' });
  expectConnectionDenied(app, tree, { from: '%%team%%-api', to: 'database', port: 6379, environment: '%%firstEnvironment%%' });
});

// Builds every environment with kubectl kustomize and validates every object strictly
// against the schemas dit-gitops ships (Flux, Cilium, Kubernetes).
test('every environment builds and validates', () => {
  expect(tree).toBeValidTree();
});
