import { ComposeService } from './compose-model';
import { splitShellWords } from './shell-words';

/**
 * Roles a service plays beside the others: a one-shot run (a migration) that becomes a hook
 * Job of the service waiting for it, and services that run one image (imageFrom).
 */

/** A one-shot service and where it runs. */
export interface OneShot {
  readonly service: string;
  /** The service whose release runs it as a hook Job; undefined when none can. */
  readonly host?: string;
  /** Why it is a one-shot. */
  readonly why: string;
  /** Why it cannot be a hook Job, when host is undefined. */
  readonly problem?: string;
}

/** Whether two services run the same image: the same image reference, or no image and the same build. */
export function sameImage(a: ComposeService, b: ComposeService): boolean {
  if (a.image !== undefined || b.image !== undefined) return a.image !== undefined && a.image === b.image;
  return a.buildKey !== undefined && a.buildKey === b.buildKey;
}

/**
 * One-shot services: `restart: "no"` with no port and no healthcheck (compose runs it once),
 * or a dependency another service waits on with `condition: service_completed_successfully`.
 * Each runs as a hook Job of the first service that waits for it, which must run the same
 * image (a hook Job runs its release's image); else of a service sharing its image.
 */
export function findOneShots(services: readonly ComposeService[]): Map<string, OneShot> {
  const out = new Map<string, OneShot>();
  for (const s of services) {
    const waiters = services.filter((o) => o.dependsOnConditions?.[s.name] === 'service_completed_successfully');
    const restartNo = s.restart === 'no' && s.ports.length === 0 && s.expose.length === 0 && !s.healthcheck && s.dit.kind === undefined;
    if (waiters.length === 0 && !restartNo) continue;
    const why = waiters.length > 0 ? `${waiters.map((w) => w.name).join(', ')} wait${waiters.length === 1 ? 's' : ''} for it to complete (service_completed_successfully)` : 'restart: "no", no port and no healthcheck: compose runs it once';
    const dependents = [...waiters, ...services.filter((o) => o !== s && !waiters.includes(o) && o.dependsOn.includes(s.name))];
    const candidates = [...dependents, ...services.filter((o) => o !== s && !dependents.includes(o))];
    const host = candidates.find((o) => sameImage(o, s) && !o.dit.skip);
    if (host) {
      out.set(s.name, { service: s.name, host: host.name, why });
    } else {
      const first = dependents[0];
      out.set(s.name, {
        service: s.name, why,
        problem: first
          ? `${first.name} runs ${first.image ?? 'its own build'}, not ${s.image ?? 'this build'}, and a hook Job runs its release's image`
          : `no service runs ${s.image ?? 'its build'} to run it as a hook Job`,
      });
    }
  }
  return out;
}

/** The hook Job's command: compose entrypoint + command, since a hook Job needs a command. */
export function oneShotCommand(s: ComposeService): { command?: string[]; args?: string[]; notes: string[] } {
  const notes: string[] = [];
  const words = (key: 'entrypoint' | 'command'): string[] | undefined => {
    const v = s[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'string') return [...v];
    const split = splitShellWords(v);
    notes.push(`${key} ${JSON.stringify(v)} split into shell words as compose splits it: ${JSON.stringify(split.words)}`);
    return split.words;
  };
  const entrypoint = words('entrypoint');
  const command = words('command');
  if (entrypoint && entrypoint.length > 0) return { command: entrypoint, ...(command && command.length > 0 ? { args: command } : {}), notes };
  if (command && command.length > 0) {
    notes.push('no entrypoint: the hook Job\'s command is compose\'s command, which replaces the image\'s ENTRYPOINT too (compose kept it; a hook Job takes no args-only form)');
    return { command, notes };
  }
  return { notes };
}

/**
 * Services that run one image: the first of each group (file order) owns the image and its
 * image.yaml, the others follow it (imageFrom). Returns follower → leader.
 */
export function imageLeaders(services: readonly ComposeService[], eligible: (s: ComposeService) => boolean): Map<string, string> {
  const out = new Map<string, string>();
  const leaders: ComposeService[] = [];
  for (const s of services.filter(eligible)) {
    const leader = leaders.find((l) => sameImage(l, s));
    if (leader) out.set(s.name, leader.name);
    else leaders.push(s);
  }
  return out;
}
