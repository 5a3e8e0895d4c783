import { PlainObject, isPlainObject } from '../tree/strategic-patch';
import type { RenderedObject } from '../render/helm-render';
import { pendingReason } from '../images/image-file';

/** The rules `dit-gitops lint` checks, after kube-linter, Polaris, Checkov and Kyverno's baseline. */
export enum LintRule {
  RUN_AS_NON_ROOT = 'run-as-non-root',
  NO_PRIVILEGE_ESCALATION = 'no-privilege-escalation',
  NOT_PRIVILEGED = 'not-privileged',
  CAPABILITIES_DROPPED = 'capabilities-dropped',
  READ_ONLY_ROOT_FILESYSTEM = 'read-only-root-filesystem',
  SECCOMP_RUNTIME_DEFAULT = 'seccomp-runtime-default',
  RESOURCES = 'resources',
  PROBES = 'probes',
  IMAGE_TAG = 'image-tag',
  IMAGE_DIGEST = 'image-digest',
  HOST_ACCESS = 'host-access',
  SERVICE_ACCOUNT_TOKEN = 'service-account-token',
  NETWORK_POLICY = 'network-policy',
}

/** One problem in a rendered object. */
export interface LintFinding {
  readonly component: string;
  readonly environment: string;
  /** `Kind/name` of the object. */
  readonly object: string;
  readonly rule: LintRule;
  readonly message: string;
}

/** What the workload rules need beyond the object. */
export interface WorkloadLintContext {
  /** The environment requires images pinned by digest (production by default). */
  readonly pinImageDigests: boolean;
}

/** A pod template found in a workload object. */
export interface PodTemplate {
  readonly labels: { readonly [key: string]: string };
  readonly spec: PlainObject;
}

