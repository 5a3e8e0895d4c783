import { Construct } from 'constructs';
import { Connections } from '../network/connections';
import type { DitEnvironment } from '../app/environment';
import type { PlanContext } from '../app/plan-context';
import { DitError, DitErrorLocation } from '../app/errors';
import { assertDnsLabel, checkLabels } from '../app/kubernetes-names';
import { DitProblem, Problems } from '../app/validation';
import { SecurityOptOut, checkSecurityOptOut } from './protected-values';
import { IComponentPeer, isComponentPeer } from '../network/connections';
import { Direction } from '../network/peer';
import { Port } from '../network/port';

/** Props every component shares. */
export interface DitComponentProps {
  /** Component name: directory, HelmRelease and rule name. @default - the construct id */
  readonly name?: string;
  /**
   * Environments the component is deployed in.
   * @default - every environment of the app
   */
  readonly environments?: readonly DitEnvironment[];
  /**
   * Ports the component listens on; connections to it are checked against them.
   * @default [Port.tcp(8080)]
   */
  readonly ports?: readonly Port[];
  /**
   * Labels that select the component's pods in network rules.
   * @default - { 'app.kubernetes.io/instance': <release name> } (Helm's release label) for
   * charts; for raw manifests, the pod labels all their workloads share
   */
  readonly podLabels?: { readonly [key: string]: string };
  /**
   * The one way round the security defaults: what is relaxed and why. Protected values
   * (security contexts, privileged, host namespaces, hostPath, added capabilities, the
   * network policy) are refused in values, overrides and raw manifests unless this relaxes
   * them; the base files carry it as a comment.
   * @default - nothing relaxed
   */
  readonly securityOptOut?: SecurityOptOut;
}

const COMPONENT_SYMBOL = Symbol.for('dit-gitops.DitComponent');

/** Something deployed that answers on a host and path (a golden chart's ingress, the gateway). */
export interface IngressRoute {
  readonly host: string;
  readonly path: string;
  /** The field that sets it, for messages. */
  readonly field: string;
}

/** What a component is validated against when the app plans. */
export interface ValidationScope {
  /** Every environment of the app, in declaration order. */
  readonly environments: readonly DitEnvironment[];
  /** Every component of the app: a reference to anything else points outside the app. */
  readonly components: ReadonlySet<DitComponent>;
  /** Where problems are recorded: validation reports them all, never only the first. */
  readonly problems: Problems;
}

/**
 * Anything deployed through the tree. A component is also a network peer: other components
 * name it in `allowTo`/`allowFrom`, and the rule lands on both ends.
 */
export abstract class DitComponent extends Construct implements IComponentPeer {
  public static isComponent(x: unknown): x is DitComponent {
    return typeof x === 'object' && x !== null && COMPONENT_SYMBOL in x;
  }

  public readonly name: string;
  public readonly ports: readonly Port[];
  public readonly connections: Connections;
  /** What the component relaxes of the security defaults, if anything. */
  public readonly securityOptOut?: SecurityOptOut;
  private readonly limitedTo?: readonly DitEnvironment[];
  private readonly ownPodLabels?: { readonly [key: string]: string };
  // Mistakes seen while the definitions were being built, reported with the rest at plan time.
  private readonly deferredProblems: DitProblem[] = [];

  constructor(scope: Construct, id: string, props: DitComponentProps = {}) {
    // Checked before super() so the user sees our message rather than constructs' id clash.
    const clash = scope.node.tryFindChild(id);
    if (clash) {
      throw new DitError({ component: props.name ?? id, field: 'name' }, DitComponent.isComponent(clash)
        ? 'is used by two components; expected one component per name (it is their directory and release name)'
        : `is also the construct id of a ${clash.constructor.name}; expected an id no other construct of the app uses`);
    }
    super(scope, id);
    Object.defineProperty(this, COMPONENT_SYMBOL, { value: true });
    this.name = props.name ?? id;
    this.ports = props.ports ?? [Port.tcp(8080)];
    this.ownPodLabels = props.podLabels;
    this.limitedTo = props.environments;
    this.securityOptOut = props.securityOptOut;
    this.connections = new Connections(this);
  }

  /** Labels that select the component's pods (its policy's endpointSelector, peers' rules). */
  public get podLabels(): { readonly [key: string]: string } {
    return this.ownPodLabels ?? this.defaultPodLabels();
  }

