import { parseBytes, parseCpus, parseDuration, parseExpose, parsePort, parseVolume, toStringMap } from '../../src/compose/compose-syntax';

describe('parsePort', () => {
  test.each([
    ['3000', [{ target: 3000, protocol: 'tcp' }]],
    ['8080:80', [{ target: 80, protocol: 'tcp', published: '8080' }]],
    ['3001-3003', [{ target: 3001, protocol: 'tcp' }, { target: 3002, protocol: 'tcp' }, { target: 3003, protocol: 'tcp' }]],
    ['9090-9091:8080-8081', [{ target: 8080, protocol: 'tcp', published: '9090-9091' }, { target: 8081, protocol: 'tcp', published: '9090-9091' }]],
    ['127.0.0.1:8001:8001', [{ target: 8001, protocol: 'tcp', published: '8001', hostIp: '127.0.0.1' }]],
    ['53:53/udp', [{ target: 53, protocol: 'udp', published: '53' }]],
    ['[::1]:6001:6001', [{ target: 6001, protocol: 'tcp', published: '6001', hostIp: '::1' }]],
    ['127.0.0.1::5000', [{ target: 5000, protocol: 'tcp', hostIp: '127.0.0.1' }]],
  ])('%s', (text, expected) => {
    expect(parsePort(text)).toStrictEqual({ ok: true, value: expected });
  });

  test('numbers and the long syntax', () => {
    expect(parsePort(80)).toStrictEqual({ ok: true, value: [{ target: 80, protocol: 'tcp' }] });
    expect(parsePort({ target: 80, published: 8080, host_ip: '0.0.0.0', protocol: 'UDP', mode: 'host' }))
      .toStrictEqual({ ok: true, value: [{ target: 80, protocol: 'udp', published: '8080', hostIp: '0.0.0.0' }] });
  });

  test.each([
    ['80:http', 'got "80:http"; expected [[HOST_IP:]HOST_PORT:]CONTAINER_PORT[/PROTOCOL], for example "8080:80" or "127.0.0.1:53:53/udp"'],
    ['70000', 'container port "70000" in "70000" is out of range; expected 1 to 65535 (or a range low-high)'],
    ['80/icmp', 'protocol "icmp" in "80/icmp" is not known; expected tcp, udp or sctp'],
    ['3005-3001', 'container port "3005-3001" in "3005-3001" is out of range; expected 1 to 65535 (or a range low-high)'],
  ])('%s is refused', (text, message) => {
    expect(parsePort(text)).toStrictEqual({ ok: false, message });
  });

  test('a long-form port without target is refused', () => {
    expect(parsePort({ published: 80 })).toStrictEqual({ ok: false, message: 'target undefined is not a port; expected a number from 1 to 65535' });
  });
});

describe('parseExpose', () => {
  test('ports, ranges and protocols', () => {
    expect(parseExpose('3000')).toStrictEqual({ ok: true, value: [{ target: 3000, protocol: 'tcp' }] });
    expect(parseExpose(5432)).toStrictEqual({ ok: true, value: [{ target: 5432, protocol: 'tcp' }] });
    expect(parseExpose('8000-8001')).toStrictEqual({ ok: true, value: [{ target: 8000, protocol: 'tcp' }, { target: 8001, protocol: 'tcp' }] });
    expect(parseExpose('53/udp')).toStrictEqual({ ok: true, value: [{ target: 53, protocol: 'udp' }] });
    expect(parseExpose('web')).toStrictEqual({ ok: false, message: 'got "web"; expected a container port such as "3000", "8000-8001" or "53/udp"' });
  });
});

describe('parseVolume', () => {
  test.each([
    ['db-data:/var/lib/postgresql/data', { type: 'volume', source: 'db-data', target: '/var/lib/postgresql/data', readOnly: false }],
    ['./conf:/etc/app:ro', { type: 'bind', source: './conf', target: '/etc/app', readOnly: true }],
    ['/srv/html:/usr/share/nginx/html:z,ro', { type: 'bind', source: '/srv/html', target: '/usr/share/nginx/html', readOnly: true }],
    ['/cache', { type: 'volume', target: '/cache', readOnly: false }],
  ])('%s', (text, expected) => {
    expect(parseVolume(text)).toStrictEqual({ ok: true, value: expected });
  });

  test('the long syntax, and what it refuses', () => {
    expect(parseVolume({ type: 'bind', source: './a', target: '/a', read_only: true })).toStrictEqual({ ok: true, value: { type: 'bind', source: './a', target: '/a', readOnly: true } });
    expect(parseVolume({ type: 'tmpfs', target: '/tmp' })).toStrictEqual({ ok: true, value: { type: 'tmpfs', target: '/tmp', readOnly: false } });
    expect(parseVolume({ type: 'nfs', target: '/a' })).toStrictEqual({ ok: false, message: 'type "nfs" is not known; expected one of volume, bind, tmpfs, npipe, cluster, image' });
    expect(parseVolume({ source: 'a' })).toStrictEqual({ ok: false, message: 'target undefined is not a path; expected the mount path in the container' });
  });
});

describe('durations, bytes, cpus, maps', () => {
  test('durations in seconds', () => {
    expect([parseDuration('10s'), parseDuration('1m30s'), parseDuration('500ms'), parseDuration('1h')]).toStrictEqual([
      { ok: true, value: 10 }, { ok: true, value: 90 }, { ok: true, value: 0.5 }, { ok: true, value: 3600 },
    ]);
    expect(parseDuration('soon')).toStrictEqual({ ok: false, message: 'got "soon"; expected a duration such as 10s, 1m30s or 500ms' });
  });

  test('bytes with binary units', () => {
    expect([parseBytes('512M'), parseBytes('1g'), parseBytes('1.5gb'), parseBytes(1024)]).toStrictEqual([
      { ok: true, value: 512 * 1024 ** 2 }, { ok: true, value: 1024 ** 3 }, { ok: true, value: 1.5 * 1024 ** 3 }, { ok: true, value: 1024 },
    ]);
    expect(parseBytes('lots')).toStrictEqual({ ok: false, message: 'got "lots"; expected a byte value such as 512m, 1g or 1073741824' });
  });

  test('cpus', () => {
    expect([parseCpus('0.5'), parseCpus(2)]).toStrictEqual([{ ok: true, value: 0.5 }, { ok: true, value: 2 }]);
    expect(parseCpus('-1')).toStrictEqual({ ok: false, message: 'got "-1"; expected a positive number of CPUs such as 0.5' });
  });

  test('KEY=value lists and maps', () => {
    expect(toStringMap(['A=1', 'B=x=y', 'C'])).toStrictEqual({ A: '1', B: 'x=y', C: undefined });
    expect(toStringMap({ A: 1, B: true, C: null })).toStrictEqual({ A: '1', B: 'true', C: undefined });
  });
});
