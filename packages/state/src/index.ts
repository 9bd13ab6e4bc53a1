export * from './state-outputs';
export * from './state-bucket';
export * from './state-stack';
export * from './state-review';
