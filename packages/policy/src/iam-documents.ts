import { literalText, referenceOf } from '@crdb-ory/core';
import type { ResourceEntry, StackDocument } from './stack-document';
import { blocks, isObject } from './values';

/** One statement of a policy, as the rules read it (from a literal JSON policy or an `aws_iam_policy_document`). */
export interface ReadStatement {
  readonly effect: string;
  readonly actions: readonly string[];
  readonly resources: readonly string[];
  readonly principals: readonly string[];
}

/**
 * The statements of a policy argument (`policy`, `assume_role_policy`): a literal JSON document
 * (core's `iamPolicyJson`; references inside its strings, `${aws_kms_key.x.arn}`, are read as
 * written), or `${data.aws_iam_policy_document.<name>.json}` of the same stack; undefined when
 * neither (a `jsonencode(...)` expression or another reference cannot be read before plan).
 */
export function policyStatements(stack: StackDocument, value: unknown): ReadStatement[] | undefined {
  if (typeof value !== 'string') return undefined;
  const reference = referenceOf(value);
  if (reference?.mode === 'data' && reference.type === 'aws_iam_policy_document' && reference.attribute.join() === 'json') {
    const source = stack.dataSources().find((entry) => entry.address === reference.address);
    return source ? blocks(source.config['statement']).map(fromDocumentBlock) : undefined;
  }
  // A literal policy: its text as written, or, with no expression in it, with Terraform's escapes
  // undone (IAM policy variables come escaped: `$${aws:username}`). References stay as written.
  const literal = literalText(value) ?? value;
  try {
    const parsed = JSON.parse(literal) as { Statement?: unknown };
    return (Array.isArray(parsed.Statement) ? parsed.Statement : [parsed.Statement]).filter(isObject).map(fromJson);
  } catch {
    return undefined;
  }
}

function fromDocumentBlock(block: Record<string, unknown>): ReadStatement {
  return {
    effect: String(block['effect'] ?? 'Allow'),
    actions: strings(block['actions']),
    resources: strings(block['resources']),
    principals: blocks(block['principals']).flatMap((p) => strings(p['identifiers'])),
  };
}

function fromJson(statement: Record<string, unknown>): ReadStatement {
  const principal = statement['Principal'];
  return {
    effect: String(statement['Effect'] ?? ''),
    actions: strings(statement['Action']),
    resources: strings(statement['Resource']),
    principals: isObject(principal) ? Object.values(principal).flatMap(strings) : strings(principal),
  };
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** The IAM roles of the stack that EC2 instances assume (their trust policy names `ec2.amazonaws.com`). */
export function instanceRoles(stack: StackDocument): ResourceEntry[] {
  return stack.resources('aws_iam_role').filter((role) => {
    const trust = policyStatements(stack, role.config['assume_role_policy']);
    return (trust ?? []).some((s) => s.effect === 'Allow' && s.principals.some((p) => /^ec2\.amazonaws\.com(\.cn)?$/.test(p)));
  });
}

/** Whether `value` (a `role` argument) names `role`: `${aws_iam_role.<name>.name}` or `.id`. */
export function namesRole(value: unknown, role: ResourceEntry): boolean {
  return typeof value === 'string' && (value === `\${${role.address}.name}` || value === `\${${role.address}.id}`);
}
