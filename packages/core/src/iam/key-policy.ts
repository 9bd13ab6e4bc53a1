import type { IamStatement } from './policy-document';

/**
 * The key policy statement of every customer-managed key of the product: the account administers
 * the key and its IAM policies decide who uses it (AWS KMS Developer Guide, "Default key policy":
 * "Allows access to the AWS account and enables IAM policies").
 */
export function accountAdministersKey(partition: string, account: string, sid = 'AccountAdministersTheKey'): IamStatement {
  return { Sid: sid, Effect: 'Allow', Principal: { AWS: `arn:${partition}:iam::${account}:root` }, Action: 'kms:*', Resource: '*' };
}

export interface CloudWatchLogsKeyGrant {
  readonly sid: string;
  readonly partition: string;
  readonly region: string;
  readonly account: string;
  /** The DNS suffix of the region's service principals (`amazonaws.com`; `awsDnsSuffixOf`). */
  readonly dnsSuffix: string;
  /** The log group the key encrypts, or `*` for every log group of the account and region. */
  readonly logGroupName: string;
}

/**
 * The key's grant to CloudWatch Logs (as aws-cdk's `key.grantEncryptDecrypt` to the `logs`
 * service principal): the `logs.<region>` principal may use the key for the named log group(s)
 * only, by the encryption context CloudWatch Logs sends (CloudWatch Logs User Guide, "Encrypt
 * log data in CloudWatch Logs using AWS KMS", step 2). Readers of the log data need no key
 * permission: CloudWatch Logs decrypts for them.
 */
export function cloudWatchLogsKeyGrant(grant: CloudWatchLogsKeyGrant): IamStatement {
  const arn = `arn:${grant.partition}:logs:${grant.region}:${grant.account}:log-group:${grant.logGroupName}`;
  return {
    Sid: grant.sid,
    Effect: 'Allow',
    Principal: { Service: `logs.${grant.region}.${grant.dnsSuffix}` },
    Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
    Resource: '*',
    Condition: { [grant.logGroupName.includes('*') ? 'ArnLike' : 'ArnEquals']: { 'kms:EncryptionContext:aws:logs:arn': arn } },
  };
}
