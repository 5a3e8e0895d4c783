import { Construct } from 'constructs';
import { received } from '../app/errors';
import type { DitEnvironment } from '../app/environment';
import { PlainObject } from '../tree/strategic-patch';
import type { ValidationScope } from './component';
import { cronScheduleProblem } from './cron-schedule';
import { DitApi } from './dit-api';
import { GoldenChartComponent, GoldenChartOverride, GoldenChartProps } from './golden-chart';

/** What a CronJob does when the previous run is still going. */
export enum ConcurrencyPolicy {
  ALLOW = 'Allow',
  FORBID = 'Forbid',
  REPLACE = 'Replace',
}

/** The schedule and run settings of a cron job; each may differ per environment. */
export interface CronJobSettings {
  /** Five-field cron expression or a macro (`0 3 * * *`, `@daily`). @default - the props' schedule */
  readonly schedule?: string;
  /** IANA time zone the schedule is read in. @default - the controller's (UTC) */
  readonly timeZone?: string;
  /** @default ConcurrencyPolicy.FORBID (a nightly job never runs twice at once) */
  readonly concurrencyPolicy?: ConcurrencyPolicy;
  /** Retries of a failed run. @default 1 */
  readonly backoffLimit?: number;
  /** Seconds before a run is stopped. @default - no limit */
  readonly activeDeadlineSeconds?: number;
  /** Stops scheduling new runs. @default false */
  readonly suspend?: boolean;
  /** @default - Kubernetes' (3) */
  readonly successfulJobsHistoryLimit?: number;
  /** @default - Kubernetes' (1) */
  readonly failedJobsHistoryLimit?: number;
}

/** What may differ per environment for a cron job. */
export interface DitCronJobOverride extends Omit<GoldenChartOverride, 'ingress' | 'probes' | 'replicas'>, CronJobSettings {}

/** Props of {@link DitCronJob}. */
export interface DitCronJobProps extends Omit<GoldenChartProps, 'ports' | 'ingress' | 'probes' | 'replicas' | 'overrides'>, CronJobSettings {
  /** Five-field cron expression or a macro (`0 3 * * *`, `@daily`). */
  readonly schedule: string;
  /** @default - none */
  readonly overrides?: { readonly [environment: string]: DitCronJobOverride };
}

const SETTINGS = ['schedule', 'timeZone', 'concurrencyPolicy', 'backoffLimit', 'activeDeadlineSeconds', 'suspend', 'successfulJobsHistoryLimit', 'failedJobsHistoryLimit'] as const;

/**
 * A scheduled job (a nightly cleanup, a report) deployed with the golden chart
 * dit-common-api as a CronJob: no Service, no Ingress, no probes, and nothing may connect to
 * it. It takes connections, Infisical secrets and the security defaults as any component does.
 */
export class DitCronJob extends GoldenChartComponent {
  private readonly givenPorts: unknown;

  constructor(scope: Construct, id: string, props: DitCronJobProps) {
    // The chart ignores replicas and probes for a CronJob; they are left at their defaults.
    super(scope, id, { chart: DitApi.CHART, defaultUser: 1654 }, { ...props, ports: [], probes: { enabled: false } });
    this.givenPorts = (props as { ports?: unknown }).ports;
    this.connections.denyAllIngress();
  }

  public _validate(scope: ValidationScope): void {
    super._validate(scope);
    this.checkServesNothing(this.givenPorts, scope, 'a cron job');
    for (const env of [undefined, ...this.deployedIn(scope.environments)]) {
      const settings = this.settingsFor(env);
      const add = (field: string, message: string) => scope.problems.add(this.where(field, env), message);
      // The base schedule is checked once; an environment's only when it states its own.
      if (env === undefined || settings.schedule !== this.settingsFor().schedule) {
        const problem = cronScheduleProblem(settings.schedule);
        if (problem) add('schedule', problem);
      }
      const policies = Object.values(ConcurrencyPolicy) as string[];
      if (settings.concurrencyPolicy !== undefined && !policies.includes(settings.concurrencyPolicy)) {
        add('concurrencyPolicy', `got ${received(settings.concurrencyPolicy)}; expected one of ${policies.join(', ')}`);
      }
      for (const [field, least] of [['backoffLimit', 0], ['activeDeadlineSeconds', 1], ['successfulJobsHistoryLimit', 0], ['failedJobsHistoryLimit', 0]] as const) {
        const value = settings[field];
        if (value !== undefined && (!Number.isInteger(value) || value < least)) add(field, `got ${received(value)}; expected a whole number of at least ${least}`);
      }
      if (settings.timeZone !== undefined && !/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(settings.timeZone)) {
        add('timeZone', `got ${received(settings.timeZone)}; expected an IANA time zone such as Asia/Baghdad or UTC`);
      }
    }
  }

  protected extraValues(env?: DitEnvironment): PlainObject {
    const s = this.settingsFor(env);
    return {
      cronJob: {
        schedule: s.schedule,
        concurrencyPolicy: s.concurrencyPolicy ?? ConcurrencyPolicy.FORBID,
        backoffLimit: s.backoffLimit ?? 1,
        suspend: s.suspend ?? false,
        ...defined({ timeZone: s.timeZone, activeDeadlineSeconds: s.activeDeadlineSeconds, successfulJobsHistoryLimit: s.successfulJobsHistoryLimit, failedJobsHistoryLimit: s.failedJobsHistoryLimit }),
      },
    };
  }

  private settingsFor(env?: DitEnvironment): CronJobSettings {
    // The settings travel with the other values, so overrides merge them as they merge values.
    return pick(this.optionsFor(env) as CronJobSettings);
  }
}

function pick(from: CronJobSettings): CronJobSettings {
  return defined(Object.fromEntries(SETTINGS.map((k) => [k, from[k]])));
}

function defined<T extends object>(object: T): T {
  return Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined)) as T;
}
