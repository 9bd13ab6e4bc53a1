export * from './config-error';
export * from './defaults';
export * from './config-source';
export * from './load-config';
export * from './rules';
export * from './schema';
