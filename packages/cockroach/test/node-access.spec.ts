import { IamPolicyDocument, evaluateIam, iamPolicy } from '@crdb-ory/core';
import { describe, expect, it } from 'vitest';
import { nodeAccessGuardrail, nodeNames, operationsNodeAccess, operationsRoleName, portForwardingDocumentName, sessionDocumentName } from '../src';
import { Template } from '@crdb-ory/core/testing';
import { Json, policyNamed, synthCluster } from './synth';

const ACCOUNT = '123456789012';
const KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/0a1b2c3d-0000-4000-8000-000000000009`;
const OPERATIONS = iamPolicy(operationsNodeAccess({ namePrefix: 'crdb-ory', partition: 'aws', region: 'us-east-1', account: ACCOUNT, operationsKeyArn: KEY }));
const GUARDRAIL = nodeAccessGuardrail({ namePrefix: 'crdb-ory', partition: 'aws' });
/** FullAWSAccess, the SCP every account has by default (AWS Organizations User Guide). */
const FULL_AWS_ACCESS = iamPolicy([{ Effect: 'Allow', Action: '*', Resource: '*' }]);
/** "Common in real accounts": an admin or automation role allowed ssm:* on *. */
const BROAD = iamPolicy([{ Effect: 'Allow', Action: ['ssm:*', 'ec2:*'], Resource: '*' }]);

const OPERATOR = `arn:aws:iam::${ACCOUNT}:role/crdb-ory-cockroach-operator`;
const ADMIN = `arn:aws:iam::${ACCOUNT}:role/AWSReservedSSO_AdministratorAccess_0123456789abcdef`;
const node = (n: number) => ({ resource: `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/i-0c00000000000000${n}`, tags: { 'ssm:resourceTag/Name': `crdb-ory-cockroach-node-${n}`, 'aws:ResourceTag/Name': `crdb-ory-cockroach-node-${n}` } });
const otherInstance = { resource: `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/i-0e000000000000001`, tags: { 'ssm:resourceTag/Name': 'build-agent', 'aws:ResourceTag/Name': 'build-agent' } };
const stagingNode = { resource: `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/i-0f000000000000001`, tags: { 'ssm:resourceTag/Name': 'staging-cockroach-node-1', 'aws:ResourceTag/Name': 'staging-cockroach-node-1' } };

function decide(principal: string, identity: IamPolicyDocument, action: string, target: { resource: string; tags: Record<string, string> }, extra: Record<string, string | string[]> = {}) {
  return evaluateIam({ action, resource: target.resource, context: { 'aws:PrincipalArn': principal, ...target.tags, ...extra } }, { identity: [identity], scps: [FULL_AWS_ACCESS, GUARDRAIL] });
}
const document = (name: string, account = ACCOUNT) => ({ resource: `arn:aws:ssm:us-east-1:${account}:document/${name}`, tags: {} });

describe('the operations role (its node access, as data)', () => {
  it('may run AWS-RunShellScript on each node of its environment, on nothing else, with no other document', () => {
    for (const n of [1, 2, 3]) expect(decide(OPERATOR, OPERATIONS, 'ssm:SendCommand', node(n))).toBe('allow');
    expect(decide(OPERATOR, OPERATIONS, 'ssm:SendCommand', document('AWS-RunShellScript', ''))).toBe('allow');
    expect(decide(OPERATOR, OPERATIONS, 'ssm:SendCommand', otherInstance)).toBe('implicit-deny');
    expect(decide(OPERATOR, OPERATIONS, 'ssm:SendCommand', stagingNode)).toBe('implicit-deny');
    expect(decide(OPERATOR, OPERATIONS, 'ssm:SendCommand', document('AWS-RunRemoteScript', ''))).toBe('implicit-deny');
  });

  it("starts sessions only with the environment's session documents: the account's default preferences never apply", () => {
    expect(decide(OPERATOR, OPERATIONS, 'ssm:StartSession', node(1))).toBe('allow');
    expect(decide(OPERATOR, OPERATIONS, 'ssm:StartSession', document(sessionDocumentName('crdb-ory')))).toBe('allow');
    expect(decide(OPERATOR, OPERATIONS, 'ssm:StartSession', document(portForwardingDocumentName('crdb-ory')))).toBe('allow');
    expect(decide(OPERATOR, OPERATIONS, 'ssm:StartSession', otherInstance)).toBe('implicit-deny');
    // With the document check on, `aws ssm start-session --target <node>` (no --document-name) is a session on SSM-SessionManagerRunShell.
    expect(decide(OPERATOR, OPERATIONS, 'ssm:StartSession', document('SSM-SessionManagerRunShell'))).toBe('implicit-deny');
    expect(decide(OPERATOR, OPERATIONS, 'ssm:StartSession', document('AWS-StartPortForwardingSession', ''))).toBe('implicit-deny');
    expect(decide(OPERATOR, OPERATIONS, 'ssm:StartSession', document('AWS-StartInteractiveCommand', ''))).toBe('implicit-deny');
    // Session Manager checks documents only if every statement allowing StartSession carries the condition.
    const startSession = OPERATIONS.Statement.filter((statement) => [statement.Action].flat().includes('ssm:StartSession'));
    expect(startSession.length).toBe(3);
    expect(startSession.every((statement) => statement.Condition?.['BoolIfExists']?.['ssm:SessionDocumentAccessCheck'] === 'true')).toBe(true);
    expect(decide(OPERATOR, OPERATIONS, 'kms:GenerateDataKey', { resource: KEY, tags: {} })).toBe('allow');
  });

  it('ends only its own sessions, and reads no SSM parameter at all', () => {
    const session = (id: string) => ({ resource: `arn:aws:ssm:us-east-1:${ACCOUNT}:session/${id}`, tags: {} });
    expect(decide(OPERATOR, OPERATIONS, 'ssm:TerminateSession', session('AROAOPERATOR:alice-0a1b2c'), { 'aws:userid': 'AROAOPERATOR:alice' })).toBe('allow');
    expect(decide(OPERATOR, OPERATIONS, 'ssm:TerminateSession', session('AROAOPERATOR:bob-0a1b2c'), { 'aws:userid': 'AROAOPERATOR:alice' })).toBe('implicit-deny');
    expect(decide(OPERATOR, OPERATIONS, 'ssm:GetParameter', { resource: `arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/anything`, tags: {} })).toBe('implicit-deny');
  });
});

describe('the guardrail (an SCP, as data)', () => {
  it('denies Run Command, sessions and State Manager associations on the nodes to everyone but the operations role, however broad their rights', () => {
    for (const action of ['ssm:SendCommand', 'ssm:StartSession', 'ssm:CreateAssociation']) {
      for (const n of [1, 2, 3]) expect(decide(ADMIN, BROAD, action, node(n)), `${action} node ${n}`).toBe('explicit-deny');
    }
    expect(decide(OPERATOR, BROAD, 'ssm:SendCommand', node(1))).toBe('allow');
  });

  it('leaves every other instance (and another environment) as it was', () => {
    expect(decide(ADMIN, BROAD, 'ssm:SendCommand', otherInstance)).toBe('allow');
    expect(decide(ADMIN, BROAD, 'ssm:SendCommand', stagingNode)).toBe('allow');
    expect(decide(ADMIN, BROAD, 'ssm:SendCommand', { resource: `arn:aws:ssm:us-east-1::document/AWS-RunShellScript`, tags: {} })).toBe('allow');
  });

  it("keeps the nodes' Name tags, which the policies recognize them by, out of others' hands", () => {
    expect(decide(ADMIN, BROAD, 'ec2:DeleteTags', node(2), { 'aws:TagKeys': ['Name'] })).toBe('explicit-deny');
    expect(decide(ADMIN, BROAD, 'ec2:CreateTags', node(2), { 'aws:TagKeys': ['Name', 'Team'] })).toBe('explicit-deny');
    expect(decide(ADMIN, BROAD, 'ec2:CreateTags', node(2), { 'aws:TagKeys': ['Team'] })).toBe('allow');
    expect(decide(OPERATOR, BROAD, 'ec2:CreateTags', node(2), { 'aws:TagKeys': ['Name'] })).toBe('allow');
  });

  it('names the nodes and the role of its own environment only', () => {
    expect(nodeNames('staging')).toEqual(['staging-cockroach-node-1', 'staging-cockroach-node-2', 'staging-cockroach-node-3']);
    expect(JSON.stringify(nodeAccessGuardrail({ namePrefix: 'staging', partition: 'aws-cn' }))).toContain(`arn:aws-cn:iam::*:role/${operationsRoleName('staging')}`);
  });
});

describe('cockroach stack: the operations role, log and session documents', () => {
  const json = synthCluster({
    operations: { assumableBy: ['arn:aws:iam::123456789012:role/AWSReservedSSO_DBA_*'], logRetentionDays: 731 },
    stateBackend: { type: 's3', bucket: 'crdb-ory-tfstate', region: 'us-east-1', keyPrefix: 'crdb-ory', kmsKeyId: 'alias/crdb-ory-tfstate' },
  });
  const only = (type: string, prefix: string): Json => Template.fromJSON(json).only(type, prefix).config;

  it('creates the operations role from the prefix, assumable by the listed principals of the account only, with a roll-long session', () => {
    const role = only('aws_iam_role', 'operations_role_');
    expect(role.name).toBe('crdb-ory-cockroach-operator');
    expect(role.max_session_duration).toBe(14400);
    const [trust, ...others] = policyNamed(json, 'aws_iam_role', 'operations_role_', 'assume_role_policy');
    expect(others).toEqual([]);
    expect(trust.Condition).toEqual({ ArnLike: { 'aws:PrincipalArn': ['arn:aws:iam::123456789012:role/AWSReservedSSO_DBA_*'] } });
    expect(trust.Principal.AWS).toMatch(/^arn:aws:iam::\$\{data\.aws_caller_identity\.[^}]+\.account_id\}:root$/);
    const statements = policyNamed(json, 'aws_iam_role_policy', 'operations_role-policy_');
    expect(statements.map((s) => s.Sid)).toEqual(expect.arrayContaining(['RunShellScriptOnTheNodes', 'SessionsOnTheNodes', 'WithTheLoggedSessionDocumentOnly', 'WithThePortForwardingDocument', 'OwnSessions', 'ReadWriteOwnState', 'ReadPublishedOutputs']));
    // The IAM policy variable stays literal for IAM: `$${` in Terraform.
    expect([statements.find((s) => s.Sid === 'OwnSessions')?.Resource].flat()[0]).toMatch(/:session\/\$\$\{aws:userid\}-\*$/);
    // The roll applies the cockroach stack: its state, and what it reads (never the PKI's state).
    const text = JSON.stringify(statements);
    expect(text).toContain('"arn:aws:s3:::crdb-ory-tfstate/crdb-ory/cockroach.tfstate"');
    expect(text).not.toContain('cockroach-pki.tfstate');
    expect(() => synthCluster({ operations: { assumableBy: ['arn:aws:iam::123456789012:role/*'] } })).toThrow(/operations.assumableBy\[0\].*every role of the account/);
  });

  it('logs to a KMS-encrypted, retained log group, whose key lets CloudWatch Logs use it for that group only', () => {
    const log = only('aws_cloudwatch_log_group', 'operations_log_');
    expect(log).toMatchObject({ name: '/crdb-ory/cockroach/operations', retention_in_days: 731, kms_key_id: `\${${Template.fromJSON(json).only('aws_kms_key', 'operations_key_').address}.arn}` });
    const key = only('aws_kms_key', 'operations_key_');
    expect(key.enable_key_rotation).toBe(true);
    const [, logs] = policyNamed(json, 'aws_kms_key', 'operations_key_');
    expect(logs.Principal).toEqual({ Service: 'logs.us-east-1.amazonaws.com' });
    expect(Object.keys(logs.Condition.ArnEquals)).toEqual(['kms:EncryptionContext:aws:logs:arn']);
    expect(logs.Condition.ArnEquals['kms:EncryptionContext:aws:logs:arn']).toMatch(/^arn:aws:logs:us-east-1:\$\{data\.aws_caller_identity\.[^}]+\.account_id\}:log-group:\/crdb-ory\/cockroach\/operations$/);
    expect(() => synthCluster({ operations: { logRetentionDays: 100 } })).toThrow(/operations\.logRetentionDays = 100: must be one of the CloudWatch Logs retention periods/);
  });

  it("keeps its Session Manager preferences in its own documents, never the account's: a logged, encrypted shell, and port forwarding to 26257 and 8080 only", () => {
    const shell = only('aws_ssm_document', 'operations_session-document_');
    expect(shell).toMatchObject({ name: 'crdb-ory-cockroach-session', document_type: 'Session', document_format: 'JSON' });
    for (const input of ['"sessionType" = "Standard_Stream"', '"cloudWatchEncryptionEnabled" = true', '"cloudWatchStreamingEnabled" = true', '"runAsEnabled" = false']) expect(shell.content).toContain(input);
    expect(shell.content).toMatch(/"cloudWatchLogGroupName" = aws_cloudwatch_log_group\.operations_log_[^.]+\.name/);
    expect(shell.content).toMatch(/"kmsKeyId" = aws_kms_key\.operations_key_[^.]+\.key_id/);
    const ports = JSON.parse(only('aws_ssm_document', 'operations_port-forwarding-document_').content);
    expect(ports.sessionType).toBe('Port');
    expect(ports.parameters.portNumber.allowedValues).toEqual(['26257', '8080']);
    const names = Object.values<Json>(json.resource.aws_ssm_document).map((d) => d.name);
    expect(names).not.toContain('SSM-SessionManagerRunShell');
    expect(Object.values<Json>(synthCluster({ namePrefix: 'staging' }).resource.aws_ssm_document).map((d) => d.name).sort()).toEqual(['staging-cockroach-port-forwarding', 'staging-cockroach-session']);
  });

  it('publishes the role, the log group and the documents', () => {
    expect(json.output.operations_role_arn.value).toMatch(/^\$\{aws_iam_role\.operations_role_[^.]+\.arn\}$/);
    expect(json.output.operations_log_group_name.value).toMatch(/^\$\{aws_cloudwatch_log_group\.operations_log_[^.]+\.name\}$/);
    expect(json.output.session_document_name.value).toMatch(/^\$\{aws_ssm_document\.operations_session-document_[^.]+\.name\}$/);
  });
});
