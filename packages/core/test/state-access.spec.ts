import { describe, expect, it } from 'vitest';
import { IamPolicyDocument, StateAccessEnvironment, evaluateIam, stateAccessPolicy, stateKeyAlias } from '../src';

const ENV: StateAccessEnvironment = {
  backend: { type: 's3', bucket: 'acme-tfstate', region: 'us-east-1', keyPrefix: 'acme' },
  stateKeyAlias: stateKeyAlias('acme'),
  namePrefix: 'acme',
  partition: 'aws',
  region: 'us-east-1',
};
const object = (stack: string) => `arn:aws:s3:::acme-tfstate/acme/${stack}.tfstate`;
const key = 'arn:aws:kms:us-east-1:123456789012:key/0a1b2c3d-0000-4000-8000-000000000001';

/** What S3 asks KMS on the role's behalf for an object (S3 User Guide, SSE-KMS encryption context; no bucket key). */
function kms(action: string, objectArn: string, alias = 'alias/acme-tfstate') {
  return { action, resource: key, context: { 'kms:ResourceAliases': [alias], 'kms:ViaService': 's3.us-east-1.amazonaws.com', 'kms:EncryptionContext:aws:s3:arn': objectArn } };
}

const reader = stateAccessPolicy(
  {
    stackName: 'reader',
    reads: [
      { stackName: 'state', channel: 'state-backend' },
      { stackName: 'network', channel: 'remote-state' },
      { stackName: 'keys', channel: 'ssm-parameters' },
    ],
    publishesParameters: false,
  },
  ENV,
);
const can = (policy: IamPolicyDocument, request: Parameters<typeof evaluateIam>[0]) => evaluateIam(request, { identity: [policy] });

describe('stateAccessPolicy', () => {
  it('reads and writes its own state and lock file, with the state key for exactly those objects', () => {
    expect(can(reader, { action: 's3:GetObject', resource: object('reader') })).toBe('allow');
    expect(can(reader, { action: 's3:PutObject', resource: object('reader') })).toBe('allow');
    expect(can(reader, { action: 's3:DeleteObject', resource: `${object('reader')}.tflock` })).toBe('allow');
    expect(can(reader, { action: 's3:DeleteObject', resource: object('reader') })).toBe('implicit-deny');
    expect(can(reader, kms('kms:GenerateDataKey', object('reader')))).toBe('allow');
    expect(can(reader, kms('kms:Decrypt', `${object('reader')}.tflock`))).toBe('allow');
    expect(can(reader, kms('kms:Decrypt', object('reader'), 'alias/other-key'))).toBe('implicit-deny');
  });

  it('reads the state of the stacks it reads through remote state, and nothing of the stacks it reads through parameters', () => {
    expect(can(reader, { action: 's3:GetObject', resource: object('network') })).toBe('allow');
    expect(can(reader, kms('kms:Decrypt', object('network')))).toBe('allow');
    expect(can(reader, { action: 's3:PutObject', resource: object('network') })).toBe('implicit-deny');
    expect(can(reader, kms('kms:GenerateDataKey', object('network')))).toBe('implicit-deny');
    expect(can(reader, { action: 's3:GetObject', resource: object('keys') })).toBe('implicit-deny');
    expect(can(reader, kms('kms:Decrypt', object('keys')))).toBe('implicit-deny');
    expect(can(reader, { action: 's3:GetObjectVersion', resource: object('keys') })).toBe('implicit-deny');
    expect(can(reader, { action: 'ssm:GetParameter', resource: 'arn:aws:ssm:us-east-1:123456789012:parameter/acme/keys/ca_certificate_pem' })).toBe('allow');
    expect(can(reader, { action: 'ssm:PutParameter', resource: 'arn:aws:ssm:us-east-1:123456789012:parameter/acme/keys/ca_certificate_pem' })).toBe('implicit-deny');
    expect(can(reader, { action: 'ssm:GetParameter', resource: 'arn:aws:ssm:us-east-1:123456789012:parameter/other-env/keys/ca_certificate_pem' })).toBe('implicit-deny');
  });

  it('lets a publisher write its own parameters only', () => {
    const publisher = stateAccessPolicy({ stackName: 'keys', reads: [], publishesParameters: true }, ENV);
    expect(can(publisher, { action: 'ssm:PutParameter', resource: 'arn:aws:ssm:us-east-1:123456789012:parameter/acme/keys/node_secret_arns' })).toBe('allow');
    expect(can(publisher, { action: 'ssm:PutParameter', resource: 'arn:aws:ssm:us-east-1:123456789012:parameter/acme/other/x' })).toBe('implicit-deny');
    expect(can(reader, { action: 'ssm:DescribeParameters', resource: '*' })).toBe('implicit-deny');
  });
});
