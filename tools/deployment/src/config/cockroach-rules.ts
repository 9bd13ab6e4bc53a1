import { logRetentionProblems } from '@crdb-ory/core';
import {
  COCKROACH_RELEASE_PROPS,
  DATA_VOLUME_PROPS,
  DRAIN_PROPS,
  adminCidrProblems,
  certificateValidityProblems,
  cockroachReleaseProblems,
  drainProblems,
  gp3VolumeProblems,
  licenseSecretArnProblems,
  namePrefixProblems,
  productionInstanceTypeProblems,
  secretReaderArnProblems,
  secretRecoveryWindowProblems,
  sqlUserProblems,
} from '@crdb-ory/cockroach';
import { ConfigIssue, issuesOfProblems } from './config-error';
import type { DeploymentConfig } from './schema';

/**
 * Where the props the cockroach library's problems name (`CockroachStack`, `CockroachPkiStack`)
 * live in the configuration. A nested prop (`sqlUsers.hydra`) or an entry (`adminCidrs[1]`) keeps
 * its tail under the mapped path.
 */
const COCKROACH_SETTING_PATHS: Record<string, string> = {
  [COCKROACH_RELEASE_PROPS.version]: 'cockroach.version',
  [COCKROACH_RELEASE_PROPS.sha256]: 'cockroach.binarySha256',
  instanceType: 'cockroach.instanceType',
  sqlUsers: 'cockroach.sqlUsers',
  caValidityHours: 'cockroach.certificates.caValidityHours',
  nodeValidityHours: 'cockroach.certificates.nodeValidityHours',
  clientValidityHours: 'cockroach.certificates.clientValidityHours',
  earlyRenewalHours: 'cockroach.certificates.earlyRenewalHours',
  adminCidrs: 'cockroach.adminCidrs',
  licenseSecretArn: 'cockroach.licenseSecretArn',
  secretReaderArns: 'cockroach.secretReaderArns',
  secretRecoveryWindowDays: 'cockroach.secretRecoveryWindowDays',
  'operations.assumableBy': 'cockroach.operations.assumableBy',
  'operations.logRetentionDays': 'cockroach.operations.logRetentionDays',
  [DATA_VOLUME_PROPS.sizeGiB]: 'cockroach.dataVolume.sizeGiB',
  [DATA_VOLUME_PROPS.iops]: 'cockroach.dataVolume.iops',
  [DATA_VOLUME_PROPS.throughputMiBps]: 'cockroach.dataVolume.throughputMiBps',
  [DRAIN_PROPS.initialWaitSeconds]: 'cockroach.drain.initialWaitSeconds',
  [DRAIN_PROPS.connectionsTimeoutSeconds]: 'cockroach.drain.connectionsTimeoutSeconds',
  [DRAIN_PROPS.transactionsTimeoutSeconds]: 'cockroach.drain.transactionsTimeoutSeconds',
  [DRAIN_PROPS.clientMaxConnLifetimeSeconds]: 'ory.sql.maxConnLifetimeSeconds',
  namePrefix: 'namePrefix',
};

/** The cockroach settings by the library's own rules, so the app and the constructs agree on what is allowed; each problem under its setting. */
export function cockroachSettingsRule(config: DeploymentConfig): ConfigIssue[] {
  const c = config.cockroach;
  return issuesOfProblems(
    [
      ...cockroachReleaseProblems(c.version, c.binarySha256),
      ...productionInstanceTypeProblems(c.instanceType),
      ...sqlUserProblems(c.sqlUsers),
      ...certificateValidityProblems(c.certificates),
      ...adminCidrProblems(c.adminCidrs),
      ...licenseSecretArnProblems(c.licenseSecretArn),
      ...secretReaderArnProblems(c.secretReaderArns),
      ...secretRecoveryWindowProblems(c.secretRecoveryWindowDays),
      ...secretReaderArnProblems(c.operations.assumableBy, 'operations.assumableBy'),
      ...gp3VolumeProblems(c.dataVolume),
      ...logRetentionProblems('operations.logRetentionDays', c.operations.logRetentionDays),
    ],
    COCKROACH_SETTING_PATHS,
  );
}

/** `namePrefix` by the cockroach library's rule (its longest AWS name, `<namePrefix>-sql-nodes`, limits it): checked here, not when the construct fails. */
export function namePrefixFitsCockroachNames(config: DeploymentConfig): ConfigIssue[] {
  return issuesOfProblems(namePrefixProblems(config.namePrefix), COCKROACH_SETTING_PATHS);
}

/**
 * A node's drain (cockroach library) against Ory's connection pool (the ory section): a pooled
 * connection must be recycled before the drain's connection phase ends, or each drain cuts it.
 */
export function drainFitsOryPool(config: DeploymentConfig): ConfigIssue[] {
  return issuesOfProblems(drainProblems(config.cockroach.drain, { maxConnLifetimeSeconds: config.ory.sql.maxConnLifetimeSeconds }), COCKROACH_SETTING_PATHS);
}

