import { existsSync } from 'fs';
import { effectiveRelease, expectTreeToMatchSnapshot, synthTree } from 'dit-gitops/testing';
import { defineTeam } from '../../src/main';
const schemas = '../shared/schemas'; // JSON schemas in kubeconform's layout
(existsSync(schemas) ? test : test.skip)('my team synthesizes a valid tree (needs ../shared/schemas)', () => {
  const tree = synthTree(defineTeam);
  expectTreeToMatchSnapshot(tree);
  expect(effectiveRelease(tree, 'my-api', 'staging').spec.values.replicas).toBe(2);
  expect(tree).toBeValidTree({ schemas });
});
