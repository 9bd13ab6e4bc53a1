import type { ResourceChange } from './plan';

/** The resource types that belong to one CockroachDB node, named `node-<n>_...` by the cockroach stack. */
export const NODE_SCOPED_TYPES: readonly string[] = ['aws_instance', 'aws_ebs_volume', 'aws_volume_attachment', 'aws_lb_target_group_attachment'];

const NODE_NAME = /^node-(\d+)_/;

/** The node number of a node-scoped resource (`aws_instance.node-1_instance_9677A2F7` is node 1), else undefined. */
export function nodeIndexOf(change: ResourceChange): number | undefined {
  if (!NODE_SCOPED_TYPES.includes(change.type)) return undefined;
  const match = NODE_NAME.exec(change.name);
  return match ? Number(match[1]) : undefined;
}
