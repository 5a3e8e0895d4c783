import { Construct } from 'constructs';
import { HelmRelease } from '../../imports/helm.toolkit.fluxcd.io';
import { DitComponent, DitComponentProps, ValidationScope, componentNames } from './component';
import type { DitEnvironment } from '../app/environment';
import { fluxDurationProblem, helmReleaseNameProblem } from '../app/kubernetes-names';
import { LayeredComponent } from './layered-component';
import { IReleaseDependency, ReleaseOptions, renderReleaseOptions, validateReleaseOptions } from './release-options';
import { PlainObject, mergeDefined, orderManifest } from '../tree/strategic-patch';

/** Flux's drift detection modes. */
export enum DriftDetectionMode {
  ENABLED = 'enabled',
  WARN = 'warn',
  DISABLED = 'disabled',
}

/** Props every HelmRelease-based component shares. */
export interface ReleaseComponentProps extends DitComponentProps, ReleaseOptions {
  /** Helm release name. @default - the component name */
  readonly releaseName?: string;
  /** Reconciliation interval. @default '1h' */
  readonly interval?: string;
  /** @default DriftDetectionMode.WARN */
  readonly driftDetection?: DriftDetectionMode;
}

/**
 * A component deployed as one Flux HelmRelease. `O` is what may differ per environment:
 * chart values and release options, merged over the base (maps merge, lists replace).
 */
export abstract class ReleaseComponent<O extends ReleaseOptions> extends LayeredComponent implements IReleaseDependency {
  public readonly releaseName: string;
  protected readonly props: ReleaseComponentProps & O;
  private readonly overrides = new Map<string, O>();

  constructor(scope: Construct, id: string, props: ReleaseComponentProps & O, overrides: { readonly [environment: string]: O } = {}) {
    super(scope, id, props);
    this.props = props;
    this.releaseName = props.releaseName ?? this.name;
    for (const [env, values] of Object.entries(overrides)) this.addOverride(env, values);
  }

  /** Helm's instance label is the release name, so that is what selects the pods. */
  protected defaultPodLabels(): { readonly [key: string]: string } {
    return { 'app.kubernetes.io/instance': this.releaseName };
  }

  /** Sets what differs in `environment` (an environment or its name). */
  public addOverride(environment: DitEnvironment | string, values: O): this {
    const name = typeof environment === 'string' ? environment : environment.name;
    if (this.overrides.has(name)) {
      this.deferProblem(this.where('overrides'), `already has an override for environment ${name}; expected one override per environment`);
      return this;
    }
    this.overrides.set(name, values);
    return this;
  }

  /** The releases this one waits for in `env`. */
  public releaseDependencies(env: DitEnvironment): readonly IReleaseDependency[] {
    return this.optionsFor(env).dependsOn ?? [];
  }

  public _validate(scope: ValidationScope): void {
    super._validate(scope);
    const { environments, problems } = scope;
    // A release named after the component is a DNS label already (checked as name): only Helm's
    // shorter limit is left to check.
    if (this.props.releaseName !== undefined || (this.releaseName.length > 53 && this.releaseName.length <= 63)) {
      const releaseProblem = helmReleaseNameProblem(this.releaseName);
      if (releaseProblem) problems.add(this.where(this.props.releaseName === undefined ? 'name' : 'releaseName'), releaseProblem);
    }
    if (this.props.interval !== undefined) {
      const interval = fluxDurationProblem(this.props.interval);
      if (interval) problems.add(this.where('interval'), interval);
    }
    problems.check(() => validateReleaseOptions(this.props, (field) => this.where(field)));
    for (const dependency of this.props.dependsOn ?? []) {
      if (DitComponent.isComponent(dependency) && !scope.components.has(dependency)) {
        problems.add(this.where(`dependsOn.${dependency.name}`), `${dependency.name} is not a component of this app; expected one of ${componentNames(scope)}`);
      }
    }
    const deployed = this.deployedIn(environments);
    for (const name of this.overrides.keys()) {
      if (!deployed.some((env) => env.name === name)) {
        problems.add({ ...this.where(`overrides.${name}`), environment: name },
          `${this.name} is not deployed in ${name}; expected one of ${deployed.map((e) => e.name).join(', ')}`);
      }
    }
    for (const env of deployed) {
      const options = this.optionsFor(env);
      problems.check(() => validateReleaseOptions(options, (field) => this.where(field, env)));
      for (const dependency of options.dependsOn ?? []) {
        if (DitComponent.isComponent(dependency) && !scope.components.has(dependency)) {
          problems.add(this.where(`dependsOn.${dependency.name}`, env), `${dependency.name} is not a component of this app; expected one of ${componentNames(scope)}`);
        } else if (!dependency.deployedIn(environments).includes(env)) {
          problems.add(this.where(`dependsOn.${dependency.name}`, env), `${dependency.name} is not deployed in ${env.name}; expected a release of the same environment`);
        }
      }
    }
  }

  /** The base props (`env` undefined) or the props merged with the environment's override. */
  protected optionsFor(env?: DitEnvironment): ReleaseComponentProps & O {
    return env ? mergeDefined(this.props, this.overrides.get(env.name)) : this.props;
  }

  /** `chartRef` or `chart` of the spec. */
  protected abstract chartSource(): PlainObject;

  /** The HelmRelease for the base or one environment. */
  protected releaseObject(values: PlainObject, env?: DitEnvironment): PlainObject {
    const options = this.optionsFor(env);
    return orderManifest(HelmRelease.manifest({
      metadata: { name: this.name },
      spec: {
        releaseName: this.releaseName,
        interval: this.props.interval ?? '1h',
        driftDetection: { mode: (this.props.driftDetection ?? DriftDetectionMode.WARN) as never },
        ...this.chartSource(),
        ...renderReleaseOptions(options),
        values,
      } as never,
    }));
  }
}
