import { SealedSecret, assertNoSecretsInValues, findCredentials, looksLikeSecret } from '../../src';

describe('looksLikeSecret', () => {
  it.each([
    ['DB_PASSWORD', 'x'],
    ['MongoDB__Password', 'x'],
    ['Jwt__Secret', 'x'],
    ['GITHUB_TOKEN', 'x'],
    ['Stripe__ApiKey', 'x'],
    ['STRIPE_API_KEY', 'x'],
    ['apiKey', 'x'],
    ['Tls__PrivateKey', 'x'],
    ['OAuth__ClientSecret', 'x'],
    ['ConnectionStrings__Default', 'mongodb://admin:hunter2@mongo:27017'],
  ])('%s is a secret', (key, value) => {
    expect(looksLikeSecret(key, value)).toBe(true);
  });

  it.each([
    ['RemoteServices__TokenUrl', 'https://auth/token'],
    ['SECRET_NAME', 'my-secret'],
    ['RabbitMQ__Port', 5672],
    ['ConnectionStrings__Default', 'mongodb://mongo:27017'],
    ['PasswordPolicy__MinLength', 12],
  ])('%s is not a secret', (key, value) => {
    expect(looksLikeSecret(key, value)).toBe(false);
  });
});

describe('assertNoSecretsInValues', () => {
  const where = { component: 'redis', field: 'values' };

  it('accepts references to Secrets', () => {
    expect(() => assertNoSecretsInValues({ auth: { existingSecret: 'a', existingPasswordSecret: 'b', secretRef: { name: 'c' }, enabled: true } }, where)).not.toThrow();
  });

  it('finds a credential at any depth, lists included', () => {
    expect(() => assertNoSecretsInValues({ a: [{ b: { apiKey: 'k' } }] }, where)).toThrow(/^redis values.a\[0\].b.apiKey: looks like a credential/);
  });
});

describe('SealedSecret', () => {
  it('keeps kubeseal output as it is', () => {
    expect(SealedSecret.fromCiphertext('AgBy3i4OJSWK+IiTQ==').ciphertext).toBe('AgBy3i4OJSWK+IiTQ==');
  });
});

describe('references to a secret store are not secrets', () => {
  it.each([
    ['existingSecret', 'redis-auth'],
    ['existingPasswordSecret', 'rabbitmq-auth'],
    ['existingSecretPasswordKey', 'password'],
    ['passwordSecretName', 'db-auth'],
    ['DB_PASSWORD_PATH', '/my-api/db'],
    ['JWT_SECRET_REF', 'jwt'],
    ['DB_PASSWORD', '$(DB_PASSWORD)'],
    ['API_TOKEN', 'infisical://my-api/API_TOKEN'],
    ['nginx.ingress.kubernetes.io/auth-secret', 'basic-auth'],
    ['RoutingKey', 'orders'],
  ])('%s: %s', (key, value) => {
    expect(looksLikeSecret(key, value)).toBe(false);
  });

  it('an env entry that reads a secretKeyRef', () => {
    expect(findCredentials({ env: [{ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } }] }, 'spec')).toStrictEqual([]);
  });
});

describe('credentials found anywhere', () => {
  it.each([
    ['existingSecretPassword', 'hunter2'],
    ['JWT_SIGNING_KEY', 'c2VjcmV0'],
    ['SLACK_TOKEN', 'xoxb'],
    ['smtpPasswordValue', 'p'],
    ['ConnectionStrings__Sql', 'Server=sql;User Id=app;Password=hunter2;'],
    ['Odbc', 'Driver={x};Uid=app;PWD=hunter2'],
    ['example.com/auth-password', 'hunter2'],
  ])('%s', (key, value) => {
    expect(looksLikeSecret(key, value)).toBe(true);
  });

  it('every one of them, with its path', () => {
    expect(findCredentials({ data: { DB_PASSWORD: 'a', MODE: 'x' }, spec: { containers: [{ env: [{ name: 'API_TOKEN', value: 't' }] }] } }, 'ConfigMap/c'))
      .toStrictEqual(['ConfigMap/c.data.DB_PASSWORD', 'ConfigMap/c.spec.containers[0].env[0].API_TOKEN']);
  });
});
