export * from './outputs-contract';
export * from './state-backend';
export * from './remote-outputs';
export * from './product-stack';
export * from './aws-provider';
export * from './cidr';
export * from './stack-review';
export * from './synthesized-resources';
