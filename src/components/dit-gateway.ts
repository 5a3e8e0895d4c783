import { Construct } from 'constructs';
import { DitComponent, IngressRoute, ValidationScope, componentNames } from './component';
import type { DitEnvironment } from '../app/environment';
import { DitError, DitErrorLocation, received } from '../app/errors';
import { GoldenChartComponent, GoldenChartProps } from './golden-chart';
import { assertDnsLabel, assertDnsSubdomain } from '../app/kubernetes-names';
import { Port } from '../network/port';
import { PlainObject } from '../tree/strategic-patch';

/** A gateway middleware, rendered as Traefik's Middleware spec under its name. */
export class Middleware {
  /** Removes a path prefix before forwarding (`/my-api/x` reaches the backend as `/x`). */
  public static stripPrefix(name: string, prefixes: readonly string[]): Middleware {
    return new Middleware(name, { stripPrefix: { prefixes: [...prefixes] } }, (where) => {
      for (const p of prefixes) if (!p.startsWith('/')) throw new DitError(where, `prefix ${received(p)} does not start with /; expected a path prefix such as /my-api`);
    });
  }

  /** Adds or overrides request and response headers. */
  public static headers(name: string, headers: { readonly request?: Record<string, string>; readonly response?: Record<string, string> }): Middleware {
    return new Middleware(name, {
      headers: {
        ...(headers.request ? { customRequestHeaders: { ...headers.request } } : {}),
        ...(headers.response ? { customResponseHeaders: { ...headers.response } } : {}),
      },
    });
  }

  /** Allows `average` requests per `period` (default 1s) on average, with bursts of `burst`. */
  public static rateLimit(name: string, limit: { readonly average: number; readonly burst?: number; readonly period?: string }): Middleware {
    return new Middleware(name, { rateLimit: { average: limit.average, ...(limit.burst !== undefined ? { burst: limit.burst } : {}), ...(limit.period ? { period: limit.period } : {}) } }, (where) => {
      if (!Number.isInteger(limit.average) || limit.average < 1) throw new DitError(where, `average ${received(limit.average)} is not a positive whole number; expected requests per period`);
    });
  }

  /** Asks an authentication service before forwarding; its 2xx lets the request through. */
  public static forwardAuth(name: string, auth: { readonly address: string; readonly trustForwardHeader?: boolean; readonly authResponseHeaders?: readonly string[] }): Middleware {
    return new Middleware(name, {
      forwardAuth: {
        address: auth.address,
        ...(auth.trustForwardHeader !== undefined ? { trustForwardHeader: auth.trustForwardHeader } : {}),
        ...(auth.authResponseHeaders ? { authResponseHeaders: [...auth.authResponseHeaders] } : {}),
      },
    }, (where) => {
      if (!/^https?:\/\/\S+$/.test(auth.address)) throw new DitError(where, `address ${received(auth.address)} is not a URL; expected http(s)://host/path of the auth service`);
    });
  }

  private constructor(public readonly name: string, public readonly spec: PlainObject, private readonly check: (where: DitErrorLocation) => void = () => undefined) {}

  public validate(where: DitErrorLocation): void {
    assertDnsLabel(this.name, where);
    this.check(where);
  }
}

/** One route of a gateway. */
export interface RouteOptions {
  /** The component traffic goes to. It must be in the app, and deployed where the route is. */
  readonly backend: DitComponent;
  /** Backend port. @default - the backend's first port */
  readonly port?: Port;
  /** Path prefix matched. @default - every path of the host */
  readonly pathPrefix?: string;
  /** Host matched. @default - the gateway host of the environment */
  readonly host?: string;
  /** Middlewares applied in order; each must be added to the gateway. @default none */
  readonly middlewares?: readonly Middleware[];
  /** Route name. @default - the backend name */
  readonly name?: string;
  /** Environments the route exists in. @default - every environment of the gateway */
  readonly environments?: readonly DitEnvironment[];
}

/** Props of {@link DitGateway}. */
export interface DitGatewayProps extends GoldenChartProps {
  /** Gateway host label under each environment's domain. @default 'api' */
  readonly subdomain?: string;
}

/**
 * The API gateway (golden chart `dit-gateway`): routes from a host or path prefix to a
 * component's service, through middlewares. A route is also a connection: the gateway gets
 * the egress rule and the backend the ingress rule.
 */
