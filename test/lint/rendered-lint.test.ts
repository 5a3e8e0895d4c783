import { LintRule, formatLintFindings, lintNetworkPolicy, lintRendered, lintWorkload, podTemplateOf } from '../../src';
import { edited, goodDeployment, goodPolicy, rendered } from './fixtures';

const pod = (o: any) => o.spec.template.spec;
const app = (o: any) => o.spec.template.spec.containers[0];
const lint = (object: object, options = { pinImageDigests: true }, values?: object) => lintWorkload(rendered([object as never], values as never)[0], options);
const rules = (object: object, options = { pinImageDigests: true }, values?: object) => lint(object, options, values).map((f) => f.rule);

describe('workload rules', () => {
  it('a Deployment the golden charts render has no finding', () => {
    expect(lint(goodDeployment())).toStrictEqual([]);
  });

  it('each finding names component, environment, object and rule', () => {
    const object = edited(goodDeployment(), (o) => { app(o).securityContext.privileged = true; });
    expect(lint(object)).toStrictEqual([{ component: 'api', environment: 'production', object: 'Deployment/api', rule: LintRule.NOT_PRIVILEGED, message: 'container app is privileged; expected privileged false' }]);
  });

  const broken: Array<[string, LintRule, (o: any) => void]> = [
    ['runAsNonRoot missing', LintRule.RUN_AS_NON_ROOT, (o) => { delete pod(o).securityContext.runAsNonRoot; }],
    ['root user', LintRule.RUN_AS_NON_ROOT, (o) => { app(o).securityContext.runAsUser = 0; }],
    ['privilege escalation', LintRule.NO_PRIVILEGE_ESCALATION, (o) => { delete app(o).securityContext.allowPrivilegeEscalation; }],
    ['privileged', LintRule.NOT_PRIVILEGED, (o) => { app(o).securityContext.privileged = true; }],
    ['capabilities kept', LintRule.CAPABILITIES_DROPPED, (o) => { app(o).securityContext.capabilities = { drop: ['NET_RAW'] }; }],
    ['writable root', LintRule.READ_ONLY_ROOT_FILESYSTEM, (o) => { app(o).securityContext.readOnlyRootFilesystem = false; }],
    ['no seccomp', LintRule.SECCOMP_RUNTIME_DEFAULT, (o) => { delete pod(o).securityContext.seccompProfile; }],
    ['unconfined seccomp', LintRule.SECCOMP_RUNTIME_DEFAULT, (o) => { app(o).securityContext.seccompProfile = { type: 'Unconfined' }; }],
    ['no cpu request', LintRule.RESOURCES, (o) => { delete app(o).resources.requests.cpu; }],
    ['no memory limit', LintRule.RESOURCES, (o) => { delete app(o).resources.limits; }],
    ['no liveness probe', LintRule.PROBES, (o) => { delete app(o).livenessProbe; }],
    ['no readiness probe', LintRule.PROBES, (o) => { delete app(o).readinessProbe; }],
    ['latest', LintRule.IMAGE_TAG, (o) => { app(o).image = 'team/api:latest@sha256:570965b16c53e7fe6c48d50d8601a8cd2327143dba14412692a5b8fc2c119bf9'; }],
    ['hostNetwork', LintRule.HOST_ACCESS, (o) => { pod(o).hostNetwork = true; }],
    ['hostPID', LintRule.HOST_ACCESS, (o) => { pod(o).hostPID = true; }],
    ['hostIPC', LintRule.HOST_ACCESS, (o) => { pod(o).hostIPC = true; }],
    ['hostPath', LintRule.HOST_ACCESS, (o) => { pod(o).volumes.push({ name: 'docker', hostPath: { path: '/var/run/docker.sock' } }); }],
    ['hostPort', LintRule.HOST_ACCESS, (o) => { app(o).ports[0].hostPort = 80; }],
    ['token mounted', LintRule.SERVICE_ACCOUNT_TOKEN, (o) => { delete pod(o).automountServiceAccountToken; }],
  ];
  it.each(broken)('%s: that rule only', (_name, rule, edit) => {
    expect(rules(edited(goodDeployment(), edit))).toStrictEqual([rule]);
  });

  it('an untagged image, and a missing digest where digests are pinned', () => {
    expect(rules(edited(goodDeployment(), (o) => { app(o).image = 'team/api'; }))).toStrictEqual([LintRule.IMAGE_TAG, LintRule.IMAGE_DIGEST]);
    expect(rules(edited(goodDeployment(), (o) => { app(o).image = 'registry:5000/team/api:v1'; }))).toStrictEqual([LintRule.IMAGE_DIGEST]);
    expect(rules(edited(goodDeployment(), (o) => { app(o).image = 'registry:5000/team/api:v1'; }), { pinImageDigests: false })).toStrictEqual([]);
  });

  it('explicit opt-outs in the release values: a writable root filesystem, a mounted token', () => {
    const object = edited(goodDeployment(), (o) => { app(o).securityContext.readOnlyRootFilesystem = false; pod(o).automountServiceAccountToken = true; });
    expect(rules(object)).toStrictEqual([LintRule.SERVICE_ACCOUNT_TOKEN, LintRule.READ_ONLY_ROOT_FILESYSTEM]);
    expect(rules(object, undefined, { securityContext: { readOnlyRootFilesystem: false }, serviceAccount: { automountToken: true } })).toStrictEqual([]);
  });

  it('init containers are checked too, except for probes', () => {
    const object = edited(goodDeployment(), (o) => { pod(o).initContainers = [{ ...app(o), name: 'migrate', readinessProbe: undefined, livenessProbe: undefined, securityContext: {} }]; });
    expect(lint(object).map((f) => f.message)).toStrictEqual([
      'container migrate has allowPrivilegeEscalation undefined; expected false',
      'container migrate drops no capability; expected capabilities.drop: [ALL]',
      'container migrate has readOnlyRootFilesystem undefined; expected true (opt out with securityContext.readOnlyRootFilesystem: false)',
    ]);
  });

  it('pod templates of every workload kind', () => {
    const template = { metadata: { labels: { a: 'b' } }, spec: { containers: [] } };
    expect(podTemplateOf({ kind: 'CronJob', spec: { jobTemplate: { spec: { template } } } })).toStrictEqual({ labels: { a: 'b' }, spec: { containers: [] } });
    expect(podTemplateOf({ kind: 'StatefulSet', spec: { template } })).toStrictEqual({ labels: { a: 'b' }, spec: { containers: [] } });
    expect(podTemplateOf({ kind: 'Pod', metadata: {}, spec: { containers: [] } })).toStrictEqual({ labels: {}, spec: { containers: [] } });
    expect(podTemplateOf({ kind: 'Service', spec: {} })).toBeUndefined();
  });
});

