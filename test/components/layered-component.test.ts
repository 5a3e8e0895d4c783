import { GitOpsApp } from '../../src';
import { LayeredComponent } from '../../src/components/layered-component';
import { checkPolicyComplete, renderCiliumPolicy } from '../../src/network/network-policy';
import { defineTeam } from '../../src/main';

jest.mock('../../src/network/network-policy', () => {
  const actual = jest.requireActual('../../src/network/network-policy');
  return { ...actual, renderCiliumPolicy: jest.fn(actual.renderCiliumPolicy), checkPolicyComplete: jest.fn(actual.checkPolicyComplete) };
});

describe('LayeredComponent network policies', () => {
  it('renders each component\'s policy once per environment and once for the base in a plan', () => {
    const app = new GitOpsApp({ outdir: 'unused' });
    defineTeam(app);
    app.plan();
    const environments = app.environments;
    const withPolicy = app.components.filter((c) => c instanceof LayeredComponent && c.hasNetworkPolicy);
    const calls = (renderCiliumPolicy as jest.Mock).mock.calls.map(([, scope]) => `${scope.component}/${scope.environment?.name ?? 'base'}`);
    expect(calls.sort()).toStrictEqual(withPolicy.flatMap((c) => ['base', ...c.deployedIn(environments).map((e) => e.name)].map((e) => `${c.name}/${e}`)).sort());
    // The completeness check reads the plan's policies instead of rendering its own.
    expect((checkPolicyComplete as jest.Mock).mock.calls.map((call) => typeof call[3])).toStrictEqual(withPolicy.map(() => 'function'));
  });
});
