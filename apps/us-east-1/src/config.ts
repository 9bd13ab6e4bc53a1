// The configuration is shared with the multi-region app (`@crdb-ory/deployment`); this app's modules keep importing it from here.
export * from '@crdb-ory/deployment';
