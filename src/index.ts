// The public API: re-exports only, grouped by feature folder.
export * from './app/errors';
export * from './app/validation';
export * from './app/kubernetes-names';
export * from './app/environment';
export * from './app/plan-context';
export * from './app/gitops-app';
export * from './app/run';

export * from './tree/gitops-file';
export * from './tree/strategic-patch';
export * from './tree/yaml-format';
export * from './tree/tree-writer';
export * from './tree/read-sources';
export * from './tree/git-head';
export * from './tree/tree-journal';
export * from './tree/tree-lock';

export * from './network/port';
export * from './network/peer';
export * from './network/connections';
export * from './network/network-policy';
export * from './network/cilium-policy';
export * from './network/cilium-rules';

export * from './components/secrets';
export * from './components/chart-values';
export * from './components/golden-values';
export * from './components/component';
export * from './components/layered-component';
export * from './components/release-options';
export * from './components/release-component';
export * from './components/golden-chart';
export * from './components/dit-api';
export * from './components/dit-client';
export * from './components/dit-worker';
export * from './components/dit-cron-job';
export * from './components/hook-job';
export * from './components/dit-gateway';
export * from './components/helm-chart-component';
export * from './components/manifests-component';
export * from './components/workload-security';
export * from './components/protected-values';

export * from './images/image-file';
export * from './images/image-document';
export * from './images/image-tag-rule';
export * from './images/image-automation';
export * from './images/image-registry';
export * from './verify/verify-problem';
export * from './images/set-image';

export * from './flux/flux-cluster';

export * from './render/helm-render';
export * from './lint/rendered-lint';

export * from './compose';
