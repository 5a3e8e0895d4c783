import { ChartSource, DitApi, DitApiProps, DitError, DitGateway, DitHelmChart, ImageRegistry, PlainObject, Peer, Port } from '../../src';
import type { RenderedObject } from '../../src/render/helm-render';
import { checkCalls, checkIngressReachability } from '../../src/verify/check-calls';
import { FluxInputs, checkFlux } from '../../src/verify/check-flux';
import { checkImages } from '../../src/verify/check-images';
import { checkReferences } from '../../src/verify/check-references';
import { environmentFacts } from '../../src/verify/environment-facts';
import { VerifyNote, VerifyProblem, VerifyRule, formatVerifyProblem, sortProblems } from '../../src/verify/verify-problem';
import {
  ENV, FLUX_CLEAN, Staging, StagingProps, container, drop, edit, editFlux, imageRepository, infisicalSecret, podSpec, rendered, sealedSecret,
} from './fixtures';

/** Each problem as the CLI prints it. */
const lines = (problems: readonly VerifyProblem[]): string[] => problems.map(formatVerifyProblem);
const note = (component: string, message: string): VerifyNote => ({ environment: ENV, component, message });

const RABBITMQ = () => Peer.endpoint({
  name: 'rabbitmq', namespace: 'rabbitmq', labels: { 'app.kubernetes.io/component': 'rabbitmq', 'app.kubernetes.io/name': 'cluster' }, hosts: ['cluster.rabbitmq'],
});

/** my-api (image my-team/my-api), reachable through Traefik, in a staging of its own. */
function myApi(team: Staging, props: DitApiProps = {}): DitApi {
  const api = new DitApi(team.app, 'my-api', { image: { repository: 'my-team/my-api' }, ...props });
  api.connections.allowFrom(Peer.traefik(), Port.tcp(8080));
  return api;
}

/** users (release users-api, Service users-api on 8080), which opens no connection. */
function users(team: Staging): DitApi {
  const api = new DitApi(team.app, 'users', { releaseName: 'users-api', image: { repository: 'my-team/users-api' } });
  api.connections.allowFrom(Peer.traefik(), Port.tcp(8080)).denyAllEgress();
  return api;
}

describe('rule 1: images', () => {
  /** my-api rendered in a staging with these props, after `mutate` of its objects. */
  function images(props: StagingProps, mutate: (objects: RenderedObject[]) => RenderedObject[] = (o) => o): string[] {
    const team = new Staging(props);
    const api = myApi(team);
    api.connections.denyAllEgress();
    return lines(checkImages(team.index(mutate(team.golden(api)))));
  }
  const runs = (image: string) => (objects: RenderedObject[]) => edit(objects, 'Deployment/my-api', (d) => {
    container(d).image = image;
  });
  const scanning = (image: string, secret?: string) => (objects: RenderedObject[]) => [...objects, rendered('my-api', imageRepository('my-api', image, secret))];

  it('is clean when the pods run the definitions\' image, pulled with the registry\'s secret, and the ImageRepository scans it', () => {
    expect(images({}, scanning('ghcr.io/my-team/my-api', 'ghcr-auth'))).toStrictEqual([]);
  });

  it('the registry comes from the environment when it names one: its host and its pull secret', () => {
    expect(images({ environmentRegistry: ImageRegistry.of('reg.dev.krd') }, scanning('reg.dev.krd/my-team/my-api', 'reg-dev-krd-auth'))).toStrictEqual([]);
  });

  it('a short name is pulled from Docker Hub: a problem when the registry chosen is ghcr.io', () => {
    expect(images({}, runs('my-team/my-api:1.0'))).toStrictEqual([
      'staging my-api image: Deployment/my-api container app runs my-team/my-api:1.0, a short name the runtime pulls from Docker Hub; expected ghcr.io/… (the registry the definitions chose), or ImageRegistry.dockerHub() to say Docker Hub is meant',
    ]);
  });

  it('a short name is fine when the team chose Docker Hub explicitly', () => {
    expect(images({ registry: ImageRegistry.dockerHub() }, runs('my-team/my-api:1.0'))).toStrictEqual([]);
  });

  it.each([
    ['another path', 'ghcr.io/other-team/my-api:main-843632a', 'ghcr.io/other-team/my-api'],
    ['another registry', 'reg.dev.krd/my-team/my-api:main-843632a@sha256:570965b16c53e7fe6c48d50d8601a8cd2327143dba14412692a5b8fc2c119bf9', 'reg.dev.krd/my-team/my-api'],
  ])('an image at %s than the definitions name', (_, image, name) => {
    expect(images({}, runs(image))).toStrictEqual([
      `staging my-api image: Deployment/my-api container app runs ${name}; expected ghcr.io/my-team/my-api, the image the definitions name`,
    ]);
  });

  it('an ImageRepository that scans another image than the pods run', () => {
    expect(images({}, scanning('ghcr.io/my-team/my-api-old', 'ghcr-auth'))).toStrictEqual([
      'staging my-api image: Deployment/my-api container app runs ghcr.io/my-team/my-api but ImageRepository/my-api scans ghcr.io/my-team/my-api-old: automation would move an image the pods never run',
    ]);
  });

  it.each([
    ['another secret', 'regcred', 'regcred'],
    ['no secret', undefined, '(none)'],
  ])('an ImageRepository that scans with %s than the registry\'s pull secret', (_, secret, shown) => {
    expect(images({}, scanning('ghcr.io/my-team/my-api', secret))).toStrictEqual([
      `staging my-api image: ImageRepository/my-api scans with secret ${shown}; expected ghcr-auth, the pull secret of ghcr.io`,
    ]);
  });

  it('a pod that pulls without the registry\'s pull secret', () => {
    const noSecret = (objects: RenderedObject[]) => edit(objects, 'Deployment/my-api', (d) => {
      delete podSpec(d).imagePullSecrets;
    });
    expect(images({}, noSecret)).toStrictEqual([
      'staging my-api image: Deployment/my-api container app pulls from ghcr.io without its pull secret ghcr-auth; expected imagePullSecrets to name it (pods have none)',
    ]);
    const otherSecret = (objects: RenderedObject[]) => edit(objects, 'Deployment/my-api', (d) => {
      podSpec(d).imagePullSecrets = [{ name: 'ghcr-auth' }];
    });
    expect(images({ environmentRegistry: ImageRegistry.of('reg.dev.krd') }, otherSecret)).toStrictEqual([
      'staging my-api image: Deployment/my-api container app pulls from reg.dev.krd without its pull secret reg-dev-krd-auth; expected imagePullSecrets to name it (pods have ghcr-auth)',
    ]);
  });
});

