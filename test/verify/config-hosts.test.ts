import { DialedHost, defaultPort, hostsInConfig, keyWords } from '../../src/verify/config-hosts';

/** A TCP host found in `config[key]`; `more` holds port, portSource and scheme when there are. */
function dialed(config: Record<string, string>, key: string, host: string, more: Partial<DialedHost> = {}): DialedHost {
  return { key, value: config[key], host, protocol: 'TCP', ...more };
}

const unreadable = (config: Record<string, string>, key: string, reason: string) => ({ key, value: config[key], reason });

describe('hostsInConfig', () => {
  it('reads a real .NET configuration: URLs, a HostName with its sibling Port, and nothing else', () => {
    const config = {
      MongoDB__DatabaseName: 'my-team-db',
      RabbitMQ__HostName: 'cluster.rabbitmq',
      RabbitMQ__ExchangeName: 'my-team',
      RabbitMQ__Port: '5672',
      // A vhost is a namespace inside the broker, not a machine.
      RabbitMQ__VirtualHost: 'my-team',
      RemoteServices__UserApiUrl: 'http://users-api',
      ASPNETCORE_ENVIRONMENT: 'Staging',
      Storage__Endpoint: 'https://s3.dev.krd',
      CAS__URL: 'https://auth.dev.krd',
    };
    expect(hostsInConfig(config)).toStrictEqual({
      hosts: [
        dialed(config, 'CAS__URL', 'auth.dev.krd', { port: 443, portSource: 'scheme', scheme: 'https' }),
        dialed(config, 'RabbitMQ__HostName', 'cluster.rabbitmq', { port: 5672, portSource: 'sibling' }),
        dialed(config, 'RemoteServices__UserApiUrl', 'users-api', { port: 80, portSource: 'scheme', scheme: 'http' }),
        dialed(config, 'Storage__Endpoint', 's3.dev.krd', { port: 443, portSource: 'scheme', scheme: 'https' }),
      ],
      unclassified: [],
      browserSide: [],
    });
  });

  it('reads a typical compose application: a placeholder in the password only still names the host', () => {
    const config = {
      DATABASE_URL: 'postgres://shop:${POSTGRES_PASSWORD}@db:5432/shop',
      CELERY_BROKER_URL: 'redis://redis:6379/0',
      database__connection__host: 'mysql',
      KAFKA_BOOTSTRAP_SERVERS: 'kafka:9092',
      SENTRY_DSN: 'https://key@o1.ingest.sentry.io/2',
    };
    expect(hostsInConfig(config)).toStrictEqual({
      hosts: [
        dialed(config, 'CELERY_BROKER_URL', 'redis', { port: 6379, portSource: 'value', scheme: 'redis' }),
        dialed(config, 'DATABASE_URL', 'db', { port: 5432, portSource: 'value', scheme: 'postgres' }),
        dialed(config, 'KAFKA_BOOTSTRAP_SERVERS', 'kafka', { port: 9092, portSource: 'value' }),
        dialed(config, 'SENTRY_DSN', 'o1.ingest.sentry.io', { port: 443, portSource: 'scheme', scheme: 'https' }),
        dialed(config, 'database__connection__host', 'mysql'),
      ],
      unclassified: [],
      browserSide: [],
    });
  });

  it('rule 1: finds every host of every URL in a value, without credentials', () => {
    const config = {
      A_MONGO: 'mongodb://u:p@a:27017,b:27018/db?replicaSet=x',
      B_MONGO_SRV: 'mongodb+srv://cluster.example.com/db',
      C_REDIS: 'redis://:password@cache:6379/0',
      D_AMQP: 'amqp://guest:guest@rabbitmq/vhost',
      E_SIDECAR: 'http://[::1]:8080',
      F_JDBC: 'jdbc:postgresql://db:5432/x',
      G_SQLSERVER: 'jdbc:sqlserver://sql;databaseName=x',
      H_ALCHEMY: 'postgresql+asyncpg://app@pg/x',
      I_STATSD: 'udp://statsd:8125',
      J_UPPER: 'HTTPS://API.Example.COM./v1',
      K_GRPC: 'grpc://orders:50051',
      L_TEXT: '{"primary": "http://a.example", "backup": "https://b.example:8443/x"}',
      M_LIST: 'http://web-1,http://web-2',
      N_FILE: 'file:///data/x',
    };
    expect(hostsInConfig(config)).toStrictEqual({
      hosts: [
        dialed(config, 'A_MONGO', 'a', { port: 27017, portSource: 'value', scheme: 'mongodb' }),
        dialed(config, 'A_MONGO', 'b', { port: 27018, portSource: 'value', scheme: 'mongodb' }),
        // An SRV lookup gives the port: the scheme's default does not apply.
        dialed(config, 'B_MONGO_SRV', 'cluster.example.com', { scheme: 'mongodb+srv' }),
        dialed(config, 'C_REDIS', 'cache', { port: 6379, portSource: 'value', scheme: 'redis' }),
        dialed(config, 'D_AMQP', 'rabbitmq', { port: 5672, portSource: 'scheme', scheme: 'amqp' }),
        dialed(config, 'E_SIDECAR', '::1', { port: 8080, portSource: 'value', scheme: 'http' }),
        dialed(config, 'F_JDBC', 'db', { port: 5432, portSource: 'value', scheme: 'postgresql' }),
        dialed(config, 'G_SQLSERVER', 'sql', { port: 1433, portSource: 'scheme', scheme: 'sqlserver' }),
        dialed(config, 'H_ALCHEMY', 'pg', { port: 5432, portSource: 'scheme', scheme: 'postgresql+asyncpg' }),
        { ...dialed(config, 'I_STATSD', 'statsd', { port: 8125, portSource: 'value', scheme: 'udp' }), protocol: 'UDP' },
        dialed(config, 'J_UPPER', 'api.example.com', { port: 443, portSource: 'scheme', scheme: 'https' }),
        dialed(config, 'K_GRPC', 'orders', { port: 50051, portSource: 'value', scheme: 'grpc' }),
        dialed(config, 'L_TEXT', 'a.example', { port: 80, portSource: 'scheme', scheme: 'http' }),
        dialed(config, 'L_TEXT', 'b.example', { port: 8443, portSource: 'value', scheme: 'https' }),
        dialed(config, 'M_LIST', 'web-1', { port: 80, portSource: 'scheme', scheme: 'http' }),
        dialed(config, 'M_LIST', 'web-2', { port: 80, portSource: 'scheme', scheme: 'http' }),
      ],
      unclassified: [],
      browserSide: [],
    });
  });

  it('rule 1: a URL whose host or port is a template, has no host or an impossible port is unclassified', () => {
    const config = {
      A: 'http://${DB_HOST}/x',
      B: 'http://{{ .Values.host }}:80/x',
      C: 'amqp://u:p@$(RABBIT_HOST)',
      D: 'http://api:${API_PORT}/x',
      E: 'http://api:99999',
      F: 'http://',
      G: 'http://not_a_host/x',
    };
    expect(hostsInConfig(config)).toStrictEqual({
      hosts: [],
      unclassified: [
        unreadable(config, 'A', '\'A\' dials "http://${DB_HOST}/x", whose host "${DB_HOST}" is a placeholder, filled in only at run time'),
        unreadable(config, 'B', '\'B\' dials "http://{{ .Values.host }}:80/x", whose host "{{ .Values.host }}" is a placeholder, filled in only at run time'),
        unreadable(config, 'C', '\'C\' dials "amqp://u:p@$(RABBIT_HOST)", whose host "$(RABBIT_HOST)" is a placeholder, filled in only at run time'),
        unreadable(config, 'D', '\'D\': the port "${API_PORT}" of api is a placeholder, filled in only at run time'),
        unreadable(config, 'E', '\'E\': the port "99999" of api is not an integer from 1 to 65535'),
        unreadable(config, 'F', '\'F\' dials "http://", which names no host'),
        unreadable(config, 'G', '\'G\' dials "http://not_a_host/x", whose host "not_a_host" is not a DNS name or IP address'),
      ],
      browserSide: [],
    });
  });

  it('rule 2: reads host:port values and lists of them, and nothing that only has a colon', () => {
    const config = {
      CACHE: 'redis:6379',
      DB: 'DB.Example.com:5432',
      IPV4: '10.0.0.1:5432',
      IPV6: '[fe80::1]:5432',
      KAFKA: 'kafka-1:9092, kafka-2:9092',
      // StackExchange.Redis: options beside the host.
      Redis__Configuration: 'redis:6379,password=x,abortConnect=false',
      TIME: '12:30',
      CLOCK: '12:30:00',
      RATIO: '16:9',
      WINDOWS_PATH: 'C:\\data\\x',
      BARE_IPV6: 'fe80::1',
      PROSE: 'status:ok',
      TIMESTAMP: '2024-01-01T12:30:00Z',
      REDIS_IMAGE: 'redis:7',
    };
    expect(hostsInConfig(config)).toStrictEqual({
      hosts: [
        dialed(config, 'CACHE', 'redis', { port: 6379, portSource: 'value' }),
        dialed(config, 'DB', 'db.example.com', { port: 5432, portSource: 'value' }),
        dialed(config, 'IPV4', '10.0.0.1', { port: 5432, portSource: 'value' }),
        dialed(config, 'IPV6', 'fe80::1', { port: 5432, portSource: 'value' }),
        dialed(config, 'KAFKA', 'kafka-1', { port: 9092, portSource: 'value' }),
        dialed(config, 'KAFKA', 'kafka-2', { port: 9092, portSource: 'value' }),
        dialed(config, 'Redis__Configuration', 'redis', { port: 6379, portSource: 'value' }),
      ],
      unclassified: [],
      browserSide: [],
    });
  });

  it('rule 2: a host:port with an impossible port, or a list mixing host:port with other words, is unclassified', () => {
    const config = { A: 'db:99999', B: 'db:0', C: 'kafka-1:9092,kafka-2' };
    expect(hostsInConfig(config)).toStrictEqual({
      hosts: [dialed(config, 'C', 'kafka-1', { port: 9092, portSource: 'value' })],
      unclassified: [
        unreadable(config, 'A', '\'A\': the port "99999" of db is not an integer from 1 to 65535'),
        unreadable(config, 'B', '\'B\': the port "0" of db is not an integer from 1 to 65535'),
        unreadable(config, 'C', '\'C\' lists "kafka-2" beside host:port entries; expected every entry to be host:port'),
      ],
      browserSide: [],
    });
  });

  it('rule 3: reads the host and port of ADO.NET, libpq, SqlClient and StackExchange.Redis connection strings', () => {
    const config = {
      ConnectionStrings__Default: 'Server=db;Port=5432;Database=x;User Id=u;Password=p',
      ConnectionStrings__Npgsql: 'Host=pg-1,pg-2:5433;Port=5432;Database=x',
      ConnectionStrings__Sql: 'Data Source=tcp:sql,1433',
      ConnectionStrings__Named: 'Server=SQL\\REPORTS;Database=x',
      ConnectionStrings__Sqlite: 'Data Source=app.db;Cache=Shared',
      ConnectionStrings__Bad: 'Server=db;Port=none',
      // StackExchange.Redis: a bare host is a whole connection string.
      ConnectionStrings__Redis: 'cache',
      ConnectionStrings__Blob: 'UseDevelopmentStorage=true',
      PG_DSN: "host=db port=5432 dbname=x password='a b'",
    };
    expect(hostsInConfig(config)).toStrictEqual({
      hosts: [
        dialed(config, 'ConnectionStrings__Default', 'db', { port: 5432, portSource: 'value' }),
        // A named instance's port is found through the SQL Browser at run time.
        dialed(config, 'ConnectionStrings__Named', 'sql'),
        dialed(config, 'ConnectionStrings__Npgsql', 'pg-1', { port: 5432, portSource: 'value' }),
        dialed(config, 'ConnectionStrings__Npgsql', 'pg-2', { port: 5433, portSource: 'value' }),
        dialed(config, 'ConnectionStrings__Redis', 'cache'),
        dialed(config, 'ConnectionStrings__Sql', 'sql', { port: 1433, portSource: 'value' }),
        dialed(config, 'PG_DSN', 'db', { port: 5432, portSource: 'value' }),
      ],
      unclassified: [
        unreadable(config, 'ConnectionStrings__Bad', '\'ConnectionStrings__Bad\': the port "none" of db is not an integer from 1 to 65535'),
        unreadable(config, 'ConnectionStrings__Blob', '\'ConnectionStrings__Blob\' names a host but its value "UseDevelopmentStorage=true" is not a DNS name or IP address'),
      ],
      browserSide: [],
    });
  });

  it('rule 4: a bare host in a key naming one, with the port of its sibling Port key', () => {
    const config = {
      DATABASE_HOST: 'db',
      DATABASE_PORT: '5432',
      REDIS_ADDR: 'cache',
      Smtp__Server: 'Mail.Example.COM.',
      Smtp__Port: '587',
      searchHost: 'search:9201',
      searchPort: '9200',
      ELASTICSEARCH_NODES: 'es-1,es-2:9201',
      LDAP_SERVER_NAME: '10.0.0.7',
      DNS_ADDRESS: 'fd00::53',
    };
    expect(hostsInConfig(config)).toStrictEqual({
      hosts: [
        dialed(config, 'DATABASE_HOST', 'db', { port: 5432, portSource: 'sibling' }),
        dialed(config, 'DNS_ADDRESS', 'fd00::53'),
        dialed(config, 'ELASTICSEARCH_NODES', 'es-1'),
        dialed(config, 'ELASTICSEARCH_NODES', 'es-2', { port: 9201, portSource: 'value' }),
        dialed(config, 'LDAP_SERVER_NAME', '10.0.0.7'),
        dialed(config, 'REDIS_ADDR', 'cache'),
        dialed(config, 'Smtp__Server', 'mail.example.com', { port: 587, portSource: 'sibling' }),
        // The value's own port wins over the sibling's.
        dialed(config, 'searchHost', 'search', { port: 9201, portSource: 'value' }),
      ],
      unclassified: [],
      browserSide: [],
    });
  });

  it('rule 4: an unreadable host, or an unreadable sibling port, is unclassified; an empty value names no host', () => {
    const config = {
      DATABASE_HOST: 'not a host!',
      // compose's `CACHE_HOST=` or `${CACHE_HOST:-}`: nothing to dial, so nothing to report.
      CACHE_HOST: '',
      LETSENCRYPT_HOST: '  ',
      QUEUE_HOST: 'rabbit_mq:5672',
      SMTP_SERVER: 'smtp.example.com',
      SMTP_PORT: 'twenty-five',
      Mongo__Host: 'mongo',
      Mongo__Port: '27017',
      MONGO_PORT: '27018',
    };
    expect(hostsInConfig(config)).toStrictEqual({
      hosts: [],
      unclassified: [
        unreadable(config, 'DATABASE_HOST', '\'DATABASE_HOST\' names a host but its value "not a host!" is not a DNS name or IP address'),
        unreadable(config, 'Mongo__Host', '\'MONGO_PORT\' and \'Mongo__Port\' give different ports for \'Mongo__Host\''),
        unreadable(config, 'QUEUE_HOST', '\'QUEUE_HOST\' names a host but "rabbit_mq" in its value "rabbit_mq:5672" is not a DNS name or IP address'),
        unreadable(config, 'SMTP_SERVER', '\'SMTP_PORT\' gives the port of \'SMTP_SERVER\' but its value "twenty-five" is not an integer from 1 to 65535'),
      ],
      browserSide: [],
    });
  });

  it('rule 4: listen addresses, vhosts, sockets, senders, switches, origins and redirects are not calls', () => {
    const config = {
      // Loopback or every interface in a key naming a host: the address the application binds.
      API_HOST: 'localhost',
      WEB_HOST: '127.0.0.1',
      GRPC_HOST: '::1',
      METRICS_HOST: '0.0.0.0',
      ASPNETCORE_URLS: 'http://+:80',
      Kestrel__Endpoints__Http__Url: 'http://0.0.0.0:5000',
      GRPC_LISTEN_ADDR: ':9000',
      SERVER_BIND_ADDRESS: 'api.internal',
      HOST: 'web',
      HOSTNAME: 'web-7d9f',
      RabbitMQ__VirtualHost: 'my-team',
      VIRTUAL_HOST: 'shop.example.com',
      ALLOWED_HOSTS: 'shop.example.com,localhost',
      PGHOST: '/var/run/postgresql',
      DATABASE_URL: 'postgresql://%2Fvar%2Frun%2Fpostgresql/shop',
      Mail__FromAddress: 'noreply@example.com',
      Features__UseProxyServer: 'false',
      CORS_ALLOWED_ORIGINS: 'https://shop.example.com',
      OAUTH_REDIRECT_URI: 'https://shop.example.com/callback',
      Api__BaseUrl: '/api',
    };
    expect(hostsInConfig(config)).toStrictEqual({ hosts: [], unclassified: [], browserSide: [] });
  });

  it('rule 5: names, numbers, booleans, paths, email addresses, words and JSON stay out', () => {
    const config = {
      MongoDB__DatabaseName: 'my-team-db',
      Sentry__Environment: 'staging',
      ASPNETCORE_ENVIRONMENT: 'Staging',
      WORKERS: '4',
      DEBUG: 'true',
      DATA_DIR: '/data/x',
      SUPPORT_EMAIL: 'noreply@example.com',
      MAIL_LINK: 'mailto:noreply@example.com',
      Logging__LogLevel__Microsoft: 'Warning',
      LOG_FILTER: 'Microsoft.AspNetCore=Warning',
      JAVA_OPTS: '-Xmx512m -Dspring.profiles.active=k8s',
      FEATURES: '{"beta": true, "limit": 10}',
      TZ: 'Europe/Berlin',
      APP_NAME: 'shop.frontend',
    };
    expect(hostsInConfig(config)).toStrictEqual({ hosts: [], unclassified: [], browserSide: [] });
  });

  it('sorts by key, then by place in the value', () => {
    const config = { b: 'http://z-host,http://a-host', a: 'y:1', C: 'x:2' };
    expect(hostsInConfig(config).hosts.map((h) => `${h.key} ${h.host}`)).toStrictEqual(['C x', 'a y', 'b z-host', 'b a-host']);
  });
});