  /** The pod labels when none are given. @default { 'app.kubernetes.io/instance': <name> } */
  protected defaultPodLabels(): { readonly [key: string]: string } {
    return { 'app.kubernetes.io/instance': this.name };
  }

  public get peerName(): string {
    return this.name;
  }

  public toCiliumSelector(direction: Direction): Record<string, unknown> {
    return { [direction === 'ingress' ? 'fromEndpoints' : 'toEndpoints']: [{ matchLabels: { ...this.podLabels } }] };
  }

  /** The environments this component is deployed in, in the app's order. */
  public deployedIn(all: readonly DitEnvironment[]): readonly DitEnvironment[] {
    return this.limitedTo ? all.filter((env) => this.limitedTo!.includes(env)) : all;
  }

  /**
   * The component whose overlay includes this one's in `env` (a follower of its image), so the
   * environment's aggregator lists that one only. @default - none: the aggregator lists it
   */
  public includedBy(_env: DitEnvironment): DitComponent | undefined {
    return undefined;
  }

  /** Directory of the component's overlay for `env`, relative to the output root. */
  public overlayDirectory(env: DitEnvironment): string {
    return `${this.name}/${env.name}`;
  }

  /** @internal Creates the component's file constructs, once all definitions are in. */
  public abstract _prepare(context: PlanContext): void;

  /**
   * @internal Checks the component against the app and records every problem in
   * `scope.problems`; subclasses add theirs after calling super.
   */
  public _validate(scope: ValidationScope): void {
    const { environments, problems } = scope;
    for (const problem of this.deferredProblems) problems.add(problem, problem.message);
    problems.check(() => assertDnsLabel(this.name, this.where('name')));
    this.ports.forEach((p, i) => problems.check(() => p.validate(this.where(`ports[${i}]`))));
    // Default labels come from the name, which is checked above: report the name only.
    if (this.ownPodLabels !== undefined) checkLabels(this.podLabels, this.where('podLabels'), problems, { nonEmpty: true });
    checkSecurityOptOut(this.securityOptOut, this.where('securityOptOut'), problems);
    if (this.limitedTo !== undefined && this.limitedTo.length === 0) {
      problems.add(this.where('environments'), 'got []; expected at least one environment, or no environments prop to deploy in every environment');
    }
    for (const env of this.limitedTo ?? []) {
      if (!environments.includes(env)) {
        problems.add(this.where('environments'), `names environment ${env.name}, which is not part of this app; expected one of ${environments.map((e) => e.name).join(', ')}`);
      }
    }
    this.connections.check(problems);
    const own = this.deployedIn(environments);
    for (const rule of this.connections.rules) {
      for (const env of rule.environments ?? []) {
        if (!own.includes(env)) {
          problems.add({ ...this.where(`${rule.statement}.environments`), environment: env.name },
            `${this.name} is not deployed in ${env.name}; expected one of ${own.map((e) => e.name).join(', ')}`);
        }
      }
      if (isComponentPeer(rule.peer) && DitComponent.isComponent(rule.peer) && !scope.components.has(rule.peer)) {
        problems.add(this.where(rule.statement), `${rule.peer.name} is not a component of this app; expected one of ${componentNames(scope)}`);
      }
    }
  }

  /**
   * @internal Checks that need the rendered objects (raw manifests per environment, shared
   * layouts). Runs after every {@link _validate}; rendering needs valid input, so when other
   * problems were found the app ignores a renderer's own failure here. @default none
   */
  public _validateRendered(_scope: ValidationScope): void {
    return;
  }

  /** Records a mistake found while the definitions are built; it is reported when the app plans. */
  protected deferProblem(where: DitErrorLocation, message: string): void {
    this.deferredProblems.push({ ...where, message });
  }

  /** Runs a check that throws a DitError now, and reports its problem when the app plans. */
  protected deferCheck(check: () => void): void {
    try {
      check();
    } catch (error) {
      if (!(error instanceof DitError)) throw error;
      this.deferProblem(error.location, error.problem);
    }
  }

  protected where(field: string, environment?: DitEnvironment): DitErrorLocation {
    return { component: this.name, environment: environment?.name, field };
  }
}

/** The app's component names, for messages. */
export function componentNames(scope: ValidationScope): string {
  return [...scope.components].map((c) => c.name).join(', ') || 'none';
}
