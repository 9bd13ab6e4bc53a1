/** The stack graph of the app's manifest.json with an S3 backend, as apps/us-east-1/test/stack-graph.spec.ts asserts it. */
export const STACK_GRAPH = [
  { name: 'state', dependencies: [] },
  { name: 'network', dependencies: ['state'] },
  { name: 'cockroach-pki', dependencies: ['state', 'network'] },
  { name: 'cockroach-backup', dependencies: ['state', 'network'] },
  { name: 'cockroach', dependencies: ['state', 'network', 'cockroach-pki', 'cockroach-backup'] },
  { name: 'eks', dependencies: ['state', 'network'] },
];
