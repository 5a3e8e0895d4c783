import { k8s } from 'cdk8s-plus-28';
import * as fs from 'fs';
import { DitEnvironment, DitManifests, Peer, Port } from '../../src';
import { failingSynth, planDocuments, synthInto, tempDir, twoEnvironments } from '../support';

const deployment = (securityContext: Record<string, unknown>) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: {
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { securityContext, containers: [{ name: 'web', image: 'nginx' }] } },
  },
});

describe('DitManifests', () => {
  const docs = planDocuments(twoEnvironments((app, { prod }) => {
    const web = new DitManifests(app, 'web', { manifests: [deployment({ runAsNonRoot: true })], podLabels: { app: 'web' } });
    new k8s.KubeConfigMap(web.chart, 'Config', { metadata: { name: 'web-config' }, data: { MODE: 'dev' } });
    web.connections.allowFrom(Peer.traefik(), Port.tcp(8080));
    web.addOverride(prod, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web-config' }, data: { MODE: 'prod' } });
    new DitManifests(app, 'certs', { shared: true, manifests: [{ apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret', metadata: { name: 'tls' }, spec: { encryptedData: { 'tls.crt': 'AgB…' } } }] });
  }));

  it('cdk8s constructs and raw manifests share the base', () => {
    expect(docs['web/base/manifests.yaml'].map((o) => `${o.kind}/${o.metadata.name}`)).toStrictEqual(['ConfigMap/web-config', 'Deployment/web']);
    expect(docs['web/base/network-policy.yaml'][0].spec.endpointSelector).toStrictEqual({ matchLabels: { app: 'web' } });
  });

  it('a per-environment patch holds only what differs', () => {
    expect(docs['web/production/manifests.yaml']).toStrictEqual([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'web-config' }, data: { MODE: 'prod' } }]);
    expect(docs['web/development/manifests.yaml']).toBeUndefined();
  });

  it('a shared component is one directory, in every aggregator, with no policy when it runs no pods', () => {
    expect(docs['certs/kustomization.yaml']).toStrictEqual([{ resources: ['manifests.yaml'] }]);
    expect(docs['main/production/kustomization.yaml'][0].resources).toStrictEqual(['../../certs', '../../web/production']);
  });
});

describe('bad manifests', () => {
  it('a plain Secret', () => {
    expect(failingSynth((app) => { new DitManifests(app, 'x', { manifests: [{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' }, stringData: { password: 'p' } }] }); }).message)
      .toBe('x Secret/db: is a plain Secret (kind "Secret"), which would be committed in plain text; expected a SealedSecret, an InfisicalSecret or an ExternalSecret');
  });

  it('a container that may run as root', () => {
    expect(failingSynth((app) => { new DitManifests(app, 'x', { manifests: [deployment({})] }).connections.allowFrom(Peer.traefik(), Port.tcp(8080)); }).message)
      .toBe('x Deployment/web.containers.web.securityContext: may run as root; expected runAsNonRoot: true or a non-zero runAsUser (on the container or the pod), or securityOptOut allowing SecurityRelaxation.RUN_AS_ROOT');
  });

  it('an image not pinned by digest where the environment pins images', () => {
    const outdir = tempDir();
    expect(() => synthInto(outdir, (app) => {
      new DitEnvironment(app, 'production', { namespace: 'team', domain: 'example.com' });
      new DitManifests(app, 'x', { manifests: [deployment({ runAsNonRoot: true })] }).connections.allowFrom(Peer.traefik(), Port.tcp(8080));
    })).toThrow('x [production] Deployment/web.containers.web.image: got "nginx", not pinned by digest; expected <image>:<tag>@sha256:<64 hex characters> in an environment that pins images');
    expect(fs.readdirSync(outdir)).toStrictEqual([]);
  });

  it('an object with a namespace', () => {
    expect(failingSynth((app) => { new DitManifests(app, 'x', { manifests: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'team' } }] }); }).message)
      .toMatch(/^x ConfigMap\/c.metadata.namespace: is set; expected none/);
  });

  it('a patch that matches no object', () => {
    expect(failingSynth((app, { prod }) => {
      new DitManifests(app, 'x', { manifests: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }] })
        .addOverride(prod, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'missing' }, data: {} });
    }).message).toBe('x [production] overrides: patch ConfigMap/missing matches no object; expected one of ConfigMap/c');
  });

  it('a shared component that would differ per environment', () => {
    expect(failingSynth((app, { prod }) => {
      const x = new DitManifests(app, 'x', { shared: true, manifests: [deployment({ runAsUser: 101 })] });
      x.connections.allowFrom(Peer.traefik(), Port.tcp(8080)).allowTo(Peer.fqdn('example.com'), Port.tcp(443), { environments: [prod] });
    }).message).toMatch(/^x \[production\] shared: differs in this environment/);
    expect(failingSynth((app) => { new DitManifests(app, 'y', { shared: true }).addOverride('production', {}); }).message).toMatch(/^y overrides: is shared by every environment/);
  });
});
