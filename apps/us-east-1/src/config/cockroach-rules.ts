import { logRetentionProblems } from '@crdb-ory/core';
import {
  DATA_VOLUME_PROPS,
  DrainProblem,
  drainProblems,
  gp3VolumeProblems,
  resolveCertificateValidity,
  validateAdminCidr,
  validateCockroachRelease,
  validateProductionInstanceType,
  validateSecretReaderArns,
  validateSecretRecoveryWindow,
  validateNamePrefix,
  validateSqlUserNames,
} from '@crdb-ory/cockroach';
import { ConfigIssue, SettingCheck, issuesOfProblems, runSettingChecks } from './config-error';
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
    ...c.adminCidrs.map((cidr, i) => ({ setting: `cockroach.adminCidrs[${i}]`, value: cidr, check: () => validateAdminCidr(cidr, i) })),
    { setting: 'cockroach.secretReaderArns', value: c.secretReaderArns, check: () => validateSecretReaderArns(c.secretReaderArns, 'cockroach.secretReaderArns') },
    { setting: 'cockroach.secretRecoveryWindowDays', value: c.secretRecoveryWindowDays, check: () => validateSecretRecoveryWindow(c.secretRecoveryWindowDays, 'cockroach.secretRecoveryWindowDays') },
    { setting: 'cockroach.operations.assumableBy', value: c.operations.assumableBy, check: () => validateSecretReaderArns(c.operations.assumableBy, 'cockroach.operations.assumableBy', 'operations role principals') },
  ];
  return [
    ...runSettingChecks(checks),
    ...issuesOfProblems([...gp3VolumeProblems(c.dataVolume), ...logRetentionProblems('operations.logRetentionDays', c.operations.logRetentionDays)], COCKROACH_SETTING_PATHS),
  ];
}

/** Where the `CockroachStack` props the library's problems name live in the configuration. */
const COCKROACH_SETTING_PATHS: Record<string, string> = {
  [DATA_VOLUME_PROPS.sizeGiB]: 'cockroach.dataVolume.sizeGiB',
  [DATA_VOLUME_PROPS.iops]: 'cockroach.dataVolume.iops',
  [DATA_VOLUME_PROPS.throughputMiBps]: 'cockroach.dataVolume.throughputMiBps',
  'operations.logRetentionDays': 'cockroach.operations.logRetentionDays',
};

/** `namePrefix` by the cockroach library's rule (its longest AWS name, `<namePrefix>-sql-nodes`, limits it): checked here, not when the construct fails. */
export function namePrefixFitsCockroachNames(config: DeploymentConfig): ConfigIssue[] {
  return runSettingChecks([{ setting: 'namePrefix', value: config.namePrefix, check: () => validateNamePrefix(config.namePrefix) }]);
}

/** Where each setting of a drain problem lives in the configuration. */
const DRAIN_SETTING_PATHS: Record<DrainProblem['setting'], (config: DeploymentConfig) => { setting: string; value: number }> = {
  initialWaitSeconds: (c) => ({ setting: 'cockroach.drain.initialWaitSeconds', value: c.cockroach.drain.initialWaitSeconds }),
  connectionsTimeoutSeconds: (c) => ({ setting: 'cockroach.drain.connectionsTimeoutSeconds', value: c.cockroach.drain.connectionsTimeoutSeconds }),
  transactionsTimeoutSeconds: (c) => ({ setting: 'cockroach.drain.transactionsTimeoutSeconds', value: c.cockroach.drain.transactionsTimeoutSeconds }),
  clientMaxConnLifetimeSeconds: (c) => ({ setting: 'ory.sql.maxConnLifetimeSeconds', value: c.ory.sql.maxConnLifetimeSeconds }),
};

/**
 * A node's drain (cockroach library) against Ory's connection pool (the ory section): a pooled
 * connection must be recycled before the drain's connection phase ends, or each drain cuts it.
 */
export function drainFitsOryPool(config: DeploymentConfig): ConfigIssue[] {
  return drainProblems(config.cockroach.drain, { maxConnLifetimeSeconds: config.ory.sql.maxConnLifetimeSeconds }).map((problem) => ({
    ...DRAIN_SETTING_PATHS[problem.setting](config),
    message: problem.setting === 'clientMaxConnLifetimeSeconds' ? problem.message.replace("the drain's connection phase", "cockroach.drain.connectionsTimeoutSeconds, the drain's connection phase") : problem.message,
  }));
}
