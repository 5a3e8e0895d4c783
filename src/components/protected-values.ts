import { DitErrorLocation, received } from '../app/errors';
import type { Problems } from '../app/validation';
import { isPlainObject } from '../tree/strategic-patch';

/** A security default a component may relax, through {@link SecurityOptOut}. */
export enum SecurityRelaxation {
  /** Containers may run as root (`runAsUser: 0`, `runAsNonRoot: false`, no non-root setting in raw manifests). */
  RUN_AS_ROOT = 'run-as-root',
  /** Privileged containers (`privileged: true`). */
  PRIVILEGED = 'privileged',
  /** `allowPrivilegeEscalation: true`. */
  PRIVILEGE_ESCALATION = 'privilege-escalation',
  /** Added Linux capabilities (`capabilities.add`). */
  ADDED_CAPABILITIES = 'added-capabilities',
  /** The node's network namespace (`hostNetwork: true`). */
  HOST_NETWORK = 'host-network',
  /** The node's process namespace (`hostPID: true`). */
  HOST_PID = 'host-pid',
  /** The node's IPC namespace (`hostIPC: true`). */
  HOST_IPC = 'host-ipc',
  /** Volumes from the node's file system (`hostPath`). */
  HOST_PATH = 'host-path',
  /** A golden chart's security context set through `extraValues` instead of the typed field. */
  SECURITY_CONTEXT_VALUES = 'security-context-values',
  /** A golden chart's `ciliumNetworkPolicy` set through `extraValues` (for example disabled). */
  NETWORK_POLICY_VALUES = 'network-policy-values',
}

/**
 * The one way round a component's security defaults: what is relaxed and why. It is written
 * into the component's base files as a comment, so reviewers see it in every diff.
 */
export interface SecurityOptOut {
  /** Why the defaults do not fit, in a sentence (at least 10 characters). */
  readonly reason: string;
  /** What is relaxed; nothing else is. */
  readonly allow: readonly SecurityRelaxation[];
}

const RELAXATIONS = Object.values(SecurityRelaxation) as string[];
const ENUM_NAME = (r: SecurityRelaxation) => `SecurityRelaxation.${Object.entries(SecurityRelaxation).find(([, v]) => v === r)?.[0] ?? r}`;

/** Records the problems of an opt-out itself: an empty reason or list, an unknown relaxation. */
export function checkSecurityOptOut(optOut: SecurityOptOut | undefined, where: DitErrorLocation, problems: Problems): void {
  if (optOut === undefined) return;
  const at = (field: string) => ({ ...where, field: `${where.field}.${field}` });
  if (typeof optOut.reason !== 'string' || optOut.reason.trim().length < 10) {
    problems.add(at('reason'), `got ${received(optOut.reason)}; expected a sentence (at least 10 characters) saying why the defaults do not fit, for reviewers`);
  }
  if (!Array.isArray(optOut.allow) || optOut.allow.length === 0) {
    problems.add(at('allow'), `got ${received(optOut.allow)}; expected at least one SecurityRelaxation`);
    return;
  }
  optOut.allow.forEach((r, i) => {
    if (!RELAXATIONS.includes(r)) problems.add(at(`allow[${i}]`), `got ${received(r)}; expected one of ${RELAXATIONS.join(', ')}`);
  });
}

/** True when the opt-out relaxes `relaxation`. */
export function relaxes(optOut: SecurityOptOut | undefined, relaxation: SecurityRelaxation): boolean {
  return optOut?.allow.includes(relaxation) ?? false;
}

/** The comment lines the opt-out puts in the tree, or none. */
export function securityOptOutComment(optOut: SecurityOptOut | undefined): string[] {
  if (!optOut || optOut.allow.length === 0) return [];
  return [
    `# SECURITY OPT-OUT: relaxes ${[...optOut.allow].sort().join(', ')}`,
    `# reason: ${String(optOut.reason).replace(/\s+/g, ' ').trim()}`,
  ];
}

/** What a protected key relaxes, and whether its value is unsafe. */
interface ProtectedKey {
  readonly relaxation: SecurityRelaxation;
  readonly what: string;
  readonly unsafe: (value: unknown) => boolean;
}

