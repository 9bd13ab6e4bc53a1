/**
 * The one reader of CockroachDB node resource names. The cockroach stack builds node n under the
 * construct id `node-<n>`, and cdktf names a resource after its construct path plus a hash
 * (`node-1/instance` becomes `node-1_instance_9677A2F7`), so tools find a node's resources
 * without guessing the hash.
 */
const NODE_NAME = /^node-(\d+)_/;
const NODE_CHILD_NAME = /^node-(\d+)_([a-z-]+)_[0-9A-F]{8}$/;

/** The node number of a resource named under a node's construct (`node-1_instance_9677A2F7` is node 1), else undefined. */
export function nodeNumberOf(resourceName: string): number | undefined {
  const match = NODE_NAME.exec(resourceName);
  return match ? Number(match[1]) : undefined;
}

/** A direct child of a node's construct: its node number and construct id (`node-1_data-attachment_0A1B2C3D` is node 1, `data-attachment`), else undefined. */
export function nodeChildOf(resourceName: string): { readonly node: number; readonly id: string } | undefined {
  const match = NODE_CHILD_NAME.exec(resourceName);
  return match?.[2] ? { node: Number(match[1]), id: match[2] } : undefined;
}
