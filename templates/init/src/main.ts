import { DitApi, DitEnvironment, GitOpsApp, ImageRegistry, Peer, Port } from 'dit-gitops';

/**
 * The %%team%% team's environments and components. `npm run synth` writes them to
 * dist/, the tree Flux reads; commit dist/ with the change.
 */
export function defineTeam(app: GitOpsApp): void {
  // Where the team's images are pulled from, and the pull secret that opens it: the golden
  // charts, the pods' imagePullSecrets and Flux's image scans all read it. DIT's own CI pushes
  // to its registry: ImageRegistry.of('reg.dev.krd', { pullSecret: 'reg-dev-krd-auth' }).
  app.useRegistry(ImageRegistry.ghcr());
%%environments%%

  // A backend on the golden chart dit-common-api, listening on 8080. CI records each build
  // with `dit-gitops set-image %%team%%-api --env <env> --tag …` in the environment's
  // image.yaml. Production pins images by digest: add it to `environments` once the first
  // release is built, with that release's tag and digest in `overrides.production.image`.
  const api = new DitApi(app, '%%team%%-api', {
    environments: [%%firstDeployments%%],
    // The tag image.yaml starts with; from then on CI's set-image owns it. `latest` is refused:
    // a tag must name one build.
    image: { repository: '%%team%%/%%team%%-api', tag: 'v0.1.0' },
  });
  // Both directions are stated: Traefik may reach the API on 8080; the API may reach its
  // database on 5432. Everything else is denied (DNS is allowed by default).
  api.connections.allowFrom(Peer.traefik(), Port.tcp(8080));
  api.connections.allowTo(Peer.endpoint({ name: 'database', labels: { app: '%%team%%-postgres' } }), Port.tcp(5432));
}

export default defineTeam;
