/** The stack graph of the app's manifest.json with an S3 backend, as apps/us-east-1/test/stack-graph.spec.ts asserts it. */
export const STACK_GRAPH = [
  { name: 'state', dependencies: [] },
  { name: 'network', dependencies: ['state'] },
  { name: 'cockroach-pki', dependencies: ['state', 'network'] },
  { name: 'cockroach-backup', dependencies: ['state', 'network'] },
  { name: 'cockroach', dependencies: ['state', 'network', 'cockroach-pki', 'cockroach-backup'] },
  { name: 'eks', dependencies: ['state', 'network'] },
];

/**
 * The multi-region app's stack graph (its manifest.json with an S3 backend and the default three
 * regions), as `npm run synth:multi-region` writes it: the global stacks, each region's, and the
 * two orderings without a read (apps/multi-region/src/stacks.ts).
 */
export const MULTI_REGION_STACK_GRAPH = [
  { name: 'state', dependencies: [] },
  { name: 'network-us-east-1', dependencies: ['state'] },
  { name: 'network-us-east-2', dependencies: ['state'] },
  { name: 'network-us-west-2', dependencies: ['state'] },
  { name: 'cockroach-pki', dependencies: ['state', 'network-us-east-1', 'network-us-east-2', 'network-us-west-2'] },
  { name: 'cockroach-backup-us-east-2', dependencies: ['state'] },
  { name: 'cockroach-backup-us-east-1', dependencies: ['state', 'network-us-east-1', 'cockroach-backup-us-east-2'] },
  { name: 'inter-region', dependencies: ['state', 'network-us-east-1', 'network-us-east-2', 'network-us-west-2'] },
  { name: 'cockroach-us-east-1', dependencies: ['state', 'network-us-east-1', 'cockroach-pki', 'cockroach-backup-us-east-1'] },
  { name: 'cockroach-us-east-2', dependencies: ['cockroach-us-east-1', 'inter-region', 'state', 'network-us-east-2', 'cockroach-pki', 'cockroach-backup-us-east-1', 'cockroach-backup-us-east-2'] },
  { name: 'cockroach-us-west-2', dependencies: ['cockroach-us-east-1', 'inter-region', 'state', 'network-us-west-2', 'cockroach-pki', 'cockroach-backup-us-east-1', 'cockroach-backup-us-east-2'] },
  { name: 'ory-shared-secrets', dependencies: ['state'] },
  { name: 'eks-us-east-1', dependencies: ['state', 'network-us-east-1'] },
  { name: 'ory-us-east-1', dependencies: ['state', 'network-us-east-1', 'cockroach-us-east-1', 'cockroach-pki', 'eks-us-east-1', 'ory-shared-secrets'] },
  { name: 'eks-us-east-2', dependencies: ['state', 'network-us-east-2'] },
  { name: 'ory-us-east-2', dependencies: ['state', 'network-us-east-2', 'cockroach-us-east-2', 'cockroach-pki', 'eks-us-east-2', 'ory-us-east-1', 'ory-shared-secrets'] },
  { name: 'eks-us-west-2', dependencies: ['state', 'network-us-west-2'] },
  { name: 'ory-us-west-2', dependencies: ['state', 'network-us-west-2', 'cockroach-us-west-2', 'cockroach-pki', 'eks-us-west-2', 'ory-us-east-1', 'ory-shared-secrets'] },
];
