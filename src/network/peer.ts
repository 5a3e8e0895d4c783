import { DitError, DitErrorLocation, received } from '../app/errors';
import { assertDnsLabel, assertDnsSubdomain, checkLabels } from '../app/kubernetes-names';
import { Problems } from '../app/validation';
import { Entity, cidrProblem, entityProblem } from './cilium-rules';

/** Which side of a Cilium policy a rule sits on. */
export type Direction = 'ingress' | 'egress';

/**
 * Something a component exchanges traffic with. Peers are typed objects so a rule can never
 * point at a misspelt label set: build them with the {@link Peer} factories, or pass another
 * component of the tree.
 */
export interface IPeer {
  /** Key of the rule in the chart's `ciliumNetworkPolicy.ingress`/`egress` maps. */
  readonly peerName: string;
  /** The selector half of a Cilium rule (`toEndpoints`, `fromCIDR`, …). */
  toCiliumSelector(direction: Direction, where: DitErrorLocation): Record<string, unknown>;
  /** Extra L7 rules for traffic to this peer (kube-dns: the DNS proxy rule FQDN policies need). */
  readonly l7Rules?: Record<string, unknown>;
  /** True for FQDN peers: Cilium learns their addresses only through a DNS proxy rule. */
  readonly requiresDns?: boolean;
  /**
   * Why the peer cannot be rendered (a factory got a bad address). Factories do not throw:
   * the problem is reported against every component whose rule names the peer.
   * @default - none: the peer is valid
   */
  readonly problem?: string;
  /**
   * Host names that reach this peer, as configurations write them (`cluster.rabbitmq`):
   * `dit-gitops verify` resolves a dialed host to the peer through them.
   * @default - none
   */
  readonly hosts?: readonly string[];
}

/** Options of {@link Peer.endpoint}. */
export interface EndpointPeerOptions {
  /** Rule name, for example `rabbitmq` or `database`. */
  readonly name: string;
  /** Pod labels that select the endpoint. */
  readonly labels: { readonly [key: string]: string };
  /**
   * Namespace of the endpoint.
   * @default - the component's own namespace (Cilium's default for endpoint selectors)
   */
  readonly namespace?: string;
  /** L7 rules attached to the rule's ports. @default - none */
  readonly l7Rules?: Record<string, unknown>;
  /**
   * Host names of the Service in front of the endpoint, as configurations name it
   * (`cluster.rabbitmq`, `cluster.rabbitmq.svc.cluster.local`); `dit-gitops verify` resolves
   * dialed hosts to this peer through them.
   * @default - none
   */
  readonly hosts?: readonly string[];
}

/** Options of the Traefik preset. */
export interface TraefikPeerOptions {
  /** @default 'traefik' */
  readonly namespace?: string;
  /** Value of `app.kubernetes.io/instance` on Traefik's pods. @default 'traefik-traefik' */
  readonly instance?: string;
}

/** Options shared by FQDN and CIDR peers. */
export interface NamedPeerOptions {
  /** Rule name. @default - derived from the address ('example.com' → 'example-com') */
  readonly name?: string;
}

const NAMESPACE_LABEL = 'io.kubernetes.pod.namespace';

class EndpointPeer implements IPeer {
  public readonly peerName: string;
  public readonly l7Rules?: Record<string, unknown>;
  public readonly hosts?: readonly string[];

  constructor(private readonly options: EndpointPeerOptions) {
    this.peerName = options.name;
    this.l7Rules = options.l7Rules;
    this.hosts = options.hosts?.map((h) => String(h).toLowerCase());
  }

  public get problem(): string | undefined {
    const problems = new Problems();
    const where = { component: 'peer', field: 'labels' };
    if (Object.keys(this.options.labels ?? {}).length === 0) return `peer ${this.peerName} has no labels; expected at least one pod label to select it`;
    checkLabels(this.options.labels, where, problems);
    if (this.options.namespace !== undefined) problems.check(() => assertDnsLabel(this.options.namespace, { component: 'peer', field: 'namespace' }));
    for (const host of this.options.hosts ?? []) problems.check(() => assertDnsSubdomain(host, { component: 'peer', field: 'hosts' }));
    const first = problems.problems[0];
    return first ? `peer ${this.peerName} ${first.field}: ${first.message}` : undefined;
  }

  public toCiliumSelector(direction: Direction, where: DitErrorLocation): Record<string, unknown> {
    const labels: Record<string, string> = { ...this.options.labels };
    if (Object.keys(labels).length === 0) {
      throw new DitError(where, `peer ${this.peerName} has no labels; expected at least one pod label to select it`);
    }
    if (this.options.namespace !== undefined) labels[NAMESPACE_LABEL] = this.options.namespace;
    const key = direction === 'ingress' ? 'fromEndpoints' : 'toEndpoints';
    return { [key]: [{ matchLabels: labels }] };
  }
}

