// The benchmark team: N DitApi components over three environments (development, staging,
// production), each reachable through Traefik and calling the next one, staging with three
// replicas. N comes from $BENCH_COMPONENTS. `npx dit-gitops synth --definitions bench/team.ts`
// and `npx cdk8s synth` (with this file as the app) both run it.
import { DitApi, DitEnvironment, GitOpsApp, Peer, Port, SealedSecret, runSynth } from '../src';

export function defineTeam(app: GitOpsApp): void {
  const count = Number(process.env.BENCH_COMPONENTS ?? 10);
  const envs = ['development', 'staging', 'production'].map((name) => new DitEnvironment(app, name, { namespace: 'bench', domain: `${name}.example.com`, pinImageDigests: false }));
  let previous: DitApi | undefined;
  for (let i = 0; i < count; i++) {
    const api = new DitApi(app, `svc-${i}`, { replicas: 2, image: { tag: 'v1.0.0' }, configs: { INDEX: i }, infisical: { sealedToken: SealedSecret.fromCiphertext('AgBbenchToken') }, ingress: {} });
    api.connections.allowFrom(Peer.traefik(), Port.tcp(8080));
    if (previous) previous.connections.allowTo(api, Port.tcp(8080));
    api.addOverride(envs[1], { replicas: 3 });
    previous = api;
  }
}

export default defineTeam;

if (require.main === module) runSynth(defineTeam);
