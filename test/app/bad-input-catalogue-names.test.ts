import { ChartSource, DitApi, DitClient, DitEnvironment, DitGateway, DitHelmChart, DitManifests, FluxCluster, GitOpsApp, Peer, Port } from '../../src';
import { CatalogueCase, api, catalogue } from '../catalogue';

const chart = (app: GitOpsApp, name: string, props: Partial<ConstructorParameters<typeof DitHelmChart>[2]> = {}) => {
  const c = new DitHelmChart(app, name, { source: ChartSource.helmRepository('https://charts.example.com'), ...props });
  c.connections.allowFrom(Peer.traefik());
  return c;
};
const env = (app: GitOpsApp, id: string, props: Partial<ConstructorParameters<typeof DitEnvironment>[2]> = {}) =>
  new DitEnvironment(app, id, { namespace: 'team', domain: `${id}.example.com`, ...props });

// Names, environments, references and what must be unique: the rules of the API server, Helm
// and the tree itself.
export const CASES: CatalogueCase[] = [
  { name: 'a component name with upper case and _', define: (app) => { api(app, 'My_Api'); }, expected: 'My_Api name: got "My_Api"; expected a DNS-1123 label: at most 63 lowercase letters, digits and \'-\', starting and ending with a letter or digit' },
  { name: 'a component name over 63 characters', define: (app) => { api(app, 'a'.repeat(64)); }, expected: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa name: got "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"; expected a DNS-1123 label: at most 63 lowercase letters, digits and \'-\', starting and ending with a letter or digit' },
  { name: 'a component name ending in -', define: (app) => { api(app, 'api-'); }, expected: 'api- name: got "api-"; expected a DNS-1123 label: at most 63 lowercase letters, digits and \'-\', starting and ending with a letter or digit' },
  { name: 'a component name over Helm\'s 53 characters', define: (app) => { api(app, 'a'.repeat(54)); }, expected: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa name: got "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" (54 characters); expected a Helm release name: at most 53 lowercase letters, digits, \'-\' and \'.\', starting and ending with a letter or digit' },
  { name: 'a releaseName Helm refuses', define: (app) => { api(app, 'users', { releaseName: 'Users_API!' }); }, expected: 'users releaseName: got "Users_API!"; expected a Helm release name: at most 53 lowercase letters, digits, \'-\' and \'.\', starting and ending with a letter or digit' },
  { name: 'a releaseName over 53 characters', define: (app) => { api(app, 'users', { releaseName: `users-${'x'.repeat(50)}` }); }, expected: 'users releaseName: got "users-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" (56 characters); expected a Helm release name: at most 53 lowercase letters, digits, \'-\' and \'.\', starting and ending with a letter or digit' },
  { name: 'two components with one releaseName', define: (app) => { api(app, 'users', { releaseName: 'users-api' }); api(app, 'users-v2', { releaseName: 'users-api' }); }, expected: 'users-v2 releaseName: got "users-api", which is also the Helm release of users in namespace team; expected one release name per namespace (the two HelmReleases would fight over one release)' },
  { name: 'a releaseName that is another component\'s name', define: (app) => { api(app, 'users'); api(app, 'accounts', { releaseName: 'users' }); }, expected: 'accounts releaseName: got "users", which is also the Helm release of users in namespace team; expected one release name per namespace (the two HelmReleases would fight over one release)' },
  { name: 'two components with one id', define: (app) => { api(app, 'api'); api(app, 'api'); }, expected: 'api name: is used by two components; expected one component per name (it is their directory and release name)' },
  { name: 'two components with one name and different ids', define: (app) => { api(app, 'api'); api(app, 'api-2', { name: 'api' }); }, expected: 'api name: is used by two components; expected one component per name (it is their directory and release name)' },
  { name: 'a component named main', define: (app) => { api(app, 'main'); }, expected: 'main name: is reserved for the environment aggregators (dist/main); expected another name' },
  { name: 'a component whose files collide with the cluster\'s', define: (app) => {
    new FluxCluster(app, 'cluster', { name: 'team', git: { url: 'ssh://git@github.com/team/gitops', secretRef: 'deploy-key' } });
    new DitManifests(app, 'clusters', { manifests: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }] });
  }, expected: [
    'clusters name: renders clusters/development/kustomization.yaml, which FluxCluster cluster renders too; expected names that give every component, environment and cluster its own files',
    'clusters name: renders clusters/production/kustomization.yaml, which FluxCluster cluster renders too; expected names that give every component, environment and cluster its own files',
  ] },
  { name: 'two FluxClusters', define: (app) => {
    new FluxCluster(app, 'a', { name: 'team', git: { url: 'ssh://git@github.com/team/gitops', secretRef: 'deploy-key' } });
    new FluxCluster(app, 'b', { name: 'team', git: { url: 'ssh://git@github.com/team/gitops', secretRef: 'deploy-key' } });
  }, expected: 'GitOpsApp FluxCluster: 2 declared; expected one (it is the GitRepository every environment syncs from)' },
  { name: 'an app without environments', bare: true, define: (app) => { api(app); }, expected: 'GitOpsApp environments: none declared; expected at least one DitEnvironment' },
  { name: 'an environment name with upper case', bare: true, define: (app) => { env(app, 'Staging', { domain: 'staging.example.com' }); }, expected: 'environment Staging name: got "Staging"; expected a DNS-1123 label: at most 63 lowercase letters, digits and \'-\', starting and ending with a letter or digit' },
  { name: 'an environment namespace with upper case', bare: true, define: (app) => { env(app, 'staging', { namespace: 'Team' }); }, expected: 'environment staging namespace: got "Team"; expected a DNS-1123 label: at most 63 lowercase letters, digits and \'-\', starting and ending with a letter or digit' },
  { name: 'an environment namespace over 63 characters', bare: true, define: (app) => { env(app, 'staging', { namespace: 'n'.repeat(64) }); }, expected: 'environment staging namespace: got "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn"; expected a DNS-1123 label: at most 63 lowercase letters, digits and \'-\', starting and ending with a letter or digit' },
  { name: 'an environment domain that is a URL', bare: true, define: (app) => { env(app, 'staging', { domain: 'https://example.com' }); }, expected: 'environment staging domain: got "https://example.com"; expected a DNS-1123 subdomain such as staging.example.com' },
  { name: 'an environment domain with a space', bare: true, define: (app) => { env(app, 'staging', { domain: 'staging example.com' }); }, expected: 'environment staging domain: got "staging example.com"; expected a DNS-1123 subdomain such as staging.example.com' },
  { name: 'two environments with one name and different ids', bare: true, define: (app) => { env(app, 'a', { name: 'staging' }); env(app, 'b', { name: 'staging' }); }, expected: 'environment staging name: is declared twice; expected one environment per name' },
  { name: 'a component with an environment\'s id', define: (app) => { api(app, 'development'); }, expected: 'development name: is also the construct id of a DitEnvironment; expected an id no other construct of the app uses' },
  { name: 'an environment with a component\'s id', bare: true, define: (app) => { api(app, 'staging'); env(app, 'staging'); }, expected: 'environment staging name: is also the construct id of a DitApi; expected an id no other construct of the app uses' },
  { name: 'two environments with one id', bare: true, define: (app) => { env(app, 'staging'); env(app, 'staging'); }, expected: 'environment staging name: is declared twice; expected one environment per name' },
  { name: 'an empty environment list', define: (app) => { api(app, 'api', { environments: [] }); }, expected: 'api environments: got []; expected at least one environment, or no environments prop to deploy in every environment' },
  { name: 'an environment of another app', define: (app) => { api(app, 'api', { environments: [env(new GitOpsApp(), 'qa')] }); }, expected: 'api environments: names environment qa, which is not part of this app; expected one of development, production' },
  { name: 'an override for an environment the component is not in', define: (app, { dev }) => { api(app, 'api', { environments: [dev], overrides: { production: { replicas: 2 } } }); }, expected: 'api [production] overrides.production: api is not deployed in production; expected one of development' },
  { name: 'an override for an environment that does not exist', define: (app) => { api(app, 'api', { overrides: { staging: { replicas: 2 } } }); }, expected: 'api [staging] overrides.staging: api is not deployed in staging; expected one of development, production' },
  { name: 'two overrides for one environment', define: (app, { dev }) => { api(app, 'api').addOverride(dev, { replicas: 2 }).addOverride('development', { replicas: 3 }); }, expected: 'api overrides: already has an override for environment development; expected one override per environment' },
  { name: 'dependsOn a component outside the app', define: (app) => {
    const other = chart(new GitOpsApp(), 'rabbitmq');
    api(app, 'api', { dependsOn: [other] });
  }, expected: 'api dependsOn.rabbitmq: rabbitmq is not a component of this app; expected one of api' },
  { name: 'dependsOn a release not deployed in that environment', define: (app, { dev }) => {
    const db = chart(app, 'db', { environments: [dev] });
    api(app, 'api', { dependsOn: [db] });
  }, expected: 'api [production] dependsOn.db: db is not deployed in production; expected a release of the same environment' },
  { name: 'a dependsOn cycle', define: (app) => {
    const a = api(app, 'a');
    api(app, 'b', { dependsOn: [a] });
    a.addOverride('development', { dependsOn: [app.node.findChild('b') as DitApi] });
  }, expected: 'a [development] dependsOn: forms a cycle (a -> b -> a); expected dependencies that end somewhere' },
  { name: 'a connection to a component outside the app', define: (app) => {
    const other = new DitApi(new GitOpsApp(), 'billing');
    api(app, 'api').connections.allowTo(other, Port.tcp(8080));
  }, expected: 'api connections.allowTo(billing): billing is not a component of this app; expected one of api' },
  { name: 'podLabels that select every pod', define: (app) => { api(app, 'api', { podLabels: {} }); }, expected: 'api podLabels: is empty, which selects every pod of the namespace; expected at least one label' },
  { name: 'a podLabels key with two slashes', define: (app) => { api(app, 'api', { podLabels: { 'example.com/a/b': 'x' } }); }, expected: 'api podLabels.example.com/a/b: key "example.com/a/b" is not a valid label key; expected [prefix/]name: an optional DNS-1123 subdomain prefix (at most 253) and a name of at most 63 letters, digits, \'-\', \'_\' and \'.\', starting and ending with a letter or digit' },
  { name: 'a podLabels key with a bad prefix', define: (app) => { api(app, 'api', { podLabels: { 'Example_Com/app': 'x' } }); }, expected: 'api podLabels.Example_Com/app: key "Example_Com/app" has an invalid prefix; expected [prefix/]name: an optional DNS-1123 subdomain prefix (at most 253) and a name of at most 63 letters, digits, \'-\', \'_\' and \'.\', starting and ending with a letter or digit' },
  { name: 'a podLabels key name over 63 characters', define: (app) => { api(app, 'api', { podLabels: { ['k'.repeat(64)]: 'x' } }); }, expected: 'api podLabels.kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk: key "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk" is not a valid label key; expected [prefix/]name: an optional DNS-1123 subdomain prefix (at most 253) and a name of at most 63 letters, digits, \'-\', \'_\' and \'.\', starting and ending with a letter or digit' },
  { name: 'a podLabels value with a space', define: (app) => { api(app, 'api', { podLabels: { app: 'my api' } }); }, expected: 'api podLabels.app: value "my api" is not a valid label value; expected at most 63 letters, digits, \'-\', \'_\' and \'.\', starting and ending with a letter or digit (or empty)' },
  { name: 'a podLabels value over 63 characters', define: (app) => { api(app, 'api', { podLabels: { app: 'v'.repeat(64) } }); }, expected: 'api podLabels.app: value "vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv" is not a valid label value; expected at most 63 letters, digits, \'-\', \'_\' and \'.\', starting and ending with a letter or digit (or empty)' },
  { name: 'two components with one pod selector', define: (app) => { api(app, 'a', { podLabels: { app: 'web' } }); api(app, 'b', { podLabels: { app: 'web' } }); }, expected: 'b podLabels: {"app":"web"} also selects the pods of a (podLabels {"app":"web"}) in namespace team; expected labels that select this component\'s pods only' },
  { name: 'a pod selector that also selects another component\'s pods', define: (app) => {
    api(app, 'a', { podLabels: { team: 'x' } });
    api(app, 'b', { podLabels: { team: 'x', app: 'b' } });
  }, expected: 'a podLabels: {"team":"x"} also selects the pods of b (podLabels {"team":"x","app":"b"}) in namespace team; expected labels that select this component\'s pods only' },
  { name: 'two ingresses on one host and path', define: (app) => {
    new DitClient(app, 'web', { ingress: { subdomain: 'app' } }).connections.allowFrom(Peer.traefik()).denyAllEgress();
    new DitClient(app, 'web-v2', { ingress: { subdomain: 'app' } }).connections.allowFrom(Peer.traefik()).denyAllEgress();
  }, expected: [
    'web-v2 [development] ingress.subdomain: host app.dev.example.com path / is also served by web; expected one component per host and path',
    'web-v2 [production] ingress.subdomain: host app.example.com path / is also served by web; expected one component per host and path',
  ] },
  { name: 'an ingress on the gateway host', define: (app) => {
    new DitGateway(app, 'gateway').connections.allowFrom(Peer.traefik());
    new DitClient(app, 'web', { ingress: { host: 'api.example.com' } }).connections.allowFrom(Peer.traefik()).denyAllEgress();
  }, expected: 'web [production] ingress.host: host api.example.com path / is also served by gateway; expected one component per host and path' },
];

catalogue('bad-input catalogue: names, environments, references, uniqueness', CASES);
