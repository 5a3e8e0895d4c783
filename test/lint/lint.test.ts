import { LintRule, formatLintFindings, lintNetworkPolicy, lintRendered } from '../../src';
import { edited, goodDeployment, goodPolicy, rendered } from './fixtures';

const policyFindings = (...objects: object[]) => {
  const all = rendered(objects as never);
  return all.flatMap((o) => lintNetworkPolicy(o, all));
};

describe('network policy rule', () => {
  it('a default-deny policy stating both directions selects the pods', () => {
    expect(policyFindings(goodDeployment(), goodPolicy())).toStrictEqual([]);
  });

  it('no policy selects the pods', () => {
    expect(policyFindings(goodDeployment())).toStrictEqual([{
      component: 'api', environment: 'production', object: 'Deployment/api', rule: LintRule.NETWORK_POLICY,
      message: 'no CiliumNetworkPolicy selects its pods (app.kubernetes.io/instance=api, app.kubernetes.io/name=dit-common-api); expected a default-deny policy with ingress and egress',
    }]);
  });

  it('a policy in another namespace, or for other labels, selects nothing', () => {
    expect(policyFindings(goodDeployment(), edited(goodPolicy(), (p) => { p.metadata.namespace = 'other'; }))).toHaveLength(1);
    expect(policyFindings(goodDeployment(), edited(goodPolicy(), (p) => { p.spec.endpointSelector.matchLabels = { 'app.kubernetes.io/instance': 'web' }; }))).toHaveLength(1);
    expect(policyFindings(goodDeployment(), edited(goodPolicy(), (p) => { p.spec.endpointSelector = { matchExpressions: [{ key: 'app.kubernetes.io/instance', operator: 'In', values: ['api'] }] }; }))).toStrictEqual([]);
  });

  it('a policy stating ingress only', () => {
    const ingressOnly = edited(goodPolicy(), (p) => { delete p.spec.egress; delete p.spec.enableDefaultDeny; });
    expect(policyFindings(goodDeployment(), ingressOnly).map((f) => f.message)).toStrictEqual(['the CiliumNetworkPolicies selecting its pods (CiliumNetworkPolicy/api) state no egress; expected both directions']);
    const egressElsewhere = edited(goodPolicy(), (p) => { p.metadata.name = 'egress'; delete p.spec.ingress; delete p.spec.enableDefaultDeny; });
    expect(policyFindings(goodDeployment(), ingressOnly, egressElsewhere)).toStrictEqual([]);
  });

  it('default deny switched off is no stated direction', () => {
    const off = edited(goodPolicy(), (p) => { p.spec.enableDefaultDeny.egress = false; });
    expect(policyFindings(goodDeployment(), off).map((f) => f.message)).toStrictEqual(['the CiliumNetworkPolicies selecting its pods (CiliumNetworkPolicy/api) state no egress; expected both directions']);
  });
});

describe('lintRendered', () => {
  it('every rule over the environment, sorted, one line each', () => {
    const bad = edited(goodDeployment(), (o) => { o.spec.template.spec.hostNetwork = true; o.spec.template.spec.containers[0].image = 'team/api:latest'; });
    const findings = lintRendered(rendered([bad]), { pinImageDigests: true });
    expect(findings.map((f) => f.rule)).toStrictEqual([LintRule.HOST_ACCESS, LintRule.IMAGE_DIGEST, LintRule.IMAGE_TAG, LintRule.NETWORK_POLICY]);
    expect(formatLintFindings(findings).split('\n')[0]).toBe('api [production] Deployment/api host-access: spec.hostNetwork is true; expected the pod in its own namespaces');
  });
});
