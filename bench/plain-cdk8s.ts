// The benchmark team written as plain cdk8s, for comparison: for each of N components and
// each of three environments one Chart with a HelmRelease (the values dit-gitops would put
// in the base and overlay, merged) and a CiliumNetworkPolicy, then `app.synth()`. It states
// every environment in full (no base, no patches, no image.yaml, no checks): the work cdk8s
// does for a tree of this size, with none of what dit-gitops adds.
import { App, Chart } from 'cdk8s';
import { CiliumNetworkPolicy } from '../imports/cilium.io';
import { HelmRelease } from '../imports/helm.toolkit.fluxcd.io';

const count = Number(process.env.BENCH_COMPONENTS ?? 10);
const app = new App({ outdir: process.env.CDK8S_OUTDIR ?? 'dist-plain' });
const traefik = { matchLabels: { 'io.kubernetes.pod.namespace': 'traefik', 'app.kubernetes.io/instance': 'traefik-traefik' } };
const dns = { matchLabels: { 'io.kubernetes.pod.namespace': 'kube-system', 'k8s-app': 'kube-dns' } };
const port = (n: number) => [{ ports: [{ port: String(n), protocol: 'TCP' as never }] }];

for (const env of ['development', 'staging', 'production']) {
  for (let i = 0; i < count; i++) {
    const name = `svc-${i}`;
    const chart = new Chart(app, `${name}-${env}`, { namespace: 'bench', disableResourceNameHashes: true });
    const self = { matchLabels: { 'app.kubernetes.io/instance': name } };
    const next = i + 1 < count ? { matchLabels: { 'app.kubernetes.io/instance': `svc-${i + 1}` } } : undefined;
    const previous = i > 0 ? { matchLabels: { 'app.kubernetes.io/instance': `svc-${i - 1}` } } : undefined;
    new HelmRelease(chart, 'Resource', {
      metadata: { name },
      spec: {
        interval: '1h',
        releaseName: name,
        chartRef: { kind: 'HelmChart' as never, name: 'dit-common-api', namespace: 'flux-system' },
        values: {
          replicas: env === 'staging' ? 3 : 2,
          configs: { INDEX: i },
          image: { repository: `bench/${name}`, tag: 'latest' },
          ingress: { enabled: true, host: `${name}.${env}.example.com` },
        },
      },
    });
    new CiliumNetworkPolicy(chart, 'Policy', {
      metadata: { name },
      spec: {
        endpointSelector: self,
        ingress: [{ fromEndpoints: [traefik], toPorts: port(8080) }, ...(previous ? [{ fromEndpoints: [previous], toPorts: port(8080) }] : [])],
        egress: [{ toEndpoints: [dns], toPorts: [{ ports: [{ port: '53' }] }] }, ...(next ? [{ toEndpoints: [next], toPorts: port(8080) }] : [])],
      },
    });
  }
}

app.synth();
