import { validateTree } from 'dit-gitops/testing';

// The kubectl-built validations are whole-process scenarios: test/e2e/validate-tree.test.ts.
describe('validateTree without kubectl', () => {
  it('says so and stops', () => {
    expect(() => validateTree({ 'main/dev/kustomization.yaml': 'resources: []\n' }, { kubectl: '/nonexistent/kubectl' }))
      .toThrow('validateTree: /nonexistent/kubectl (kubectl with kustomize v5) was not found; install it to build the environments');
  });
});
