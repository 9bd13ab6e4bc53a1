import { ValidationError } from '@crdb-ory/core';
import { describe, expect, it } from 'vitest';
import { synthBackup, synthCluster, synthPki } from './synth';

/** The error `build` throws, which must be the one ValidationError of the libraries. */
function validationError(build: () => unknown): ValidationError {
  try {
    build();
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('the cockroach stacks report every bad prop at once, as one ValidationError naming the construct path', () => {
  it('CockroachStack', () => {
    const error = validationError(() => synthCluster({ namePrefix: 'X', instanceType: 't3.2xlarge', cache: '.9', deregistrationDelaySeconds: -1, backupSchedule: { label: 'Nightly' } }));
    expect(error.constructPath).toBe('cockroach');
    expect(error.problems.map((p) => [p.prop, p.value])).toEqual([
      ['backupSchedule.label', 'Nightly'],
      ['namePrefix', 'X'],
      ['instanceType', 't3.2xlarge'],
      ['cache', '.9'],
      ['deregistrationDelaySeconds', -1],
    ]);
    expect(error.message).toMatch(/^Invalid props of cockroach:\n {2}- backupSchedule\.label = "Nightly": allowed are 1-63 of a-z/);
  });

  it('CockroachPkiStack', () => {
    const error = validationError(() => synthPki({ sqlUsers: { hydra: 'root', kratos: 'kratos', keto: 'keto', verifier: 'verifier' }, secretRecoveryWindowDays: 3, earlyRenewalHours: 9000 }));
    expect(error.constructPath).toBe('cockroach-pki');
    expect(error.problems.map((p) => p.prop)).toEqual(['sqlUsers.hydra', 'earlyRenewalHours', 'earlyRenewalHours', 'secretRecoveryWindowDays']);
  });

  it('CockroachBackupStack', () => {
    const error = validationError(() => synthBackup({ bucketName: 'Bad_Name', retentionDays: 0, staleBackupAlarmHours: 500 }));
    expect(error.constructPath).toBe('cockroach-backup');
    expect(error.problems.map((p) => p.prop)).toEqual(['bucketName', 'retentionDays', 'staleBackupAlarmHours']);
  });

  it('CockroachAlarms, under the stack', () => {
    const error = validationError(() => synthCluster({ alarms: { certificateExpiryDays: 0, dataVolumeFreePercent: 100 } }));
    expect(error.constructPath).toMatch(/^cockroach\//);
    expect(error.problems.map((p) => p.prop)).toEqual(['certificateExpiryDays', 'dataVolumeFreePercent']);
  });
});
