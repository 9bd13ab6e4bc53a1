export * from './engines';
export * from './synthesized';
export * from './scratch';
export * from './equivalence';
export * from './engine-specs';
