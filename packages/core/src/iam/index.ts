export * from './policy-document';
export * from './evaluate';
export * from './state-access';
export * from './policy-json';
export * from './key-policy';
