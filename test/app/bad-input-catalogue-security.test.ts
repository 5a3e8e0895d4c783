import { ChartSource, DitEnvironment, DitHelmChart, DitHelmChartProps, DitManifests, DitManifestsProps, GitOpsApp, Peer, Port, SecurityRelaxation } from '../../src';
import { CatalogueCase, api, catalogue } from '../catalogue';

const DIGEST = 'sha256:570965b16c53e7fe6c48d50d8601a8cd2327143dba14412692a5b8fc2c119bf9';
const IMAGE = `ghcr.io/team/web:v1.0.0@${DIGEST}`;

function deployment(pod: Record<string, unknown> = {}, container: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: {
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { securityContext: { runAsNonRoot: true }, ...pod, containers: [{ name: 'web', image: IMAGE, ...container }] },
      },
    },
  };
}
const raw = (app: GitOpsApp, objects: Array<Record<string, unknown>>, props: DitManifestsProps = {}) => {
  const m = new DitManifests(app, 'raw', { manifests: objects, ...props });
  m.connections.allowFrom(Peer.traefik(), Port.tcp(8080)).denyAllEgress();
  return m;
};
const chart = (app: GitOpsApp, props: Partial<DitHelmChartProps> = {}) => {
  const c = new DitHelmChart(app, 'rabbitmq', { source: ChartSource.helmRepository('oci://registry-1.docker.io/bitnamicharts'), ports: [Port.tcp(5672)], ...props });
  c.connections.allowFrom(Peer.traefik());
  return c;
};
const production = (app: GitOpsApp) => new DitEnvironment(app, 'production', { namespace: 'team', domain: 'example.com' });
const configMap = (data: Record<string, string>, annotations?: Record<string, string>) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'config', ...(annotations ? { annotations } : {}) }, data });