const TEMPLATE_PATHS: Record<string, readonly string[]> = {
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

/** The pod template of a workload (or the Pod itself); undefined for anything that runs no pod. */
export function podTemplateOf(object: PlainObject): PodTemplate | undefined {
  let template: unknown;
  if (object.kind === 'Pod') template = object;
  else if (TEMPLATE_PATHS[String(object.kind)]) template = TEMPLATE_PATHS[String(object.kind)].reduce<unknown>((node, key) => (isPlainObject(node) ? node[key] : undefined), object);
  if (!isPlainObject(template) || !isPlainObject(template.spec)) return undefined;
  const metadata = isPlainObject(template.metadata) ? template.metadata : {};
  return { labels: (isPlainObject(metadata.labels) ? metadata.labels : {}) as Record<string, string>, spec: template.spec };
}

/** `Kind/name` of an object. */
function objectName(object: PlainObject): string {
  return `${String(object.kind)}/${String(isPlainObject(object.metadata) ? object.metadata.name : '')}`;
}

/** Checks the pod and container security, resources, probes and images of one rendered object. */
export function lintWorkload(rendered: RenderedObject, context: WorkloadLintContext): LintFinding[] {
  const pod = podTemplateOf(rendered.object);
  if (!pod) return [];
  const findings: LintFinding[] = [];
  const report = (rule: LintRule, message: string) => findings.push({ component: rendered.component, environment: rendered.environment, object: objectName(rendered.object), rule, message });
  const spec = pod.spec;
  const podSc = (isPlainObject(spec.securityContext) ? spec.securityContext : {}) as PlainObject;
  const containers = [...list(spec.initContainers), ...list(spec.containers)];
  const values = rendered.values ?? {};
  const optedOut = (path: string[]) => path.reduce<unknown>((node, key) => (isPlainObject(node) ? node[key] : undefined), values);

  for (const flag of ['hostNetwork', 'hostPID', 'hostIPC']) {
    if (spec[flag] === true) report(LintRule.HOST_ACCESS, `spec.${flag} is true; expected the pod in its own namespaces`);
  }
  for (const volume of list(spec.volumes)) {
    if (isPlainObject(volume.hostPath)) report(LintRule.HOST_ACCESS, `volume ${String(volume.name)} is a hostPath; expected a PersistentVolumeClaim or emptyDir`);
  }
  if (spec.automountServiceAccountToken !== false && optedOut(['serviceAccount', 'automountToken']) !== true) {
    report(LintRule.SERVICE_ACCOUNT_TOKEN, `automountServiceAccountToken is ${spec.automountServiceAccountToken === undefined ? 'not set (Kubernetes mounts the token)' : String(spec.automountServiceAccountToken)}; expected false unless the app calls the Kubernetes API (serviceAccount.automountToken: true)`);
  }
  const podSeccomp = isPlainObject(podSc.seccompProfile) ? podSc.seccompProfile.type : undefined;

  for (const c of containers) {
    const name = `container ${String(c.name)}`;
    const sc = (isPlainObject(c.securityContext) ? c.securityContext : {}) as PlainObject;
    const runAsNonRoot = sc.runAsNonRoot ?? podSc.runAsNonRoot;
    const runAsUser = sc.runAsUser ?? podSc.runAsUser;
    if (runAsNonRoot !== true || runAsUser === 0) {
      report(LintRule.RUN_AS_NON_ROOT, `${name} runs with runAsNonRoot ${String(runAsNonRoot)} and runAsUser ${String(runAsUser)}; expected runAsNonRoot: true and a non-zero user`);
    }
    if (sc.allowPrivilegeEscalation !== false) report(LintRule.NO_PRIVILEGE_ESCALATION, `${name} has allowPrivilegeEscalation ${String(sc.allowPrivilegeEscalation)}; expected false`);
    if (sc.privileged === true) report(LintRule.NOT_PRIVILEGED, `${name} is privileged; expected privileged false`);
    const drop = isPlainObject(sc.capabilities) && Array.isArray(sc.capabilities.drop) ? sc.capabilities.drop.map(String) : [];
    if (!drop.includes('ALL')) report(LintRule.CAPABILITIES_DROPPED, `${name} drops ${drop.length ? drop.join(', ') : 'no capability'}; expected capabilities.drop: [ALL]`);
    if (sc.readOnlyRootFilesystem !== true && optedOut(['securityContext', 'readOnlyRootFilesystem']) !== false) {
      report(LintRule.READ_ONLY_ROOT_FILESYSTEM, `${name} has readOnlyRootFilesystem ${String(sc.readOnlyRootFilesystem)}; expected true (opt out with securityContext.readOnlyRootFilesystem: false)`);
    }
    const seccomp = isPlainObject(sc.seccompProfile) ? sc.seccompProfile.type : podSeccomp;
    if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') report(LintRule.SECCOMP_RUNTIME_DEFAULT, `${name} has seccompProfile ${String(seccomp)}; expected RuntimeDefault`);
    const resources = (isPlainObject(c.resources) ? c.resources : {}) as PlainObject;
    const requests = (isPlainObject(resources.requests) ? resources.requests : {}) as PlainObject;
    const limits = (isPlainObject(resources.limits) ? resources.limits : {}) as PlainObject;
    const missing = [requests.cpu === undefined && 'requests.cpu', requests.memory === undefined && 'requests.memory', limits.memory === undefined && 'limits.memory'].filter(Boolean);
    if (missing.length > 0) report(LintRule.RESOURCES, `${name} has no ${missing.join(', ')}; expected CPU and memory requests and a memory limit`);
    const isInit = list(spec.initContainers).includes(c);
    // A Job runs to completion and a CronJob's pods are Jobs: nothing routes to them or
    // restarts them for being unready. A worker states its opt-out (probes.enabled: false).
    const probes = ['livenessProbe', 'readinessProbe'].filter((p) => !isPlainObject(c[p]));
    const completes = ['Job', 'CronJob'].includes(String(rendered.object.kind));
    if (!isInit && !completes && probes.length > 0 && optedOut(['probes', 'enabled']) !== false) {
      report(LintRule.PROBES, `${name} has no ${probes.join(' or ')}; expected both (GET /health, or an exec check: probes.command; a worker without one says probes.enabled: false)`);
    }
    for (const port of list(c.ports)) {
      if (port.hostPort !== undefined) report(LintRule.HOST_ACCESS, `${name} binds hostPort ${String(port.hostPort)}; expected none`);
    }
    // A pending release (docs/images.md#pending-releases) pulls no image yet: nothing to judge.
    if (c.image === undefined && pendingReason(rendered.values) !== undefined) continue;
    lintImage(String(c.image ?? ''), name, context, report);
  }
  return findings;
}

function lintImage(image: string, name: string, context: WorkloadLintContext, report: (rule: LintRule, message: string) => void): void {
  const [reference, digest] = image.split('@');
  // The tag follows the last colon after the last slash (a registry may carry a port).
  const lastSegment = reference.slice(reference.lastIndexOf('/') + 1);
  const tag = lastSegment.includes(':') ? lastSegment.slice(lastSegment.indexOf(':') + 1) : undefined;
  if (tag === 'latest' || (tag === undefined && digest === undefined)) {
    report(LintRule.IMAGE_TAG, `${name} runs ${image}; expected a version tag, never latest or none`);
  }
  if (context.pinImageDigests && !/^sha256:[0-9a-f]{64}$/.test(digest ?? '')) {
    report(LintRule.IMAGE_DIGEST, `${name} runs ${image} without a digest; expected repository:tag@sha256:… where the environment pins images`);
  }
}

function list(value: unknown): PlainObject[] {
  return Array.isArray(value) ? value.filter(isPlainObject) : [];
}

/** Options of {@link lintRendered}. */
export interface LintOptions extends WorkloadLintContext {}

const POLICY_KINDS = ['CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy'];

/**
 * Every check of `dit-gitops lint` over the rendered objects of one environment: each
 * workload's security, resources, probes and images, and that a Cilium policy selects each
 * pod with both directions stated. Findings are sorted by component, object and rule.
 */
export function lintRendered(objects: readonly RenderedObject[], options: LintOptions): LintFinding[] {
  const findings = objects.flatMap((o) => [...lintWorkload(o, options), ...lintNetworkPolicy(o, objects)]);
  return findings.sort((a, b) => a.component.localeCompare(b.component) || a.object.localeCompare(b.object) || a.rule.localeCompare(b.rule) || a.message.localeCompare(b.message));
}

/** Formats findings one a line: `component [environment] Kind/name rule: message`. */
export function formatLintFindings(findings: readonly LintFinding[]): string {
  return findings.map((f) => `${f.component} [${f.environment}] ${f.object} ${f.rule}: ${f.message}`).join('\n');
}

/**
 * The pods of `rendered` must be selected, in their namespace, by Cilium policies that
 * between them state ingress and egress (a rule list, a deny list or enableDefaultDeny):
 * otherwise traffic in the unstated direction is not default-denied.
 */
export function lintNetworkPolicy(rendered: RenderedObject, all: readonly RenderedObject[]): LintFinding[] {
  const pod = podTemplateOf(rendered.object);
  if (!pod) return [];
  const namespace = namespaceOf(rendered.object);
  const selecting = all.map((o) => o.object).filter((p) => POLICY_KINDS.includes(String(p.kind))
    && (p.kind === 'CiliumClusterwideNetworkPolicy' || namespaceOf(p) === namespace)
    && selects(isPlainObject(p.spec) ? p.spec.endpointSelector : undefined, pod.labels));
  const stated = (direction: 'ingress' | 'egress') => selecting.some((p) => {
    const spec = p.spec as PlainObject;
    const defaultDeny = isPlainObject(spec.enableDefaultDeny) ? spec.enableDefaultDeny[direction] : undefined;
    return defaultDeny !== false && (Array.isArray(spec[direction]) || Array.isArray(spec[`${direction}Deny`]) || defaultDeny === true);
  });
  const missing = (['ingress', 'egress'] as const).filter((d) => !stated(d));
  if (missing.length === 0) return [];
  const message = selecting.length === 0
    ? `no CiliumNetworkPolicy selects its pods (${Object.entries(pod.labels).map(([k, v]) => `${k}=${v}`).join(', ')}); expected a default-deny policy with ingress and egress`
    : `the CiliumNetworkPolicies selecting its pods (${selecting.map(objectName).join(', ')}) state no ${missing.join(' or ')}; expected both directions`;
  return [{ component: rendered.component, environment: rendered.environment, object: objectName(rendered.object), rule: LintRule.NETWORK_POLICY, message }];
}

function namespaceOf(object: PlainObject): string | undefined {
  return isPlainObject(object.metadata) && typeof object.metadata.namespace === 'string' ? object.metadata.namespace : undefined;
}

/** Label selector match (matchLabels and the In/NotIn/Exists/DoesNotExist expressions). */
function selects(selector: unknown, labels: { readonly [key: string]: string }): boolean {
  if (!isPlainObject(selector)) return false;
  const matchLabels = isPlainObject(selector.matchLabels) ? selector.matchLabels : {};
  if (!Object.entries(matchLabels).every(([k, v]) => labels[k] === v)) return false;
  const expressions = Array.isArray(selector.matchExpressions) ? selector.matchExpressions.filter(isPlainObject) : [];
  return expressions.every((e) => {
    const key = String(e.key);
    const values = Array.isArray(e.values) ? e.values.map(String) : [];
    switch (e.operator) {
      case 'In': return key in labels && values.includes(labels[key]);
      case 'NotIn': return !(key in labels) || !values.includes(labels[key]);
      case 'Exists': return key in labels;
      case 'DoesNotExist': return !(key in labels);
      default: return false;
    }
  });
}