const policyFindings = (...objects: object[]) => {
  const all = rendered(objects as never);
  return all.flatMap((o) => lintNetworkPolicy(o, all));
};

describe('network policy rule', () => {
  it('a default-deny policy stating both directions selects the pods', () => {
    expect(policyFindings(goodDeployment(), goodPolicy())).toStrictEqual([]);
  });

  it('no policy selects the pods', () => {
    expect(policyFindings(goodDeployment())).toStrictEqual([{
      component: 'api', environment: 'production', object: 'Deployment/api', rule: LintRule.NETWORK_POLICY,
      message: 'no CiliumNetworkPolicy selects its pods (app.kubernetes.io/instance=api, app.kubernetes.io/name=dit-common-api); expected a default-deny policy with ingress and egress',
    }]);
  });

  it('a policy in another namespace, or for other labels, selects nothing', () => {
    expect(policyFindings(goodDeployment(), edited(goodPolicy(), (p) => { p.metadata.namespace = 'other'; }))).toHaveLength(1);
    expect(policyFindings(goodDeployment(), edited(goodPolicy(), (p) => { p.spec.endpointSelector.matchLabels = { 'app.kubernetes.io/instance': 'web' }; }))).toHaveLength(1);
    expect(policyFindings(goodDeployment(), edited(goodPolicy(), (p) => { p.spec.endpointSelector = { matchExpressions: [{ key: 'app.kubernetes.io/instance', operator: 'In', values: ['api'] }] }; }))).toStrictEqual([]);
  });

  it('a policy stating ingress only', () => {
    const ingressOnly = edited(goodPolicy(), (p) => { delete p.spec.egress; delete p.spec.enableDefaultDeny; });
    expect(policyFindings(goodDeployment(), ingressOnly).map((f) => f.message)).toStrictEqual(['the CiliumNetworkPolicies selecting its pods (CiliumNetworkPolicy/api) state no egress; expected both directions']);
    const egressElsewhere = edited(goodPolicy(), (p) => { p.metadata.name = 'egress'; delete p.spec.ingress; delete p.spec.enableDefaultDeny; });
    expect(policyFindings(goodDeployment(), ingressOnly, egressElsewhere)).toStrictEqual([]);
  });

  it('default deny switched off is no stated direction', () => {
    const off = edited(goodPolicy(), (p) => { p.spec.enableDefaultDeny.egress = false; });
    expect(policyFindings(goodDeployment(), off).map((f) => f.message)).toStrictEqual(['the CiliumNetworkPolicies selecting its pods (CiliumNetworkPolicy/api) state no egress; expected both directions']);
  });
});

describe('lintRendered', () => {
  it('every rule over the environment, sorted, one line each', () => {
    const bad = edited(goodDeployment(), (o) => { o.spec.template.spec.hostNetwork = true; o.spec.template.spec.containers[0].image = 'team/api:latest'; });
    const findings = lintRendered(rendered([bad]), { pinImageDigests: true });
    expect(findings.map((f) => f.rule)).toStrictEqual([LintRule.HOST_ACCESS, LintRule.IMAGE_DIGEST, LintRule.IMAGE_TAG, LintRule.NETWORK_POLICY]);
    expect(formatLintFindings(findings).split('\n')[0]).toBe('api [production] Deployment/api host-access: spec.hostNetwork is true; expected the pod in its own namespaces');
  });
});
