import { Construct } from 'constructs';
import { Connections } from '../network/connections';
import type { DitEnvironment } from '../app/environment';
import type { PlanContext } from '../app/plan-context';
import { DitError, DitErrorLocation } from '../app/errors';
import { assertDnsLabel } from '../app/names';
import { IComponentPeer } from '../network/connections';
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
   * @default { 'app.kubernetes.io/instance': <name> } (Helm's release label)
   */
  readonly podLabels?: { readonly [key: string]: string };
}

const COMPONENT_SYMBOL = Symbol.for('dit-gitops.DitComponent');

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
  /** Labels that select the component's pods. */
  public readonly podLabels: { readonly [key: string]: string };
  private readonly limitedTo?: readonly DitEnvironment[];

  constructor(scope: Construct, id: string, props: DitComponentProps = {}) {
    // Checked before super() so the user sees our message rather than constructs' id clash.
    if (scope.node.tryFindChild(id)) {
      throw new DitError({ component: props.name ?? id, field: 'name' }, 'is used by two components; expected one component per name (it is their directory and release name)');
    }
    super(scope, id);
    Object.defineProperty(this, COMPONENT_SYMBOL, { value: true });
    this.name = props.name ?? id;
    assertDnsLabel(this.name, { component: this.name, field: 'name' });
    this.ports = props.ports ?? [Port.tcp(8080)];
    this.ports.forEach((p) => p.validate({ component: this.name, field: 'ports' }));
    this.podLabels = props.podLabels ?? { 'app.kubernetes.io/instance': this.name };
    this.limitedTo = props.environments;
    this.connections = new Connections(this);
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

  /** Directory of the component's overlay for `env`, relative to the output root. */
  public overlayDirectory(env: DitEnvironment): string {
    return `${this.name}/${env.name}`;
  }

  /** @internal Creates the component's file constructs, once all definitions are in. */
  public abstract _prepare(context: PlanContext): void;

  /** @internal Cross-checks the component against the app; throws a DitError. */
  public _validate(environments: readonly DitEnvironment[]): void {
    for (const env of this.limitedTo ?? []) {
      if (!environments.includes(env)) {
        throw new DitError(this.where('environments'), `names environment ${env.name}, which is not part of this app; expected one of ${environments.map((e) => e.name).join(', ')}`);
      }
    }
    for (const rule of this.connections.rules) {
      const own = this.deployedIn(environments);
      for (const env of rule.environments ?? []) {
        if (!own.includes(env)) {
          throw new DitError({ ...this.where(`${rule.statement}.environments`), environment: env.name },
            `${this.name} is not deployed in ${env.name}; expected one of ${own.map((e) => e.name).join(', ')}`);
        }
      }
    }
  }

  protected where(field: string, environment?: DitEnvironment): DitErrorLocation {
    return { component: this.name, environment: environment?.name, field };
  }
}
