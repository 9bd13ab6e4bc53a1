import { IamPolicyDocument, PropProblem, iamPolicy } from '@crdb-ory/core';

/**
 * Who may read a certificate secret's value, as a Secrets Manager resource policy: one Deny of
 * `secretsmanager:GetSecretValue` for every principal whose `aws:PrincipalArn` is not listed.
 *
 * - Conditions on `aws:PrincipalArn` (not `Principal` elements) let the policy name the node
 *   roles, which the `cockroach` stack creates later: IAM rejects a `Principal` that does not
 *   exist yet, a condition is just a string.
 * - Only reading the value is denied. Managing the secret (describe, put a new value, tag,
 *   change or delete this policy, delete the secret) stays governed by IAM alone, so neither
 *   Terraform nor the next operator can be locked out: whoever may manage secrets can always
 *   replace this policy.
 * - The reader list must include everyone whose Terraform run reads the secret values: the
 *   `cockroach-pki` stack refreshes its secret versions with GetSecretValue, the `ory` stack
 *   reads the client secrets, operators read `client-verifier`.
 */
export function secretReadPolicy(readerArns: readonly string[]): IamPolicyDocument {
  return iamPolicy([
    {
      Sid: 'OnlyListedPrincipalsReadTheValue',
      Effect: 'Deny',
      Principal: '*',
      Action: 'secretsmanager:GetSecretValue',
      Resource: '*',
      Condition: { ArnNotLike: { 'aws:PrincipalArn': [...readerArns] } },
    },
  ]);
}

/**
 * An IAM role or user ARN as `aws:PrincipalArn` sees it (an assumed-role session counts as its
 * role: `arn:aws:iam::<account>:role/<path/><name>`), `*` allowed in the name (SSO roles end in
 * a random suffix), never for a whole account.
 */
export const SECRET_READER_ARN_PATTERN = /^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/[A-Za-z0-9+=,.@_/*-]+$/;

/** Every entry of an ARN list (`secretReaderArns`, `operations.assumableBy`) that is not one IAM role or user, each under `<prop>[i]`. */
export function secretReaderArnProblems(arns: readonly string[], prop = 'secretReaderArns'): PropProblem[] {
  return arns.flatMap((arn, i) => {
    if (!SECRET_READER_ARN_PATTERN.test(arn)) {
      return [{ prop: `${prop}[${i}]`, value: arn, message: 'allowed: an IAM role or user ARN (arn:aws:iam::<account>:role/<name>, * allowed in the name; for an SSO session use its role ARN, not arn:aws:sts::...:assumed-role/...)' }];
    }
    if (/:(role|user)\/\**$/.test(arn)) {
      return [{ prop: `${prop}[${i}]`, value: arn, message: `is every ${arn.includes(':role/') ? 'role' : 'user'} of the account; list the roles that deploy or operate the cluster` }];
    }
    return [];
  });
}

/** Days a deleted secret stays restorable: 0 (deleted at once) or 7 to 30. */
export const DEFAULT_SECRET_RECOVERY_WINDOW_DAYS = 7;

export function secretRecoveryWindowProblems(days: number, prop = 'secretRecoveryWindowDays'): PropProblem[] {
  return Number.isInteger(days) && (days === 0 || (days >= 7 && days <= 30))
    ? []
    : [{ prop, value: days, message: 'allowed: 0 (delete at once, no restore) or a whole number of days from 7 to 30' }];
}
