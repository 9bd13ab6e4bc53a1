export * from './zip-entry';
export * from './helm-binary';
export * from './manifests';
export * from './helm-cli';
export * from './terraform-stand-ins';
export * from './helm-releases';
export * from './helm-releases-check';
