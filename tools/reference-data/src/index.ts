export * from './ory-reference';
export * from './ory-config-validators';
export * from './checksums';
export * from './cockroach-reference';
