export * from './network-outputs';
