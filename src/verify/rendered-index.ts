import type { RenderedObject } from '../render/helm-render';
import { podTemplateOf } from '../lint/rendered-lint';
import { PlainObject, isPlainObject } from '../tree/strategic-patch';
import type { EnvironmentFacts } from './environment-facts';

/** A pod template of the environment: rendered, or standing in for a chart not rendered. */
export interface PodWorkload {
  readonly component: string;
  /** `Kind/name` of the object (`Deployment/my-api`), or `chart/<release>` for a stand-in. */
  readonly object: string;
  readonly namespace: string;
  readonly labels: { readonly [key: string]: string };
  /** The pod spec; a stand-in has containers with its declared ports only. */
  readonly spec: PlainObject;
  readonly standIn: boolean;
  /** The merged chart values, for golden-chart workloads. */
  readonly values?: PlainObject;
}

/** A Service of the environment, with what it selects and serves. */
export interface ServiceEntry {
  readonly component: string;
  readonly name: string;
  readonly namespace: string;
  readonly selector: { readonly [key: string]: string };
  readonly ports: readonly PlainObject[];
  readonly standIn: boolean;
  /** An ExternalName Service: a DNS alias of this host, selecting no pod. */
  readonly externalName?: string;
}

/** The rendered objects of one environment, indexed for the checks. */
export class RenderedIndex {
  public readonly workloads: PodWorkload[] = [];
  public readonly services: ServiceEntry[] = [];
  public readonly byKind = new Map<string, RenderedObject[]>();

  constructor(public readonly objects: readonly RenderedObject[], public readonly facts: EnvironmentFacts) {
    for (const rendered of objects) {
      const kind = String(rendered.object.kind);
      this.byKind.set(kind, [...this.byKind.get(kind) ?? [], rendered]);
      const template = podTemplateOf(rendered.object);
      if (template) {
        this.workloads.push({
          component: rendered.component, object: `${kind}/${nameOf(rendered.object)}`, namespace: namespaceOf(rendered.object, facts.namespace),
          labels: template.labels, spec: template.spec, standIn: false, values: rendered.values,
        });
      }
      if (kind === 'Service') {
        const spec = isPlainObject(rendered.object.spec) ? rendered.object.spec : {};
        this.services.push({
          component: rendered.component, name: nameOf(rendered.object), namespace: namespaceOf(rendered.object, facts.namespace),
          selector: (isPlainObject(spec.selector) ? spec.selector : {}) as Record<string, string>,
          ports: Array.isArray(spec.ports) ? spec.ports.filter(isPlainObject) : [], standIn: false,
          externalName: spec.type === 'ExternalName' && typeof spec.externalName === 'string' ? spec.externalName.toLowerCase() : undefined,
        });
      }
    }
    // A third-party chart cannot be rendered offline: its declared ports and pod labels stand
    // in for its pods, and a Service named after its release for its Services.
    for (const c of facts.components.filter((f) => f.standIn)) {
      const ports = c.ports.map((p) => ({ containerPort: p.number, protocol: p.protocol === 'ANY' ? 'TCP' : p.protocol }));
      this.workloads.push({
        component: c.name, object: `chart/${c.releaseName}`, namespace: facts.namespace, labels: c.podLabels,
        spec: { containers: [{ name: c.releaseName, ports }] }, standIn: true,
      });
      for (const name of c.services) {
        this.services.push({
          component: c.name, name, namespace: facts.namespace, selector: c.podLabels, standIn: true,
          ports: c.ports.map((p) => ({ port: p.number, targetPort: p.number, protocol: p.protocol === 'ANY' ? 'TCP' : p.protocol })),
        });
      }
    }
  }

  /** Objects of `kind`. */
  public of(kind: string): RenderedObject[] {
    return this.byKind.get(kind) ?? [];
  }

  /** Names of the objects of `kind` in the environment. */
  public names(kind: string): Set<string> {
    return new Set(this.of(kind).map((o) => nameOf(o.object)));
  }

  /** The workloads whose pods a selector picks, in `namespace`. */
  public selected(selector: { readonly [key: string]: string }, namespace: string): PodWorkload[] {
    if (Object.keys(selector).length === 0) return [];
    return this.workloads.filter((w) => w.namespace === namespace && Object.entries(selector).every(([k, v]) => w.labels[k] === v));
  }

  /** The Service `name` in `namespace`, rendered or standing in. */
  public service(name: string, namespace: string): ServiceEntry | undefined {
    return this.services.find((s) => s.name === name && s.namespace === namespace);
  }

  /** CiliumNetworkPolicies of the environment (rendered by charts or standalone). */
  public get policies(): PlainObject[] {
    return this.of('CiliumNetworkPolicy').map((o) => ({ ...o.object, metadata: { ...(o.object.metadata as PlainObject), namespace: namespaceOf(o.object, this.facts.namespace) } }));
  }
}

export function nameOf(object: PlainObject): string {
  return String((isPlainObject(object.metadata) ? object.metadata.name : undefined) ?? '');
}

export function namespaceOf(object: PlainObject, fallback: string): string {
  const ns = isPlainObject(object.metadata) ? object.metadata.namespace : undefined;
  return typeof ns === 'string' ? ns : fallback;
}

/** The containers (init containers included) of a pod spec. */
export function containersOf(spec: PlainObject): PlainObject[] {
  return [...asList(spec.initContainers), ...asList(spec.containers)];
}

export function asList(value: unknown): PlainObject[] {
  return Array.isArray(value) ? value.filter(isPlainObject) : [];
}
