import { DitError, DitErrorLocation } from '../app/errors';
import { assertDnsSubdomain } from '../app/kubernetes-names';
import type { DitEnvironment } from '../app/environment';
import { Direction, IPeer } from './peer';
import { Port } from './port';
import type { Problems } from '../app/validation';

/** A peer that is itself a component of the tree: one statement configures both ends. */
export interface IComponentPeer extends IPeer {
  readonly name: string;
  readonly ports: readonly Port[];
  readonly connections: Connections;
}

export function isComponentPeer(peer: IPeer): peer is IComponentPeer {
  return 'connections' in peer && 'ports' in peer;
}

/** Options of {@link Connections.allowTo} and {@link Connections.allowFrom}. */
export interface ConnectionOptions {
  /**
   * Environments the rule applies in; the rule then lands in those overlays only.
   * @default - every environment the component (and a component peer) is deployed in
   */
  readonly environments?: readonly DitEnvironment[];
}

/** One stated fact: traffic between the owner and a peer on some ports. */
export interface ConnectionRule {
  readonly direction: Direction;
  readonly peer: IPeer;
  readonly ports: readonly Port[];
  /** Explicit environments, or undefined for "wherever both ends are deployed". */
  readonly environments?: readonly DitEnvironment[];
  /** The statement as the user wrote it, for error messages. */
  readonly statement: string;
}

/**
 * The network facts of one component. Clusters enforce default-deny, so every component
 * states its ingress and its egress; between two components of the tree one statement
 * produces both sides.
 */
export class Connections {
  private readonly _rules: ConnectionRule[] = [];
  private _denyAllIngress = false;
  private _denyAllEgress = false;
  private _defaultDns = true;
  private readonly _declaredHosts = new Map<string, string>();
  // Checks of the statements, run when the app validates: a statement never throws.
  private readonly deferred: Array<() => void> = [];

  constructor(private readonly owner: IComponentPeer) {}

  /** Allows this component to open connections to `peer` (egress here, ingress there). */
  public allowTo(peer: IPeer, ports?: Port | readonly Port[], options: ConnectionOptions = {}): this {
    const statement = `connections.allowTo(${peer.peerName})`;
    const list = this.portsFor(peer, ports, statement, isComponentPeer(peer) ? peer : undefined);
    this.add({ direction: 'egress', peer, ports: list, environments: options.environments, statement });
    if (isComponentPeer(peer)) {
      peer.connections.add({ direction: 'ingress', peer: this.owner, ports: list, environments: options.environments, statement: `connections.allowFrom(${this.owner.name})` });
    }
    return this;
  }

  /** Allows `peer` to open connections to this component on `ports` (default: all its ports). */
  public allowFrom(peer: IPeer, ports?: Port | readonly Port[], options: ConnectionOptions = {}): this {
    const statement = `connections.allowFrom(${peer.peerName})`;
    const list = this.portsFor(peer, ports, statement, this.owner);
    this.add({ direction: 'ingress', peer, ports: list, environments: options.environments, statement });
    if (isComponentPeer(peer)) {
      peer.connections.add({ direction: 'egress', peer: this.owner, ports: list, environments: options.environments, statement: `connections.allowTo(${this.owner.name})` });
    }
    return this;
  }

  /**
   * States that `host`, which the configuration names, is reached some other way than a
   * peer of this component's policy (an egress proxy, a sidecar): `dit-gitops verify` takes
   * it as resolved and says why.
   */
  public declareHost(host: string, reason: string): this {
    const key = String(host).toLowerCase();
    if (this._declaredHosts.has(key)) {
      this.deferred.push(() => {
        throw new DitError(this.where('connections.declareHost'), `${key} is declared twice; expected one declaration per host`);
      });
    }
    this.deferred.push(() => assertDnsSubdomain(key, this.where('connections.declareHost')));
    this._declaredHosts.set(key, reason);
    return this;
  }

  /** Hosts declared as reached outside the policy, with the reason given. */
  public get declaredHosts(): ReadonlyMap<string, string> {
    return this._declaredHosts;
  }

  /** States that nothing may connect to this component (a worker, a cron job). */
  public denyAllIngress(): this {
    this._denyAllIngress = true;
    return this;
  }

  /** States that this component opens no connection at all, not even DNS. */
  public denyAllEgress(): this {
    this._denyAllEgress = true;
    this._defaultDns = false;
    return this;
  }

  /** Drops the default kube-dns egress (it comes back when an FQDN rule needs it). */
  public withoutDefaultDns(): this {
    this._defaultDns = false;
    return this;
  }

  public get rules(): readonly ConnectionRule[] {
    return this._rules;
  }

  public get deniesAllIngress(): boolean {
    return this._denyAllIngress;
  }

  public get deniesAllEgress(): boolean {
    return this._denyAllEgress;
  }

  public get defaultDns(): boolean {
    return this._defaultDns;
  }

  /** @internal Adds a rule stated on either end. A rule that breaks a denyAll is reported by {@link check}. */
  public add(rule: ConnectionRule): void {
    this._rules.push(rule);
  }

  /**
   * @internal Reports every mistake in the statements of this component: bad ports, bad peers
   * and rules that break a denyAll, whichever came first. Statements never throw, so all of
   * them are reported at once.
   */
  public check(problems: Problems): void {
    for (const check of this.deferred) problems.check(check);
    for (const rule of this._rules) {
      const where = this.where(rule.statement);
      if (rule.peer.problem) problems.add(where, rule.peer.problem);
      if (rule.direction === 'ingress' ? this._denyAllIngress : this._denyAllEgress) {
        problems.add(where, `${this.owner.name} denies all ${rule.direction}; expected no ${rule.direction} rule, or remove denyAll${rule.direction === 'ingress' ? 'Ingress' : 'Egress'}()`);
      }
    }
  }

  private portsFor(peer: IPeer, ports: Port | readonly Port[] | undefined, statement: string, listener?: IComponentPeer): readonly Port[] {
    const where = { ...this.where(statement), field: `${statement}.ports` };
    const list: readonly Port[] = ports === undefined ? listener?.ports ?? [] : ports instanceof Port ? [ports] : ports;
    if (list.length === 0) {
      this.deferred.push(() => {
        throw new DitError(where, `no port given for ${peer.peerName}; expected at least one Port, for example Port.tcp(443)`);
      });
    }
    for (const port of list) {
      this.deferred.push(() => port.validate(where));
      if (listener && !listener.ports.some((p) => p.accepts(port))) {
        this.deferred.push(() => {
          throw new DitError(where, `${listener.name} has no port ${port}; expected one of its ports: ${listener.ports.map(String).join(', ')}`);
        });
      }
    }
    return list;
  }

  private where(field: string): DitErrorLocation {
    return { component: this.owner.name, field };
  }
}
