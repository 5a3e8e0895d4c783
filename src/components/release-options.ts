import type { DitEnvironment } from '../app/environment';
import { DitError, DitErrorLocation, received } from '../app/errors';
import { PlainObject } from '../tree/strategic-patch';
import { fluxDurationProblem, isDnsSubdomain } from '../app/kubernetes-names';

/** What Flux does when an upgrade keeps failing. */
export enum RemediationStrategy {
  ROLLBACK = 'rollback',
  UNINSTALL = 'uninstall',
}

/** Install/upgrade remediation. */
export interface RemediationOptions {
  /** Retries before remediating. @default - Flux's default (0: remediate at once) */
  readonly retries?: number;
  /** What to do on an upgrade that failed its retries. @default RemediationStrategy.ROLLBACK */
  readonly strategy?: RemediationStrategy;
}

/** A ConfigMap or Secret key merged into the release's values (`spec.valuesFrom`). */
export class ValuesFrom {
  public static configMap(name: string, options: ValuesFromOptions = {}): ValuesFrom {
    return new ValuesFrom('ConfigMap', name, options);
  }

  public static secret(name: string, options: ValuesFromOptions = {}): ValuesFrom {
    return new ValuesFrom('Secret', name, options);
  }

  private constructor(public readonly kind: 'ConfigMap' | 'Secret', public readonly name: string, private readonly options: ValuesFromOptions) {}

  public render(): PlainObject {
    const out: PlainObject = { kind: this.kind, name: this.name };
    if (this.options.valuesKey !== undefined) out.valuesKey = this.options.valuesKey;
    if (this.options.targetPath !== undefined) out.targetPath = this.options.targetPath;
    if (this.options.optional !== undefined) out.optional = this.options.optional;
    return out;
  }
}

/** Options of {@link ValuesFrom}. */
export interface ValuesFromOptions {
  /** @default 'values.yaml' */
  readonly valuesKey?: string;
  /** Values path the key's content is set at. @default - merged at the root */
  readonly targetPath?: string;
  /** @default false */
  readonly optional?: boolean;
}

/** Something a release can wait for: another HelmRelease of the tree. */
export interface IReleaseDependency {
  readonly name: string;
  /** The HelmRelease name in the environment's namespace. */
  readonly releaseName: string;
  deployedIn(all: readonly DitEnvironment[]): readonly DitEnvironment[];
}

/** HelmRelease options the Flux CLI has no flags for. Every one can differ per environment. */
export interface ReleaseOptions {
  /** Timeout of Helm actions. @default - Flux's default (5m) */
  readonly timeout?: string;
  /** Pauses reconciliation: the seed's "skip auto-deployment". @default false */
  readonly suspend?: boolean;
  /** Install remediation. @default - Flux's default */
  readonly installRemediation?: RemediationOptions;
  /** Upgrade remediation. @default - Flux's default */
  readonly upgradeRemediation?: RemediationOptions;
  /** Removes resources a failed rollback created (`rollback.cleanupOnFail`). @default - Flux's default */
  readonly cleanupOnFail?: boolean;
  /** Runs the chart's Helm tests after install and upgrade. @default false */
  readonly test?: boolean;
  /** Releases that must be ready first. @default none */
  readonly dependsOn?: readonly IReleaseDependency[];
  /** ConfigMaps and Secrets merged into the values. @default none */
  readonly valuesFrom?: readonly ValuesFrom[];
}

/** Throws when an option is malformed. */
export function validateReleaseOptions(options: ReleaseOptions, where: (field: string) => DitErrorLocation): void {
  const timeout = options.timeout === undefined ? undefined : fluxDurationProblem(options.timeout);
  if (timeout) throw new DitError(where('timeout'), timeout);
  (options.valuesFrom ?? []).forEach((source, i) => {
    // Flux looks the ConfigMap or Secret up by name: a name Kubernetes refuses never resolves.
    if (!isDnsSubdomain(source.name)) {
      throw new DitError(where(`valuesFrom[${i}].name`), `got ${received(source.name)}; expected the name of a ${source.kind} in the release's namespace (a DNS-1123 subdomain such as my-api-values)`);
    }
  });
  for (const key of ['installRemediation', 'upgradeRemediation'] as const) {
    const retries = options[key]?.retries;
    if (retries !== undefined && (!Number.isInteger(retries) || retries < -1)) {
      throw new DitError(where(`${key}.retries`), `got ${received(retries)}; expected a whole number (-1 retries forever)`);
    }
  }
}

/** The HelmRelease spec fields of `options`, with dependencies already checked. */
export function renderReleaseOptions(options: ReleaseOptions): PlainObject {
  const spec: PlainObject = {};
  if (options.timeout !== undefined) spec.timeout = options.timeout;
  if (options.suspend !== undefined) spec.suspend = options.suspend;
  if (options.installRemediation?.retries !== undefined) spec.install = { remediation: { retries: options.installRemediation.retries } };
  if (options.upgradeRemediation) {
    const remediation: PlainObject = { strategy: options.upgradeRemediation.strategy ?? RemediationStrategy.ROLLBACK };
    if (options.upgradeRemediation.retries !== undefined) remediation.retries = options.upgradeRemediation.retries;
    spec.upgrade = { remediation };
  }
  if (options.cleanupOnFail !== undefined) spec.rollback = { cleanupOnFail: options.cleanupOnFail };
  if (options.test !== undefined) spec.test = { enable: options.test };
  if (options.dependsOn?.length) spec.dependsOn = options.dependsOn.map((d) => ({ name: d.releaseName }));
  if (options.valuesFrom?.length) spec.valuesFrom = options.valuesFrom.map((v) => v.render());
  return spec;
}

/**
 * Throws on a dependsOn cycle among `releases` in one environment, naming the cycle.
 * `edges(release)` lists what the release waits for there.
 */
export function assertNoDependencyCycle<T extends { readonly name: string }>(releases: readonly T[], edges: (release: T) => readonly T[], environment: string): void {
  const state = new Map<T, 'visiting' | 'done'>();
  const visit = (release: T, path: readonly T[]): void => {
    if (state.get(release) === 'done') return;
    if (state.get(release) === 'visiting') {
      const cycle = [...path.slice(path.indexOf(release)), release].map((r) => r.name).join(' -> ');
      throw new DitError({ component: release.name, environment, field: 'dependsOn' }, `forms a cycle (${cycle}); expected dependencies that end somewhere`);
    }
    state.set(release, 'visiting');
    for (const next of edges(release)) visit(next, [...path, release]);
    state.set(release, 'done');
  };
  for (const release of releases) visit(release, []);
}