describe('defaultPort', () => {
  it('knows the schemes configurations use, and gives none for SRV, grpc and unknown schemes', () => {
    const schemes = ['http', 'https', 'ws', 'wss', 'amqp', 'amqps', 'redis', 'rediss', 'postgres', 'postgresql', 'mysql', 'mongodb', 'nats', 'ldap', 'ldaps', 'smtp', 'ftp', 'kafka', 'HTTPS', 'mysql+pymysql', 'mongodb+srv', 'grpc', 'constructor', 'gopher'];
    expect(schemes.map((s) => [s, defaultPort(s)])).toStrictEqual([
      ['http', 80], ['https', 443], ['ws', 80], ['wss', 443], ['amqp', 5672], ['amqps', 5671], ['redis', 6379], ['rediss', 6379],
      ['postgres', 5432], ['postgresql', 5432], ['mysql', 3306], ['mongodb', 27017], ['nats', 4222], ['ldap', 389], ['ldaps', 636],
      ['smtp', 25], ['ftp', 21], ['kafka', 9092], ['HTTPS', 443], ['mysql+pymysql', 3306], ['mongodb+srv', undefined], ['grpc', undefined],
      ['constructor', undefined], ['gopher', undefined],
    ]);
  });
});

describe('keyWords', () => {
  it('splits .NET sections, SCREAMING_SNAKE, camelCase and acronyms', () => {
    expect(['RabbitMQ__HostName', 'KAFKA_BOOTSTRAP_SERVERS', 'userApiURL', 'Search.BaseURLs', 'spring-datasource-url', 'S3Endpoint'].map(keyWords)).toStrictEqual([
      ['rabbit', 'mq', 'host', 'name'], ['kafka', 'bootstrap', 'servers'], ['user', 'api', 'url'], ['search', 'base', 'urls'],
      ['spring', 'datasource', 'url'], ['s3', 'endpoint'],
    ]);
  });
  it('browser-side keys are read into browserSide, never into hosts or unclassified: the browser dials them', () => {
    const config = {
      NEXT_PUBLIC_API_URL: 'http://localhost:8000',
      VITE_WS: 'wss://${HOST}/ws',
      REACT_APP_API: 'https://api.example.com',
      PUBLIC_URL: 'https://shop.example.com',
      API_URL: 'http://backend:8000',
    };
    expect(hostsInConfig(config)).toStrictEqual({
      hosts: [dialed(config, 'API_URL', 'backend', { port: 8000, portSource: 'value', scheme: 'http' })],
      unclassified: [],
      browserSide: [
        dialed(config, 'NEXT_PUBLIC_API_URL', 'localhost', { port: 8000, portSource: 'value', scheme: 'http' }),
        dialed(config, 'PUBLIC_URL', 'shop.example.com', { port: 443, portSource: 'scheme', scheme: 'https' }),
        dialed(config, 'REACT_APP_API', 'api.example.com', { port: 443, portSource: 'scheme', scheme: 'https' }),
      ],
    });
  });
});
