export * from './provider-mirror';
export * from './cli-config';
export * from './terraform-cli';
export * from './go-runtime';
