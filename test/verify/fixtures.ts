import {
  DitComponent, DitEnvironment, ExternalObjects, GitOpsApp, GoldenChartComponent, ImageRegistry, ImageTagRule, PlainObject,
  renderCiliumNetworkPolicy, renderCiliumPolicy, renderPortValues,
} from '../../src';
import type { RenderedObject } from '../../src/render/helm-render';
import type { FluxInputs } from '../../src/verify/check-flux';
import { EnvironmentFacts, environmentFacts } from '../../src/verify/environment-facts';
import { RenderedIndex } from '../../src/verify/rendered-index';

/**
 * Builders for the verify checks: one environment (staging, namespace my-team) planned from
 * real definitions, and rendered objects shaped the way `helm template` renders the golden
 * charts (compare `node bin/dit-gitops.js render staging`). A test takes a clean rendering and
 * injects one failure with {@link edit} or {@link drop}.
 */

export const ENV = 'staging';
export const NAMESPACE = 'my-team';

/** Props of {@link Staging}: what the registry and external objects tests vary. */
export interface StagingProps {
  /** The team's registry (GitOpsApp registry). @default - ghcr.io */
  readonly registry?: ImageRegistry;
  /** The environment's own registry. @default - none */
  readonly environmentRegistry?: ImageRegistry;
  readonly external?: ExternalObjects;
}

/** Golden-chart rendering inputs that the definitions do not carry to the test. */
export interface GoldenRender {
  /** `configs`, rendered into the `<release>-configs` ConfigMap the container reads whole. */
  readonly configs?: Readonly<Record<string, string>>;
  /** Infisical: the InfisicalSecret and the `<release>-secrets` Secret it makes, read whole. */
  readonly infisical?: boolean;
  /** An Ingress for this host to the release's Service, port `http`. */
  readonly ingressHost?: string;
  /** The gateway's `routes` values: route name → backend Service name and port. */
  readonly routes?: Readonly<Record<string, { readonly name: string; readonly port: number }>>;
  /** The image tag. @default 'main-843632a' */
  readonly tag?: string;
}

/** One environment of a team: define components on `app`, then render and index them. */
export class Staging {
  public readonly app: GitOpsApp;
  public readonly staging: DitEnvironment;
  private planned?: EnvironmentFacts;

  constructor(props: StagingProps = {}) {
    this.app = new GitOpsApp({ outdir: 'unused', registry: props.registry });
    this.staging = new DitEnvironment(this.app, ENV, {
      namespace: NAMESPACE, domain: 'staging.my-team.example.com', imageTagRule: ImageTagRule.any({ allowLatest: true }),
      registry: props.environmentRegistry, external: props.external,
    });
  }

  /** The environment's facts; the first call plans the app (so define every component first). */
  public get facts(): EnvironmentFacts {
    if (!this.planned) {
      this.app.plan();
      this.planned = environmentFacts(this.app, ENV);
    }
    return this.planned;
  }

  /** The rendered objects, indexed for the checks. */
  public index(...objects: ReadonlyArray<RenderedObject | readonly RenderedObject[]>): RenderedIndex {
    return new RenderedIndex(objects.flat(), this.facts);
  }

