export * from './expression';
export * from './evaluate';
export * from './reference';
export * from './functions';
export * from './plan';
export * from './state';
export * from './node-address';
export * from '../cdktf-manifest';
