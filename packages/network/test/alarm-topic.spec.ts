import { ValidationError } from '@crdb-ory/core';
import { TerraformStack, Testing } from 'cdktf';
import { describe, expect, it } from 'vitest';
import { AlarmTopic, NO_ALARM_SUBSCRIBERS_WARNING, NetworkStack, alarmSubscriptionProblems } from '../src';
import { Template } from '@crdb-ory/core/testing';
import { REFERENCE_PROPS, ref, synthNetwork } from './fixtures';

const json = synthNetwork({ alarmSubscriptions: [{ protocol: 'email', endpoint: 'oncall@example.com' }, { protocol: 'https', endpoint: 'https://events.pagerduty.com/integration/abc/enqueue' }] });
const { name: topicName, config: topic } = Template.fromJSON(json).only('aws_sns_topic');
const { name: keyName, config: key } = Template.fromJSON(json).only('aws_kms_key', 'alarm-topic');

describe('the alarm topic (every stack\'s alarms)', () => {
  it('is one SNS topic, encrypted with a customer-managed key of its own (rotated), published as alarm_topic_arn', () => {
    Template.fromJSON(json).resourceCountIs('aws_sns_topic', 1);
    expect(topic).toMatchObject({ name: 'crdb-ory-alarms', kms_master_key_id: ref('aws_kms_key', keyName, 'arn') });
    expect(key.enable_key_rotation).toBe(true);
    expect(json.output.alarm_topic_arn.value).toBe(ref('aws_sns_topic', topicName, 'arn'));
  });

  it("lets CloudWatch of this account use the key and publish to the topic (an AWS-managed SNS key would refuse CloudWatch), and nobody without TLS", () => {
    const account = expect.stringMatching(/^\$\{data\.aws_caller_identity\.[^}]+\.account_id\}$/);
    expect(JSON.parse(key.policy).Statement[1]).toMatchObject({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Condition: { StringEquals: { 'aws:SourceAccount': account } } });
    const { config: policy } = Template.fromJSON(json).only('aws_sns_topic_policy');
    expect(policy.arn).toBe(ref('aws_sns_topic', topicName, 'arn'));
    const statements = JSON.parse(policy.policy).Statement;
    expect(statements[1]).toMatchObject({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'SNS:Publish' });
    expect(statements[1].Condition.ArnLike['aws:SourceArn']).toMatch(/^arn:\$\{data\.aws_partition\.[^}]+\}:cloudwatch:\$\{data\.aws_region\.[^}]+\}:\$\{data\.aws_caller_identity\.[^}]+\}:alarm:\*$/);
    expect(statements[2]).toMatchObject({ Sid: 'DenyPublishWithoutTls', Effect: 'Deny' });
  });

  it('subscribes each configured endpoint, keyed by the endpoint (removing one never re-creates the others)', () => {
    const subscriptions = Object.entries(Template.fromJSON(json).findResources('aws_sns_topic_subscription'));
    expect(subscriptions.map(([, s]) => [s.protocol, s.endpoint])).toEqual([['email', 'oncall@example.com'], ['https', 'https://events.pagerduty.com/integration/abc/enqueue']]);
    const fewer = synthNetwork({ alarmSubscriptions: [{ protocol: 'https', endpoint: 'https://events.pagerduty.com/integration/abc/enqueue' }] });
    expect(Object.keys(fewer.resource.aws_sns_topic_subscription)).toEqual([subscriptions[1][0]]);
  });

  it('warns at synthesis when nobody is subscribed', () => {
    const app = Testing.app();
    const stack = new NetworkStack(app, REFERENCE_PROPS);
    Testing.synth(stack);
    expect(stack.node.metadata.map((m) => m.data)).toContain(NO_ALARM_SUBSCRIBERS_WARNING);
  });

  it('refuses an endpoint its protocol cannot deliver to, naming the entry', () => {
    expect(alarmSubscriptionProblems([{ protocol: 'email', endpoint: 'not-an-address' }], 'alarmSubscriptions')).toEqual([
      { prop: 'alarmSubscriptions[0].endpoint', value: 'not-an-address', message: 'protocol email needs an email address' },
    ]);
    expect(alarmSubscriptionProblems([{ protocol: 'https', endpoint: 'http://hooks.example.com/x' }])[0]?.message).toMatch(/protocol https needs an https:\/\/ URL/);
    expect(alarmSubscriptionProblems([{ protocol: 'sms', endpoint: '555-0100' }])[0]?.message).toMatch(/E\.164/);
    expect(alarmSubscriptionProblems([{ protocol: 'sqs', endpoint: 'arn:aws:sqs:us-east-1:123456789012:oncall' }])).toEqual([]);
  });

  it('the topic throws them as one ValidationError naming its path', () => {
    const stack = new TerraformStack(Testing.app(), 'alarms');
    let error: unknown;
    try {
      new AlarmTopic(stack, 'topic', { topicName: 't', kmsKeyAlias: 't', subscriptions: [{ protocol: 'email', endpoint: 'x' }, { protocol: 'sms', endpoint: '1' }] });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({
      constructPath: 'alarms/topic',
      problems: [
        { prop: 'subscriptions[0].endpoint', value: 'x', message: 'protocol email needs an email address' },
        { prop: 'subscriptions[1].endpoint', value: '1', message: 'protocol sms needs an E.164 phone number like +14155550100' },
      ],
    });
  });
});