  /**
   * What `helm template` renders for a golden-chart component here: ServiceAccount, the
   * configs ConfigMap, Service, Deployment, CiliumNetworkPolicy (from the component's
   * connections), and the Ingress and InfisicalSecret when asked for.
   */
  public golden(component: GoldenChartComponent, render: GoldenRender = {}): RenderedObject[] {
    this.facts;
    const release = component.releaseName;
    const labels = goldenLabels(release, component.chart);
    const image = component.imageIn(this.staging);
    const ports = renderPortValues(component.ports);
    const values: PlainObject = { ...(render.configs ? { configs: { ...render.configs } } : {}), ...(render.routes ? { routes: routeValues(render.routes) } : {}) };
    const envFrom = [
      ...(render.configs ? [{ configMapRef: { name: `${release}-configs` } }] : []),
      ...(render.infisical ? [{ secretRef: { name: `${release}-secrets` } }] : []),
    ];
    const probe = { httpGet: { path: '/health', port: 'http' } };
    const objects: PlainObject[] = [
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(release, labels), automountServiceAccountToken: false },
      ...(render.configs ? [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(`${release}-configs`, labels), data: { ...render.configs } }] : []),
      {
        apiVersion: 'v1', kind: 'Service', metadata: meta(release, labels),
        spec: { type: 'ClusterIP', selector: labels, ports: ports.map((p) => ({ name: p.name, port: p.port, targetPort: p.name, protocol: p.protocol })) },
      },
      {
        apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta(release, labels),
        spec: {
          replicas: 1, selector: { matchLabels: labels },
          template: {
            metadata: { labels },
            spec: {
              serviceAccountName: release, automountServiceAccountToken: false,
              ...(image.registry.pullSecret ? { imagePullSecrets: [{ name: image.registry.pullSecret }] } : {}),
              containers: [{
                name: 'app', image: `${image.name}:${render.tag ?? 'main-843632a'}`, imagePullPolicy: 'IfNotPresent',
                ports: ports.map((p) => ({ name: p.name, containerPort: p.port, protocol: p.protocol })),
                ...(envFrom.length > 0 ? { envFrom } : {}),
                startupProbe: probe, readinessProbe: probe, livenessProbe: probe,
                volumeMounts: [{ name: 'tmp', mountPath: '/tmp' }],
              }],
              volumes: [{ name: 'tmp', emptyDir: {} }],
            },
          },
        },
      },
      this.policy(component, release, labels),
      ...(render.infisical ? [infisicalSecret(release, `${release}-secrets`)] : []),
      ...(render.ingressHost ? [ingress(release, render.ingressHost, { name: release, port: { name: 'http' } })] : []),
    ];
    return objects.map((object) => ({ component: component.name, environment: ENV, object, values }));
  }

  /** The component's CiliumNetworkPolicy as the golden chart renders it from its connections. */
  private policy(component: DitComponent, release: string, labels: Record<string, string>): PlainObject {
    const environments = this.app.environments;
    const values = renderCiliumPolicy(component.connections, {
      component: component.name, environment: this.staging, deployedIn: component.deployedIn(environments),
      deploymentOf: (peer) => (DitComponent.isComponent(peer) ? peer.deployedIn(environments) : undefined),
    });
    const standalone = renderCiliumNetworkPolicy(release, labels, values);
    const spec = standalone.spec as PlainObject;
    return {
      ...standalone, metadata: meta(release, labels),
      spec: { endpointSelector: spec.endpointSelector, enableDefaultDeny: { ingress: true, egress: true }, ingress: spec.ingress, egress: spec.egress },
    };
  }
}

/** The pod labels the golden charts give a release (and its Service selects). */
export function goldenLabels(release: string, chart = 'dit-common-api'): Record<string, string> {
  return { 'app.kubernetes.io/name': chart, 'app.kubernetes.io/instance': release };
}

function meta(name: string, labels: Record<string, string> = {}): PlainObject {
  return { name, namespace: NAMESPACE, labels: { ...labels, 'app.kubernetes.io/managed-by': 'Helm' } };
}

function routeValues(routes: NonNullable<GoldenRender['routes']>): PlainObject {
  return Object.fromEntries(Object.entries(routes).map(([name, service]) => [name, { match: { pathPrefix: `/${name}` }, service: { ...service } }]));
}

/** An object of `component` that no chart renders (a manifests component, a standalone object). */
export function rendered(component: string, object: PlainObject): RenderedObject {
  return { component, environment: ENV, object };
}

export function ingress(name: string, host: string, service: PlainObject): PlainObject {
  return {
    apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: meta(name),
    spec: { ingressClassName: 'traefik', rules: [{ host, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service } }] } }] },
  };
}

/** The Infisical operator's InfisicalSecret, which makes the Secret `secretName`. */
export function infisicalSecret(name: string, secretName: string): PlainObject {
  return {
    apiVersion: 'secrets.infisical.com/v1alpha1', kind: 'InfisicalSecret', metadata: meta(name),
    spec: { resyncInterval: 60, managedSecretReference: { secretName, secretNamespace: NAMESPACE, creationPolicy: 'Owner' } },
  };
}

