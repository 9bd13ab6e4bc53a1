import type { IamConditions, IamPolicyDocument, IamStatement } from './policy-document';

/**
 * A minimal model of AWS's policy evaluation, for tests that hold generated policies as data. It
 * follows the IAM User Guide, "Policy evaluation logic" (docs.aws.amazon.com/IAM/latest/UserGuide/
 * reference_policies_evaluation-logic.html), for a request within one account:
 * 1. an explicit `Deny` in any applicable policy (identity policy or SCP) denies;
 * 2. with service control policies (those attached to the account, one level of the hierarchy), an
 *    SCP must allow the request (FullAWSAccess, the default, allows everything);
 * 3. an `Allow` in an identity policy allows; anything else is an implicit deny.
 * Resource-based policies and permissions boundaries are not modelled (the product's key
 * policies delegate to IAM; its secret policies only deny). Matching, per "IAM JSON policy
 * elements": actions case-insensitively with `*`/`?`; resources case-sensitively with `*`/`?`
 * within each ARN segment (a wildcard in the resource part may span `/`); policy variables
 * (`${aws:userid}`) from the request context. Condition operators, per "IAM JSON policy elements:
 * Condition operators": String(Not)Equals, String(Not)Like, Arn(Not)Like, Arn(Not)Equals, Bool,
 * each with `IfExists`, and the `ForAnyValue:`/`ForAllValues:` set operators. A key missing from
 * the request does not match a positive operator (unless `IfExists`) and does match a negated one.
 * Anything else throws: an unknown operator fails the test rather than being guessed.
 */
export type IamDecision = 'allow' | 'explicit-deny' | 'implicit-deny';

export interface IamRequest {
  /** `s3:GetObject` */
  readonly action: string;
  /** The resource ARN. */
  readonly resource: string;
  /** Request context keys (`aws:PrincipalArn`, `kms:EncryptionContext:aws:s3:arn`, ...). Lists are multivalued keys. */
  readonly context?: Readonly<Record<string, string | readonly string[]>>;
}

export interface IamPolicies {
  /** The principal's identity policies. */
  readonly identity: readonly IamPolicyDocument[];
  /** Service control policies attached to the account. @default none (no Organizations guardrail) */
  readonly scps?: readonly IamPolicyDocument[];
}

export function evaluateIam(request: IamRequest, policies: IamPolicies): IamDecision {
  const scps = policies.scps ?? [];
  const all = [...policies.identity, ...scps];
  if (all.some((policy) => policy.Statement.some((s) => s.Effect === 'Deny' && applies(s, request)))) return 'explicit-deny';
  if (scps.length > 0 && !scps.some((policy) => policy.Statement.some((s) => s.Effect === 'Allow' && applies(s, request)))) return 'implicit-deny';
  return policies.identity.some((policy) => policy.Statement.some((s) => s.Effect === 'Allow' && applies(s, request))) ? 'allow' : 'implicit-deny';
}

/** Whether `statement` covers `request`: its action, its resource and all its conditions. */
export function applies(statement: IamStatement, request: IamRequest): boolean {
  for (const element of ['NotAction', 'NotResource', 'NotPrincipal']) {
    if (element in statement) throw new Error(`evaluateIam models no ${element} (statement ${statement.Sid ?? ''})`);
  }
  const context = request.context ?? {};
  return (
    list(statement.Action).some((pattern) => wildcard(pattern, 'i').test(request.action)) &&
    list(statement.Resource ?? []).some((pattern) => resourceMatches(substitute(pattern, context), request.resource)) &&
    conditionsHold(statement.Condition ?? {}, context)
  );
}

function conditionsHold(conditions: IamConditions, context: NonNullable<IamRequest['context']>): boolean {
  return Object.entries(conditions).every(([operator, keys]) => Object.entries(keys).every(([key, values]) => conditionHolds(operator, list(values).map((v) => substitute(v, context)), context[key])));
}

function conditionHolds(operator: string, values: readonly string[], actual: string | readonly string[] | undefined): boolean {
  const set = /^(ForAnyValue|ForAllValues):(.+)$/.exec(operator);
  const base = set?.[2] ?? operator;
  const ifExists = base.endsWith('IfExists');
  const name = ifExists ? base.slice(0, -'IfExists'.length) : base;
  const negated = /Not/.test(name);
  const test = matcher(name.replace('Not', ''));
  if (actual === undefined) return ifExists || negated || set?.[1] === 'ForAllValues';
  if (set) {
    const actuals = list(actual);
    const matches = (value: string) => values.some((v) => test(v, value));
    const result = set[1] === 'ForAnyValue' ? actuals.some(matches) : actuals.every(matches);
    return negated ? !result : result;
  }
  if (Array.isArray(actual)) throw new Error(`condition ${operator} on a multivalued key needs ForAnyValue: or ForAllValues:`);
  const result = values.some((v) => test(v, actual as string));
  return negated ? !result : result;
}

function matcher(name: string): (pattern: string, value: string) => boolean {
  switch (name) {
    case 'StringEquals':
    case 'ArnEquals':
      return name === 'ArnEquals' ? (p, v) => resourceMatches(p, v) : (p, v) => p === v;
    case 'StringLike':
      return (p, v) => wildcard(p, '').test(v);
    case 'ArnLike':
      return (p, v) => resourceMatches(p, v);
    case 'Bool':
      return (p, v) => p.toLowerCase() === v.toLowerCase();
    default:
      throw new Error(`evaluateIam models no condition operator ${name}`);
  }
}

/** An ARN pattern against an ARN: the first five segments one by one, the resource part as a whole. */
function resourceMatches(pattern: string, arn: string): boolean {
  if (pattern === '*') return true;
  const p = splitArn(pattern);
  const a = splitArn(arn);
  if (!p || !a) return wildcard(pattern, '').test(arn);
  return p.every((segment, i) => wildcard(segment, '').test(a[i] ?? ''));
}

function splitArn(arn: string): string[] | undefined {
  const parts = arn.split(':');
  return parts.length >= 6 ? [...parts.slice(0, 5), parts.slice(5).join(':')] : undefined;
}

function wildcard(pattern: string, flags: string): RegExp {
  return new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, flags);
}

function substitute(text: string, context: NonNullable<IamRequest['context']>): string {
  return text.replace(/\$\{([^}]+)\}/g, (whole, key: string) => {
    const value = context[key];
    return typeof value === 'string' ? value : whole;
  });
}

function list<T>(value: T | readonly T[]): readonly T[] {
  return Array.isArray(value) ? (value as readonly T[]) : [value as T];
}
