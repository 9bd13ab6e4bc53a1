import { referenceOf } from '@crdb-ory/core';
import type { ResourceEntry, StackDocument } from './stack-document';

/**
 * The `type` resources (public access block, encryption, versioning) configuring `bucket`:
 * those whose `bucket` argument references it (`.id` / `.bucket`) or repeats its literal name.
 */
export function bucketCompanions(stack: StackDocument, type: string, bucket: ResourceEntry): ResourceEntry[] {
  const literalName = bucket.config['bucket'];
  return stack.resources(type).filter((companion) => {
    const target = companion.config['bucket'];
    const reference = referenceOf(target);
    if (reference) return reference.address === bucket.address && ['id', 'bucket'].includes(reference.attribute.join());
    return typeof literalName === 'string' && target === literalName;
  });
}
