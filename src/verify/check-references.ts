import { PlainObject, isPlainObject } from '../tree/strategic-patch';
import { PodWorkload, RenderedIndex, asList, containersOf, nameOf } from './rendered-index';
import { VerifyProblem, VerifyRule } from './verify-problem';

/** A container port: its number, its name if it has one. */
interface ContainerPort { readonly number: number; readonly name?: string }

export function containerPorts(workload: PodWorkload): ContainerPort[] {
  return containersOf(workload.spec).flatMap((c) => asList(c.ports)).map((p) => ({ number: Number(p.containerPort), name: typeof p.name === 'string' ? p.name : undefined }));
}

/** The container port a Service port's targetPort (number or name) lands on in `workload`; undefined when none. */
export function resolveTargetPort(workload: PodWorkload, target: unknown): number | undefined {
  const ports = containerPorts(workload);
  if (typeof target === 'string' && !/^\d+$/.test(target)) return ports.find((p) => p.name === target)?.number;
  const number = Number(target);
  return ports.some((p) => p.number === number) ? number : undefined;
}

/**
 * Rule 2: Services select pods and target their ports, probes target container ports,
 * Ingress backends are Service ports, and every ConfigMap, Secret, PVC, ServiceAccount and
 * pull secret a pod uses is produced by the tree or declared external.
 */
export function checkReferences(index: RenderedIndex): VerifyProblem[] {
  const problems: VerifyProblem[] = [];
  const facts = index.facts;
  const add = (component: string, message: string) => problems.push({ environment: facts.name, component, rule: VerifyRule.REFERENCE, message });

  // An ExternalName Service is a DNS alias and a selectorless one has hand-kept endpoints:
  // neither selects pods by design (kube-linter's dangling-service skips them too).
  for (const service of index.services.filter((s) => !s.standIn && !s.externalName && Object.keys(s.selector).length > 0)) {
    const pods = index.selected(service.selector, service.namespace);
    const selector = Object.entries(service.selector).map(([k, v]) => `${k}=${v}`).join(',');
    if (pods.length === 0) {
      add(service.component, `Service/${service.name} selects ${selector || 'nothing'}; no pod template of the environment has these labels`);
      continue;
    }
    // Pods that run to completion (a hook Job sharing the release's labels) are never ready
    // backends: the endpoints controller leaves a pod out when it lacks the named port.
    const serving = pods.filter((p) => !p.standIn && !/^(Job|CronJob)\//.test(p.object));
    for (const port of service.ports) {
      const target = port.targetPort ?? port.port;
      for (const pod of serving.filter((p) => resolveTargetPort(p, target) === undefined)) {
        add(service.component, `Service/${service.name} port ${String(port.port)} targets ${String(target)}, which ${pod.object} does not declare as a container port`);
      }
    }
  }

  for (const workload of index.workloads.filter((w) => !w.standIn)) {
    for (const container of containersOf(workload.spec)) {
      for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe']) {
        const spec = container[probe];
        if (!isPlainObject(spec)) continue;
        const action = ['httpGet', 'tcpSocket', 'grpc'].find((a) => isPlainObject(spec[a]));
        if (!action) continue;
        const port = (spec[action] as PlainObject).port;
        if (resolveTargetPort(workload, port) === undefined) {
          add(workload.component, `${workload.object} container ${String(container.name)} ${probe} ${action} port ${String(port)} is not a container port`);
        }
      }
    }
    for (const ref of podReferences(workload.spec)) {
      if (!produced(index, ref.kind).has(ref.name)) {
        add(workload.component, `${workload.object} uses ${ref.kind} ${ref.name} (${ref.field}), which the tree does not produce; expected it from the tree, or DitEnvironment external.${EXTERNAL_FIELD[ref.kind]} to say it exists`);
      }
    }
  }

  for (const ingress of index.of('Ingress')) {
    const spec = isPlainObject(ingress.object.spec) ? ingress.object.spec : {};
    const backends = asList(spec.rules).flatMap((r) => asList(isPlainObject(r.http) ? r.http.paths : undefined)).map((p) => p.backend);
    if (isPlainObject(spec.defaultBackend)) backends.push(spec.defaultBackend);
    for (const backend of backends.filter(isPlainObject).map((b) => b.service).filter(isPlainObject)) {
      const service = index.service(String(backend.name), String((ingress.object.metadata as PlainObject).namespace ?? facts.namespace));
      const port = isPlainObject(backend.port) ? backend.port.number ?? backend.port.name : undefined;
      if (!service) add(ingress.component, `Ingress/${nameOf(ingress.object)} routes to Service ${String(backend.name)}, which does not exist in ${facts.namespace}`);
      else if (!service.ports.some((p) => p.port === port || p.name === port)) {
        add(ingress.component, `Ingress/${nameOf(ingress.object)} routes to port ${String(port)} of Service/${service.name}, which serves ${service.ports.map((p) => String(p.port)).join(', ')}`);
      }
    }
  }
  return problems;
}

