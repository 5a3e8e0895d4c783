import { DitEnvironment, GitOpsApp } from '../../src';
import { failingSynth } from '../support';

describe('DitEnvironment', () => {
  it('defaults: name from id, Infisical slug from name, digests pinned in production only', () => {
    const app = new GitOpsApp();
    const prod = new DitEnvironment(app, 'production', { namespace: 'team', domain: 'example.com' });
    const dev = new DitEnvironment(app, 'development', { namespace: 'team-dev', domain: 'dev.example.com', infisicalSlug: 'dev' });
    expect([prod.name, prod.infisicalSlug, prod.pinImageDigests]).toStrictEqual(['production', 'production', true]);
    expect([dev.name, dev.infisicalSlug, dev.pinImageDigests]).toStrictEqual(['development', 'dev', false]);
  });

  it('rejects a domain that is not a DNS name', () => {
    expect(failingSynth((app) => { new DitEnvironment(app, 'staging', { namespace: 'team', domain: 'https://example.com' }); }).message)
      .toBe('environment staging domain: got "https://example.com"; expected a DNS-1123 subdomain such as staging.example.com');
  });

  it('production: from the name unless stated, with semver tags and digests by default', () => {
    const app = new GitOpsApp();
    const prod = new DitEnvironment(app, 'production', { namespace: 'team', domain: 'example.com' });
    const prodEu = new DitEnvironment(app, 'prod-eu', { namespace: 'team', domain: 'eu.example.com', production: true });
    const staging = new DitEnvironment(app, 'staging', { namespace: 'team', domain: 'staging.example.com' });
    expect([prod.production, prodEu.production, staging.production]).toStrictEqual([true, true, false]);
    expect([prodEu.pinImageDigests, prodEu.imageTagRule.description]).toStrictEqual([true, 'a semantic version such as v1.2.3']);
    expect([staging.pinImageDigests, staging.imageTagRule.description]).toStrictEqual([false, 'any Docker tag except latest (a tag that names one build)']);
  });

  it('a second environment with one id is a DitError, not a constructs stack trace', () => {
    const app = new GitOpsApp();
    new DitEnvironment(app, 'staging', { namespace: 'team', domain: 'example.com' });
    expect(() => new DitEnvironment(app, 'staging', { namespace: 'team', domain: 'example.com' })).toThrow(/^environment staging name: is declared twice; expected one environment per name$/);
  });
});
