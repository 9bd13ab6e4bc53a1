import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { DEFAULT_NAME_PREFIX, ProductStack, configureAwsProvider, publishOutputs, stateKeyAlias } from '@crdb-ory/core';
import { Construct } from 'constructs';
import { StateBucket, StateBucketProps } from './state-bucket';
import { STATE_OUTPUTS, STATE_STACK_NAME } from './state-outputs';

export interface StateStackProps extends Omit<StateBucketProps, 'kmsKeyArn'> {
  /** Region of the state bucket. */
  readonly region: string;
  /** Tags on every taggable resource (provider default tags). @default none */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * The `state` bootstrap stack: creates the state bucket and the customer-managed KMS key that
 * encrypts every state object (alias `alias/<namePrefix>-tfstate`, the S3 backend's
 * `kms_key_id`). Its own state is always a local file (`terraform.state.tfstate` at the project
 * root): the bucket cannot hold the state of the stack that creates it. Keep that file safe, or
 * re-import the bucket and the key if it is lost.
 *
 * The key's policy is the KMS default (the account's IAM policies decide who uses it), so each
 * role's IAM policy can grant it for exactly the state objects that role needs
 * (`stateAccessPolicy`: per object, by the encryption context S3 sends).
 */
export class StateStack extends ProductStack {
  readonly stateBucket: StateBucket;
  readonly stateKey: KmsKey;

  constructor(scope: Construct, props: StateStackProps) {
    super(scope, STATE_STACK_NAME, { stateBackend: { type: 'local' }, namePrefix: props.namePrefix });
    const { region, tags, ...bucketProps } = props;
    const namePrefix = props.namePrefix ?? DEFAULT_NAME_PREFIX;
    configureAwsProvider(this, { region, tags: tags ?? {} });
    this.stateKey = new KmsKey(this, 'state-key', {
      description: `${namePrefix}: Terraform state of every stack`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
    });
    const alias = new KmsAlias(this, 'state-key-alias', { name: stateKeyAlias(namePrefix), targetKeyId: this.stateKey.keyId });
    this.stateBucket = new StateBucket(this, 'state-bucket', { ...bucketProps, kmsKeyArn: this.stateKey.arn });
    publishOutputs(this, STATE_OUTPUTS, {
      bucketName: this.stateBucket.bucket.bucket,
      bucketArn: this.stateBucket.bucket.arn,
      bucketRegion: this.stateBucket.bucket.region,
      kmsKeyArn: this.stateKey.arn,
      kmsKeyAlias: alias.name,
    });
  }
}
