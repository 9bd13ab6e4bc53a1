import type { ChangeKind } from '@crdb-ory/core/terraform';
import { describeRemoval } from '../attribute-changes';
import type { DangerousActionRule } from '../dangerous-action-rule';

/** The rule settings of a "this resource type must not be destroyed or replaced unnoticed" rule. */
export interface RemovalRuleSpec {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly resourceTypes: readonly string[];
}

/** A rule with one finding per delete or replacement of a resource of the given types. */
export function removalRule(spec: RemovalRuleSpec): DangerousActionRule {
  return {
    id: spec.id,
    title: spec.title,
    description: spec.description,
    check: (stack, changes) =>
      changes
        .filter((change) => spec.resourceTypes.includes(change.type) && removesObject(change.kind))
        .map((change) => ({ ruleId: spec.id, stack, addresses: [change.address], summary: describeRemoval(change) })),
  };
}

/** Delete or replace: the object Terraform manages now goes away. */
function removesObject(kind: ChangeKind): boolean {
  return kind === 'delete' || kind === 'replace';
}
