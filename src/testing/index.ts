export * from './synth-tree';
export * from './kustomize-model';
export * from './effective-release';
export * from './schema-validator';
export * from './validate-tree';
export * from './connections';
export * from './matchers';
export * from './validate-environments';
