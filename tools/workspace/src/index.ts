export * from './check-prerequisites';
export * from './fingerprint';
export * from './prerequisites';
export * from './probes';
export * from './test-command';
export * from './version';
export * from './files-hash';
