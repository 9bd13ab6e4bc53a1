import { removalRule } from './removal-rule';

/** In this product every aws_instance is a CockroachDB node (`aws_instance.node-1_instance_9677A2F7`). */
export const CRDB_NODE_REPLACED = removalRule({
  id: 'crdb-node-replaced',
  title: 'CockroachDB node replaced or destroyed',
  description:
    'The node is terminated: it leaves the cluster without being drained, and its ranges are under-replicated until the cluster repairs them. Replace nodes one at a time with `npm run roll`, never several in one apply.',
  resourceTypes: ['aws_instance'],
});
