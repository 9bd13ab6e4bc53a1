import { evaluateIam, iamPolicy } from '@crdb-ory/core';
import { Testing } from 'cdktf';
import { describe, expect, it } from 'vitest';
import { CockroachBackupStack, CockroachPkiStack, backupReadStatements, backupReadWriteStatements, certificateSecretReadStatements } from '../src';
import { COMMON, policyNamed, resolved, synthCluster } from './synth';

const REGION = 'us-east-1';

describe('grant methods: the resource others read says what reading it takes', () => {
  it('the backup bucket grants read-write through S3 only, never destroying a version; the nodes get exactly that grant', () => {
    const stack = new CockroachBackupStack(Testing.app(), COMMON);
    const grant = stack.backupBucket.grantReadWrite(REGION);
    expect(resolved(stack, grant)).toEqual(resolved(stack, backupReadWriteStatements({ bucketArn: stack.backupBucket.bucket.arn, kmsKeyArn: stack.backupBucket.kmsKey.arn, region: REGION })));
    expect(JSON.stringify(resolved(stack, grant))).toMatch(/"Resource":\["\$\{aws_s3_bucket\.backups_bucket_[0-9A-F]+\.arn\}"\]/);
    const policy = iamPolicy(backupReadWriteStatements({ bucketArn: 'arn:aws:s3:::backups', kmsKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/k', region: REGION }));
    const s3 = (action: string, resource: string) => evaluateIam({ action, resource }, { identity: [policy] });
    expect(s3('s3:PutObject', 'arn:aws:s3:::backups/clusters/1/x')).toBe('allow');
    expect(s3('s3:DeleteObjectVersion', 'arn:aws:s3:::backups/clusters/1/x')).toBe('implicit-deny');
    expect(s3('s3:PutObject', 'arn:aws:s3:::other/x')).toBe('implicit-deny');
    const kms = (service: string) => evaluateIam({ action: 'kms:Decrypt', resource: 'arn:aws:kms:us-east-1:123456789012:key/k', context: { 'kms:ViaService': service } }, { identity: [policy] });
    expect([kms('s3.us-east-1.amazonaws.com'), kms('secretsmanager.us-east-1.amazonaws.com')]).toEqual(['allow', 'implicit-deny']);
    const json = synthCluster();
    const backup = '${data.terraform_remote_state.remote-state-cockroach-backup.outputs';
    expect(policyNamed(json, 'aws_iam_role_policy', 'node-2-role_backups-policy_')).toEqual(JSON.parse(JSON.stringify(backupReadWriteStatements({ bucketArn: `${backup}.bucket_arn}`, kmsKeyArn: `${backup}.kms_key_arn}`, region: REGION }))));
  });

  it('nodes of another region than the bucket\'s use its key through S3 in the bucket\'s region, and may only read a replica bucket', () => {
    const replica = { region: 'us-east-2', stackName: 'cockroach-backup-us-east-2' };
    const json = synthCluster({ region: 'us-west-2', backupBucketRegion: 'us-east-1', backupReplica: replica });
    const backup = '${data.terraform_remote_state.remote-state-cockroach-backup.outputs';
    expect(policyNamed(json, 'aws_iam_role_policy', 'node-2-role_backups-policy_')).toEqual(JSON.parse(JSON.stringify(backupReadWriteStatements({ bucketArn: `${backup}.bucket_arn}`, kmsKeyArn: `${backup}.kms_key_arn}`, region: 'us-east-1' }))));
    const copy = '${data.terraform_remote_state.remote-state-cockroach-backup-us-east-2.outputs';
    expect(policyNamed(json, 'aws_iam_role_policy', 'node-2-role_backup-replica-policy_')).toEqual(JSON.parse(JSON.stringify(backupReadStatements({ bucketArn: `${copy}.bucket_arn}`, kmsKeyArn: `${copy}.kms_key_arn}`, region: 'us-east-2' }))));
    expect(JSON.stringify(json)).toMatch(/AWS_REGION=us-east-1/);
    const policy = iamPolicy(backupReadStatements({ bucketArn: 'arn:aws:s3:::replica', kmsKeyArn: 'arn:aws:kms:us-east-2:123456789012:key/r', region: 'us-east-2' }));
    const s3 = (action: string, resource: string) => evaluateIam({ action, resource }, { identity: [policy] });
    expect([s3('s3:GetObject', 'arn:aws:s3:::replica/clusters/1/x'), s3('s3:ListBucket', 'arn:aws:s3:::replica')]).toEqual(['allow', 'allow']);
    expect([s3('s3:PutObject', 'arn:aws:s3:::replica/x'), s3('s3:DeleteObject', 'arn:aws:s3:::replica/x'), s3('s3:GetObject', 'arn:aws:s3:::backups/x')]).toEqual(['implicit-deny', 'implicit-deny', 'implicit-deny']);
    const kms = (action: string, service: string) => evaluateIam({ action, resource: 'arn:aws:kms:us-east-2:123456789012:key/r', context: { 'kms:ViaService': service } }, { identity: [policy] });
    expect([kms('kms:Decrypt', 's3.us-east-2.amazonaws.com'), kms('kms:Decrypt', 's3.us-east-1.amazonaws.com'), kms('kms:GenerateDataKey', 's3.us-east-2.amazonaws.com')]).toEqual(['allow', 'implicit-deny', 'implicit-deny']);
  });

  it('a certificate secret grants GetSecretValue on itself and its key through Secrets Manager only', () => {
    const stack = new CockroachPkiStack(Testing.app(), COMMON);
    const secret = stack.nodeSecrets[0];
    expect(resolved(stack, secret?.grantRead(REGION))).toEqual(resolved(stack, certificateSecretReadStatements({ secretArns: [secret?.arn ?? ''], kmsKeyArn: stack.kmsKey.arn, region: REGION })));
    expect(JSON.stringify(resolved(stack, secret?.grantRead(REGION)))).toMatch(/"Resource":\["\$\{aws_secretsmanager_secret\.[\w-]+\.arn\}"\]/);
    const policy = iamPolicy(certificateSecretReadStatements({ secretArns: ['arn:aws:secretsmanager:us-east-1:123456789012:secret:node-1'], kmsKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/k', region: REGION }));
    expect(evaluateIam({ action: 'secretsmanager:GetSecretValue', resource: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:node-1' }, { identity: [policy] })).toBe('allow');
    expect(evaluateIam({ action: 'secretsmanager:GetSecretValue', resource: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:node-2' }, { identity: [policy] })).toBe('implicit-deny');
    expect(evaluateIam({ action: 'kms:Decrypt', resource: 'arn:aws:kms:us-east-1:123456789012:key/k', context: { 'kms:ViaService': 'ssm.us-east-1.amazonaws.com' } }, { identity: [policy] })).toBe('implicit-deny');
  });
});
