import { crdSchemas, kubernetesSubset, strict } from '../../scripts/generate-schemas';

describe('strict', () => {
  it('closes every object schema that lists properties, and drops descriptions', () => {
    expect(strict({
      type: 'object',
      description: 'a CRD',
      properties: {
        spec: { type: 'object', properties: { description: { type: 'string', description: 'a field named description stays' } } },
        tags: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' } } } },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
      },
    })).toStrictEqual({
      type: 'object',
      properties: {
        spec: { type: 'object', properties: { description: { type: 'string' } }, additionalProperties: false },
        tags: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' } }, additionalProperties: false } },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
      },
      additionalProperties: false,
    });
  });

  it('leaves x-kubernetes-preserve-unknown-fields open, and closes what it lists inside', () => {
    expect(strict({
      type: 'object',
      properties: { values: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { image: { type: 'object', properties: { tag: { type: 'string' } } } } } },
    })).toStrictEqual({
      type: 'object',
      properties: { values: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true, properties: { image: { type: 'object', properties: { tag: { type: 'string' } }, additionalProperties: false } } } },
      additionalProperties: false,
    });
  });

  it('does not close the branches of oneOf/anyOf/allOf/not: they restate fields, as Cilium\'s toCIDRSet does', () => {
    const branches = [{ properties: { cidr: {} }, required: ['cidr'] }, { properties: { cidrGroupRef: {} }, required: ['cidrGroupRef'] }];
    expect(strict({ type: 'object', properties: { cidr: { type: 'string' }, cidrGroupRef: { type: 'string' } }, oneOf: branches, not: { properties: { x: {} } } })).toStrictEqual({
      type: 'object',
      properties: { cidr: { type: 'string' }, cidrGroupRef: { type: 'string' } },
      oneOf: branches,
      not: { properties: { x: {} } },
      additionalProperties: false,
    });
  });
});

describe('crdSchemas', () => {
  const crd = (versions: unknown[]) => ({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', spec: { group: 'example.com', names: { kind: 'Widget' }, versions } });
  const schema = { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } };

  it('names each served version in kubeconform\'s layout, and skips versions no longer served', () => {
    const out = crdSchemas([crd([{ name: 'v1', served: true, schema: { openAPIV3Schema: schema } }, { name: 'v1beta1', served: false, schema: { openAPIV3Schema: schema } }]), { kind: 'ConfigMap' }]);
    expect([...out.keys()]).toStrictEqual(['example.com/widget_v1.json']);
    expect(out.get('example.com/widget_v1.json')).toStrictEqual(strict(schema));
  });
});

describe('kubernetesSubset', () => {
  const definitions = {
    'io.k8s.api.apps.v1.Deployment': { properties: { spec: { $ref: '#/definitions/io.k8s.api.apps.v1.DeploymentSpec' } }, 'x-kubernetes-group-version-kind': [{ group: 'apps', version: 'v1', kind: 'Deployment' }] },
    'io.k8s.api.apps.v1.DeploymentSpec': { properties: { template: { $ref: '#/definitions/io.k8s.api.core.v1.PodTemplateSpec' } } },
    'io.k8s.api.core.v1.PodTemplateSpec': { properties: { metadata: { type: 'object' } } },
    'io.k8s.api.core.v1.ConfigMap': { properties: { data: { type: 'object' } }, 'x-kubernetes-group-version-kind': [{ group: '', version: 'v1', kind: 'ConfigMap' }] },
    'io.k8s.api.core.v1.Unused': { properties: {} },
  };

  it('keeps the kinds asked for and every definition they reference, sorted', () => {
    expect(Object.keys(kubernetesSubset(definitions, ['apps/v1/Deployment', 'v1/ConfigMap']))).toStrictEqual([
      'io.k8s.api.apps.v1.Deployment', 'io.k8s.api.apps.v1.DeploymentSpec', 'io.k8s.api.core.v1.ConfigMap', 'io.k8s.api.core.v1.PodTemplateSpec',
    ]);
  });

  it('names a kind the definitions do not have', () => {
    expect(() => kubernetesSubset(definitions, ['batch/v1/Job'])).toThrow('kubernetes definitions: no definition for batch/v1/Job');
  });
});