const ANY = () => true;
const NOT_FALSE = (v: unknown) => v !== false && v !== undefined && v !== null;

// Keys that relax isolation wherever they appear in chart values.
const UNSAFE_KEYS: Record<string, ProtectedKey> = {
  privileged: { relaxation: SecurityRelaxation.PRIVILEGED, what: 'a privileged container', unsafe: NOT_FALSE },
  allowPrivilegeEscalation: { relaxation: SecurityRelaxation.PRIVILEGE_ESCALATION, what: 'privilege escalation', unsafe: NOT_FALSE },
  hostNetwork: { relaxation: SecurityRelaxation.HOST_NETWORK, what: 'the node\'s network namespace', unsafe: NOT_FALSE },
  hostPID: { relaxation: SecurityRelaxation.HOST_PID, what: 'the node\'s process namespace', unsafe: NOT_FALSE },
  hostIPC: { relaxation: SecurityRelaxation.HOST_IPC, what: 'the node\'s IPC namespace', unsafe: NOT_FALSE },
  hostPath: { relaxation: SecurityRelaxation.HOST_PATH, what: 'a volume from the node\'s file system', unsafe: NOT_FALSE },
  capabilities: { relaxation: SecurityRelaxation.ADDED_CAPABILITIES, what: 'added Linux capabilities', unsafe: (v) => isPlainObject(v) && Array.isArray(v.add) && v.add.length > 0 },
  runAsUser: { relaxation: SecurityRelaxation.RUN_AS_ROOT, what: 'a container running as root', unsafe: (v) => v === 0 },
  runAsNonRoot: { relaxation: SecurityRelaxation.RUN_AS_ROOT, what: 'a container that may run as root', unsafe: (v) => v === false },
};

// Keys a golden chart's typed fields own: extraValues may not set them at all.
const OWNED_KEYS: Record<string, ProtectedKey> = {
  securityContext: { relaxation: SecurityRelaxation.SECURITY_CONTEXT_VALUES, what: 'the security context the typed securityContext field sets', unsafe: ANY },
  podSecurityContext: { relaxation: SecurityRelaxation.SECURITY_CONTEXT_VALUES, what: 'the pod security context', unsafe: ANY },
  containerSecurityContext: { relaxation: SecurityRelaxation.SECURITY_CONTEXT_VALUES, what: 'the container security context', unsafe: ANY },
  ciliumNetworkPolicy: { relaxation: SecurityRelaxation.NETWORK_POLICY_VALUES, what: 'the network policy the connections render', unsafe: ANY },
};

/** Whose values are checked: a golden chart's extraValues (owned keys too) or a third-party chart's values. */
export type ValuesKind = 'golden-chart' | 'third-party';

/**
 * Records a problem for every protected key in `values` (any depth) that the opt-out does
 * not relax. Golden charts own the security context and network policy outright; a
 * third-party chart may set its own security context, but not to anything unsafe.
 */
export function checkProtectedValues(values: unknown, where: DitErrorLocation, kind: ValuesKind, optOut: SecurityOptOut | undefined, problems: Problems): void {
  const visit = (value: unknown, path: string): void => {
    if (Array.isArray(value)) {
      value.forEach((v, i) => visit(v, `${path}[${i}]`));
      return;
    }
    if (!isPlainObject(value)) return;
    for (const [key, child] of Object.entries(value)) {
      const field = `${path}.${key}`;
      const rule = (kind === 'golden-chart' ? OWNED_KEYS[key] : undefined) ?? (Object.prototype.hasOwnProperty.call(UNSAFE_KEYS, key) ? UNSAFE_KEYS[key] : undefined);
      if (rule && rule.unsafe(child) && !relaxes(optOut, rule.relaxation)) {
        problems.add({ ...where, field }, relaxationMessage(child, rule));
        continue;
      }
      visit(child, field);
    }
  };
  visit(values, where.field);
}

/** `got X, which …; expected …` for a value that needs `relaxation`. */
export function relaxationMessage(value: unknown, rule: { readonly relaxation: SecurityRelaxation; readonly what: string }): string {
  return `got ${received(value)}, which sets ${rule.what}, a protected security default; expected it left out, or securityOptOut: { reason: '…', allow: [${ENUM_NAME(rule.relaxation)}] } on the component`;
}
