import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { DataAwsRegion } from '@cdktf/provider-aws/lib/data-aws-region';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { accountAdministersKey, cloudWatchLogsKeyGrant, iamPolicyJson } from '@crdb-ory/core';
import { Construct } from 'constructs';

export interface FlowLogsKeyProps {
  /** Alias of the key, without the `alias/` prefix. */
  readonly aliasName: string;
  /** Days KMS waits before deleting the key once it is scheduled for deletion. @default 30 (the maximum: the most time to notice a mistake) */
  readonly deletionWindowInDays?: number;
}

/**
 * A customer-managed KMS key that CloudWatch Logs may use for the log groups of this account
 * and region (and nothing else), with yearly rotation. The account root keeps administration
 * so IAM policies decide who manages it.
 */
export class FlowLogsKey extends Construct {
  readonly key: KmsKey;

  constructor(scope: Construct, id: string, props: FlowLogsKeyProps) {
    super(scope, id);
    const account = new DataAwsCallerIdentity(this, 'account').accountId;
    const partition = new DataAwsPartition(this, 'partition').partition;
    const region = new DataAwsRegion(this, 'region').name;
    this.key = new KmsKey(this, 'key', {
      description: `Encrypts VPC flow logs in CloudWatch Logs (${props.aliasName})`,
      enableKeyRotation: true,
      deletionWindowInDays: props.deletionWindowInDays ?? 30,
      policy: iamPolicyJson([
        accountAdministersKey(partition, account),
        // The region comes from a data source, so the suffix cannot be looked up here: amazonaws.com, as before.
        cloudWatchLogsKeyGrant({ sid: 'CloudWatchLogsEncryptsThisAccountsLogGroups', partition, region, account, dnsSuffix: 'amazonaws.com', logGroupName: '*' }),
      ]),
    });
    new KmsAlias(this, 'alias', { name: `alias/${props.aliasName}`, targetKeyId: this.key.keyId });
  }
}