describe('rule 2: references between objects', () => {
  /** my-api with configs, Infisical and an Ingress, after `mutate` of its objects. */
  function references(mutate: (objects: RenderedObject[]) => RenderedObject[], props: StagingProps = {}): string[] {
    const team = new Staging(props);
    const api = myApi(team);
    api.connections.denyAllEgress();
    const objects = team.golden(api, { configs: { Logging__Level: 'Information' }, infisical: true, ingressHost: 'my-api.staging.my-team.example.com' });
    return lines(checkReferences(team.index(mutate(objects))));
  }
  const inDeployment = (mutate: (deployment: any) => void) => (objects: RenderedObject[]) => edit(objects, 'Deployment/my-api', mutate);
  const inService = (mutate: (service: any) => void) => (objects: RenderedObject[]) => edit(objects, 'Service/my-api', mutate);
  const backend = (service: PlainObject) => (objects: RenderedObject[]) => edit(objects, 'Ingress/my-api', (i) => {
    i.spec.rules[0].http.paths[0].backend.service = service;
  });

  it('is clean when every Service, probe, backend and pod reference resolves', () => {
    expect(references((o) => o)).toStrictEqual([]);
  });

  it('a Service whose selector matches no pod template', () => {
    expect(references(inService((s) => {
      s.spec.selector['app.kubernetes.io/instance'] = 'my-api-v2';
    }))).toStrictEqual([
      'staging my-api reference: Service/my-api selects app.kubernetes.io/name=dit-common-api,app.kubernetes.io/instance=my-api-v2; no pod template of the environment has these labels',
    ]);
  });

  it.each([
    ['named', 'web'],
    ['numeric', 9090],
  ])('a Service whose %s targetPort is no container port', (_, target) => {
    expect(references(inService((s) => {
      s.spec.ports[0].targetPort = target;
    }))).toStrictEqual([
      `staging my-api reference: Service/my-api port 8080 targets ${target}, which Deployment/my-api does not declare as a container port`,
    ]);
  });

  it('a Service without targetPort targets its port number', () => {
    expect(references(inService((s) => {
      delete s.spec.ports[0].targetPort;
    }))).toStrictEqual([]);
  });

  it.each([
    ['readinessProbe', { tcpSocket: { port: 9090 } }, 'tcpSocket port 9090'],
    ['livenessProbe', { httpGet: { path: '/health', port: 'metrics' } }, 'httpGet port metrics'],
  ])('a %s on a port that is no container port', (probe, spec, shown) => {
    expect(references(inDeployment((d) => {
      container(d)[probe] = spec;
    }))).toStrictEqual([
      `staging my-api reference: Deployment/my-api container app ${probe} ${shown} is not a container port`,
    ]);
  });

  it('an Ingress backend to a Service that does not exist', () => {
    expect(references(backend({ name: 'my-api-web', port: { name: 'http' } }))).toStrictEqual([
      'staging my-api reference: Ingress/my-api routes to Service my-api-web, which does not exist in my-team',
    ]);
  });

  it('an Ingress backend to a port the Service does not serve', () => {
    expect(references(backend({ name: 'my-api', port: { number: 80 } }))).toStrictEqual([
      'staging my-api reference: Ingress/my-api routes to port 80 of Service/my-api, which serves 8080',
    ]);
    expect(references(backend({ name: 'my-api', port: { number: 8080 } }))).toStrictEqual([]);
  });

  const addVolume = (volume: PlainObject) => inDeployment((d) => podSpec(d).volumes.push(volume));
  const addEnv = (env: PlainObject) => inDeployment((d) => {
    container(d).env = [env];
  });
  const missing = (what: string, field: string, external: string) => `staging my-api reference: Deployment/my-api uses ${what} (${field}), which the tree does not produce; expected it from the tree, or DitEnvironment external.${external} to say it exists`;

  it.each<[string, (objects: RenderedObject[]) => RenderedObject[], string]>([
    ['ConfigMap read whole', (o) => drop(o, 'ConfigMap/my-api-configs'), missing('ConfigMap my-api-configs', 'container app envFrom', 'configMaps')],
    ['Secret read whole', (o) => drop(o, 'InfisicalSecret/my-api'), missing('Secret my-api-secrets', 'container app envFrom', 'secrets')],
    ['ConfigMap key', addEnv({ name: 'FLAGS', valueFrom: { configMapKeyRef: { name: 'flags', key: 'all' } } }), missing('ConfigMap flags', 'container app env FLAGS', 'configMaps')],
    ['Secret key', addEnv({ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db-auth', key: 'password' } } }), missing('Secret db-auth', 'container app env DB_PASSWORD', 'secrets')],
    ['ConfigMap volume', addVolume({ name: 'settings', configMap: { name: 'settings' } }), missing('ConfigMap settings', 'volume settings', 'configMaps')],
    ['Secret volume', addVolume({ name: 'tls', secret: { secretName: 'my-team-tls' } }), missing('Secret my-team-tls', 'volume tls', 'secrets')],
    ['PersistentVolumeClaim', addVolume({ name: 'data', persistentVolumeClaim: { claimName: 'my-api-data' } }), missing('PersistentVolumeClaim my-api-data', 'volume data', 'persistentVolumeClaims')],
    ['ServiceAccount', (o) => drop(o, 'ServiceAccount/my-api'), missing('ServiceAccount my-api', 'serviceAccountName', 'serviceAccounts')],
    ['imagePullSecret', inDeployment((d) => podSpec(d).imagePullSecrets.push({ name: 'regcred' })), missing('Secret regcred', 'imagePullSecrets', 'secrets')],
  ])('a pod using a %s the tree does not produce', (_, mutate, line) => {
    expect(references(mutate)).toStrictEqual([line]);
  });

  const usesDbAuth = addEnv({ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db-auth', key: 'password' } } });

  it('a Secret declared external in the environment (DitEnvironment external.secrets) resolves', () => {
    expect(references(usesDbAuth, { external: { secrets: ['db-auth'] } })).toStrictEqual([]);
  });

  it('every other kind declared external resolves too', () => {
    const uses = (objects: RenderedObject[]) => edit(objects, 'Deployment/my-api', (d) => {
      podSpec(d).serviceAccountName = 'robot';
      podSpec(d).volumes.push({ name: 'settings', configMap: { name: 'settings' } }, { name: 'data', persistentVolumeClaim: { claimName: 'shared-data' } });
    });
    expect(references(uses, { external: { configMaps: ['settings'], persistentVolumeClaims: ['shared-data'], serviceAccounts: ['robot'] } })).toStrictEqual([]);
  });

  it('a Secret a SealedSecret makes (its template name) resolves', () => {
    expect(references((o) => [...usesDbAuth(o), rendered('certs', sealedSecret('db-auth-sealed', 'db-auth'))])).toStrictEqual([]);
    // The SealedSecret's own name is not the Secret's when the template names another.
    expect(references((o) => [...usesDbAuth(o), rendered('certs', sealedSecret('db-auth', 'db-credentials'))])).toStrictEqual([
      missing('Secret db-auth', 'container app env DB_PASSWORD', 'secrets'),
    ]);
  });

  it('a Secret an InfisicalSecret makes (managedSecretReference.secretName) resolves', () => {
    expect(references((o) => [...usesDbAuth(o), rendered('database', infisicalSecret('database', 'db-auth'))])).toStrictEqual([]);
  });

  it('optional references are left out', () => {
    const optional = inDeployment((d) => {
      container(d).envFrom.push({ configMapRef: { name: 'overrides', optional: true } }, { secretRef: { name: 'extra', optional: true } });
      container(d).env = [
        { name: 'A', valueFrom: { configMapKeyRef: { name: 'flags', key: 'a', optional: true } } },
        { name: 'B', valueFrom: { secretKeyRef: { name: 'db-auth', key: 'b', optional: true } } },
      ];
      podSpec(d).volumes.push({ name: 'settings', configMap: { name: 'settings', optional: true } }, { name: 'tls', secret: { secretName: 'tls', optional: true } });
    });
    expect(references(optional)).toStrictEqual([]);
  });
});

describe('rule 3: Flux references', () => {
  /** checkFlux over the clean inputs (fixtures FLUX_CLEAN) after `mutate`. */
  function flux(mutate: (inputs: FluxInputs) => FluxInputs, props: StagingProps = {}): { problems: string[]; notes: VerifyNote[] } {
    const team = new Staging(props);
    const result = checkFlux(team.facts, mutate(FLUX_CLEAN));
    return { problems: lines(result.problems), notes: result.notes };
  }
  type Mutation = (inputs: FluxInputs) => FluxInputs;
  const built = (id: string, mutate: (object: any) => void): Mutation => (inputs) => ({ ...inputs, built: editFlux(inputs.built, id, mutate) });
  const cluster = (id: string, mutate: (object: any) => void): Mutation => (inputs) => ({ ...inputs, cluster: editFlux(inputs.cluster!, id, mutate) });
  const without = (kind: 'built' | 'cluster', id: string): Mutation => (inputs) => ({ ...inputs, [kind]: inputs[kind]!.filter((o) => `${String(o.kind)}/${String((o.metadata as PlainObject).name)}` !== id) });
  const missingFile = (file: string): Mutation => (inputs) => ({ ...inputs, exists: (p) => p !== file && inputs.exists(p) });
  /** The one note of the clean inputs: the FluxCluster's sync.dependsOn. */
  const infrastructure = note('my-team-staging', 'dependsOn Kustomization infrastructure is outside the tree (FluxCluster sync.dependsOn says it exists)');

  it('is clean when every reference resolves; a Kustomization dependsOn outside the tree is a note', () => {
    expect(flux((i) => i)).toStrictEqual({ problems: [], notes: [infrastructure] });
  });

  it('a chartRef is a note, not a problem, when the tree has no cluster (no FluxCluster)', () => {
    const provided = 'chartRef HelmChart flux-system/dit-common-api is not in the tree (no FluxCluster): taken as provided by the cluster';
    expect(flux((i) => ({ ...i, cluster: undefined }))).toStrictEqual({ problems: [], notes: [note('my-api', provided), note('users', provided)] });
  });

  const requiredValues = built('HelmRelease/users', (r) => {
    delete r.spec.valuesFrom[0].optional;
  });

  it.each<[string, Mutation, string[]]>([
    ['a chartRef to a HelmChart missing from the cluster objects (one line per release)', without('cluster', 'HelmChart/dit-common-api'), [
      'staging my-api flux: chartRef HelmChart flux-system/dit-common-api does not exist in the tree',
      'staging users flux: chartRef HelmChart flux-system/dit-common-api does not exist in the tree',
    ]],
    ['a HelmChart whose path has no Chart.yaml in the repository', missingFile('./charts/dit-common-api/Chart.yaml'), [
      'staging dit-common-api flux: HelmChart path ./charts/dit-common-api has no Chart.yaml in the repository; Flux cannot build the chart (copy the golden charts there: dit-gitops init does)',
    ]],
    ['a HelmChart whose sourceRef does not exist', cluster('HelmChart/dit-common-api', (c) => {
      c.spec.sourceRef.name = 'charts';
    }), ['staging dit-common-api flux: HelmChart source GitRepository/charts does not exist in the cluster tree']],
    ['a HelmRelease chart.spec.sourceRef that does not exist', without('built', 'HelmRepository/rabbitmq'), [
      'staging rabbitmq flux: chart.spec.sourceRef HelmRepository/rabbitmq does not exist in the tree',
    ]],
    ['a dependsOn that names no HelmRelease', built('HelmRelease/users', (r) => {
      r.spec.dependsOn.push({ name: 'redis' });
    }), ['staging users flux: dependsOn redis, which is no HelmRelease of staging; expected one of my-api, rabbitmq']],
    ['a non-optional valuesFrom to a ConfigMap neither the tree nor the environment has', requiredValues, [
      'staging users flux: valuesFrom ConfigMap users-feature-flags is not optional and neither the tree nor external.configMaps has it; the release would not install',
    ]],
    ['a non-optional valuesFrom to a missing Secret (it names external.secrets)', built('HelmRelease/users', (r) => {
      r.spec.valuesFrom = [{ kind: 'Secret', name: 'users-values' }];
    }), ['staging users flux: valuesFrom Secret users-values is not optional and neither the tree nor external.secrets has it; the release would not install']],
    ['a Kustomization whose path has no kustomization.yaml', missingFile('./dist/main/staging/kustomization.yaml'), [
      'staging my-team-staging flux: Kustomization path ./dist/main/staging has no kustomization.yaml in the repository',
    ]],
    ['an ImagePolicy whose ImageRepository does not exist', without('built', 'ImageRepository/users'), [
      'staging users flux: ImagePolicy/users watches ImageRepository users, which does not exist in staging',
    ]],
    ['a setter marker in image.yaml naming an ImagePolicy that does not exist (one line per marker)', without('built', 'ImagePolicy/users'), [
      'staging users flux: users/staging/image.yaml has the setter marker my-team:users:tag, but ImagePolicy my-team/users does not exist in staging',
      'staging users flux: users/staging/image.yaml has the setter marker my-team:users:digest, but ImagePolicy my-team/users does not exist in staging',
    ]],
    ['an ImageUpdateAutomation whose path has no image.yaml', missingFile('./dist/users/staging/image.yaml'), [
      'staging users flux: ImageUpdateAutomation/users updates ./dist/users/staging, which has no image.yaml',
    ]],
    ['an ImageUpdateAutomation whose GitRepository is not in the cluster tree', built('ImageUpdateAutomation/users', (a) => {
      a.spec.sourceRef.name = 'other-repo';
    }), ['staging users flux: ImageUpdateAutomation/users pushes to GitRepository other-repo, which is not in the cluster tree']],
  ])('%s', (_, mutate, expected) => {
    expect(flux(mutate)).toStrictEqual({ problems: expected, notes: [infrastructure] });
  });

  it('a suspended release is a note naming the releases that wait for it, not a problem', () => {
    const suspend = built('HelmRelease/my-api', (r) => {
      r.spec.suspend = true;
    });
    const dependsOnMyApi = built('HelmRelease/users', (r) => {
      r.spec.dependsOn = [{ name: 'my-api' }];
    });
    expect(flux((i) => dependsOnMyApi(suspend(i)))).toStrictEqual({ problems: [], notes: [
      note('my-api', 'suspended (spec.suspend: true): Flux keeps the release declared and installs nothing until the tree drops suspend, so its Services do not exist yet; calls to it reach it once it runs, and users (dependsOn my-api) waits until it is ready'),
      infrastructure,
    ] });
    expect(flux(suspend).notes[0].message).toBe('suspended (spec.suspend: true): Flux keeps the release declared and installs nothing until the tree drops suspend, so its Services do not exist yet; calls to it reach it once it runs');
  });

  it('a non-optional valuesFrom is fine when declared external or in the tree (optional: the clean inputs)', () => {
    expect(flux(requiredValues, { external: { configMaps: ['users-feature-flags'] } }).problems).toStrictEqual([]);
    const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'users-feature-flags', namespace: 'my-team' }, data: {} };
    expect(flux((i) => ({ ...requiredValues(i), built: [...i.built, configMap] })).problems).toStrictEqual([]);
  });
});

describe('rule 4: calls', () => {
  /**
   * my-api and users in staging; `wire` states the connections, `configs` is my-api's
   * configuration. Returns the calls' problem lines and notes.
   */
  function calls(configs: Record<string, string>, wire: (team: Staging, api: DitApi, usersApi: DitApi) => void = () => undefined,
    mutate: (objects: RenderedObject[]) => RenderedObject[] = (o) => o): { problems: string[]; notes: VerifyNote[] } {
    const team = new Staging();
    const usersApi = users(team);
    const api = myApi(team);
    wire(team, api, usersApi);
    const result = checkCalls(team.index(mutate([...team.golden(api, { configs }), ...team.golden(usersApi)])));
    return { problems: lines(result.problems), notes: result.notes };
  }
  const allowUsers = (_: Staging, api: DitApi, usersApi: DitApi) => {
    api.connections.allowTo(usersApi, Port.tcp(8080));
  };
  const problemsOf = (...args: Parameters<typeof calls>) => calls(...args).problems;

  it('is clean when the host is a Service on a port it serves, and both policies allow the call', () => {
    expect(calls({ RemoteServices__UserApiUrl: 'http://users-api:8080' }, allowUsers)).toStrictEqual({ problems: [], notes: [] });
  });

  it('a URL to a component on a port its Service does not serve (seed 004\'s http://users-api)', () => {
    expect(problemsOf({ RemoteServices__UserApiUrl: 'http://users-api' }, allowUsers)).toStrictEqual([
      'staging my-api call: configs.RemoteServices__UserApiUrl dials users-api:80: Service/users-api serves 8080, not 80; expected the value to dial users-api:8080',
    ]);
  });

  it('a call to another component that neither end allows: both ends refuse it, with the statement that fixes it', () => {
    const where = 'staging my-api call: configs.RemoteServices__UserApiUrl dials users-api:8080';
    const fix = 'fix: my-api.connections.allowTo(users, Port.tcp(8080))';
    expect(problemsOf({ RemoteServices__UserApiUrl: 'http://users-api:8080' })).toStrictEqual([
      `${where}: my-api egress refuses it (no egress rule of my-team/my-api allows my-team/users-api:8080/TCP); ${fix}`,
      `${where}: users ingress refuses it (no ingress rule of my-team/users-api allows my-team/my-api on 8080/TCP); ${fix}`,
    ]);
  });

  it('a call the caller\'s egress allows but the callee\'s ingress refuses', () => {
    // An endpoint peer is one-sided: it opens my-api's egress and leaves users' ingress shut.
    const egressOnly = (_: Staging, api: DitApi) => {
      api.connections.allowTo(Peer.endpoint({ name: 'users-pods', labels: { 'app.kubernetes.io/instance': 'users-api' } }), Port.tcp(8080));
    };
    expect(problemsOf({ RemoteServices__UserApiUrl: 'http://users-api:8080' }, egressOnly)).toStrictEqual([
      'staging my-api call: configs.RemoteServices__UserApiUrl dials users-api:8080: users ingress refuses it (no ingress rule of my-team/users-api allows my-team/my-api on 8080/TCP); fix: my-api.connections.allowTo(users, Port.tcp(8080))',
    ]);
  });

  describe('an FQDN outside the cluster', () => {
    const storage = { Storage__Endpoint: 'https://s3.dev.krd' };

    it('refused by the caller\'s egress, with the Peer.fqdn statement that fixes it', () => {
      expect(problemsOf(storage)).toStrictEqual([
        'staging my-api call: configs.Storage__Endpoint dials s3.dev.krd:443: my-api egress refuses it (no egress rule of my-team/my-api allows s3.dev.krd:443/TCP); fix: my-api.connections.allowTo(Peer.fqdn(\'s3.dev.krd\'), Port.tcp(443))',
      ]);
    });

    it('allowed by that statement', () => {
      expect(problemsOf(storage, (_, api) => {
        api.connections.allowTo(Peer.fqdn('s3.dev.krd'), Port.tcp(443));
      })).toStrictEqual([]);
    });
  });

  it('a host that resolves to nothing (the compose importer\'s DATABASE_HOST: db)', () => {
    expect(problemsOf({ DATABASE_HOST: 'db' })).toStrictEqual([
      'staging my-api call: configs.DATABASE_HOST dials db: resolves to nothing: no Service db in my-team (the environment has my-api, users-api) and no peer declares the host; expected a Service name, Peer.endpoint({ hosts: [\'db\'] }), or connections.declareHost(\'db\', why)',
    ]);
  });

  describe('an endpoint peer reached through its hosts, the port from a sibling …Port key', () => {
    const rabbit = { RabbitMQ__HostName: 'cluster.rabbitmq', RabbitMQ__Port: '5672', RabbitMQ__VirtualHost: 'my-team' };

    it('is clean when the caller\'s egress allows it', () => {
      expect(calls(rabbit, (_, api) => {
        api.connections.allowTo(RABBITMQ(), Port.any(5672));
      })).toStrictEqual({ problems: [], notes: [] });
    });

    it('is refused when the caller has no egress rule to it (another component declares the peer)', () => {
      const workerOnly = (team: Staging) => {
        const worker = new DitApi(team.app, 'worker', { image: { repository: 'my-team/worker' } });
        worker.connections.denyAllIngress().allowTo(RABBITMQ(), Port.tcp(5672));
      };
      expect(problemsOf(rabbit, workerOnly)).toStrictEqual([
        'staging my-api call: configs.RabbitMQ__HostName dials cluster.rabbitmq:5672: my-api egress refuses it (no egress rule of my-team/my-api allows rabbitmq/cluster:5672/TCP); fix: my-api.connections.allowTo(rabbitmq, Port.tcp(5672))',
      ]);
    });

    it('the one port of the caller\'s rule stands in when the configuration gives none', () => {
      expect(calls({ RabbitMQ__HostName: 'cluster.rabbitmq' }, (_, api) => {
        api.connections.allowTo(RABBITMQ(), Port.tcp(5672));
      })).toStrictEqual({ problems: [], notes: [] });
    });
  });

  it('a host declared as reached some other way (connections.declareHost) is a note, not a problem', () => {
    expect(calls({ HTTPS_PROXY: 'http://proxy.internal:3128' }, (_, api) => {
      api.connections.declareHost('proxy.internal', 'the egress proxy on each node');
    })).toStrictEqual({
      problems: [],
      notes: [note('my-api', 'configs.HTTPS_PROXY dials proxy.internal:3128: declared as reached outside the policy (the egress proxy on each node)')],
    });
  });

  it('an empty value names no host: nothing to dial, nothing to report (compose\'s LETSENCRYPT_HOST=)', () => {
    expect(calls({ DATABASE_HOST: '', GITPOD_WORKSPACE_URL: '' })).toStrictEqual({ problems: [], notes: [] });
  });

  it('a browser-side key (NEXT_PUBLIC_*, VITE_*, …) is not followed: the browser dials it, not the pod', () => {
    expect(calls({ NEXT_PUBLIC_API_URL: 'http://localhost:8000', VITE_API_URL: 'http://users-api', REACT_APP_SOCKET: 'wss://ws.example.com' })).toStrictEqual({ problems: [], notes: [] });
  });

  it('loopback in a URL is the pod itself: a note when a container listens on the port, a problem when none does', () => {
    expect(calls({ SELF_URL: 'http://localhost:8080/metrics', SIDECAR_URL: 'http://127.0.0.1:9000' })).toStrictEqual({
      problems: [
        'staging my-api call: configs.SIDECAR_URL dials 127.0.0.1:9000: loopback is the pod itself (in a pod as in a compose container), and nothing in Deployment/my-api listens on 9000 (its containers listen on 8080); expected the Service name of what it means to call, or a value the browser reads (NEXT_PUBLIC_*, VITE_*, … are not followed)',
      ],
      notes: [note('my-api', 'configs.SELF_URL dials localhost:8080: loopback, the pod itself: a container of Deployment/my-api listens on 8080 (no Service or policy is involved)')],
    });
  });

  it('its own Service with one replica is a note: Cilium hairpins the call to the same pod, no policy applies', () => {
    expect(calls({ CLUSTER_HOSTS: 'my-api' })).toStrictEqual({
      problems: [],
      notes: [note('my-api', 'configs.CLUSTER_HOSTS dials my-api: its own Service, whose only pod is this one (1 replica): Cilium hairpins the call back to the pod and applies no policy to it (the port, if any, is one the Service serves)')],
    });
  });

  it('its own Service with several replicas reaches the others: the policies must allow it, as for any call', () => {
    const twoReplicas = (objects: RenderedObject[]) => objects.map((o) => (o.object.kind === 'Deployment' && o.component === 'my-api'
      ? { ...o, object: { ...o.object, spec: { ...(o.object.spec as PlainObject), replicas: 2 } } } : o));
    expect(problemsOf({ CLUSTER_HOSTS: 'my-api:8080' }, undefined, twoReplicas)).toStrictEqual([
      'staging my-api call: configs.CLUSTER_HOSTS dials my-api:8080: my-api egress refuses it (no egress rule of my-team/my-api allows my-team/my-api:8080/TCP); fix: my-api.connections.allowTo(my-api, Port.tcp(8080))',
      'staging my-api call: configs.CLUSTER_HOSTS dials my-api:8080: my-api ingress refuses it (no ingress rule of my-team/my-api allows my-team/my-api on 8080/TCP); fix: my-api.connections.allowTo(my-api, Port.tcp(8080))',
    ]);
  });

  it.each([
    ['a placeholder URL', { Api__Url: 'http://${API_HOST}/v1' }, 'configs.Api__Url: \'Api__Url\' dials "http://${API_HOST}/v1", whose host "${API_HOST}" is a placeholder, filled in only at run time'],
  ])('a value that cannot be classified is reported: %s', (_, configs, what) => {
    expect(problemsOf(configs)).toStrictEqual([
      `staging my-api call: ${what}; expected a host verify can follow, or connections.declareHost(…) for one reached some other way`,
    ]);
  });

  it('env values of a container are followed too, named env KEY', () => {
    const withEnv = (objects: RenderedObject[]) => edit(objects, 'Deployment/my-api', (d) => {
      container(d).env = [{ name: 'USERS_URL', value: 'http://users-api:8080' }];
    });
    expect(problemsOf({}, () => undefined, withEnv)).toStrictEqual([
      'staging my-api call: env USERS_URL dials users-api:8080: my-api egress refuses it (no egress rule of my-team/my-api allows my-team/users-api:8080/TCP); fix: my-api.connections.allowTo(users, Port.tcp(8080))',
      'staging my-api call: env USERS_URL dials users-api:8080: users ingress refuses it (no ingress rule of my-team/users-api allows my-team/my-api on 8080/TCP); fix: my-api.connections.allowTo(users, Port.tcp(8080))',
    ]);
  });

  describe('gateway routes (values.routes.<name>.service)', () => {
    /** The gateway routing /my-api to my-api, after `mutate` of the rendered objects. */
    function gateway(mutate: (objects: RenderedObject[]) => RenderedObject[]): string[] {
      const team = new Staging();
      const api = myApi(team);
      api.connections.denyAllEgress();
      const gw = new DitGateway(team.app, 'gateway', {});
      gw.addRoute({ backend: api, pathPrefix: '/my-api' });
      gw.connections.allowFrom(Peer.traefik(), Port.tcp(8080));
      const objects = [...team.golden(gw, { routes: { 'my-api': { name: 'my-api', port: 8080 } } }), ...team.golden(api)];
      return lines(checkCalls(team.index(mutate(objects))).problems);
    }

    it('is clean when the route is a connection of the definitions (addRoute states both ends)', () => {
      expect(gateway((o) => o)).toStrictEqual([]);
    });

    it('a route to a backend whose ingress does not allow the gateway', () => {
      // The backend's rendered policy lost the gateway's rule (an extraValues override would do it).
      const noGateway = (objects: RenderedObject[]) => edit(objects, 'CiliumNetworkPolicy/my-api', (p) => {
        p.spec.ingress = p.spec.ingress.filter((rule: any) => rule.fromEndpoints?.[0].matchLabels['app.kubernetes.io/instance'] !== 'gateway');
      });
      expect(gateway(noGateway)).toStrictEqual([
        'staging gateway call: routes.my-api dials my-api:8080: my-api ingress refuses it (no ingress rule of my-team/my-api allows my-team/gateway on 8080/TCP); fix: gateway.connections.allowTo(my-api, Port.tcp(8080))',
      ]);
    });
  });
});

describe('rule 5: ingress reachability', () => {
  /** my-api with an Ingress, its ingress stated by `wire`. */
  function reach(wire: (api: DitApi) => void): string[] {
    const team = new Staging();
    const api = new DitApi(team.app, 'my-api', { image: { repository: 'my-team/my-api' }, ingress: {} });
    api.connections.denyAllEgress();
    wire(api);
    return lines(checkIngressReachability(team.index(team.golden(api, { ingressHost: 'my-api.staging.my-team.example.com' }))));
  }

  it('is clean when Traefik is allowed in on the port the backend targets', () => {
    expect(reach((api) => api.connections.allowFrom(Peer.traefik(), Port.tcp(8080)))).toStrictEqual([]);
  });

  it.each<[string, (api: DitApi) => void]>([
    ['ingress: {} with denyAllIngress()', (api) => api.connections.denyAllIngress()],
    ['an ingress rule for another peer only', (api) => api.connections.allowFrom(Peer.endpoint({ name: 'monitoring', namespace: 'monitoring', labels: { app: 'prometheus' } }), Port.tcp(8080))],
  ])('an Ingress whose component lets no traefik in: %s', (_, wire) => {
    expect(reach(wire)).toStrictEqual([
      'staging my-api ingress: Ingress/my-api host my-api.staging.my-team.example.com cannot reach Deployment/my-api: its ingress refuses traefik on 8080 (no ingress rule of my-team/my-api allows traefik/traefik-traefik on 8080/TCP); fix: my-api.connections.allowFrom(Peer.traefik(), Port.tcp(8080))',
    ]);
  });
});

describe('problems and facts', () => {
  const problem = (component: string, rule: VerifyRule, message: string, environment = ENV): VerifyProblem => ({ environment, component, rule, message });

  it('sortProblems orders by environment, component, rule, then message, and drops duplicates', () => {
    const a = problem('my-api', VerifyRule.REFERENCE, 'b');
    expect(sortProblems([
      a, problem('users', VerifyRule.CALL, 'a'), problem('my-api', VerifyRule.CALL, 'z'), problem('my-api', VerifyRule.REFERENCE, 'a'),
      { ...a }, problem('my-api-worker', VerifyRule.CALL, 'a'), problem('users', VerifyRule.CALL, 'a', 'development'),
    ]).map(formatVerifyProblem)).toStrictEqual([
      'development users call: a',
      'staging my-api call: z',
      'staging my-api reference: a',
      'staging my-api reference: b',
      'staging my-api-worker call: a',
      'staging users call: a',
    ]);
  });

  it('sortProblems orders and dedupes notes the same way', () => {
    expect(sortProblems([note('users', 'b'), note('my-api', 'a'), note('users', 'b')])).toStrictEqual([note('my-api', 'a'), note('users', 'b')]);
  });

  it('environmentFacts of an unknown environment throws DitError', () => {
    const team = new Staging();
    myApi(team).connections.denyAllEgress();
    team.facts;
    expect(() => environmentFacts(team.app, 'qa')).toThrow(DitError);
  });

  it('golden-chart facts: release, image, registry and the rules of the environment', () => {
    const team = new Staging({ environmentRegistry: ImageRegistry.of('reg.dev.krd') });
    const usersApi = users(team);
    const api = myApi(team);
    api.connections.allowTo(usersApi, Port.tcp(8080));
    const facts = team.facts.components.map((c) => ({ name: c.name, releaseName: c.releaseName, image: c.image?.name, pullSecret: c.image?.registry.pullSecret, rules: c.rules.map((r) => `${r.direction} ${r.peer.peerName}`) }));
    expect(facts).toStrictEqual([
      { name: 'users', releaseName: 'users-api', image: 'reg.dev.krd/my-team/users-api', pullSecret: 'reg-dev-krd-auth', rules: ['ingress traefik', 'ingress my-api'] },
      { name: 'my-api', releaseName: 'my-api', image: 'reg.dev.krd/my-team/my-api', pullSecret: 'reg-dev-krd-auth', rules: ['ingress traefik', 'egress users'] },
    ]);
    expect(team.facts.registry.host).toBe('reg.dev.krd');
  });
});

// Cases a first review of the rules found wrong: two-label public hosts, Secrets made by
// SealedSecrets in valuesFrom, Kustomization sources, ExternalName Services.
describe('edge cases of the rules', () => {
  it('check-calls: a two-label public host allowed by Peer.fqdn (https://sentry.io) resolves as an FQDN, not to "no Service sentry in io"', () => {
    const team = new Staging();
    const api = myApi(team);
    api.connections.allowTo(Peer.fqdn('sentry.io'), Port.tcp(443));
    expect(lines(checkCalls(team.index(team.golden(api, { configs: { Sentry__Url: 'https://sentry.io' } }))).problems)).toStrictEqual([]);
  });

  it('check-flux: a non-optional valuesFrom Secret that a SealedSecret of the tree makes resolves, as it does for pods', () => {
    const team = new Staging();
    const inputs: FluxInputs = {
      ...FLUX_CLEAN,
      built: [...editFlux(FLUX_CLEAN.built, 'HelmRelease/rabbitmq', (r) => {
        r.spec.valuesFrom = [{ kind: 'Secret', name: 'rabbitmq-values' }];
      }), sealedSecret('rabbitmq-values', 'rabbitmq-values')],
    };
    // Today: 'staging rabbitmq flux: valuesFrom Secret rabbitmq-values is not optional and neither the tree nor external.secrets has it; …'
    expect(lines(checkFlux(team.facts, inputs).problems)).toStrictEqual([]);
  });

  it('check-flux: a Kustomization whose sourceRef is not in the cluster tree is reported (the rule\'s doc says "Kustomization paths and sources")', () => {
    const team = new Staging();
    const inputs: FluxInputs = { ...FLUX_CLEAN, cluster: editFlux(FLUX_CLEAN.cluster!, 'Kustomization/my-team-staging', (k) => {
      k.spec.sourceRef.name = 'gone';
    }) };
    // Today: no problem at all.
    expect(lines(checkFlux(team.facts, inputs).problems)).toStrictEqual([expect.stringContaining('GitRepository/gone')]);
  });

  it('check-references: an ExternalName Service selects no pods by design (kube-linter\'s dangling-service skips it)', () => {
    const team = new Staging();
    myApi(team).connections.denyAllEgress();
    const legacy = rendered('legacy', { apiVersion: 'v1', kind: 'Service', metadata: { name: 'legacy-db', namespace: 'my-team' }, spec: { type: 'ExternalName', externalName: 'db.example.com' } });
    // Today: 'staging legacy reference: Service/legacy-db selects nothing; no pod template of the environment has these labels'
    expect(lines(checkReferences(team.index(legacy)))).toStrictEqual([]);
  });
});

describe('third-party charts: the Services they create stand in for them', () => {
  function redisCall(services?: readonly string[]): string[] {
    const team = new Staging();
    const api = myApi(team);
    const redis = new DitHelmChart(team.app, 'cache', { source: ChartSource.ociRepository('oci://registry-1.docker.io/bitnamicharts/redis', { tag: '20.13.4' }), ports: [Port.tcp(6379)], services });
    api.connections.allowTo(redis, Port.tcp(6379));
    // The chart's standalone policy (<component>/base/network-policy.yaml): my-api in on 6379.
    const policy = rendered('cache', {
      apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name: 'cache', namespace: 'my-team' },
      spec: {
        endpointSelector: { matchLabels: { 'app.kubernetes.io/instance': 'cache' } },
        ingress: [{ fromEndpoints: [{ matchLabels: { 'app.kubernetes.io/instance': 'my-api' } }], toPorts: [{ ports: [{ port: '6379', protocol: 'TCP' }] }] }],
        egress: [{}],
      },
    });
    return lines(checkCalls(team.index(team.golden(api, { configs: { REDIS_HOST: 'cache-master', REDIS_PORT: '6379' } }), policy)).problems);
  }

  it('a host the definitions name in services resolves to the chart, and both ends allow the call', () => {
    expect(redisCall(['cache-master'])).toStrictEqual([]);
  });

  describe('a bare host (no port in the value) of a Service with several ports: the port the caller\'s connection opens', () => {
    function bareHost(wire: (api: DitApi, db: DitHelmChart) => void): string[] {
      const team = new Staging();
      const api = myApi(team);
      const db = new DitHelmChart(team.app, 'db', { source: ChartSource.ociRepository('oci://registry-1.docker.io/bitnamicharts/mariadb', { tag: '20.5.0' }), ports: [Port.tcp(3306), Port.tcp(33060)] });
      wire(api, db);
      const policy = rendered('db', {
        apiVersion: 'cilium.io/v2', kind: 'CiliumNetworkPolicy', metadata: { name: 'db', namespace: 'my-team' },
        spec: {
          endpointSelector: { matchLabels: { 'app.kubernetes.io/instance': 'db' } },
          ingress: [{ fromEndpoints: [{ matchLabels: { 'app.kubernetes.io/instance': 'my-api' } }], toPorts: [{ ports: [{ port: '3306', protocol: 'TCP' }] }] }],
          egress: [{}],
        },
      });
      return lines(checkCalls(team.index(team.golden(api, { configs: { WORDPRESS_DB_HOST: 'db' } }), policy)).problems);
    }

    it('one connection on one of its ports (WordPress\'s MySQL client on 3306): that port, and both ends allow it', () => {
      expect(bareHost((api, db) => api.connections.allowTo(db, Port.tcp(3306)))).toStrictEqual([]);
    });

    it('a connection on every port: which one the app dials is unknown, and the problem says how to state it', () => {
      expect(bareHost((api, db) => api.connections.allowTo(db, Port.tcp(3306)).allowTo(db, Port.tcp(33060)))).toStrictEqual([
        'staging my-api call: configs.WORDPRESS_DB_HOST dials db: no port given, and Service/db serves several (3306, 33060) of which my-api\'s connections to db do not single out one; expected the port in the value (db:3306), or one allowTo(db, Port.tcp(…)) on the port the app dials',
      ]);
    });
  });

  it('without services, the release name stands in, and <release>-master resolves to nothing', () => {
    expect(redisCall()).toStrictEqual([
      "staging my-api call: configs.REDIS_HOST dials cache-master:6379: resolves to nothing: no Service cache-master in my-team (the environment has cache, my-api) and no peer declares the host; expected a Service name, Peer.endpoint({ hosts: ['cache-master'] }), or connections.declareHost('cache-master', why)",
    ]);
  });
});
