import { DitError, DitErrorLocation, received } from '../app/errors';
import { protocolProblem } from './cilium-rules';

/** Transport protocol of a {@link Port}, as Cilium spells it. */
export enum Protocol {
  TCP = 'TCP',
  UDP = 'UDP',
  SCTP = 'SCTP',
  /** Cilium's reading of a rule with no protocol: TCP, UDP and SCTP. */
  ANY = 'ANY',
}

/**
 * A port a component listens on or a rule allows. `Port.tcp(5672)` is the usual choice;
 * `Port.any(8080)` renders a rule without a protocol, which is how hand-written DIT values
 * (seed 004) state their ports, so migrated repos reproduce byte for byte.
 */
export class Port {
  public static tcp(port: number): Port {
    return new Port(port, Protocol.TCP);
  }

  public static udp(port: number): Port {
    return new Port(port, Protocol.UDP);
  }

  public static sctp(port: number): Port {
    return new Port(port, Protocol.SCTP);
  }

  /** Any protocol on this port: a Cilium rule without `protocol`. */
  public static any(port: number): Port {
    return new Port(port, Protocol.ANY);
  }

  private constructor(public readonly number: number, public readonly protocol: Protocol) {}

  /** Throws unless the number is a valid TCP/UDP port. */
  public validate(where: DitErrorLocation): void {
    if (!Number.isInteger(this.number) || this.number < 1 || this.number > 65535) {
      throw new DitError(where, `port ${received(this.number)} is out of range; expected an integer from 1 to 65535`);
    }
    const protocol = protocolProblem(this.protocol);
    if (protocol) throw new DitError(where, protocol);
  }

  /** True when traffic allowed on `other` can reach a listener on this port. */
  public accepts(other: Port): boolean {
    return this.number === other.number
      && (this.protocol === other.protocol || this.protocol === Protocol.ANY || other.protocol === Protocol.ANY);
  }

  /** The entry of a Cilium `toPorts[].ports` list. Ports are strings in Cilium's schema. */
  public toCilium(): { port: string; protocol?: string } {
    return this.protocol === Protocol.ANY
      ? { port: String(this.number) }
      : { port: String(this.number), protocol: this.protocol };
  }

  public toString(): string {
    return this.protocol === Protocol.ANY ? String(this.number) : `${this.number}/${this.protocol}`;
  }
}
