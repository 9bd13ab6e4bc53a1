/**
 * IAM policy documents as data: what the product generates for the roles that deploy and operate
 * it (state access, the operations role, the guardrail a security team attaches), and what the
 * tests evaluate with {@link evaluateIam}. The grammar is IAM's (IAM User Guide, "IAM JSON policy
 * element reference"); only the elements the product writes are typed.
 */

/** A condition block: operator -> condition key -> value(s). */
export type IamConditions = Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;

export interface IamStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: '*' | Readonly<Record<string, string | readonly string[]>>;
  readonly Action: string | readonly string[];
  /** Absent in a trust policy (the role is the resource). */
  readonly Resource?: string | readonly string[];
  readonly Condition?: IamConditions;
}

export interface IamPolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: readonly IamStatement[];
}

/** A policy document from statements. */
export function iamPolicy(statements: readonly IamStatement[]): IamPolicyDocument {
  return { Version: '2012-10-17', Statement: statements };
}

/** `arn:<partition>:iam::<account>:role/<name>` (path `/`). */
export function roleArnPattern(partition: string, account: string, roleName: string): string {
  return `arn:${partition}:iam::${account}:role/${roleName}`;
}
