import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { describe, expect, it } from 'vitest';
import { INSTANCE_ROLE_SSM_LEAST_PRIVILEGE, StackDocument, namespaceOf, policyStatements } from '../src';
import { findings } from './fixture';

const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'ec2.amazonaws.com' } }] });

describe("policy rules read Terraform values through core's expression parser", () => {
  it('a literal policy with an IAM policy variable (escaped for Terraform as $${...}) is read, not reported unreadable', () => {
    // Terraform renders `$${aws:username}` as the literal text `${aws:username}` (HCL template escapes); it is no expression.
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'ssm:GetParameter', Resource: 'arn:aws:ssm:us-east-1:123456789012:parameter/app/$${aws:username}' }],
    });
    const result = findings(INSTANCE_ROLE_SSM_LEAST_PRIVILEGE, (s) => {
      const role = new IamRole(s, 'node', { name: 'node', assumeRolePolicy: TRUST });
      new IamRolePolicy(s, 'own-parameters', { role: role.id, policy });
    });
    expect(result).toEqual([]);
    const read = policyStatements(new StackDocument('s', {}), policy);
    expect(read?.map((statement) => statement.resources)).toEqual([['arn:aws:ssm:us-east-1:123456789012:parameter/app/${aws:username}']]);
  });

  it('a reference in any of Terraform\'s index spellings names the namespace resource; a template that merely starts and ends with braces does not', () => {
    const json = { resource: { kubernetes_namespace_v1: { ns: { metadata: { name: 'ory' } } } } };
    const stack = new StackDocument('s', json);
    for (const spelling of ['metadata[0].name', 'metadata.0.name', 'metadata[0]["name"]', 'metadata.name']) {
      expect(namespaceOf(stack, `\${kubernetes_namespace_v1.ns.${spelling}}`).resource?.address).toBe('kubernetes_namespace_v1.ns');
    }
    expect(namespaceOf(stack, '${kubernetes_namespace_v1.ns.metadata[0].name}-{x}').resource).toBeUndefined();
  });
});
