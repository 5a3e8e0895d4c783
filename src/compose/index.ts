// The compose importer's public surface; the rule files stay internal.
export * from './compose-model';
export * from './interpolation';
export * from './compose-loader';
export * from './component-plan';
export * from './compose-transform';
export * from './compose-project';
export * from './typescript-emitter';