// Security defaults: protected values, the opt-out, raw manifests and third-party charts.
export const CASES: CatalogueCase[] = [
  { name: 'a securityContext through extraValues', define: (app) => { api(app, 'api', { extraValues: { securityContext: { runAsUser: 0, privileged: true } } }); }, expected: 'api extraValues.securityContext: got {"runAsUser":0,"privileged":true}, which sets the security context the typed securityContext field sets, a protected security default; expected it left out, or securityOptOut: { reason: \'…\', allow: [SecurityRelaxation.SECURITY_CONTEXT_VALUES] } on the component' },
  { name: 'a podSecurityContext through extraValues', define: (app) => { api(app, 'api', { extraValues: { podSecurityContext: { fsGroup: 0 } } }); }, expected: 'api extraValues.podSecurityContext: got {"fsGroup":0}, which sets the pod security context, a protected security default; expected it left out, or securityOptOut: { reason: \'…\', allow: [SecurityRelaxation.SECURITY_CONTEXT_VALUES] } on the component' },
  { name: 'the network policy disabled through extraValues', define: (app) => { api(app, 'api', { extraValues: { ciliumNetworkPolicy: { enabled: false } } }); }, expected: 'api extraValues.ciliumNetworkPolicy: got {"enabled":false}, which sets the network policy the connections render, a protected security default; expected it left out, or securityOptOut: { reason: \'…\', allow: [SecurityRelaxation.NETWORK_POLICY_VALUES] } on the component' },
  { name: 'a privileged sidecar through extraValues', define: (app) => { api(app, 'api', { extraValues: { sidecar: { privileged: true } } }); }, expected: 'api extraValues.sidecar.privileged: got true, which sets a privileged container, a protected security default; expected it left out, or securityOptOut: { reason: \'…\', allow: [SecurityRelaxation.PRIVILEGED] } on the component' },
  { name: 'hostNetwork through extraValues', define: (app) => { api(app, 'api', { extraValues: { hostNetwork: true } }); }, expected: 'api extraValues.hostNetwork: got true, which sets the node\'s network namespace, a protected security default; expected it left out, or securityOptOut: { reason: \'…\', allow: [SecurityRelaxation.HOST_NETWORK] } on the component' },
  { name: 'hostPID through an environment override', define: (app) => { api(app, 'api', { overrides: { production: { extraValues: { hostPID: true } } } }); }, expected: 'api [production] extraValues.hostPID: got true, which sets the node\'s process namespace, a protected security default; expected it left out, or securityOptOut: { reason: \'…\', allow: [SecurityRelaxation.HOST_PID] } on the component' },
  { name: 'added capabilities through extraValues', define: (app) => { api(app, 'api', { extraValues: { worker: { capabilities: { add: ['NET_ADMIN'] } } } }); }, expected: 'api extraValues.worker.capabilities: got {"add":["NET_ADMIN"]}, which sets added Linux capabilities, a protected security default; expected it left out, or securityOptOut: { reason: \'…\', allow: [SecurityRelaxation.ADDED_CAPABILITIES] } on the component' },
  { name: 'a root user deep in extraValues', define: (app) => { api(app, 'api', { extraValues: { jobs: [{ runAsUser: 0 }] } }); }, expected: 'api extraValues.jobs[0].runAsUser: got 0, which sets a container running as root, a protected security default; expected it left out, or securityOptOut: { reason: \'…\', allow: [SecurityRelaxation.RUN_AS_ROOT] } on the component' },
  { name: 'a hostPath volume through extraValues', define: (app) => { api(app, 'api', { extraValues: { extraVolumes: [{ name: 'docker', hostPath: { path: '/var/run/docker.sock' } }] } }); }, expected: 'api extraValues.extraVolumes[0].hostPath: got {"path":"/var/run/docker.sock"}, which sets a volume from the node\'s file system, a protected security default; expected it left out, or securityOptOut: { reason: \'…\', allow: [SecurityRelaxation.HOST_PATH] } on the component' },
  { name: 'an opt-out that relaxes something else', define: (app) => {
    api(app, 'api', { extraValues: { hostNetwork: true }, securityOptOut: { reason: 'the agent reads node metrics', allow: [SecurityRelaxation.HOST_PID] } });
  }, expected: 'api extraValues.hostNetwork: got true, which sets the node\'s network namespace, a protected security default; expected it left out, or securityOptOut: { reason: \'…\', allow: [SecurityRelaxation.HOST_NETWORK] } on the component' },
  { name: 'an opt-out without a reason', define: (app) => { api(app, 'api', { securityOptOut: { reason: '', allow: [SecurityRelaxation.HOST_PID] } }); }, expected: 'api securityOptOut.reason: got ""; expected a sentence (at least 10 characters) saying why the defaults do not fit, for reviewers' },
  { name: 'an opt-out that relaxes nothing', define: (app) => { api(app, 'api', { securityOptOut: { reason: 'the agent reads node metrics', allow: [] } }); }, expected: 'api securityOptOut.allow: got []; expected at least one SecurityRelaxation' },
  { name: 'an opt-out with an unknown relaxation', define: (app) => { api(app, 'api', { securityOptOut: { reason: 'the agent reads node metrics', allow: ['everything' as SecurityRelaxation] } }); }, expected: 'api securityOptOut.allow[0]: got "everything"; expected one of run-as-root, privileged, privilege-escalation, added-capabilities, host-network, host-pid, host-ipc, host-path, security-context-values, network-policy-values' },
  { name: 'a third-party chart that runs privileged', define: (app) => { chart(app, { values: { primary: { containerSecurityContext: { privileged: true } } } }); }, expected: 'rabbitmq values.primary.containerSecurityContext.privileged: got true, which sets a privileged container, a protected security default; expected it left out, or securityOptOut: { reason: \'…\', allow: [SecurityRelaxation.PRIVILEGED] } on the component' },
  { name: 'a third-party chart that runs as root in one environment', define: (app) => { chart(app, { overrides: { development: { values: { containerSecurityContext: { runAsUser: 0 } } } } }); }, expected: 'rabbitmq [development] values.containerSecurityContext.runAsUser: got 0, which sets a container running as root, a protected security default; expected it left out, or securityOptOut: { reason: \'…\', allow: [SecurityRelaxation.RUN_AS_ROOT] } on the component' },
  { name: 'a third-party chart with a password in its values', define: (app) => { chart(app, { values: { auth: { password: 'hunter2' } } }); }, expected: 'rabbitmq values.auth.password: looks like a credential with a literal value, which would be committed in plain text; expected the chart\'s existingSecret-style option pointing at a SealedSecret or an Infisical-managed Secret' },
  { name: 'a third-party chart with existingSecretPassword as a literal', define: (app) => { chart(app, { values: { auth: { existingSecretPassword: 'hunter2' } } }); }, expected: 'rabbitmq values.auth.existingSecretPassword: looks like a credential with a literal value, which would be committed in plain text; expected the chart\'s existingSecret-style option pointing at a SealedSecret or an Infisical-managed Secret' },
  { name: 'a third-party chart with a token in an env list', define: (app) => { chart(app, { values: { extraEnvVars: [{ name: 'GITHUB_TOKEN', value: 'ghp_1' }] } }); }, expected: 'rabbitmq values.extraEnvVars[0].GITHUB_TOKEN: looks like a credential with a literal value, which would be committed in plain text; expected the chart\'s existingSecret-style option pointing at a SealedSecret or an Infisical-managed Secret' },
  { name: 'a chart version that is no semver range', define: (app) => { chart(app, { version: 'latest-stable' }); }, expected: 'rabbitmq version: got "latest-stable", which is not a semver version or range; expected a chart version such as 15.5.3 (or, outside production, a range such as 15.x)' },
  { name: 'an OCI chart semver range that does not parse', define: (app) => {
    chart(app, { source: ChartSource.ociRepository('oci://registry-1.docker.io/bitnamicharts/redis', { semver: 'twenty' }) });
  }, expected: 'rabbitmq source.semver: got "twenty", which is not a semver range; expected a range such as 20.x or >=20.0.0 <21.0.0' },
  { name: 'an OCI chart tag with a space', define: (app) => {
    chart(app, { source: ChartSource.ociRepository('oci://registry-1.docker.io/bitnamicharts/redis', { tag: '20 .1' }) });
  }, expected: 'rabbitmq source.tag: got "20 .1"; expected an OCI tag: letters, digits, \'_\', \'.\' and \'-\', at most 128' },
  { name: 'a chart source interval in words', define: (app) => { chart(app, { source: ChartSource.helmRepository('https://charts.example.com', { interval: '1 hour' }) }); }, expected: 'rabbitmq source.interval: got "1 hour"; expected a Go duration as Flux\'s CRDs accept it: numbers with ms, s, m or h, such as 30s, 10m or 1h30m' },
  { name: 'a production chart on a floating version', bare: true, define: (app) => { production(app); chart(app, { version: '15.x', values: { image: { digest: DIGEST } } }); }, expected: 'rabbitmq [production] version: got "15.x", which is not one exact chart version; expected an exact version such as 15.0.2 in a production environment (a range lets an unreviewed chart in)' },
  { name: 'a production chart on a version range', bare: true, define: (app) => { production(app); chart(app, { version: '>=1.0.0', values: { image: { digest: DIGEST } } }); }, expected: 'rabbitmq [production] version: got ">=1.0.0", which is not one exact chart version; expected an exact version such as 15.0.2 in a production environment (a range lets an unreviewed chart in)' },
  { name: 'a production chart with no version', bare: true, define: (app) => { production(app); chart(app, { values: { image: { digest: DIGEST } } }); }, expected: 'rabbitmq [production] version: got "*", which is not one exact chart version; expected an exact version such as 15.0.2 in a production environment (a range lets an unreviewed chart in)' },
  { name: 'a production OCI chart on a semver range', bare: true, define: (app) => {
    production(app);
    chart(app, { source: ChartSource.ociRepository('oci://registry-1.docker.io/bitnamicharts/redis', { semver: '20.x' }), values: { image: { digest: DIGEST } } });
  }, expected: 'rabbitmq [production] source.semver: got "20.x", which is not one exact chart version; expected an exact version such as 15.0.2 in a production environment (a range lets an unreviewed chart in)' },
  { name: 'a production OCI chart on latest', bare: true, define: (app) => {
    production(app);
    chart(app, { source: ChartSource.ociRepository('oci://registry-1.docker.io/bitnamicharts/redis'), values: { image: { digest: DIGEST } } });
  }, expected: 'rabbitmq [production] source.tag: got "latest", which is not one exact chart version; expected an exact version such as 15.0.2 in a production environment (a range lets an unreviewed chart in)' },
  { name: 'a production chart on its default image', bare: true, define: (app) => { production(app); chart(app, { version: '15.5.3' }); }, expected: 'rabbitmq [production] values.image: is not set, so the chart\'s default image runs unpinned; expected the chart\'s image values pinned by digest in a production environment, such as image: { digest: \'sha256:<64 hex characters>\' }' },
  { name: 'a production chart image with a tag and no digest', bare: true, define: (app) => { production(app); chart(app, { version: '15.5.3', values: { image: { tag: '4.0.5' } } }); }, expected: 'rabbitmq [production] values.image.digest: got nothing, not pinned by digest; expected digest: sha256:<64 hex characters> (or <image>@sha256:…) in a production environment' },
  { name: 'a production chart sidecar image not pinned', bare: true, define: (app) => {
    production(app);
    chart(app, { version: '15.5.3', values: { image: { digest: DIGEST }, metrics: { image: 'bitnami/rabbitmq-exporter:1.0' } } });
  }, expected: 'rabbitmq [production] values.metrics.image: got "bitnami/rabbitmq-exporter:1.0", not pinned by digest; expected digest: sha256:<64 hex characters> (or <image>@sha256:…) in a production environment' },
  { name: 'a raw Secret', define: (app) => { raw(app, [{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' }, stringData: { url: 'x' } }]); }, expected: 'raw Secret/db: is a plain Secret (kind "Secret"), which would be committed in plain text; expected a SealedSecret, an InfisicalSecret or an ExternalSecret' },
  { name: 'a raw Secret in lower case', define: (app) => { raw(app, [{ apiVersion: 'v1', kind: 'secret', metadata: { name: 'db' }, stringData: { url: 'x' } }]); }, expected: 'raw secret/db: is a plain Secret (kind "secret"), which would be committed in plain text; expected a SealedSecret, an InfisicalSecret or an ExternalSecret' },
  { name: 'a raw Secret inside a List', define: (app) => { raw(app, [{ apiVersion: 'v1', kind: 'List', metadata: { name: 'bundle' }, items: [{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' }, data: {} }] }]); }, expected: 'raw List/bundle.items.Secret/db: is a plain Secret (kind "Secret"), which would be committed in plain text; expected a SealedSecret, an InfisicalSecret or an ExternalSecret' },
  { name: 'a privileged container inside a List', define: (app) => {
    raw(app, [{ apiVersion: 'v1', kind: 'List', metadata: { name: 'bundle' }, items: [deployment({}, { securityContext: { privileged: true } })] }]);
  }, expected: 'raw List/bundle.items.Deployment/web.containers.web.securityContext.privileged: got true, which sets a privileged container, a protected security default; expected it left out, or securityOptOut: { reason: \'…\', allow: [SecurityRelaxation.PRIVILEGED] } on the component' },
  { name: 'a raw pod on the host network', define: (app) => { raw(app, [deployment({ hostNetwork: true })]); }, expected: 'raw Deployment/web.spec.template.spec.hostNetwork: got true, which sets the node\'s network namespace, a protected security default; expected it left out, or securityOptOut: { reason: \'…\', allow: [SecurityRelaxation.HOST_NETWORK] } on the component' },
  { name: 'a raw pod in the host PID namespace', define: (app) => { raw(app, [deployment({ hostPID: true })]); }, expected: 'raw Deployment/web.spec.template.spec.hostPID: got true, which sets the node\'s process namespace, a protected security default; expected it left out, or securityOptOut: { reason: \'…\', allow: [SecurityRelaxation.HOST_PID] } on the component' },
  { name: 'a raw pod in the host IPC namespace', define: (app) => { raw(app, [deployment({ hostIPC: true })]); }, expected: 'raw Deployment/web.spec.template.spec.hostIPC: got true, which sets the node\'s IPC namespace, a protected security default; expected it left out, or securityOptOut: { reason: \'…\', allow: [SecurityRelaxation.HOST_IPC] } on the component' },
  { name: 'a raw pod mounting / from the host', define: (app) => { raw(app, [deployment({ volumes: [{ name: 'root', hostPath: { path: '/' } }] })]); }, expected: 'raw Deployment/web.spec.template.spec.volumes.root.hostPath: got {"path":"/"}, which sets a volume from the node\'s file system, a protected security default; expected it left out, or securityOptOut: { reason: \'…\', allow: [SecurityRelaxation.HOST_PATH] } on the component' },
  { name: 'a raw container adding SYS_ADMIN', define: (app) => { raw(app, [deployment({}, { securityContext: { capabilities: { add: ['SYS_ADMIN'] } } })]); }, expected: 'raw Deployment/web.containers.web.securityContext.capabilities.add: got ["SYS_ADMIN"], which sets added Linux capabilities, a protected security default; expected it left out, or securityOptOut: { reason: \'…\', allow: [SecurityRelaxation.ADDED_CAPABILITIES] } on the component' },
  { name: 'a raw container allowing privilege escalation', define: (app) => { raw(app, [deployment({}, { securityContext: { allowPrivilegeEscalation: true } })]); }, expected: 'raw Deployment/web.containers.web.securityContext.allowPrivilegeEscalation: got true, which sets privilege escalation, a protected security default; expected it left out, or securityOptOut: { reason: \'…\', allow: [SecurityRelaxation.PRIVILEGE_ESCALATION] } on the component' },
  { name: 'a raw container running as root', define: (app) => { raw(app, [deployment({ securityContext: { runAsUser: 0 } })]); }, expected: 'raw Deployment/web.containers.web.securityContext: may run as root; expected runAsNonRoot: true or a non-zero runAsUser (on the container or the pod), or securityOptOut allowing SecurityRelaxation.RUN_AS_ROOT' },
  { name: 'a raw pod relaxed beyond its opt-out', define: (app) => {
    raw(app, [deployment({ hostNetwork: true, hostPID: true })], { securityOptOut: { reason: 'the node exporter reads host network metrics', allow: [SecurityRelaxation.HOST_NETWORK] } });
  }, expected: 'raw Deployment/web.spec.template.spec.hostPID: got true, which sets the node\'s process namespace, a protected security default; expected it left out, or securityOptOut: { reason: \'…\', allow: [SecurityRelaxation.HOST_PID] } on the component' },
  { name: 'a raw patch that moves pods onto the host network in one environment', define: (app, { prod }) => {
    raw(app, [deployment()]).addOverride(prod, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { template: { spec: { hostNetwork: true } } } });
  }, expected: 'raw [production] Deployment/web.spec.template.spec.hostNetwork: got true, which sets the node\'s network namespace, a protected security default; expected it left out, or securityOptOut: { reason: \'…\', allow: [SecurityRelaxation.HOST_NETWORK] } on the component' },
  { name: 'an override that turns runAsNonRoot off', define: (app) => { api(app, 'api', { securityContext: { runAsUser: 1000 }, overrides: { development: { securityContext: { runAsNonRoot: false } } } }); }, expected: 'api [development] securityContext.runAsNonRoot: runs the container as root (got false); expected a non-zero runAsUser and runAsNonRoot left true' },
  { name: 'a raw ConfigMap with a password', define: (app) => { raw(app, [deployment(), configMap({ DB_PASSWORD: 'hunter2' })]); }, expected: 'raw ConfigMap/config.data.DB_PASSWORD: looks like a credential with a literal value, which would be committed in plain text; expected a secretKeyRef to a SealedSecret or an Infisical-managed Secret' },
  { name: 'a raw ConfigMap with a connection string', define: (app) => { raw(app, [deployment(), configMap({ ConnectionStrings__Sql: 'Server=sql;User Id=app;Password=hunter2' })]); }, expected: 'raw ConfigMap/config.data.ConnectionStrings__Sql: looks like a credential with a literal value, which would be committed in plain text; expected a secretKeyRef to a SealedSecret or an Infisical-managed Secret' },
  { name: 'a raw annotation with a token', define: (app) => { raw(app, [deployment(), configMap({ MODE: 'x' }, { 'example.com/api-token': 'abc123' })]); }, expected: 'raw ConfigMap/config.metadata.annotations.example.com/api-token: looks like a credential with a literal value, which would be committed in plain text; expected a secretKeyRef to a SealedSecret or an Infisical-managed Secret' },
  { name: 'a raw container env with a signing key', define: (app) => { raw(app, [deployment({}, { env: [{ name: 'JWT_SIGNING_KEY', value: 'c2VjcmV0' }] })]); }, expected: 'raw Deployment/web.spec.template.spec.containers[0].env[0].JWT_SIGNING_KEY: looks like a credential with a literal value, which would be committed in plain text; expected a secretKeyRef to a SealedSecret or an Infisical-managed Secret' },
  { name: 'a raw object with a namespace', define: (app) => { raw(app, [deployment(), { ...configMap({ MODE: 'x' }), metadata: { name: 'config', namespace: 'team' } }]); }, expected: 'raw ConfigMap/config.metadata.namespace: is set; expected none: the environment aggregator sets the namespace, and a namespace here makes patches miss' },
  { name: 'raw pods the policy does not select', define: (app) => { raw(app, [deployment()], { podLabels: { 'app.kubernetes.io/instance': 'raw' } }); }, expected: 'raw podLabels: {"app.kubernetes.io/instance":"raw"} does not select the pods of Deployment/web (labels {"app":"web"}), so they would run with no CiliumNetworkPolicy; expected podLabels that every workload\'s pods carry' },
  { name: 'raw workloads that share no pod label', define: (app) => {
    const other = deployment();
    (other.metadata as Record<string, unknown>).name = 'worker';
    ((other.spec as any).template.metadata.labels) = { app: 'worker' };
    raw(app, [deployment(), other]);
  }, expected: [
    'raw podLabels: {"app.kubernetes.io/instance":"raw"} does not select the pods of Deployment/web (labels {"app":"web"}), so they would run with no CiliumNetworkPolicy; expected podLabels that every workload\'s pods carry',
    'raw podLabels: {"app.kubernetes.io/instance":"raw"} does not select the pods of Deployment/worker (labels {"app":"worker"}), so they would run with no CiliumNetworkPolicy; expected podLabels that every workload\'s pods carry',
  ] },
  { name: 'a raw image not pinned where the environment pins images', bare: true, define: (app) => {
    production(app);
    raw(app, [deployment({}, { image: 'ghcr.io/team/web:v1.0.0' })]);
  }, expected: 'raw [production] Deployment/web.containers.web.image: got "ghcr.io/team/web:v1.0.0", not pinned by digest; expected <image>:<tag>@sha256:<64 hex characters> in an environment that pins images' },
  { name: 'a raw container memory quantity Kubernetes cannot parse', define: (app) => { raw(app, [deployment({}, { resources: { limits: { memory: '1 GB' } } })]); }, expected: 'raw Deployment/web.containers.web.resources.limits.memory: got "1 GB"; expected a Kubernetes quantity such as 250m, 0.5, 512Mi or 1Gi (a number, then Ki/Mi/Gi/Ti/Pi/Ei, n/u/m/k/M/G/T/P/E or an exponent; no spaces)' },
];

catalogue('bad-input catalogue: security defaults, raw manifests, third-party charts', CASES);