export class DitGateway extends GoldenChartComponent {
  public static readonly CHART = 'dit-gateway';
  /** DIT's gateway image, in the team's registry unless `image` says otherwise. */
  public static readonly DEFAULT_REPOSITORY = 'ditkrg/dit-gateway';
  private readonly subdomain: string;
  private readonly middlewares = new Map<string, Middleware>();
  private readonly routes = new Map<string, RouteOptions>();

  constructor(scope: Construct, id: string, props: DitGatewayProps = {}) {
    super(scope, id, { chart: DitGateway.CHART, defaultUser: 65532, defaultRepository: DitGateway.DEFAULT_REPOSITORY }, props);
    this.subdomain = props.subdomain ?? 'api';
    this.deferCheck(() => assertDnsLabel(this.subdomain, this.where('subdomain')));
  }

  public addMiddleware(middleware: Middleware): this {
    const where = this.where(`middlewares.${middleware.name}`);
    this.deferCheck(() => middleware.validate(where));
    if (this.middlewares.has(middleware.name)) {
      this.deferProblem(where, 'is defined twice; expected one middleware per name');
      return this;
    }
    this.middlewares.set(middleware.name, middleware);
    return this;
  }

  public addRoute(route: RouteOptions): this {
    const name = route.name ?? route.backend.name;
    const where = this.where(`routes.${name}`);
    if (this.routes.has(name)) {
      this.deferProblem(where, 'is defined twice; expected one route per name (pass { name })');
      return this;
    }
    if (route.pathPrefix !== undefined && !route.pathPrefix.startsWith('/')) this.deferProblem({ ...where, field: `${where.field}.pathPrefix` }, `got ${received(route.pathPrefix)}; expected a path starting with /`);
    if (route.host !== undefined) this.deferCheck(() => assertDnsSubdomain(route.host, { ...where, field: `${where.field}.host` }));
    const port = route.port ?? route.backend.ports[0];
    this.connections.allowTo(route.backend, port, { environments: route.environments });
    this.routes.set(name, { ...route, port });
    return this;
  }

  public _validate(scope: ValidationScope): void {
    super._validate(scope);
    const { environments, problems } = scope;
    for (const [name, route] of this.routes) {
      const where = this.where(`routes.${name}`);
      if (!scope.components.has(route.backend)) {
        problems.add(where, `routes to ${route.backend.name}, which is not a component of this app; expected one of ${componentNames(scope)}`);
        continue;
      }
      for (const middleware of route.middlewares ?? []) {
        if (this.middlewares.get(middleware.name) !== middleware) problems.add(where, `uses middleware ${middleware.name}, which is not added to the gateway; expected addMiddleware() first`);
      }
      for (const env of route.environments ?? this.deployedIn(environments)) {
        if (!route.backend.deployedIn(environments).includes(env)) {
          problems.add({ ...where, environment: env.name }, `routes to ${route.backend.name}, which is not deployed in ${env.name}; expected a backend of the same environment`);
        }
      }
    }
  }

  /** @internal The gateway host, besides any ingress of its own. */
  public _ingressRoutes(env: DitEnvironment): readonly IngressRoute[] {
    return [...super._ingressRoutes(env), { host: `${this.subdomain}.${env.domain}`, path: '/', field: 'subdomain' }];
  }

  protected extraValues(env?: DitEnvironment): PlainObject {
    const routes: PlainObject = {};
    for (const [name, route] of this.routes) {
      if (route.environments && !(env && route.environments.includes(env))) continue;
      const host = route.host ?? (env ? `${this.subdomain}.${env.domain}` : undefined);
      const match = { ...(host ? { host } : {}), ...(route.pathPrefix ? { pathPrefix: route.pathPrefix } : {}) };
      routes[name] = {
        ...(Object.keys(match).length > 0 ? { match } : {}),
        // The chart's Service is named after the Helm release.
        service: { name: 'releaseName' in route.backend ? String(route.backend.releaseName) : route.backend.name, port: route.port!.number },
        ...(route.middlewares?.length ? { middlewares: route.middlewares.map((m) => m.name) } : {}),
      };
    }
    const middlewares = Object.fromEntries([...this.middlewares].map(([name, m]) => [name, m.spec]));
    return {
      ...(env ? { gateway: { host: `${this.subdomain}.${env.domain}` } } : {}),
      ...(Object.keys(middlewares).length > 0 ? { middlewares } : {}),
      routes,
    };
  }
}
