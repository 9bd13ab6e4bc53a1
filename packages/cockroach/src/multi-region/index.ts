// The multi-region SQL model without cdktf: what the verifier and the operations command import
// (`@crdb-ory/cockroach/multi-region`), so neither loads cdktf or the AWS provider at start-up.
export * from './database-regions';
export * from './region-convergence';
export * from './database-regions-record';
