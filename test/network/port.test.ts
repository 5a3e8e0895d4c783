import { Port, Protocol } from '../../src';

describe('Port', () => {
  it('renders ports as strings, with the protocol unless it is any', () => {
    expect(Port.tcp(5672).toCilium()).toStrictEqual({ port: '5672', protocol: 'TCP' });
    expect(Port.udp(53).toCilium()).toStrictEqual({ port: '53', protocol: 'UDP' });
    expect(Port.any(8080).toCilium()).toStrictEqual({ port: '8080' });
  });

  it('matches listeners by number and compatible protocol', () => {
    expect(Port.tcp(8080).accepts(Port.any(8080))).toBe(true);
    expect(Port.tcp(8080).accepts(Port.udp(8080))).toBe(false);
    expect(Port.tcp(8080).accepts(Port.tcp(8081))).toBe(false);
    expect(Port.sctp(9).protocol).toBe(Protocol.SCTP);
  });

  it('rejects a port out of range', () => {
    expect(() => Port.tcp(65536).validate({ component: 'api', field: 'ports' })).toThrow('api ports: port 65536 is out of range; expected an integer from 1 to 65535');
    expect(() => Port.tcp(1.5).validate({ component: 'api', field: 'ports' })).toThrow(/out of range/);
  });
});
