import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PRODUCT_SERVICE_QUOTAS } from '@crdb-ory/core';
import { LAUNCHER, emulatorFixes, motoPython, startEmulator } from '../src';

const PROBE = join(__dirname, '..', 'moto', 'probe_fixes.py');
const RECORD_CHANGES_PROBE = join(__dirname, '..', 'moto', 'probe_record_changes.py');

async function probe(withoutFixes: boolean): Promise<Record<string, unknown>> {
  const emulator = await startEmulator({ withoutFixes });
  try {
    const result = spawnSync(motoPython(), [PROBE, emulator.endpoint], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, AWS_CA_BUNDLE: emulator.caBundle } });
    expect(result.status, result.stderr).toBe(0);
    return JSON.parse(result.stdout) as Record<string, unknown>;
  } finally {
    await emulator.stop();
  }
}

describe('the moto launcher', () => {
  it('lists one line per fix, after the moto version', async () => {
    const { motoVersion, fixes } = await emulatorFixes();
    expect(motoVersion).toMatch(/^\d+\.\d+\.\d+$/);
    expect(fixes).toHaveLength(23);
    expect(fixes.join('\n')).toMatch(/AWS managed policies[\s\S]*Route 53[\s\S]*MonitorInstances[\s\S]*ModifyInstanceAttribute[\s\S]*network interface[\s\S]*CIDR reservations[\s\S]*accessConfig[\s\S]*cluster security group[\s\S]*remoteAccess[\s\S]*launch-template[\s\S]*reference a group[\s\S]*NewerNoncurrentVersions[\s\S]*aws:SecureTransport[\s\S]*DeleteLoadBalancer refuses[\s\S]*versioning-suspended[\s\S]*metrics configurations[\s\S]*GetAWSDefaultServiceQuota[\s\S]*DescribeNatGateways[\s\S]*GetBucketReplication[\s\S]*replica keeps the KMS key[\s\S]*instance-lifecycle[\s\S]*ChangeResourceRecordSets applies one change batch at a time[\s\S]*EKS optimized AL2023 AMI release/);
  });

  it('behaves as AWS does where each fix applies', async () => {
    expect(await probe(false)).toEqual({
      deleteProtectedLoadBalancer: expect.stringMatching(/^error: OperationNotPermitted.*\(OperationNotPermitted\) when calling the DeleteLoadBalancer operation/),
      deleteUnprotectedLoadBalancer: 'deleted',
      emptySuspendedBucket: 'deleted',
      putMetrics: 'ok',
      getMetrics: { Id: 'writes', Filter: { Prefix: 'clusters/' } },
      listMetrics: ['writes'],
      bucketAfterMetricsDelete: 'exists',
      getDeletedMetrics: expect.stringMatching(/^error: .*NoSuchConfiguration/),
      eksReleaseParameter: '1.35.0-20260101',
      attachManagedPolicy: 'ok',
      eksAccessConfig: { authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: false },
      eksUpgradePolicy: { supportType: 'STANDARD' },
      eksClusterSecurityGroup: [true, false],
      eksRemoteAccess: null,
      eksUpdateConfig: { maxUnavailable: 1 },
      launchTemplateDataTagTypes: ['instance'],
      putOverTlsToTlsOnlyBucket: 'ok',
      privateZone: true,
      associateSecondVpc: 'ok',
      monitorInstances: 'enabled',
      instanceGroupsViaInterface: true,
      cidrReservationDescription: 'Fixed IP',
      securityGroupsAfterUnknownModify: true,
      referenceRuleDescription: 'from peer',
      newerNoncurrentVersions: 10,
      quotaDefaults: [5, 5, 5],
      quotaAfterIncrease: 64,
      natGatewaysTaggedMine: 1,
      spotInstancesByLifecycle: true,
      replicaKmsKeyId: true,
      replicationRule: [{ Prefix: 'clusters/' }, { SseKmsEncryptedObjects: { Status: 'Enabled' } }],
    });
  }, 90_000);

  it('needs every fix: plain moto gets each of them wrong', async () => {
    const plain = await probe(true);
    expect(plain['putOverTlsToTlsOnlyBucket']).toMatch(/AccessDenied|403|Forbidden/);
    expect(plain['attachManagedPolicy']).toMatch(/NoSuchEntity/);
    expect(plain['eksAccessConfig']).toBeNull();
    expect(plain['eksRemoteAccess']).toEqual({ ec2SshKey: 'eksKeypair' });
    expect(plain['eksUpgradePolicy']).toBeNull();
    expect(plain['eksClusterSecurityGroup']).toEqual([false, false]);
    expect(plain['eksUpdateConfig']).not.toEqual({ maxUnavailable: 1 });
    expect(plain['launchTemplateDataTagTypes']).toEqual(['instance', 'launch-template']);
    expect(plain['privateZone']).toBe(false);
    expect(plain['associateSecondVpc']).toMatch(/PublicZoneVPCAssociation/);
    expect(plain['monitorInstances']).toMatch(/^error: /);
    expect(plain['securityGroupsAfterUnknownModify']).toBe(false);
    expect(plain['instanceGroupsViaInterface']).toBe(false);
    expect(plain['cidrReservationDescription']).toBeNull();
    expect(plain['referenceRuleDescription']).toBeNull();
    expect(plain['newerNoncurrentVersions']).toBeNull();
    expect(plain['deleteProtectedLoadBalancer']).toBe('deleted');
    expect(plain['emptySuspendedBucket']).toMatch(/^error: .*BucketNotEmpty/);
    expect(plain['bucketAfterMetricsDelete']).toMatch(/^error: .*(404|Not Found)/);
    expect(plain['quotaDefaults']).toEqual([expect.stringMatching(/^error: /), expect.stringMatching(/^error: /), expect.stringMatching(/^error: /)]);
    expect(plain['quotaAfterIncrease']).toMatch(/^error: /);
    expect(plain['natGatewaysTaggedMine']).toBe(2);
    expect(plain['spotInstancesByLifecycle']).toMatch(/^error: [\s\S]*500 Internal Server/);
    expect(plain['eksReleaseParameter']).toMatch(/ParameterNotFound/);
    expect(plain['replicaKmsKeyId']).toBe('alias/aws/secretsmanager');
    expect(plain['replicationRule']).toEqual([{ Prefix: '' }, null]);
  }, 90_000);

  it('applies one Route 53 change batch at a time: two deletes in one zone at once both stay deleted, where plain moto brings one back', () => {
    const run = (...args: string[]) => {
      const result = spawnSync(motoPython(), [RECORD_CHANGES_PROBE, ...args], { encoding: 'utf8', timeout: 60_000 });
      expect(result.status, result.stderr).toBe(0);
      return JSON.parse(result.stdout) as { left: string[]; bothAnswered: boolean };
    };
    expect(run()).toEqual({ left: [], bothAnswered: true });
    expect(run('--without-fixes')).toEqual({ left: ['node-2.probe.internal.'], bothAnswered: true });
  }, 60_000);

  it('serves the EC2 quotas at the defaults the product documents for them (core PRODUCT_SERVICE_QUOTAS)', () => {
    const result = spawnSync(motoPython(), [LAUNCHER, '--ec2-quotas'], { encoding: 'utf8', timeout: 30_000 });
    const served = (JSON.parse(result.stdout) as Array<{ QuotaCode: string; QuotaName: string; Value: number }>).map((q) => [q.QuotaCode, q.QuotaName, q.Value]);
    const documented = PRODUCT_SERVICE_QUOTAS.filter((q) => q.serviceCode === 'ec2').map((q) => [q.quotaCode, q.name, q.defaultValue]);
    expect(served).toEqual(documented);
  });

  it('listens on loopback only and stops when asked', async () => {
    const emulator = await startEmulator();
    expect(emulator.endpoint).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const curl = (): number | null => spawnSync('curl', ['-sS', '-o', '/dev/null', '--cacert', emulator.caBundle, `${emulator.endpoint}/moto-api/`], { timeout: 10_000 }).status;
    expect(curl()).toBe(0);
    await emulator.stop();
    const refused = spawnSync('curl', ['-sS', '-k', '-o', '/dev/null', `${emulator.endpoint}/moto-api/`], { timeout: 10_000 }).status;
    expect(refused).toBe(7); // curl: could not connect
  }, 60_000);
});