type ReferencedKind = 'ConfigMap' | 'Secret' | 'PersistentVolumeClaim' | 'ServiceAccount';
const EXTERNAL_FIELD: Record<ReferencedKind, string> = { ConfigMap: 'configMaps', Secret: 'secrets', PersistentVolumeClaim: 'persistentVolumeClaims', ServiceAccount: 'serviceAccounts' };

interface PodReference { readonly kind: ReferencedKind; readonly name: string; readonly field: string }

/** What a pod needs to exist before it starts (optional references left out). */
function podReferences(spec: PlainObject): PodReference[] {
  const refs: PodReference[] = [];
  const required = (ref: unknown): ref is PlainObject => isPlainObject(ref) && ref.optional !== true && typeof ref.name === 'string';
  for (const volume of asList(spec.volumes)) {
    if (required(volume.configMap)) refs.push({ kind: 'ConfigMap', name: String(volume.configMap.name), field: `volume ${String(volume.name)}` });
    if (isPlainObject(volume.secret) && volume.secret.optional !== true) refs.push({ kind: 'Secret', name: String(volume.secret.secretName), field: `volume ${String(volume.name)}` });
    if (isPlainObject(volume.persistentVolumeClaim)) refs.push({ kind: 'PersistentVolumeClaim', name: String(volume.persistentVolumeClaim.claimName), field: `volume ${String(volume.name)}` });
  }
  for (const container of containersOf(spec)) {
    const field = (what: string) => `container ${String(container.name)} ${what}`;
    for (const from of asList(container.envFrom)) {
      if (required(from.configMapRef)) refs.push({ kind: 'ConfigMap', name: String(from.configMapRef.name), field: field('envFrom') });
      if (required(from.secretRef)) refs.push({ kind: 'Secret', name: String(from.secretRef.name), field: field('envFrom') });
    }
    for (const env of asList(container.env)) {
      const source = isPlainObject(env.valueFrom) ? env.valueFrom : {};
      if (required(source.configMapKeyRef)) refs.push({ kind: 'ConfigMap', name: String(source.configMapKeyRef.name), field: field(`env ${String(env.name)}`) });
      if (required(source.secretKeyRef)) refs.push({ kind: 'Secret', name: String(source.secretKeyRef.name), field: field(`env ${String(env.name)}`) });
    }
  }
  const account = spec.serviceAccountName ?? spec.serviceAccount;
  if (typeof account === 'string' && account !== 'default') refs.push({ kind: 'ServiceAccount', name: account, field: 'serviceAccountName' });
  for (const secret of asList(spec.imagePullSecrets)) refs.push({ kind: 'Secret', name: String(secret.name), field: 'imagePullSecrets' });
  return refs;
}

/** Names of the Secrets that SealedSecrets and the Infisical operator make in the cluster from `objects`. */
export function secretsMadeBy(objects: readonly PlainObject[]): string[] {
  return objects.flatMap((object) => {
    const spec = isPlainObject(object.spec) ? object.spec : {};
    if (object.kind === 'SealedSecret') {
      const template = isPlainObject(spec.template) && isPlainObject(spec.template.metadata) ? spec.template.metadata.name : undefined;
      return [String(template ?? nameOf(object))];
    }
    if (object.kind === 'InfisicalSecret' && isPlainObject(spec.managedSecretReference)) return [String(spec.managedSecretReference.secretName)];
    return [];
  });
}

/** Names of the objects of `kind` the tree produces, or the environment declares external. */
function produced(index: RenderedIndex, kind: ReferencedKind): Set<string> {
  const names = index.names(kind);
  for (const name of index.facts.external[EXTERNAL_FIELD[kind] as keyof typeof index.facts.external] ?? []) names.add(name);
  if (kind === 'Secret') {
    for (const name of secretsMadeBy(index.objects.map((o) => o.object))) names.add(name);
    for (const registry of [index.facts.registry, ...index.facts.components.map((c) => c.image?.registry)]) {
      if (registry?.pullSecret) names.add(registry.pullSecret);
    }
  }
  return names;
}
