import { DitApi, Peer, SealedSecret } from '../../src';
import { failingSynth, planDocuments, twoEnvironments } from '../support';

describe('Infisical values', () => {
  it('without a sealed token in an environment is an error naming it: the operator could not sign in', () => {
    expect(failingSynth((app) => {
      new DitApi(app, 'api', { infisical: { secretsPath: '/team/api' }, overrides: { development: { infisical: { sealedToken: SealedSecret.fromCiphertext('AgBx7Yk2...') } } } })
        .connections.allowFrom(Peer.traefik());
    }).message).toBe("api [production] infisical.sealedToken: is missing, so the chart's Infisical operator cannot sign in to read /team/api; expected SealedSecret.fromCiphertext(<kubeseal --raw output>) for this environment, or infisical.enabled: false");
  });

  it('a token stated once holds in every environment, and enabled: false needs none', () => {
    const docs = planDocuments(twoEnvironments((app) => {
      new DitApi(app, 'api', { infisical: { sealedToken: SealedSecret.fromCiphertext('AgBx7Yk2...') } }).connections.allowFrom(Peer.traefik());
      new DitApi(app, 'web', { infisical: { enabled: false } }).connections.allowFrom(Peer.traefik());
    }));
    expect(docs['api/base/release.yaml'][0].spec.values.infisical).toStrictEqual({ enabled: true, secretsScope: { secretsPath: '/api' }, sealedSecret: { token: 'AgBx7Yk2...' } });
    expect(docs['web/base/release.yaml'][0].spec.values.infisical).toStrictEqual({ enabled: false, secretsScope: { secretsPath: '/web' } });
  });
});
