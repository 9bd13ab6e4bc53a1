import {
  LOG_RETENTION_DAYS,
  NAME_PREFIX_MAX_LENGTH,
  resolveCertificateValidity,
  validateAdminCidr,
  validateCockroachRelease,
  validateProductionInstanceType,
  validateSecretReaderArns,
  validateSecretRecoveryWindow,
  validateSqlUserNames,
} from '@crdb-ory/cockroach';
import { ConfigIssue, SettingCheck, runSettingChecks } from './config-error';
import type { DeploymentConfig } from './schema';

/**
 * The cockroach settings checked by the library's own validators, so the app and the
 * constructs agree on what is allowed; each failure names its setting.
 */
export function cockroachSettingsRule(config: DeploymentConfig): ConfigIssue[] {
  const c = config.cockroach;
  const checks: SettingCheck[] = [
    { setting: 'cockroach.binarySha256', value: c.binarySha256, check: () => validateCockroachRelease(c.version, c.binarySha256) },
    { setting: 'cockroach.instanceType', value: c.instanceType, check: () => validateProductionInstanceType(c.instanceType) },
    { setting: 'cockroach.sqlUsers', value: c.sqlUsers, check: () => validateSqlUserNames(c.sqlUsers, 'cockroach.sqlUsers') },
    { setting: 'cockroach.certificates', value: c.certificates, check: () => resolveCertificateValidity(c.certificates) },
    { setting: 'cockroach.dataVolume', value: c.dataVolume, check: () => checkGp3(c.dataVolume) },
    ...c.adminCidrs.map((cidr, i) => ({ setting: `cockroach.adminCidrs[${i}]`, value: cidr, check: () => validateAdminCidr(cidr, i) })),
    { setting: 'cockroach.secretReaderArns', value: c.secretReaderArns, check: () => validateSecretReaderArns(c.secretReaderArns, 'cockroach.secretReaderArns') },
    { setting: 'cockroach.secretRecoveryWindowDays', value: c.secretRecoveryWindowDays, check: () => validateSecretRecoveryWindow(c.secretRecoveryWindowDays, 'cockroach.secretRecoveryWindowDays') },
    { setting: 'cockroach.operations.assumableBy', value: c.operations.assumableBy, check: () => validateSecretReaderArns(c.operations.assumableBy, 'cockroach.operations.assumableBy', 'operations role principals') },
    {
      setting: 'cockroach.operations.logRetentionDays',
      value: c.operations.logRetentionDays,
      check: () => {
        if (!(LOG_RETENTION_DAYS as readonly number[]).includes(c.operations.logRetentionDays)) throw new Error(`allowed are the CloudWatch Logs retention values ${LOG_RETENTION_DAYS.join(', ')}`);
      },
    },
  ];
  return runSettingChecks(checks);
}

function checkGp3(v: DeploymentConfig['cockroach']['dataVolume']): void {
  if (v.iops > v.sizeGiB * 500) throw new Error(`iops ${v.iops} exceeds 500 per GiB of a ${v.sizeGiB} GiB gp3 volume`);
  if (v.throughputMiBps > v.iops / 4) throw new Error(`throughputMiBps ${v.throughputMiBps} exceeds iops/4 (${v.iops / 4}) for gp3`);
}

/**
 * The longest AWS name built from `namePrefix` is the CockroachDB target group's
 * `<prefix>-sql-nodes`, limited to 32 characters: checked here, not when the construct fails.
 */
export function namePrefixFitsCockroachNames(config: DeploymentConfig): ConfigIssue[] {
  return config.namePrefix.length > NAME_PREFIX_MAX_LENGTH
    ? [
        {
          setting: 'namePrefix',
          value: config.namePrefix,
          message: `must be at most ${NAME_PREFIX_MAX_LENGTH} characters: the CockroachDB target group "<namePrefix>-sql-nodes" is limited to 32 characters by AWS`,
        },
      ]
    : [];
}
