import { Tree, effectiveDiff, formatEffectiveChange, synthTree } from 'dit-gitops/testing';
import { GitOpsApp, Peer, Port } from 'dit-gitops';
import { defineTeam } from '../../src/main';

// my-api's Traefik rule: port 8080 with no protocol (the egress to users names TCP).
const TRAEFIK_PORT = /- port: "8080"\n(?!\s+protocol)/;

/** The example, then `change` on the app it built. */
function changed(change: (app: GitOpsApp) => void): Tree {
  return synthTree((app) => {
    defineTeam(app);
    change(app);
  });
}

const api = (app: GitOpsApp) => app.components.find((c) => c.name === 'my-api')! as any;
const env = (app: GitOpsApp, name: string) => app.environments.find((e) => e.name === name)!;

describe('effectiveDiff', () => {
  const before = synthTree(defineTeam);

  it('finds nothing between a tree and itself', () => {
    expect(effectiveDiff(before, before)).toStrictEqual([]);
  });

  it('states a replicas change and a new egress rule of one component in one environment', () => {
    const synthesized = changed((app) => {
      api(app).connections.allowTo(Peer.endpoint({ name: 'payments-api', labels: { app: 'payments' } }), Port.any(8000), { environments: [env(app, 'staging')] });
    });
    const after: Tree = { ...synthesized, 'my-api/staging/release.yaml': synthesized['my-api/staging/release.yaml'].replace('replicas: 2', 'replicas: 3') };
    const changes = effectiveDiff(before, after);
    expect(changes).toStrictEqual([{ environment: 'staging', component: 'my-api', objects: ['HelmRelease/my-api'], changes: ['egress + payments-api:8000', 'replicas 2 → 3'] }]);
    expect(changes.map(formatEffectiveChange)).toStrictEqual(['staging my-api: egress + payments-api:8000; replicas 2 → 3']);
  });

  it('merges image.yaml last, as kustomize does: a new tag written by CI shows as image.tag', () => {
    const after: Tree = { ...before, 'users/staging/image.yaml': before['users/staging/image.yaml'].replace('tag: main-5c1d2e3', 'tag: main-aaaaaaa') };
    expect(effectiveDiff(before, after).map(formatEffectiveChange)).toStrictEqual(['staging users: global.image.tag main-5c1d2e3 → main-aaaaaaa']);
  });

  it('a base change shows in every environment; removed rules and ports say so', () => {
    const after: Tree = {
      ...before,
      'my-api/base/release.yaml': before['my-api/base/release.yaml'].replace(TRAEFIK_PORT, '- port: "8081"\n'),
    };
    expect(effectiveDiff(before, after).map(formatEffectiveChange)).toStrictEqual([
      'development my-api: ingress traefik:8080 → traefik:8081',
      'production my-api: ingress traefik:8080 → traefik:8081',
      'staging my-api: ingress traefik:8080 → traefik:8081',
    ]);
  });

  it('names objects added and removed with their component', () => {
    const after: Tree = Object.fromEntries(Object.entries(before).filter(([p]) => !p.startsWith('certs/')).map(([p, c]) => [p, p.startsWith('main/') ? c.replace('  - ../../certs\n', '') : c]));
    expect(effectiveDiff(before, after).map(formatEffectiveChange)).toStrictEqual([
      'development certs: SealedSecret/my-team-tls removed',
      'production certs: SealedSecret/my-team-tls removed',
      'staging certs: SealedSecret/my-team-tls removed',
    ]);
    expect(effectiveDiff(after, before)[0]).toStrictEqual({ environment: 'development', component: 'certs', objects: ['SealedSecret/my-team-tls'], changes: ['SealedSecret/my-team-tls added'] });
  });
});
