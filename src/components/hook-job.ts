import { DitErrorLocation, received } from '../app/errors';
import { assertDnsLabel } from '../app/kubernetes-names';
import type { Problems } from '../app/validation';
import { PlainObject } from '../tree/strategic-patch';

/** When Helm runs a hook Job, relative to the release's own objects. */
export enum HookEvent {
  PRE_INSTALL = 'pre-install',
  POST_INSTALL = 'post-install',
  PRE_UPGRADE = 'pre-upgrade',
  POST_UPGRADE = 'post-upgrade',
}

/** A one-shot Job a release runs with the component's image, config and secrets (a migration). */
export interface HookJobOptions {
  /** The command it runs, as a list (`['python', 'manage.py', 'migrate']`). */
  readonly command: readonly string[];
  /** @default - none */
  readonly args?: readonly string[];
  /**
   * When it runs. Pre-install would run before the release's ConfigMap and Infisical-managed
   * Secret exist, so a first install runs it right after them instead.
   * @default [HookEvent.POST_INSTALL, HookEvent.PRE_UPGRADE]
   */
  readonly hooks?: readonly HookEvent[];
  /** Order among the release's hooks (helm.sh/hook-weight). @default 0 */
  readonly weight?: number;
  /** Retries before the Job, and so the release, fails. @default 1 */
  readonly backoffLimit?: number;
  /** Seconds before the Job is stopped. @default 600 */
  readonly activeDeadlineSeconds?: number;
}

/** Records every problem of a hook Job's options. */
export function checkHookJob(name: string, options: HookJobOptions, where: DitErrorLocation, problems: Problems): void {
  const at = (field: string) => ({ ...where, field: `${where.field}.${field}` });
  problems.check(() => assertDnsLabel(name, where));
  checkArgumentList(options.command, at('command'), problems, true);
  if (options.args !== undefined) checkArgumentList(options.args, at('args'), problems, false);
  const events = Object.values(HookEvent) as string[];
  for (const hook of options.hooks ?? []) {
    if (!events.includes(hook)) problems.add(at('hooks'), `got ${received(hook)}; expected one of ${events.join(', ')}`);
  }
  if (options.hooks !== undefined && options.hooks.length === 0) problems.add(at('hooks'), 'is empty; expected at least one HookEvent');
  for (const [field, least] of [['weight', -1e9], ['backoffLimit', 0], ['activeDeadlineSeconds', 1]] as const) {
    const value = options[field];
    if (value !== undefined && (!Number.isInteger(value) || value < least)) problems.add(at(field), `got ${received(value)}; expected a whole number${least >= 0 ? ` of at least ${least}` : ''}`);
  }
}

/** The chart's `hookJobs.<name>` values. */
export function renderHookJob(options: HookJobOptions): PlainObject {
  return {
    command: [...options.command],
    ...(options.args ? { args: [...options.args] } : {}),
    hooks: [...options.hooks ?? [HookEvent.POST_INSTALL, HookEvent.PRE_UPGRADE]],
    weight: options.weight ?? 0,
    backoffLimit: options.backoffLimit ?? 1,
    activeDeadlineSeconds: options.activeDeadlineSeconds ?? 600,
  };
}

/**
 * A command or its args: a list of strings. A single shell string is refused rather than
 * split: splitting `sh -c "a b"` on spaces would run something else than the user wrote.
 */
export function checkArgumentList(value: unknown, where: DitErrorLocation, problems: Problems, nonEmpty: boolean): void {
  if (value === undefined) return;
  if (typeof value === 'string') {
    const words = value.trim().split(/\s+/).map((w) => `'${w}'`).join(', ');
    problems.add(where, `got the string ${received(value)}; expected a list of arguments such as [${words}] (a string is not split: use ['sh', '-c', …] for a shell line)`);
  } else if (!Array.isArray(value) || (nonEmpty && value.length === 0) || value.some((c) => typeof c !== 'string' || (nonEmpty && c === ''))) {
    problems.add(where, `got ${received(value)}; expected a ${nonEmpty ? 'non-empty ' : ''}list of ${nonEmpty ? 'non-empty ' : ''}strings`);
  }
}
