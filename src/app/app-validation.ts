import { IConstruct } from 'constructs';
import { DitComponent, IngressRoute } from '../components/component';
import { ReleaseComponent } from '../components/release-component';
import { ReleaseOptions } from '../components/release-options';
import { DitEnvironment } from './environment';
import { FluxCluster } from '../flux/flux-cluster';
import { Problems } from './validation';

/** A component that may serve ingress routes in an environment. */
interface IngressServing {
  _ingressRoutes(env: DitEnvironment): readonly IngressRoute[];
}

function servesIngress(x: unknown): x is IngressServing {
  return typeof x === 'object' && x !== null && typeof (x as Partial<IngressServing>)._ingressRoutes === 'function';
}

/**
 * Checks that need the whole app: unique names, one Helm release per name in each
 * environment's namespace, pod selectors that pick one component, one component per ingress
 * host and path. Every problem is recorded; none stops the others.
 */
export function validateApp(environments: readonly DitEnvironment[], components: readonly DitComponent[], problems: Problems): void {
  reportDuplicates(environments.map((e) => e.name), (name) => problems.add({ component: `environment ${name}`, field: 'name' }, 'is declared twice; expected one environment per name'));
  reportDuplicates(components.map((c) => c.name), (name) => problems.add({ component: name, field: 'name' }, 'is used by two components; expected one component per name (it is their directory and release name)'));
  if (components.some((c) => c.name === 'main')) {
    problems.add({ component: 'main', field: 'name' }, 'is reserved for the environment aggregators (dist/main); expected another name');
  }
  for (const env of environments) {
    const here = components.filter((c) => c.deployedIn(environments).includes(env));
    checkReleaseNames(env, here, problems);
    checkSelectors(env, here, problems);
    checkIngressRoutes(env, here, problems);
  }
}

function reportDuplicates(names: readonly string[], report: (name: string) => void): void {
  const seen = new Set<string>();
  const reported = new Set<string>();
  for (const name of names) {
    if (seen.has(name) && !reported.has(name)) {
      report(name);
      reported.add(name);
    }
    seen.add(name);
  }
}

// Two HelmReleases with one release name in one namespace fight over one Helm release.
function checkReleaseNames(env: DitEnvironment, components: readonly DitComponent[], problems: Problems): void {
  const owners = new Map<string, string>();
  for (const c of components) {
    if (!(c instanceof ReleaseComponent)) continue;
    const release = (c as ReleaseComponent<ReleaseOptions>).releaseName;
    const owner = owners.get(release);
    if (owner !== undefined && owner !== c.name) {
      problems.add({ component: c.name, environment: env.name, field: 'releaseName' },
        `got ${JSON.stringify(release)}, which is also the Helm release of ${owner} in namespace ${env.namespace}; expected one release name per namespace (the two HelmReleases would fight over one release)`);
    } else {
      owners.set(release, c.name);
    }
  }
}

// A selector that is a subset of another component's labels selects that component's pods
// too: its network policy would apply to them.
function checkSelectors(env: DitEnvironment, components: readonly DitComponent[], problems: Problems): void {
  for (const a of components) {
    const labels = Object.entries(a.podLabels);
    if (labels.length === 0) continue;
    for (const b of components) {
      if (a === b || a.name === b.name) continue;
      if (labels.every(([k, v]) => b.podLabels[k] === v)) {
        problems.add({ component: a.name, environment: env.name, field: 'podLabels' },
          `${JSON.stringify(a.podLabels)} also selects the pods of ${b.name} (podLabels ${JSON.stringify(b.podLabels)}) in namespace ${env.namespace}; expected labels that select this component's pods only`);
      }
    }
  }
}

function checkIngressRoutes(env: DitEnvironment, components: readonly DitComponent[], problems: Problems): void {
  const owners = new Map<string, string>();
  for (const c of components) {
    if (!servesIngress(c)) continue;
    for (const route of c._ingressRoutes(env)) {
      const key = `${route.host}${route.path}`;
      const owner = owners.get(key);
      if (owner !== undefined && owner !== c.name) {
        problems.add({ component: c.name, environment: env.name, field: route.field },
          `host ${route.host} path ${route.path} is also served by ${owner}; expected one component per host and path`);
      } else {
        owners.set(key, c.name);
      }
    }
  }
}

/** The component, environment or cluster a file construct belongs to, for collision messages. */
export function ownerOf(construct: IConstruct): string {
  for (let node: IConstruct | undefined = construct; node; node = node.node.scope) {
    if (DitComponent.isComponent(node)) return node.name;
    if (DitEnvironment.isEnvironment(node)) return `environment ${node.name}`;
    if (FluxCluster.isFluxCluster(node)) return `FluxCluster ${node.node.id}`;
  }
  return construct.node.path;
}
