export * from './cockroach-names';
export * from './cockroach-pki-outputs';
export * from './cockroach-outputs';
