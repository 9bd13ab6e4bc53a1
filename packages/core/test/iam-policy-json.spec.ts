import { App, TerraformStack, Testing } from 'cdktf';
import { describe, expect, it } from 'vitest';
import { accountAdministersKey, cloudWatchLogsKeyGrant, evaluateIam, iamPolicy, iamPolicyJson, productRole, serviceTrust } from '../src';

describe('IAM policies one way: typed statements, rendered as literal JSON', () => {
  it('renders a document or its statements as the JSON AWS receives, IAM policy variables kept literal for Terraform', () => {
    const statements = [{ Sid: 'OwnSessions', Effect: 'Allow' as const, Action: 'ssm:TerminateSession', Resource: 'arn:aws:ssm:us-east-1:123456789012:session/${aws:userid}-*' }];
    const json = iamPolicyJson(statements);
    expect(json).toBe('{"Version":"2012-10-17","Statement":[{"Sid":"OwnSessions","Effect":"Allow","Action":"ssm:TerminateSession","Resource":"arn:aws:ssm:us-east-1:123456789012:session/$${aws:userid}-*"}]}');
    expect(iamPolicyJson(iamPolicy(statements))).toBe(json);
  });

  it('keeps references as Terraform string templates in the synthesized JSON', () => {
    const stack = new TerraformStack(Testing.app(), 'iam');
    const role = productRole(stack, 'role', { name: 'delivery', trust: [serviceTrust('vpc-flow-logs.amazonaws.com', { condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } } })] });
    const synthesized = JSON.parse(Testing.synth(stack)).resource.aws_iam_role.role;
    expect(synthesized.name).toBe('delivery');
    expect(JSON.parse(synthesized.assume_role_policy)).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'vpc-flow-logs.amazonaws.com' }, Action: ['sts:AssumeRole'], Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } } }],
    });
    expect(role.node.id).toBe('role');
    const other = new TerraformStack(new App(), 'other');
    const key = productRole(other, 'key-user', { name: 'user', trust: [serviceTrust('eks.amazonaws.com', { tagSession: true })] });
    expect(iamPolicyJson([{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: key.arn }])).toMatch(/"Resource":"\$\{TfToken\[TOKEN\.\d+\]\}"/);
  });

  it('key policies: the account administers the key; CloudWatch Logs may use it for the named log group only', () => {
    const grant = cloudWatchLogsKeyGrant({ sid: 'Logs', partition: 'aws', region: 'us-east-1', account: '123456789012', dnsSuffix: 'amazonaws.com', logGroupName: '/crdb-ory/ops' });
    const request = (group: string) => ({ action: 'kms:GenerateDataKey', resource: '*', context: { 'kms:EncryptionContext:aws:logs:arn': `arn:aws:logs:us-east-1:123456789012:log-group:${group}` } });
    expect(evaluateIam(request('/crdb-ory/ops'), { identity: [iamPolicy([grant])] })).toBe('allow');
    expect(evaluateIam(request('/other'), { identity: [iamPolicy([grant])] })).toBe('implicit-deny');
    expect(grant.Principal).toEqual({ Service: 'logs.us-east-1.amazonaws.com' });
    expect(cloudWatchLogsKeyGrant({ sid: 'Logs', partition: 'aws', region: 'us-east-1', account: '1', dnsSuffix: 'amazonaws.com', logGroupName: '*' }).Condition).toEqual({ ArnLike: { 'kms:EncryptionContext:aws:logs:arn': 'arn:aws:logs:us-east-1:1:log-group:*' } });
    expect(accountAdministersKey('aws-cn', '123456789012')).toEqual({ Sid: 'AccountAdministersTheKey', Effect: 'Allow', Principal: { AWS: 'arn:aws-cn:iam::123456789012:root' }, Action: 'kms:*', Resource: '*' });
  });
});
