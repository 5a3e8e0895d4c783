import { ComposeError, ComposeInput, formatIssue, loadCompose, proposeDnsName } from '../../src/compose';

const file = (name: string, content: string) => ({ file: name, content });
const load = (content: string, extra: Partial<ComposeInput> = {}) => loadCompose({ files: [file('compose.yml', content)], ...extra });
const issuesOf = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ComposeError) return error.issues.map(formatIssue);
    throw error;
  }
  throw new Error('expected a ComposeError');
};

describe('loadCompose: YAML', () => {
  test('anchors, merge keys with a list of aliases, and x- extension fields', () => {
    const model = load(`
x-env: &env
  environment: { LOG_LEVEL: info }
x-deploy: &deploy
  deploy: { replicas: 3 }
services:
  web:
    <<: [*env, *deploy]
    image: nginx:1.27
`);
    expect(model.services[0].environment).toStrictEqual({ LOG_LEVEL: 'info' });
    expect(model.services[0].replicas).toBe(3);
    expect(model.unsupported).toStrictEqual([]);
  });

  test('the long and short syntaxes land in the same typed model', () => {
    const model = load(`
services:
  app:
    image: ghcr.io/org/app:1.0.0
    ports: ["127.0.0.1:8080:80", { target: 53, protocol: udp }]
    expose: ["9000"]
    environment: [A=1, B]
    volumes: [data:/data, { type: bind, source: ./conf, target: /conf, read_only: true }]
    secrets: [token, { source: cert, target: /certs/tls.crt }]
    depends_on: { db: { condition: service_healthy } }
    networks: [ingress]
    healthcheck: { test: [CMD, curl, -f, "http://localhost/"], interval: 1m, timeout: 5s, retries: 2, start_period: 30s }
    deploy: { resources: { limits: { cpus: "0.5", memory: 512M }, reservations: { memory: 128m } } }
  db:
    image: postgres:16
`);
    const app = model.services[0];
    expect(app.ports).toStrictEqual([{ target: 80, protocol: 'tcp', published: '8080', hostIp: '127.0.0.1' }, { target: 53, protocol: 'udp' }]);
    expect(app.expose).toStrictEqual([{ target: 9000, protocol: 'tcp' }]);
    expect(app.environment).toStrictEqual({ A: '1', B: undefined });
    expect(app.volumes).toStrictEqual([
      { type: 'volume', source: 'data', target: '/data', readOnly: false },
      { type: 'bind', source: './conf', target: '/conf', readOnly: true },
    ]);
    expect(app.secrets).toStrictEqual([{ source: 'token', target: 'token' }, { source: 'cert', target: '/certs/tls.crt' }]);
    expect(app.dependsOn).toStrictEqual(['db']);
    expect(app.networks).toStrictEqual(['ingress']);
    expect(app.healthcheck).toStrictEqual({ test: ['curl', '-f', 'http://localhost/'], intervalSeconds: 60, timeoutSeconds: 5, retries: 2, startPeriodSeconds: 30 });
    expect(app.limits).toStrictEqual({ cpus: 0.5, memoryBytes: 512 * 1024 ** 2 });
    expect(app.reservations).toStrictEqual({ memoryBytes: 128 * 1024 ** 2 });
    expect(model.services[1].networks).toStrictEqual(['default']);
  });

  test('unknown keys are listed, never dropped silently', () => {
    const model = load(`
version: "3.9"
include: [other.yml]
services:
  worker:
    image: busybox
    ulimits: { nofile: 1024 }
    restart: always
    deploy: { replicas: 1, placement: { constraints: [] }, resources: { limits: { cpus: "1" }, pids: 10 } }
`);
    expect(model.unsupported).toStrictEqual(['include']);
    expect(model.services[0].unsupported).toStrictEqual(['deploy.placement', 'deploy.resources.pids', 'ulimits']);
  });
});

describe('loadCompose: interpolation', () => {
  const text = `
services:
  web:
    image: "ghcr.io/org/web:\${TAG:-latest}"
    environment: { DOMAIN: "\${DOMAIN}", PRICE: "5$$" }
`;

  test('variables win over .env, which wins over defaults', () => {
    const model = load(text, { dotEnv: file('.env', 'TAG=1.2.3\nDOMAIN=from-dotenv\n'), variables: { DOMAIN: 'from-env' } });
    expect(model.services[0].image).toBe('ghcr.io/org/web:1.2.3');
    expect(model.services[0].environment).toStrictEqual({ DOMAIN: 'from-env', PRICE: '5$' });
  });

  test('unset variables become empty and are listed', () => {
    const model = load(text);
    expect(model.services[0].environment.DOMAIN).toBe('');
    expect(model.unsetVariables).toStrictEqual(['DOMAIN']);
  });
});

