import { DitEnvironment, GitOpsApp } from '../../src';

describe('DitEnvironment', () => {
  it('defaults: name from id, Infisical slug from name, digests pinned in production only', () => {
    const app = new GitOpsApp();
    const prod = new DitEnvironment(app, 'production', { namespace: 'team', domain: 'example.com' });
    const dev = new DitEnvironment(app, 'development', { namespace: 'team-dev', domain: 'dev.example.com', infisicalSlug: 'dev' });
    expect([prod.name, prod.infisicalSlug, prod.pinImageDigests]).toStrictEqual(['production', 'production', true]);
    expect([dev.name, dev.infisicalSlug, dev.pinImageDigests]).toStrictEqual(['development', 'dev', false]);
  });

  it('rejects a domain that is not a DNS name', () => {
    expect(() => new DitEnvironment(new GitOpsApp(), 'staging', { namespace: 'team', domain: 'https://example.com' }))
      .toThrow('environment staging domain: got "https://example.com"; expected a DNS-1123 subdomain such as staging.example.com');
  });
});