/** A SealedSecret named `name` whose template makes the Secret `secretName`. */
export function sealedSecret(name: string, secretName: string): PlainObject {
  return { apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret', metadata: meta(name), spec: { encryptedData: { token: 'AgB...' }, template: { metadata: { name: secretName } } } };
}

export function imageRepository(name: string, image: string, secret?: string): PlainObject {
  return { apiVersion: 'image.toolkit.fluxcd.io/v1', kind: 'ImageRepository', metadata: { name, namespace: NAMESPACE }, spec: { image, interval: '5m', ...(secret ? { secretRef: { name: secret } } : {}) } };
}

/** `objects` with a copy of the object `Kind/name` changed by `mutate` (it throws when there is none). */
export function edit(objects: readonly RenderedObject[], id: string, mutate: (object: any) => void): RenderedObject[] {
  const at = objects.findIndex((o) => `${String(o.object.kind)}/${String((o.object.metadata as PlainObject).name)}` === id);
  if (at < 0) throw new Error(`no ${id} among the rendered objects`);
  // JSON, not structuredClone: jest runs tests in a vm context, and isPlainObject wants this realm's Object.
  const copy = JSON.parse(JSON.stringify(objects[at].object)) as PlainObject;
  mutate(copy);
  return objects.map((o, i) => (i === at ? { ...o, object: copy } : o));
}

/** `objects` without `Kind/name`. */
export function drop(objects: readonly RenderedObject[], id: string): RenderedObject[] {
  return objects.filter((o) => `${String(o.object.kind)}/${String((o.object.metadata as PlainObject).name)}` !== id);
}

/** The pod spec of a Deployment (for {@link edit}). */
export const podSpec = (deployment: any): any => deployment.spec.template.spec;
/** The first container of a Deployment (for {@link edit}). */
export const container = (deployment: any): any => podSpec(deployment).containers[0];

/** `objects` (plain, as kustomize builds them) with a copy of `Kind/name` changed by `mutate`. */
export function editFlux(objects: readonly PlainObject[], id: string, mutate: (object: any) => void): PlainObject[] {
  return edit(objects.map((o) => rendered('', o)), id, mutate).map((r) => r.object);
}

function flux(apiVersion: string, kind: string, name: string, spec: PlainObject, namespace = NAMESPACE): PlainObject {
  return { apiVersion, kind, metadata: { name, namespace }, spec };
}

const GOLDEN_CHART_REF = { chartRef: { kind: 'HelmChart', name: 'dit-common-api', namespace: 'flux-system' } };
const TEAM_REPOSITORY = { kind: 'GitRepository', name: 'my-team' };

/**
 * What checkFlux reads for a staging whose every Flux reference resolves, shaped as
 * `kubectl kustomize main/staging` and `clusters/staging` build the example: my-api and users
 * on the golden chart, users depending on rabbitmq (a HelmRepository chart) with an optional
 * valuesFrom and image automation, and the cluster's sync depending on `infrastructure`.
 */
export const FLUX_CLEAN: FluxInputs = {
  built: [
    flux('helm.toolkit.fluxcd.io/v2', 'HelmRelease', 'my-api', { ...GOLDEN_CHART_REF, interval: '1h', releaseName: 'my-api' }),
    flux('helm.toolkit.fluxcd.io/v2', 'HelmRelease', 'rabbitmq', {
      chart: { spec: { chart: 'rabbitmq', version: '15.5.3', sourceRef: { kind: 'HelmRepository', name: 'rabbitmq' } } }, interval: '1h', releaseName: 'rabbitmq',
    }),
    flux('source.toolkit.fluxcd.io/v1', 'HelmRepository', 'rabbitmq', { type: 'oci', url: 'oci://registry-1.docker.io/bitnamicharts', interval: '1h' }),
    flux('helm.toolkit.fluxcd.io/v2', 'HelmRelease', 'users', {
      ...GOLDEN_CHART_REF, interval: '1h', releaseName: 'users-api', dependsOn: [{ name: 'rabbitmq' }],
      valuesFrom: [{ kind: 'ConfigMap', name: 'users-feature-flags', valuesKey: 'flags.yaml', targetPath: 'configs', optional: true }],
    }),
    flux('image.toolkit.fluxcd.io/v1', 'ImageRepository', 'users', { image: 'ghcr.io/my-team/users-api', interval: '5m', secretRef: { name: 'ghcr-auth' } }),
    flux('image.toolkit.fluxcd.io/v1', 'ImagePolicy', 'users', { imageRepositoryRef: { name: 'users' }, policy: { semver: { range: '>=1.0.0' } } }),
    flux('image.toolkit.fluxcd.io/v1', 'ImageUpdateAutomation', 'users', {
      sourceRef: { ...TEAM_REPOSITORY, namespace: 'flux-system' }, update: { path: './dist/users/staging', strategy: 'Setters' }, interval: '5m',
    }),
  ],
  cluster: [
    flux('kustomize.toolkit.fluxcd.io/v1', 'Kustomization', 'my-team-staging', {
      path: './dist/main/staging', sourceRef: TEAM_REPOSITORY, dependsOn: [{ name: 'infrastructure' }], prune: true, interval: '10m',
    }, 'flux-system'),
    flux('source.toolkit.fluxcd.io/v1', 'GitRepository', 'my-team', { url: 'ssh://git@github.com/ditkrg/my-team-gitops', ref: { branch: 'main' }, interval: '1m' }, 'flux-system'),
    flux('source.toolkit.fluxcd.io/v1', 'HelmChart', 'dit-common-api', { chart: './charts/dit-common-api', sourceRef: TEAM_REPOSITORY, reconcileStrategy: 'Revision', interval: '10m' }, 'flux-system'),
  ],
  imageFiles: {
    'users/staging/image.yaml': [
      'apiVersion: helm.toolkit.fluxcd.io/v2', 'kind: HelmRelease', 'metadata:', '  name: users', 'spec:', '  values:', '    global:', '      image:',
      '        tag: main-5c1d2e3 # {"$imagepolicy": "my-team:users:tag"}',
      '        digest: sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 # {"$imagepolicy": "my-team:users:digest"}', '',
    ].join('\n'),
  },
  exists: (path) => ['./charts/dit-common-api/Chart.yaml', './dist/main/staging/kustomization.yaml', './dist/users/staging/image.yaml'].includes(path),
};
