import { IConstruct } from 'constructs';
import { DitComponent, IngressRoute } from '../components/component';
import { ReleaseComponent } from '../components/release-component';
import { ReleaseOptions } from '../components/release-options';
import { DitEnvironment } from './environment';
import { FluxCluster } from '../flux/flux-cluster';
import { Problems } from './validation';
import { received } from './errors';

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
  const found: EnvironmentProblem[] = [];
  for (const env of environments) {
    const here = components.filter((c) => c.deployedIn(environments).includes(env));
    const report = (component: DitComponent, field: string, message: string) => found.push({ component, env, field, message });
    checkReleaseNames(here, report, env);
    checkSelectors(here, report, env);
    checkIngressRoutes(here, report, env);
  }
  reportOncePerMistake(found, environments, problems);
}

interface EnvironmentProblem {
  readonly component: DitComponent;
  readonly env: DitEnvironment;
  readonly field: string;
  readonly message: string;
}

type Report = (component: DitComponent, field: string, message: string) => void;

// A clash found in every environment the component is deployed in is one mistake: report it
// once, without an environment. Otherwise name each environment it happens in.
function reportOncePerMistake(found: readonly EnvironmentProblem[], environments: readonly DitEnvironment[], problems: Problems): void {
  const groups = new Map<string, EnvironmentProblem[]>();
  for (const p of found) {
    const key = `${p.component.name}\u0000${p.field}\u0000${p.message}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(p);
  }
  for (const group of groups.values()) {
    const { component, field, message } = group[0];
    if (group.length === component.deployedIn(environments).length && group.length > 1) {
      problems.add({ component: component.name, field }, message);
    } else {
      for (const p of group) problems.add({ component: component.name, environment: p.env.name, field }, message);
    }
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
function checkReleaseNames(components: readonly DitComponent[], report: Report, env: DitEnvironment): void {
  const owners = new Map<string, string>();
  for (const c of components) {
    if (!(c instanceof ReleaseComponent)) continue;
    const release = (c as ReleaseComponent<ReleaseOptions>).releaseName;
    const owner = owners.get(release);
    if (owner !== undefined && owner !== c.name) {
      report(c, 'releaseName', `got ${received(release)}, which is also the Helm release of ${owner} in namespace ${env.namespace}; expected one release name per namespace (the two HelmReleases would fight over one release)`);
    } else {
      owners.set(release, c.name);
    }
  }
}

// A selector that is a subset of another component's labels selects that component's pods
// too: its network policy would apply to them. Equal selectors are reported on the later
// component; two releases with one name are reported as such, not again here.
function checkSelectors(components: readonly DitComponent[], report: Report, env: DitEnvironment): void {
  const releaseOf = (c: DitComponent) => (c instanceof ReleaseComponent ? (c as ReleaseComponent<ReleaseOptions>).releaseName : undefined);
  // Components by each label they carry: the candidates a selector can reach share its first label.
  const byLabel = new Map<string, number[]>();
  components.forEach((c, i) => {
    for (const [k, v] of Object.entries(c.podLabels)) {
      const key = `${k}=${v}`;
      if (!byLabel.has(key)) byLabel.set(key, []);
      byLabel.get(key)!.push(i);
    }
  });
  components.forEach((a, i) => {
    const labels = Object.entries(a.podLabels);
    if (labels.length === 0) return;
    for (const j of byLabel.get(`${labels[0][0]}=${labels[0][1]}`) ?? []) {
      const b = components[j];
      if (i === j || a.name === b.name || (releaseOf(a) !== undefined && releaseOf(a) === releaseOf(b))) continue;
      if (!labels.every(([k, v]) => b.podLabels[k] === v)) continue;
      const equal = Object.keys(b.podLabels).length === labels.length;
      if (equal && i < j) continue;
      report(a, 'podLabels', `${received(a.podLabels)} also selects the pods of ${b.name} (podLabels ${received(b.podLabels)}) in namespace ${env.namespace}; expected labels that select this component's pods only`);
    }
  });
}

function checkIngressRoutes(components: readonly DitComponent[], report: Report, env: DitEnvironment): void {
  const owners = new Map<string, string>();
  for (const c of components) {
    if (!servesIngress(c)) continue;
    for (const route of c._ingressRoutes(env)) {
      const key = `${route.host}${route.path}`;
      const owner = owners.get(key);
      if (owner !== undefined && owner !== c.name) {
        report(c, route.field, `host ${route.host} path ${route.path} is also served by ${owner}; expected one component per host and path`);
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