class FqdnPeer implements IPeer {
  public readonly requiresDns = true;
  public readonly hosts?: readonly string[];

  constructor(public readonly peerName: string, private readonly matcher: 'matchName' | 'matchPattern', private readonly value: string, public readonly problem?: string) {
    if (matcher === 'matchName') this.hosts = [String(value).toLowerCase()];
  }

  public toCiliumSelector(direction: Direction, where: DitErrorLocation): Record<string, unknown> {
    if (direction === 'ingress') {
      throw new DitError(where, `FQDN peer ${this.value} cannot send ingress; expected an endpoint, CIDR or entity peer (Cilium has no fromFQDNs)`);
    }
    return { toFQDNs: [{ [this.matcher]: this.value }] };
  }
}

class CidrPeer implements IPeer {
  public readonly problem?: string;

  constructor(public readonly peerName: string, private readonly cidr: string) {
    this.problem = cidrProblem(cidr);
  }

  public toCiliumSelector(direction: Direction): Record<string, unknown> {
    return { [direction === 'ingress' ? 'fromCIDR' : 'toCIDR']: [this.cidr] };
  }
}

class EntityPeer implements IPeer {
  public readonly peerName: string;
  public readonly problem?: string;

  constructor(private readonly entity: Entity) {
    this.peerName = String(entity);
    this.problem = entityProblem(entity);
  }

  public toCiliumSelector(direction: Direction): Record<string, unknown> {
    return { [direction === 'ingress' ? 'fromEntities' : 'toEntities']: [this.entity] };
  }
}

const FQDN = /^(\*\.)?([a-z0-9]([-a-z0-9]*[a-z0-9])?\.)+[a-z]{2,63}$/i;
const FQDN_PATTERN = /^[-a-z0-9.*]+$/i;

/** Factories for the peers a rule can name. */
export class Peer {
  /** Pods selected by labels, optionally in another namespace (RabbitMQ, a database, …). */
  public static endpoint(options: EndpointPeerOptions): IPeer {
    return new EndpointPeer(options);
  }

  /** The Traefik ingress controller, as DIT clusters run it. */
  public static traefik(options: TraefikPeerOptions = {}): IPeer {
    return new EndpointPeer({
      name: 'traefik',
      namespace: options.namespace ?? 'traefik',
      labels: { 'app.kubernetes.io/instance': options.instance ?? 'traefik-traefik' },
    });
  }

  /**
   * kube-dns in kube-system, with the DNS proxy rule (`matchPattern: "*"`) that Cilium needs
   * to learn the addresses behind FQDN rules.
   */
  public static kubeDns(): IPeer {
    return new EndpointPeer({
      name: 'kube-dns',
      namespace: 'kube-system',
      labels: { 'k8s-app': 'kube-dns' },
      l7Rules: { dns: [{ matchPattern: '*' }] },
    });
  }

  /** An exact host name outside the cluster (egress only). */
  public static fqdn(host: string, options: NamedPeerOptions = {}): IPeer {
    const problem = typeof host === 'string' && FQDN.test(host) && !host.startsWith('*') ? undefined
      : `peer address ${received(host)} is no host name; expected a fully qualified host name such as api.example.com`;
    return new FqdnPeer(options.name ?? String(host).replace(/\./g, '-'), 'matchName', host, problem);
  }

  /** Host names matching a pattern such as `*.example.com` (egress only). */
  public static fqdnPattern(pattern: string, options: NamedPeerOptions = {}): IPeer {
    const problem = typeof pattern === 'string' && FQDN_PATTERN.test(pattern) && pattern.includes('.') ? undefined
      : `peer pattern ${received(pattern)} is no host pattern; expected a host pattern such as *.example.com`;
    return new FqdnPeer(options.name ?? String(pattern).replace(/\*/g, 'any').replace(/\./g, '-'), 'matchPattern', pattern, problem);
  }

  /** An address range, IPv4 or IPv6. */
  public static cidr(cidr: string, options: NamedPeerOptions = {}): IPeer {
    return new CidrPeer(options.name ?? `cidr-${String(cidr).replace(/[.:/]+/g, '-').replace(/-+$/, '')}`, cidr);
  }

  /** A Cilium reserved entity such as `world` or `kube-apiserver`. */
  public static entity(entity: Entity): IPeer {
    return new EntityPeer(entity);
  }

  private constructor() {}
}
