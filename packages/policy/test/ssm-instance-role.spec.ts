import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { Fn, TerraformStack } from 'cdktf';
import { iamPolicyJson, productRole, serviceTrust } from '@crdb-ory/core';
import { describe, expect, it } from 'vitest';
import { INSTANCE_ROLE_SSM_LEAST_PRIVILEGE } from '../src';
import { findings } from './fixture';

function instanceRole(s: TerraformStack, id: string, service = 'ec2.amazonaws.com'): IamRole {
  const trust = new DataAwsIamPolicyDocument(s, `${id}-trust`, { statement: [{ actions: ['sts:AssumeRole'], principals: [{ type: 'Service', identifiers: [service] }] }] });
  return new IamRole(s, id, { name: id, assumeRolePolicy: trust.json });
}

const AGENT = ['ssm:UpdateInstanceInformation', 'ssmmessages:CreateControlChannel', 'ssmmessages:OpenDataChannel', 'ec2messages:GetMessages'];

describe('CRDB-SSM-001 instance roles read no SSM parameter they were not given', () => {
  it("passes the SSM agent's own actions, a parameter granted by name, and a non-instance role with the managed policy", () => {
    const result = findings(INSTANCE_ROLE_SSM_LEAST_PRIVILEGE, (s) => {
      const role = instanceRole(s, 'node');
      const doc = new DataAwsIamPolicyDocument(s, 'agent', {
        statement: [
          { actions: AGENT, resources: ['*'] },
          { actions: ['ssm:GetParameter'], resources: ['arn:aws:ssm:us-east-1:123456789012:parameter/acme/cockroach/bootstrap-complete'] },
        ],
      });
      new IamRolePolicy(s, 'agent-policy', { role: role.id, policy: doc.json });
      const lambda = instanceRole(s, 'function', 'lambda.amazonaws.com');
      new IamRolePolicyAttachment(s, 'lambda-ssm', { role: lambda.name, policyArn: 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore' });
    });
    expect(result).toEqual([]);
  });

  it('fails AmazonSSMManagedInstanceCore on an instance role, a parameter read on *, and an inline policy it cannot read', () => {
    const result = findings(INSTANCE_ROLE_SSM_LEAST_PRIVILEGE, (s) => {
      const role = instanceRole(s, 'node');
      new IamRolePolicyAttachment(s, 'ssm', { role: role.name, policyArn: 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore' });
      const broad = new DataAwsIamPolicyDocument(s, 'broad', { statement: [{ actions: ['ssm:Get*'], resources: ['arn:aws:ssm:us-east-1:123456789012:parameter/*'] }] });
      new IamRolePolicy(s, 'broad-policy', { role: role.id, policy: broad.json });
      new IamRolePolicy(s, 'opaque-policy', { role: role.id, policy: Fn.jsonencode({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: role.arn }] }) });
    });
    expect(result.map((f) => [f.ruleId, f.address.split('.')[0]])).toEqual([
      ['CRDB-SSM-001', 'aws_iam_role_policy_attachment'],
      ['CRDB-SSM-001', 'aws_iam_role_policy'],
      ['CRDB-SSM-001', 'aws_iam_role_policy'],
    ]);
    expect(result.map((f) => f.message)).toEqual([
      expect.stringContaining('attaches AmazonSSMManagedInstanceCore to instance role aws_iam_role.node: it reads every SSM parameter of the account'),
      expect.stringContaining('may ssm:Get* on arn:aws:ssm:us-east-1:123456789012:parameter/*'),
      expect.stringContaining('cannot be read at synthesis'),
    ]);
  });

  it("reads the product's policies, literal JSON from core's iamPolicyJson, references and all (trust and inline policies)", () => {
    const result = findings(INSTANCE_ROLE_SSM_LEAST_PRIVILEGE, (s) => {
      const role = productRole(s, 'node', { name: 'node', trust: [serviceTrust('ec2.amazonaws.com')] });
      const other = new IamRole(s, 'elsewhere', { name: 'elsewhere', assumeRolePolicy: iamPolicyJson([serviceTrust('lambda.amazonaws.com')]) });
      new IamRolePolicy(s, 'agent-policy', { role: role.id, policy: iamPolicyJson([{ Effect: 'Allow', Action: AGENT, Resource: '*' }, { Effect: 'Allow', Action: 'ssm:GetParameter', Resource: other.arn }]) });
      new IamRolePolicy(s, 'broad-policy', { role: role.id, policy: iamPolicyJson([{ Effect: 'Allow', Action: 'ssm:GetParameters', Resource: `arn:aws:ssm:us-east-1:${other.name}:parameter/*` }]) });
    });
    expect(result.map((f) => [f.ruleId, f.address])).toEqual([['CRDB-SSM-001', 'aws_iam_role_policy.broad-policy']]);
    expect(result[0]?.message).toContain('may ssm:GetParameters on arn:aws:ssm:us-east-1:${aws_iam_role.elsewhere.name}:parameter/*');
  });
});
