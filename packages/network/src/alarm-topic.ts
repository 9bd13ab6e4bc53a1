import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { DataAwsRegion } from '@cdktf/provider-aws/lib/data-aws-region';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { PropProblem, accountAdministersKey, iamPolicyJson, throwIfProblems } from '@crdb-ory/core';
import { Construct } from 'constructs';
import { createHash } from 'node:crypto';

/** Protocols an alarm subscriber can use (SNS's, minus the application and firehose ones). */
export const ALARM_SUBSCRIPTION_PROTOCOLS = ['email', 'email-json', 'https', 'sqs', 'lambda', 'sms'] as const;
export type AlarmSubscriptionProtocol = (typeof ALARM_SUBSCRIPTION_PROTOCOLS)[number];

/** Where alarms are delivered: an address SNS sends to (email and https ask for a confirmation first). */
export interface AlarmSubscription {
  readonly protocol: AlarmSubscriptionProtocol;
  /** An email address, an https URL, an SQS queue or Lambda function ARN, or an E.164 phone number. */
  readonly endpoint: string;
}

const ENDPOINT_RULES: Record<AlarmSubscriptionProtocol, { pattern: RegExp; allowed: string }> = {
  email: { pattern: /^[^@\s]+@[^@\s]+\.[^@\s]+$/, allowed: 'an email address' },
  'email-json': { pattern: /^[^@\s]+@[^@\s]+\.[^@\s]+$/, allowed: 'an email address' },
  https: { pattern: /^https:\/\/[^\s/]+(\/\S*)?$/, allowed: 'an https:// URL' },
  sqs: { pattern: /^arn:aws[a-z-]*:sqs:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]+(\.fifo)?$/, allowed: 'an SQS queue ARN' },
  lambda: { pattern: /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9_-]+)?$/, allowed: 'a Lambda function ARN' },
  sms: { pattern: /^\+[1-9]\d{6,14}$/, allowed: 'an E.164 phone number like +14155550100' },
};

/** Every subscription whose endpoint does not fit its protocol, under `<prop>[i].protocol` or `<prop>[i].endpoint`. */
export function alarmSubscriptionProblems(subscriptions: readonly AlarmSubscription[], prop = 'subscriptions'): PropProblem[] {
  return subscriptions.flatMap((s, i) => {
    const rule = ENDPOINT_RULES[s.protocol];
    if (!rule) return [{ prop: `${prop}[${i}].protocol`, value: s.protocol, message: `allowed are ${ALARM_SUBSCRIPTION_PROTOCOLS.join(', ')}` }];
    return rule.pattern.test(s.endpoint) ? [] : [{ prop: `${prop}[${i}].endpoint`, value: s.endpoint, message: `protocol ${s.protocol} needs ${rule.allowed}` }];
  });
}

export interface AlarmTopicProps {
  readonly topicName: string;
  /** Alias of the topic's KMS key, without `alias/`. */
  readonly kmsKeyAlias: string;
  /** @default none (alarms are published, nobody is notified: a synthesis warning says so) */
  readonly subscriptions?: readonly AlarmSubscription[];
}

/**
 * The one SNS topic every alarm of every stack notifies: operators subscribe once. Encrypted
 * with a customer-managed key whose policy lets CloudWatch (of this account) use it, since
 * CloudWatch cannot publish to a topic encrypted with the AWS-managed SNS key; the topic
 * accepts alarms of this account only, and TLS only.
 */
export class AlarmTopic extends Construct {
  readonly topic: SnsTopic;
  readonly kmsKey: KmsKey;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    throwIfProblems(this, alarmSubscriptionProblems(props.subscriptions ?? []));
    const account = new DataAwsCallerIdentity(this, 'account').accountId;
    const partition = new DataAwsPartition(this, 'partition').partition;
    const region = new DataAwsRegion(this, 'region').name;
    this.kmsKey = new KmsKey(this, 'kms-key', {
      description: `Encrypts the alarm topic ${props.topicName}`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: iamPolicyJson([
        accountAdministersKey(partition, account),
        {
          Sid: 'CloudWatchAlarmsOfThisAccountPublish',
          Effect: 'Allow',
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          Resource: '*',
          Condition: { StringEquals: { 'aws:SourceAccount': account } },
        },
      ]),
    });
    new KmsAlias(this, 'kms-alias', { name: `alias/${props.kmsKeyAlias}`, targetKeyId: this.kmsKey.keyId });
    this.topic = new SnsTopic(this, 'topic', { name: props.topicName, kmsMasterKeyId: this.kmsKey.arn });
    new SnsTopicPolicy(this, 'policy', {
      arn: this.topic.arn,
      policy: iamPolicyJson([
        {
          Sid: 'OwnerAccountManagesTheTopic',
          Effect: 'Allow',
          Principal: { AWS: '*' },
          Action: ['SNS:GetTopicAttributes', 'SNS:SetTopicAttributes', 'SNS:AddPermission', 'SNS:RemovePermission', 'SNS:DeleteTopic', 'SNS:Subscribe', 'SNS:ListSubscriptionsByTopic', 'SNS:Publish'],
          Resource: this.topic.arn,
          Condition: { StringEquals: { 'AWS:SourceOwner': account } },
        },
        {
          Sid: 'CloudWatchAlarmsOfThisAccountPublish',
          Effect: 'Allow',
          Principal: { Service: 'cloudwatch.amazonaws.com' },
          Action: 'SNS:Publish',
          Resource: this.topic.arn,
          Condition: { ArnLike: { 'aws:SourceArn': `arn:${partition}:cloudwatch:${region}:${account}:alarm:*` }, StringEquals: { 'aws:SourceAccount': account } },
        },
        { Sid: 'DenyPublishWithoutTls', Effect: 'Deny', Principal: '*', Action: 'SNS:Publish', Resource: this.topic.arn, Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
      ]),
    });
    // Keyed by protocol and endpoint, so removing one subscriber never re-creates (and asks to re-confirm) the others.
    for (const subscription of props.subscriptions ?? []) {
      const key = createHash('sha256').update(`${subscription.protocol} ${subscription.endpoint}`).digest('hex').slice(0, 12);
      new SnsTopicSubscription(this, `subscription-${key}`, { topicArn: this.topic.arn, protocol: subscription.protocol, endpoint: subscription.endpoint });
    }
  }
}
