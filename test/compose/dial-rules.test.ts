import { TCP, fixturePlan, inlinePlan } from './fixture-plan';

// Issue 20: what a value names without a port, or names without the pod dialing it. The
// fixture: WordPress naming its MariaDB without a port, empty Let's Encrypt and Gitpod hosts,
// a Next.js NEXT_PUBLIC_API_URL of localhost, and an API checking itself on loopback.
const { lines, component } = fixturePlan('dials');

describe('a host named without a port', () => {
  test('WORDPRESS_DB_HOST=db: the connection is on the image\'s default (mariadb 3306), not every port db listens on', () => {
    expect(component('db').ports).toStrictEqual([TCP(3306), TCP(33060)]);
    expect(component('wordpress').connectsTo).toStrictEqual([{ target: 'db', ports: [TCP(3306)] }]);
    expect(lines('wordpress')).toContain('env WORDPRESS_DB_HOST names db with no port → allowTo db :3306 (db listens on 3306,33060; a client of its image dials the image\'s default 3306, so verify takes the port from this connection)');
    // The value is kept as written: an app that reads a host alone would break on host:port.
    expect(component('wordpress').golden!.configs!.WORDPRESS_DB_HOST).toBe('db');
  });

  test('no known default among the ports: every port, and the report says verify reports the call', () => {
    const q = inlinePlan('services:\n  app:\n    image: ghcr.io/o/app:sha-1234567\n    ports: ["80"]\n    environment: { ENGINE_HOST: engine }\n  engine:\n    image: ghcr.io/o/engine:sha-1234567\n    expose: ["7000", "7001"]\n');
    expect(q.components.find((c) => c.name === 'app')!.connectsTo).toStrictEqual([{ target: 'engine', ports: [TCP(7000), TCP(7001)] }]);
    expect(q.report.map((l) => l.message)).toContain('env ENGINE_HOST names engine with no port → allowTo engine :7000,7001 (every port it listens on: none is its image\'s known default), so verify reports the call until the value names the port');
  });
});

describe('what a value names but the pod does not dial', () => {
  test('an empty host (LETSENCRYPT_HOST=, GITPOD_WORKSPACE_URL=${X:-}) names nothing: no connection and no report line', () => {
    expect(component('wordpress').golden!.configs).toMatchObject({ LETSENCRYPT_HOST: '', VIRTUAL_HOST: '' });
    expect(lines('wordpress').filter((l) => /LETSENCRYPT|VIRTUAL_HOST/.test(l))).toStrictEqual([]);
    expect(lines('api').filter((l) => l.includes('GITPOD'))).toStrictEqual([]);
  });

  test('NEXT_PUBLIC_API_URL is the browser\'s: no connection, and the report says a localhost there is the user\'s machine', () => {
    expect(component('frontend').connectsTo).toStrictEqual([{ target: 'api', ports: [TCP(8000)] }]);
    expect(component('frontend').externalHosts).toBeUndefined();
    expect(lines('frontend')).toContain("env NEXT_PUBLIC_API_URL (localhost:8000) is read by the browser, not dialed by the pod: no connection, and verify does not follow it (NEXT_PUBLIC_* values are built into the client bundle); the browser's localhost is the user's own machine, so outside a laptop it reaches nothing: set it to the public URL of the service it means (an Ingress host; x-dit.expose: public)");
  });

  test('a browser-side value naming a Service: the browser cannot resolve it', () => {
    const q = inlinePlan('services:\n  ui:\n    image: ghcr.io/o/ui:sha-1234567\n    ports: ["3000:3000"]\n    environment: { VITE_API_URL: "http://api:8000" }\n  api:\n    image: ghcr.io/o/api:sha-1234567\n    expose: ["8000"]\n');
    expect(q.components.find((c) => c.name === 'ui')!.connectsTo).toStrictEqual([]);
    expect(q.report.filter((l) => l.service === 'ui').map((l) => l.message)).toContain("env VITE_API_URL (api:8000) is read by the browser, not dialed by the pod: no connection, and verify does not follow it (VITE_* values are built into the client bundle); api is a Service name, which the browser cannot resolve: set it to api's public URL (an Ingress host; x-dit.expose: public)");
  });

  test('loopback in a URL is the container itself: no connection; the report says whether the service listens there', () => {
    expect(component('api').connectsTo).toStrictEqual([]);
    expect(lines('api')).toContain('env SELF_CHECK_URL dials localhost:8000: loopback is the container itself (in a pod as under compose), no connection; api listens on 8000 itself, which verify accepts');
    const q = inlinePlan('services:\n  web:\n    image: ghcr.io/o/web:sha-1234567\n    ports: ["3000"]\n    environment: { BACKEND_URL: "http://127.0.0.1:8000" }\n');
    expect(q.report.map((l) => l.message)).toContain('env BACKEND_URL dials 127.0.0.1:8000: loopback is the container itself (in a pod as under compose), no connection; nothing in web listens on 8000, so verify reports the call: name the service it means instead (its Service name and port)');
  });

  test('a service naming itself (logstash\'s discovery.seed_hosts: logstash) is no connection, and the report says so', () => {
    const q = inlinePlan('services:\n  logstash:\n    image: logstash:7.16.1\n    ports: ["5044:5044", "9600:9600"]\n    environment: { discovery.seed_hosts: logstash }\n');
    expect(q.components[0].connectsTo).toStrictEqual([]);
    expect(q.report.map((l) => l.message)).toContain('env discovery.seed_hosts names logstash, logstash itself: no connection (with one replica, its own Service sends the call back to the same pod and Cilium applies no policy to that, which verify notes; with more, the call may reach another replica, which verify checks like any other)');
  });
});
