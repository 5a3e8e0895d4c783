import type { PlainObject, RenderedObject } from '../../src';

const DIGEST = 'sha256:570965b16c53e7fe6c48d50d8601a8cd2327143dba14412692a5b8fc2c119bf9';

/** A Deployment that meets every rule, as the golden charts render it. */
export function goodDeployment(): PlainObject {
  const probe = { httpGet: { path: '/health', port: 'http' } };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'api', namespace: 'team' },
    spec: {
      selector: { matchLabels: { 'app.kubernetes.io/instance': 'api' } },
      template: {
        metadata: { labels: { 'app.kubernetes.io/instance': 'api', 'app.kubernetes.io/name': 'dit-common-api' } },
        spec: {
          automountServiceAccountToken: false,
          securityContext: { runAsNonRoot: true, runAsUser: 1654, seccompProfile: { type: 'RuntimeDefault' } },
          volumes: [{ name: 'tmp', emptyDir: {} }],
          containers: [{
            name: 'app',
            image: `team/api:v1.0.0@${DIGEST}`,
            ports: [{ name: 'http', containerPort: 8080 }],
            securityContext: { allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } },
            resources: { requests: { cpu: '50m', memory: '256Mi' }, limits: { memory: '256Mi' } },
            readinessProbe: probe,
            livenessProbe: probe,
          }],
        },
      },
    },
  };
}

/** The default-deny policy of the golden charts, selecting `api`. */
export function goodPolicy(): PlainObject {
  return {
    apiVersion: 'cilium.io/v2',
    kind: 'CiliumNetworkPolicy',
    metadata: { name: 'api', namespace: 'team' },
    spec: {
      endpointSelector: { matchLabels: { 'app.kubernetes.io/instance': 'api' } },
      enableDefaultDeny: { ingress: true, egress: true },
      ingress: [{}],
      egress: [{}],
    },
  };
}

/** Rendered objects of component `api` in production. */
export function rendered(objects: readonly PlainObject[], values?: PlainObject): RenderedObject[] {
  return objects.map((object) => ({ component: 'api', environment: 'production', object, ...(values ? { values } : {}) }));
}

/** A deep copy of `object` changed by `edit`. */
export function edited(object: PlainObject, edit: (o: any) => void): PlainObject {
  const copy = JSON.parse(JSON.stringify(object)) as PlainObject;
  edit(copy);
  return copy;
}
