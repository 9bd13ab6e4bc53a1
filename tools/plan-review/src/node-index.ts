import { type ResourceChange, nodeNumberOf } from '@crdb-ory/core/terraform';

/** The resource types that belong to one CockroachDB node, named `node-<n>_...` by the cockroach stack. */
export const NODE_SCOPED_TYPES: readonly string[] = ['aws_instance', 'aws_ebs_volume', 'aws_volume_attachment', 'aws_lb_target_group_attachment'];

/** The node number of a node-scoped resource (`aws_instance.node-1_instance_9677A2F7` is node 1), else undefined. */
export function nodeIndexOf(change: ResourceChange): number | undefined {
  return NODE_SCOPED_TYPES.includes(change.type) ? nodeNumberOf(change.name) : undefined;
}
