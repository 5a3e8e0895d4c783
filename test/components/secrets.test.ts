import { SealedSecret, assertNoSecretsInValues, looksLikeSecret } from '../../src';

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
