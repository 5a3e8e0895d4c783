import { DitError, DitErrorLocation } from '../app/errors';
import { PlainObject, isPlainObject } from '../tree/strategic-patch';

// Where each workload kind keeps its pod spec.
const POD_SPEC_PATH: Record<string, readonly string[]> = {
  Pod: ['spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

/** True for objects that run pods. */
export function isWorkload(object: PlainObject): boolean {
  return String(object.kind) in POD_SPEC_PATH;
}

/**
 * Throws when a workload's containers may run as root: every container needs runAsNonRoot
 * (or a non-zero runAsUser), set on the container or inherited from the pod.
 */
export function assertSecureWorkload(object: PlainObject, where: DitErrorLocation): void {
  const pod = podSpec(object);
  if (!pod) return;
  const podContext = (pod.securityContext ?? {}) as PlainObject;
  for (const container of [...asList(pod.initContainers), ...asList(pod.containers)]) {
    const context = { ...podContext, ...((container.securityContext ?? {}) as PlainObject) };
    const nonRoot = context.runAsNonRoot === true || (typeof context.runAsUser === 'number' && context.runAsUser > 0);
    if (!nonRoot || context.runAsUser === 0 || context.runAsNonRoot === false) {
      throw new DitError({ ...where, field: `${where.field}.containers.${String(container.name)}.securityContext` },
        'may run as root; expected runAsNonRoot: true or a non-zero runAsUser (on the container or the pod)');
    }
  }
}

function podSpec(object: PlainObject): PlainObject | undefined {
  const path = POD_SPEC_PATH[String(object.kind)];
  if (!path) return undefined;
  let pod: unknown = object;
  for (const key of path) pod = isPlainObject(pod) ? pod[key] : undefined;
  return isPlainObject(pod) ? pod : undefined;
}

function asList(value: unknown): PlainObject[] {
  return Array.isArray(value) ? value.filter(isPlainObject) : [];
}

/**
 * Throws when a workload's image is not pinned by digest (`image@sha256:…`), for
 * environments that pin images.
 */
export function assertPinnedImages(object: PlainObject, where: DitErrorLocation): void {
  const pod = podSpec(object);
  if (!pod) return;
  for (const container of [...asList(pod.initContainers), ...asList(pod.containers)]) {
    if (typeof container.image !== 'string' || !/@sha256:[0-9a-f]{64}$/.test(container.image)) {
      throw new DitError({ ...where, field: `${where.field}.containers.${String(container.name)}.image` },
        `got ${JSON.stringify(container.image)}, not pinned by digest; expected <image>:<tag>@sha256:<64 hex characters> in an environment that pins images`);
    }
  }
}
