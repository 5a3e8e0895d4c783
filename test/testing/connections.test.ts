import { GitOpsApp } from 'dit-gitops';
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
    expectConnectionDenied(app, tree, { from: 'my-api', to: 'users', port: 8080, environment: 'production' });
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

  it('an unknown environment names the ones that exist', () => {
    expect(() => isConnectionAllowed(app, tree, { from: 'my-api', to: 'rabbitmq', port: 5672, environment: 'qa' }))
      .toThrow('GitOpsApp environment: got "qa", which the app does not declare; expected one of development, staging, production');
  });
});
