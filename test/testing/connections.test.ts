import { DitApi, DitEnvironment, GitOpsApp, Peer, Port } from 'dit-gitops';
import { expectConnectionAllowed, expectConnectionDenied, isConnectionAllowed, synthTree } from 'dit-gitops/testing';
import { defineTeam } from '../../src/main';

const app = new GitOpsApp();
defineTeam(app);
const tree = synthTree(app);

describe('connection helpers on the example', () => {
  it('my-api may reach rabbitmq on 5672 in staging', () => {
    expectConnectionAllowed(app, tree, { from: 'my-api', to: 'rabbitmq', port: 5672, environment: 'staging' });
  });

  it('my-client may not reach the database', () => {
    expectConnectionDenied(app, tree, { from: 'my-client', to: 'database', port: 27017, environment: 'staging' });
  });

  it('the database is reachable from my-api in staging only', () => {
    expect(['development', 'staging', 'production'].map((environment) => isConnectionAllowed(app, tree, { from: 'my-api', to: 'database', port: 27017, environment })))
      .toStrictEqual([false, true, false]);
  });

  it('between components both ends count, standalone policies included', () => {
    expectConnectionAllowed(app, tree, { from: 'users', to: 'rabbitmq', port: 5672, environment: 'production' });
    expectConnectionDenied(app, tree, { from: 'users', to: 'rabbitmq', port: 15672, environment: 'production' });
    expectConnectionAllowed(app, tree, { from: 'gateway', to: 'my-api', port: 8080, environment: 'production' });
    expectConnectionAllowed(app, tree, { from: 'my-api', to: 'users', port: 8080, environment: 'production' });
    expectConnectionDenied(app, tree, { from: 'users', to: 'my-api', port: 8080, environment: 'production' });
  });

  it('DNS egress and FQDN rules', () => {
    expectConnectionAllowed(app, tree, { from: 'redis', to: 'kube-dns', port: 53, environment: 'development' });
    expectConnectionAllowed(app, tree, { from: 'users', to: 'sendgrid', port: 443, environment: 'staging' });
    expectConnectionDenied(app, tree, { from: 'my-client', to: 'kube-dns', port: 53, environment: 'staging' });
  });

  it('fails with the reason', () => {
    expect(() => expectConnectionAllowed(app, tree, { from: 'my-client', to: 'users', port: 8080, environment: 'staging' }))
      .toThrow('expected my-client -> users on port 8080 in staging to be allowed, but no rule allows it');
  });

  it('a tree that drifted from the model is an error, not an answer', () => {
    const drifted = { ...tree, 'my-api/staging/release.yaml': tree['my-api/staging/release.yaml'].replace('port: "27017"', 'port: "27018"') };
    expect(() => isConnectionAllowed(app, drifted, { from: 'my-api', to: 'database', port: 27017, environment: 'staging' }))
      .toThrow('my-api -> database:27017 in staging: the model says allowed but the rendered policy says denied');
  });

  it('a misspelled from or to is an error naming the valid names, not a denial', () => {
    const team = new GitOpsApp();
    scaffoldTeam(team);
    const small = synthTree(team);
    const message = 'to: no component or peer named "databse"; expected a component (t-api) or a peer a rule names (database, kube-dns, traefik)';
    expect(() => expectConnectionDenied(team, small, { from: 't-api', to: 'databse', port: 5432, environment: 'development' })).toThrow(message);
    expect(() => expectConnectionAllowed(team, small, { from: 't-api', to: 'databse', port: 5432, environment: 'development' })).toThrow(message);
    expect(() => isConnectionAllowed(team, small, { from: 't-apj', to: 'database', port: 5432, environment: 'development' }))
      .toThrow('from: no component "t-apj"; expected one of t-api');
    expectConnectionDenied(team, small, { from: 't-api', to: 'database', port: 6379, environment: 'development' });
  });

  it('a peer another component names may be asked about', () => {
    expect(isConnectionAllowed(app, tree, { from: 'redis', to: 'sendgrid', port: 443, environment: 'staging' })).toBe(false);
  });

  it('an unknown environment names the ones that exist', () => {
    expect(() => isConnectionAllowed(app, tree, { from: 'my-api', to: 'rabbitmq', port: 5672, environment: 'qa' }))
      .toThrow('GitOpsApp environment: got "qa", which the app does not declare; expected one of development, staging, production');
  });
});

/** The example `dit-gitops init` writes (templates/init/src/main.ts). */
function scaffoldTeam(app: GitOpsApp): void {
  const development = new DitEnvironment(app, 'development', { namespace: 't', domain: 'development.t.example.com' });
  const api = new DitApi(app, 't-api', { environments: [development], image: { repository: 'ghcr.io/t/t-api', tag: 'v0.1.0' } });
  api.connections.allowFrom(Peer.traefik(), Port.tcp(8080));
  api.connections.allowTo(Peer.endpoint({ name: 'database', labels: { app: 't-postgres' } }), Port.tcp(5432));
}