describe('loadCompose: several files', () => {
  const base = file('compose.yml', `
services:
  web:
    image: org/web:1
    command: [serve, --base]
    ports: ["8080:80", "9000"]
    environment: { A: base, B: base }
    volumes: [data:/data]
`);
  const override = file('compose.prod.yml', `
services:
  web:
    image: org/web:2
    command: [serve, --prod]
    ports: ["8080:80", "9443:443"]
    environment: [B=prod, C=prod]
    volumes: ["other:/data"]
  cache:
    image: redis:7
`);

  test('merge in order: maps merge, commands are replaced, ports and volumes are unique by key', () => {
    const model = loadCompose({ files: [base, override] });
    const web = model.services[0];
    expect(web.image).toBe('org/web:2');
    expect(web.environment).toStrictEqual({ A: 'base', B: 'prod', C: 'prod' });
    expect(web.ports.map((p) => p.target)).toStrictEqual([80, 9000, 443]);
    expect(web.volumes).toStrictEqual([{ type: 'volume', source: 'other', target: '/data', readOnly: false }]);
    expect(web.file).toBe('compose.prod.yml');
    expect(model.services.map((s) => s.name)).toStrictEqual(['web', 'cache']);
  });
});

describe('loadCompose: profiles and env_file', () => {
  const text = `
services:
  web:
    image: org/web:1
    env_file: [web.env, { path: optional.env, required: false }]
    environment: { FROM_FILE: overridden }
  debug:
    image: org/debug:1
    profiles: [debug]
`;

  test('services of a profile that is not enabled are left out', () => {
    const model = load(text, { readFile: (p) => (p === 'web.env' ? 'FROM_FILE=file\nONLY_FILE=1\n' : undefined) });
    expect(model.services.map((s) => s.name)).toStrictEqual(['web']);
    expect(model.inactiveServices).toStrictEqual(['debug']);
    expect(model.services[0].environment).toStrictEqual({ FROM_FILE: 'overridden', ONLY_FILE: '1' });
  });

  test('an enabled profile brings its services in', () => {
    const model = load(text, { profiles: ['debug'], readFile: (p) => (p === 'web.env' ? '' : undefined) });
    expect(model.services.map((s) => s.name)).toStrictEqual(['web', 'debug']);
  });
});

describe('loadCompose: bad input, every problem at once', () => {
  test('TAB indentation is invalid YAML, named with the file and line', () => {
    expect(issuesOf(() => load('services:\n\tweb:\n\t\timage: nginx\n'))).toStrictEqual([
      'compose.yml line 2: invalid YAML: Tabs are not allowed as indentation (the file has TAB characters; YAML indents with spaces only)',
      'compose.yml line 3: invalid YAML: Tabs are not allowed as indentation (the file has TAB characters; YAML indents with spaces only)',
    ]);
  });

  test('no image nor build, a bad port, ${VAR:?} unset, a name that is not DNS-1123, and a missing env_file', () => {
    const text = `
services:
  web:
    ports: ["80:http"]
  api:
    image: "ghcr.io/org/api:\${TAG:?set TAG to the release}"
  My_Service:
    image: nginx
    env_file: missing.env
`;
    expect(issuesOf(() => load(text))).toStrictEqual([
      'compose.yml service api image: variable TAG is not set: set TAG to the release',
      'compose.yml service web ports[0]: got "80:http"; expected [[HOST_IP:]HOST_PORT:]CONTAINER_PORT[/PROTOCOL], for example "8080:80" or "127.0.0.1:53:53/udp"',
      'compose.yml service web image: the service has neither image nor build; expected image: (a cluster runs images, it cannot build)',
      'compose.yml service My_Service env_file[0]: missing.env was not found; expected a file next to the compose file (or required: false)',
    ]);
  });

  test('main is reserved for the aggregators', () => {
    expect(issuesOf(() => load('services:\n  main: { image: nginx }\n'))).toStrictEqual([
      'compose.yml service main (name): "main" is reserved for the environment aggregators (dist/main); rename the service, for example to "main-app"',
    ]);
  });

  test('problems of several files are reported together', () => {
    expect(issuesOf(() => loadCompose({ files: [file('a.yml', 'services: [web]\n'), file('b.yml', 'services:\n  x:\n    image: nginx\n    deploy: { replicas: -1 }\n')] }))).toStrictEqual([
      'a.yml services: got ["web"]; expected a map of service names to services',
      'b.yml service x deploy.replicas: got -1; expected a whole number of at least 0',
    ]);
  });

  test('the error message lists every issue, one per line', () => {
    expect(() => load('services:\n  a: {}\n  b: {}\n')).toThrow(/^2 problems in the compose input:\ncompose\.yml service a image: .*\ncompose\.yml service b image: /);
  });
});

describe('proposeDnsName', () => {
  test.each([['My_Service', 'my-service'], ['web.v2', 'web-v2'], ['__x__', 'x'], ['a'.repeat(70), 'a'.repeat(63)], ['___', 'service']])('%s → %s', (name, expected) => {
    expect(proposeDnsName(name)).toBe(expected);
  });
});
