import { DitError, DitErrorLocation } from '../app/errors';
import { Problems } from '../app/validation';
import { checkResourceQuantities } from '../app/kubernetes-names';
import { SecurityOptOut, SecurityRelaxation, relaxationMessage, relaxes } from './protected-values';
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
 * Records every way a workload's pods relax the security defaults that `optOut` does not
 * allow: root, privileged containers, privilege escalation, added capabilities, host
 * namespaces and hostPath volumes. `where.field` names the object (`Deployment/web`).
 */
export function checkWorkload(object: PlainObject, where: DitErrorLocation, optOut: SecurityOptOut | undefined, problems: Problems): void {
  const pod = podSpec(object);
  if (!pod) return;
  const podPath = `${where.field}.${POD_SPEC_PATH[String(object.kind)].join('.')}`;
  const at = (field: string) => ({ ...where, field });
  const report = (field: string, value: unknown, relaxation: SecurityRelaxation, what: string) => {
    if (!relaxes(optOut, relaxation)) problems.add(at(field), relaxationMessage(value, { relaxation, what }));
  };
  for (const [key, what, relaxation] of HOST_NAMESPACES) {
    if (pod[key] === true) report(`${podPath}.${key}`, true, relaxation, what);
  }
  asList(pod.volumes).forEach((volume) => {
    if (volume.hostPath !== undefined) report(`${podPath}.volumes.${String(volume.name)}.hostPath`, volume.hostPath, SecurityRelaxation.HOST_PATH, 'a volume from the node\'s file system');
  });
  const podContext = isPlainObject(pod.securityContext) ? pod.securityContext : {};
  for (const container of [...asList(pod.initContainers), ...asList(pod.containers)]) {
    const own = isPlainObject(container.securityContext) ? container.securityContext : {};
    const field = `${where.field}.containers.${String(container.name)}.securityContext`;
    const context = { ...podContext, ...own };
    const nonRoot = context.runAsNonRoot === true || (typeof context.runAsUser === 'number' && context.runAsUser > 0);
    if ((!nonRoot || context.runAsUser === 0 || context.runAsNonRoot === false) && !relaxes(optOut, SecurityRelaxation.RUN_AS_ROOT)) {
      problems.add(at(field), 'may run as root; expected runAsNonRoot: true or a non-zero runAsUser (on the container or the pod), or securityOptOut allowing SecurityRelaxation.RUN_AS_ROOT');
    }
    if (own.privileged === true) report(`${field}.privileged`, true, SecurityRelaxation.PRIVILEGED, 'a privileged container');
    if (own.allowPrivilegeEscalation === true) report(`${field}.allowPrivilegeEscalation`, true, SecurityRelaxation.PRIVILEGE_ESCALATION, 'privilege escalation');
    checkResourceQuantities(container.resources, at(`${where.field}.containers.${String(container.name)}.resources`), problems);
    const added = isPlainObject(own.capabilities) && Array.isArray(own.capabilities.add) ? own.capabilities.add : [];
    if (added.length > 0) report(`${field}.capabilities.add`, added, SecurityRelaxation.ADDED_CAPABILITIES, 'added Linux capabilities');
  }
}

const HOST_NAMESPACES: ReadonlyArray<readonly [string, string, SecurityRelaxation]> = [
  ['hostNetwork', 'the node\'s network namespace', SecurityRelaxation.HOST_NETWORK],
  ['hostPID', 'the node\'s process namespace', SecurityRelaxation.HOST_PID],
  ['hostIPC', 'the node\'s IPC namespace', SecurityRelaxation.HOST_IPC],
];

/** The labels a workload's pods carry (the pod template's, or a Pod's own). */
export function podTemplateLabels(object: PlainObject): Record<string, string> | undefined {
  const path = POD_SPEC_PATH[String(object.kind)];
  if (!path) return undefined;
  let metadataOwner: unknown = object;
  for (const key of path.slice(0, -1)) metadataOwner = isPlainObject(metadataOwner) ? metadataOwner[key] : undefined;
  const metadata = isPlainObject(metadataOwner) ? metadataOwner.metadata : undefined;
  const labels = isPlainObject(metadata) && isPlainObject(metadata.labels) ? metadata.labels : {};
  return Object.fromEntries(Object.entries(labels).map(([k, v]) => [k, String(v)]));
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
