import { effectiveRelease, expectTreeToMatchSnapshot, synthTree } from 'dit-gitops/testing';
import { defineTeam } from '../../src/main';

test('my team synthesizes a valid tree', () => {
  const tree = synthTree(defineTeam);
  expectTreeToMatchSnapshot(tree);
  expect(effectiveRelease(tree, 'my-api', 'staging').spec.values.replicas).toBe(2);
  expect(tree).toBeValidTree();
});
