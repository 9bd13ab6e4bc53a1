import { describe, expect, it } from 'vitest';
import { evaluateIam, iamPolicy } from '../src';

const allowGet = iamPolicy([{ Effect: 'Allow', Action: 's3:Get*', Resource: 'arn:aws:s3:::bucket/team/*' }]);

describe('evaluateIam: the evaluation logic of the IAM User Guide, as far as the product uses it', () => {
  it('allows what an Allow covers; anything else is an implicit deny', () => {
    expect(evaluateIam({ action: 's3:GetObject', resource: 'arn:aws:s3:::bucket/team/a/b.tfstate' }, { identity: [allowGet] })).toBe('allow');
    expect(evaluateIam({ action: 'S3:GETOBJECT', resource: 'arn:aws:s3:::bucket/team/x' }, { identity: [allowGet] })).toBe('allow');
    expect(evaluateIam({ action: 's3:PutObject', resource: 'arn:aws:s3:::bucket/team/x' }, { identity: [allowGet] })).toBe('implicit-deny');
    expect(evaluateIam({ action: 's3:GetObject', resource: 'arn:aws:s3:::bucket/other/x' }, { identity: [allowGet] })).toBe('implicit-deny');
    expect(evaluateIam({ action: 's3:GetObject', resource: 'arn:aws:s3:::Bucket/team/x' }, { identity: [allowGet] })).toBe('implicit-deny');
  });

  it('lets an explicit Deny win over any Allow, in an identity policy or an SCP', () => {
    const deny = iamPolicy([{ Effect: 'Deny', Action: 's3:GetObject', Resource: '*', Condition: { StringNotEquals: { 'aws:PrincipalTag/team': 'platform' } } }]);
    const request = { action: 's3:GetObject', resource: 'arn:aws:s3:::bucket/team/x' };
    expect(evaluateIam(request, { identity: [allowGet, deny] })).toBe('explicit-deny');
    expect(evaluateIam(request, { identity: [allowGet], scps: [deny] })).toBe('explicit-deny');
    expect(evaluateIam({ ...request, context: { 'aws:PrincipalTag/team': 'platform' } }, { identity: [allowGet], scps: [deny] })).toBe('implicit-deny');
    const fullAccess = iamPolicy([{ Effect: 'Allow', Action: '*', Resource: '*' }]);
    expect(evaluateIam({ ...request, context: { 'aws:PrincipalTag/team': 'platform' } }, { identity: [allowGet], scps: [fullAccess, deny] })).toBe('allow');
  });

  it('matches each ARN segment on its own, a wildcard in the resource part across "/"', () => {
    const policy = iamPolicy([{ Effect: 'Allow', Action: 'ssm:GetParameter', Resource: 'arn:aws:ssm:us-east-1:*:parameter/acme/cockroach-pki/*' }]);
    expect(evaluateIam({ action: 'ssm:GetParameter', resource: 'arn:aws:ssm:us-east-1:123456789012:parameter/acme/cockroach-pki/node_secret_arns' }, { identity: [policy] })).toBe('allow');
    expect(evaluateIam({ action: 'ssm:GetParameter', resource: 'arn:aws:ssm:us-east-1:123456789012:parameter/acme/other/x' }, { identity: [policy] })).toBe('implicit-deny');
    expect(evaluateIam({ action: 'ssm:GetParameter', resource: 'arn:aws:ssm:us-west-2:123456789012:parameter/acme/cockroach-pki/x' }, { identity: [policy] })).toBe('implicit-deny');
  });

  it('evaluates conditions: keys AND, values OR, a missing key fails a positive operator and passes a negated one, IfExists and set operators', () => {
    const policy = iamPolicy([
      {
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: '*',
        Condition: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': 'alias/acme-tfstate' }, ArnLike: { 'kms:EncryptionContext:aws:s3:arn': ['arn:aws:s3:::b/p/a.tfstate', 'arn:aws:s3:::b/p/c.tfstate'] } },
      },
    ]);
    const request = (context: Record<string, string | string[]>) => evaluateIam({ action: 'kms:Decrypt', resource: 'arn:aws:kms:us-east-1:123456789012:key/k', context }, { identity: [policy] });
    expect(request({ 'kms:ResourceAliases': ['alias/x', 'alias/acme-tfstate'], 'kms:EncryptionContext:aws:s3:arn': 'arn:aws:s3:::b/p/c.tfstate' })).toBe('allow');
    expect(request({ 'kms:ResourceAliases': ['alias/x'], 'kms:EncryptionContext:aws:s3:arn': 'arn:aws:s3:::b/p/c.tfstate' })).toBe('implicit-deny');
    expect(request({ 'kms:ResourceAliases': ['alias/acme-tfstate'], 'kms:EncryptionContext:aws:s3:arn': 'arn:aws:s3:::b/p/pki.tfstate' })).toBe('implicit-deny');
    expect(request({ 'kms:ResourceAliases': ['alias/acme-tfstate'] })).toBe('implicit-deny');
    const ifExists = iamPolicy([{ Effect: 'Allow', Action: 'ssm:StartSession', Resource: '*', Condition: { BoolIfExists: { 'ssm:SessionDocumentAccessCheck': 'true' } } }]);
    expect(evaluateIam({ action: 'ssm:StartSession', resource: 'arn:aws:ec2:us-east-1:1:instance/i-1' }, { identity: [ifExists] })).toBe('allow');
    expect(evaluateIam({ action: 'ssm:StartSession', resource: 'arn:aws:ec2:us-east-1:1:instance/i-1', context: { 'ssm:SessionDocumentAccessCheck': 'false' } }, { identity: [ifExists] })).toBe('implicit-deny');
  });

  it('substitutes policy variables from the request context', () => {
    const policy = iamPolicy([{ Effect: 'Allow', Action: 'ssm:TerminateSession', Resource: 'arn:aws:ssm:*:*:session/${aws:userid}-*' }]);
    const request = { action: 'ssm:TerminateSession', resource: 'arn:aws:ssm:us-east-1:1:session/AROAEXAMPLE:alice-0abc', context: { 'aws:userid': 'AROAEXAMPLE:alice' } };
    expect(evaluateIam(request, { identity: [policy] })).toBe('allow');
    expect(evaluateIam({ ...request, context: { 'aws:userid': 'AROAEXAMPLE:bob' } }, { identity: [policy] })).toBe('implicit-deny');
  });

  it('refuses what it does not model instead of guessing', () => {
    const policy = iamPolicy([{ Effect: 'Allow', Action: '*', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }]);
    expect(() => evaluateIam({ action: 's3:GetObject', resource: 'arn:aws:s3:::b/k', context: { 'aws:SourceIp': '10.1.1.1' } }, { identity: [policy] })).toThrow('no condition operator IpAddress');
  });
});
