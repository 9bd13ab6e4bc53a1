import { referenceOf } from '@crdb-ory/core';
import { resourceRule, type Problem, type ResourceRuleDeclaration } from './declare-rule';
import type { PolicyRule } from './rule';
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

/** A rule that every `aws_s3_bucket` has a `companion` resource (e.g. `aws_s3_bucket_versioning`) that `complies`. */
export function bucketCompanionRule(
  declaration: Omit<ResourceRuleDeclaration, 'test'> & {
    readonly companion: string;
    complies(companion: ResourceEntry): boolean;
    /** The problem of a bucket none of whose `companions` complies. */
    problem(companions: readonly ResourceEntry[]): Problem;
  },
): PolicyRule {
  return resourceRule({
    ...declaration,
    test: {
      aws_s3_bucket: (bucket, stack) => {
        const companions = bucketCompanions(stack, declaration.companion, bucket);
        return companions.some((companion) => declaration.complies(companion)) ? undefined : declaration.problem(companions);
      },
    },
  });
}
