import { DitApi, DitGateway, GitOpsApp, Middleware, Peer, Port } from '../../src';
import { failingSynth, planDocuments, twoEnvironments } from '../support';

describe('DitGateway', () => {
  const docs = planDocuments(twoEnvironments((app, { prod }) => {
    const api = new DitApi(app, 'orders', { ports: [Port.tcp(8080), Port.tcp(9090)] });
    api.connections.allowFrom(Peer.traefik(), Port.tcp(8080));
    const gw = new DitGateway(app, 'gateway', { subdomain: 'edge' });
    gw.connections.allowFrom(Peer.traefik());
    const auth = Middleware.forwardAuth('auth', { address: 'http://auth.team.svc/verify', authResponseHeaders: ['X-User'] });
    gw.addMiddleware(auth).addMiddleware(Middleware.headers('cors', { response: { 'Access-Control-Allow-Origin': '*' } }));
    gw.addRoute({ backend: api, port: Port.tcp(9090), pathPrefix: '/orders', middlewares: [auth] });
    gw.addRoute({ name: 'orders-admin', backend: api, host: 'admin.example.com', environments: [prod] });
  }));
  const values = (file: string) => docs[file][0].spec.values;

  it('routes and middlewares are chart values; hosts come from each environment', () => {
    expect(values('gateway/base/release.yaml').routes).toStrictEqual({
      orders: { match: { pathPrefix: '/orders' }, middlewares: ['auth'], service: { name: 'orders', port: 9090 } },
    });
    expect(values('gateway/base/release.yaml').middlewares).toStrictEqual({
      auth: { forwardAuth: { address: 'http://auth.team.svc/verify', authResponseHeaders: ['X-User'] } },
      cors: { headers: { customResponseHeaders: { 'Access-Control-Allow-Origin': '*' } } },
    });
    expect(values('gateway/development/release.yaml')).toStrictEqual({ gateway: { host: 'edge.dev.example.com' }, routes: { orders: { match: { host: 'edge.dev.example.com' } } } });
    expect(values('gateway/production/release.yaml').routes['orders-admin']).toStrictEqual({ match: { host: 'admin.example.com' }, service: { name: 'orders', port: 8080 } });
  });

  it('a route is a connection on both ends', () => {
    expect(values('gateway/base/release.yaml').ciliumNetworkPolicy.egress.orders.toPorts).toStrictEqual([{ ports: [{ port: '9090', protocol: 'TCP' }] }]);
    expect(values('orders/base/release.yaml').ciliumNetworkPolicy.ingress.gateway.toPorts).toStrictEqual([{ ports: [{ port: '9090', protocol: 'TCP' }] }]);
    expect(values('orders/production/release.yaml').ciliumNetworkPolicy.ingress.gateway.toPorts).toStrictEqual([{ ports: [{ port: '8080', protocol: 'TCP' }, { port: '9090', protocol: 'TCP' }] }]);
  });
});

describe('bad gateway input', () => {
  const gateway = (app: GitOpsApp) => {
    const gw = new DitGateway(app, 'gateway');
    gw.connections.allowFrom(Peer.traefik());
    return gw;
  };

  it('a route to a port the component does not have', () => {
    expect(failingSynth((app) => {
      const api = new DitApi(app, 'api');
      api.connections.allowFrom(Peer.traefik());
      gateway(app).addRoute({ backend: api, port: Port.tcp(9999), pathPrefix: '/api' });
    }).message).toBe('gateway connections.allowTo(api).ports: api has no port 9999/TCP; expected one of its ports: 8080/TCP');
  });

  it('a route to a component that is not in the app', () => {
    const elsewhere = new DitApi(new GitOpsApp(), 'billing');
    expect(failingSynth((app) => { gateway(app).addRoute({ backend: elsewhere, pathPrefix: '/billing' }); }).message)
      .toBe([
        'gateway connections.allowTo(billing): billing is not a component of this app; expected one of gateway',
        'gateway routes.billing: routes to billing, which is not a component of this app; expected one of gateway',
      ].join('\n'));
  });

  it('a route to a component not deployed where the gateway is', () => {
    expect(failingSynth((app, { dev }) => {
      const api = new DitApi(app, 'api', { environments: [dev] });
      api.connections.allowFrom(Peer.traefik());
      gateway(app).addRoute({ backend: api, pathPrefix: '/api' });
    }).message).toBe('gateway [production] routes.api: routes to api, which is not deployed in production; expected a backend of the same environment');
  });

  it('a route through a middleware the gateway does not have', () => {
    expect(failingSynth((app) => {
      const api = new DitApi(app, 'api');
      api.connections.allowFrom(Peer.traefik());
      gateway(app).addRoute({ backend: api, pathPrefix: '/api', middlewares: [Middleware.rateLimit('limit', { average: 5 })] });
    }).message).toBe('gateway routes.api: uses middleware limit, which is not added to the gateway; expected addMiddleware() first');
  });

  it('malformed middlewares and routes, all reported at once', () => {
    expect(failingSynth((app) => {
      const gw = gateway(app);
      gw.addMiddleware(Middleware.stripPrefix('strip', ['api']));
      gw.addMiddleware(Middleware.rateLimit('rl', { average: 0 }));
      gw.addMiddleware(Middleware.forwardAuth('fa', { address: 'auth' }));
      const x = new DitApi(app, 'x');
      x.connections.allowFrom(Peer.traefik());
      gw.addRoute({ backend: x, pathPrefix: 'x' });
    }).message).toBe([
      'gateway middlewares.strip: prefix "api" does not start with /; expected a path prefix such as /my-api',
      'gateway middlewares.rl: average 0 is not a positive whole number; expected requests per period',
      'gateway middlewares.fa: address "auth" is not a URL; expected http(s)://host/path of the auth service',
      'gateway routes.x.pathPrefix: got "x"; expected a path starting with /',
    ].join('\n'));
  });
});
