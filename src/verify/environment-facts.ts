import type { GitOpsApp } from '../app/gitops-app';
import type { DitEnvironment, ExternalObjects } from '../app/environment';
import { DitComponent } from '../components/component';
import { GoldenChartComponent } from '../components/golden-chart';
import { DitHelmChart } from '../components/helm-chart-component';
import { ReleaseComponent } from '../components/release-component';
import type { ImageRegistry } from '../images/image-registry';
import type { IPeer } from '../network/peer';
import type { Port } from '../network/port';
import { findEnvironment } from '../network/graph';

/** What the definitions say about one component in one environment, as verify needs it. */
export interface ComponentFacts {
  readonly name: string;
  /** The Helm release name (Service and pod label of golden charts); the name otherwise. */
  readonly releaseName: string;
  readonly podLabels: { readonly [key: string]: string };
  readonly ports: readonly Port[];
  /** A third-party chart: not rendered offline, its declared ports and labels stand in. */
  readonly standIn: boolean;
  /** A third-party chart's Services, as the definitions name them. */
  readonly services: readonly string[];
  /** Golden charts: the image (registry/path) the chart pulls and its registry. */
  readonly image?: { readonly name: string; readonly registry: ImageRegistry };
  /** Golden charts: whether Flux image automation watches the image here. */
  readonly automated: boolean;
  /** The component whose image this one runs (imageFrom), if any. */
  readonly imageFrom?: string;
  /** The connection rules that apply here (both directions). */
  readonly rules: readonly { readonly direction: 'ingress' | 'egress'; readonly peer: IPeer; readonly ports: readonly Port[] }[];
  /** Hosts declared as reached outside the policy, with the reason. */
  readonly declaredHosts: ReadonlyMap<string, string>;
}

/** What the definitions say about one environment. */
export interface EnvironmentFacts {
  readonly name: string;
  readonly namespace: string;
  /** The registry in effect where a component names none (the environment's, else the team's). */
  readonly registry: ImageRegistry;
  readonly external: ExternalObjects;
  readonly components: readonly ComponentFacts[];
}

/** The facts of `environment` (a name of the app's environments; an unknown one throws DitError). */
export function environmentFacts(app: GitOpsApp, environment: string): EnvironmentFacts {
  const env = findEnvironment(app, environment);
  const deployed = app.components.filter((c) => c.deployedIn(app.environments).includes(env));
  return {
    name: env.name,
    namespace: env.namespace,
    registry: env.registry ?? app.registry,
    external: env.external,
    components: deployed.map((c) => componentFacts(c, env)),
  };
}

function componentFacts(component: DitComponent, env: DitEnvironment): ComponentFacts {
  const golden = component instanceof GoldenChartComponent ? component : undefined;
  return {
    name: component.name,
    releaseName: component instanceof ReleaseComponent ? component.releaseName : component.name,
    podLabels: component.podLabels,
    ports: component.ports,
    standIn: component instanceof DitHelmChart,
    services: component instanceof DitHelmChart ? component.services : [],
    image: golden?.imageIn(env),
    automated: golden?.hasImageAutomation(env) ?? false,
    imageFrom: golden?.imageFrom?.name,
    rules: component.connections.rules.filter((r) => !r.environments || r.environments.includes(env)),
    declaredHosts: component.connections.declaredHosts,
  };
}
