import type { ResourceEntry, StackDocument } from './stack-document';
import { referenceExpression } from './values';

/**
 * The `type` resources (public access block, encryption, versioning) configuring `bucket`:
 * those whose `bucket` argument references it (`.id` / `.bucket`) or repeats its literal name.
 */
export function bucketCompanions(stack: StackDocument, type: string, bucket: ResourceEntry): ResourceEntry[] {
  const literalName = bucket.config['bucket'];
  return stack.resources(type).filter((companion) => {
    const target = companion.config['bucket'];
    const expression = referenceExpression(target);
    if (expression) return expression === `${bucket.address}.id` || expression === `${bucket.address}.bucket`;
    return typeof literalName === 'string' && target === literalName;
  });
}
