import { GitOpsApp } from 'dit-gitops';
import { Tree, policyDisagreements, synthTree } from 'dit-gitops/testing';
import { defineTeam } from '../../src/main';

// my-api's Traefik rule: port 8080 with no protocol (the egress to users names TCP).
const TRAEFIK_PORT = /- port: "8080"\n(?!\s+protocol)/;

describe('policyDisagreements', () => {
  const app = new GitOpsApp({ outdir: 'unused' });
  defineTeam(app);
  const tree = synthTree(app);

  it('finds none in the example: chart values and standalone policies carry what the model states', () => {
    expect(['development', 'staging', 'production'].flatMap((env) => policyDisagreements(app, tree, env))).toStrictEqual([]);
  });

  it('names the component, environment and direction of a hand-edited rule, in chart values and in a standalone policy', () => {
    const edited: Tree = {
      ...tree,
      'my-api/base/release.yaml': tree['my-api/base/release.yaml'].replace(TRAEFIK_PORT, '- port: "8081"\n'),
      'api-docs/network-policy.yaml': tree['api-docs/network-policy.yaml'].replace('- port: "8080"', '- port: "9999"'),
    };
    const found = policyDisagreements(app, edited, 'staging');
    expect(found.map((line) => line.split(':')[0])).toStrictEqual(['my-api [staging] ingress', 'api-docs [staging] ingress']);
    expect(found[0]).toMatch(/"port":"8080".*but the tree renders .*"port":"8081"/);
  });
});
