import { type CockroachBackupStackProps, type CockroachPkiStackProps, type CockroachStack, type CockroachStackProps } from '@crdb-ory/cockroach';
import type { ProductStackProps } from '@crdb-ory/core';
import { type EksStackProps, defaultEksClusterName } from '@crdb-ory/eks';
import type { NetworkStackProps } from '@crdb-ory/network';
import { COCKROACH_ALARMS, COCKROACH_BACKUP_SCHEDULE, suppressRule } from '@crdb-ory/policy';
import type { StateStackProps } from '@crdb-ory/state';
import type { DeploymentConfig } from './config';
import { onDemandStandardVcpus } from './on-demand-vcpus';
import { stateBackendOf } from './state-backend';

// Each stack's props from the validated configuration, so every app maps a setting the same way.
// `stackNames` (ProductStackProps) lets an app name the stacks its own way (one per region).

type StackNames = ProductStackProps['stackNames'];

/** The `state` stack's props. */
export function stateStackProps(config: DeploymentConfig): StateStackProps {
  return {
    region: config.region,
    tags: config.tags,
    namePrefix: config.namePrefix,
    ...(config.stateBackend.type === 's3' ? { bucketName: config.stateBackend.bucket } : {}),
  };
}

/** The `network` stack's props (`stackName`: the name of a region's network stack in a multi-region app). */
export function networkStackProps(config: DeploymentConfig, stackName?: string): NetworkStackProps {
  return {
    stateBackend: stateBackendOf(config),
    ...(stackName === undefined ? {} : { stackName }),
    region: config.region,
    tags: config.tags,
    namePrefix: config.namePrefix,
    availabilityZones: config.availabilityZones,
    cockroachVpc: config.network.cockroachVpc,
    oryVpc: config.network.oryVpc,
    natGateways: config.network.natGateways,
    flowLogsRetentionDays: config.network.flowLogsRetentionDays,
    privateZoneName: config.network.privateZoneName,
    eksClusterName: eksClusterNameOf(config),
    alarmSubscriptions: config.monitoring.alarmSubscriptions,
  };
}

function cockroachCommonProps(config: DeploymentConfig, stackNames: StackNames) {
  return {
    region: config.region,
    tags: config.tags,
    stateBackend: stateBackendOf(config),
    namePrefix: config.namePrefix,
    sqlUsers: config.cockroach.sqlUsers,
    ...(stackNames ? { stackNames } : {}),
  };
}

/** The `cockroach-pki` stack's props, from the `cockroach` section. */
export function cockroachPkiStackProps(config: DeploymentConfig, stackNames?: StackNames): CockroachPkiStackProps {
  const c = config.cockroach;
  return { ...cockroachCommonProps(config, stackNames), ...c.certificates, secretReaderArns: c.secretReaderArns, secretRecoveryWindowDays: c.secretRecoveryWindowDays };
}

/** The `cockroach-backup` stack's props, from `cockroach.backup` and `monitoring`; undefined when backups are off. */
export function cockroachBackupStackProps(config: DeploymentConfig, stackNames?: StackNames): CockroachBackupStackProps | undefined {
  const c = config.cockroach;
  const m = config.monitoring;
  if (!c.backup.enabled) return undefined;
  return {
    region: config.region,
    tags: config.tags,
    stateBackend: stateBackendOf(config),
    namePrefix: config.namePrefix,
    ...(stackNames ? { stackNames } : {}),
    bucketName: c.backup.bucketName,
    retentionDays: c.backup.retentionDays,
    noncurrentRetentionDays: c.backup.noncurrentRetentionDays,
    objectLock: c.backup.objectLock,
    staleBackupAlarmHours: m.enabled ? m.backupMissingAlarmHours : false,
  };
}

/** The `cockroach` stack's props, from the `cockroach` and `monitoring` sections. */
export function cockroachStackProps(config: DeploymentConfig, stackNames?: StackNames): CockroachStackProps {
  const c = config.cockroach;
  const m = config.monitoring;
  return {
    ...cockroachCommonProps(config, stackNames),
    cockroachVersion: c.version,
    cockroachSha256: c.binarySha256,
    instanceType: c.instanceType,
    otherOnDemandVcpus: onDemandStandardVcpus(config).eks,
    adminCidrs: c.adminCidrs,
    licenseSecretArn: c.licenseSecretArn,
    dataVolumeSizeGiB: c.dataVolume.sizeGiB,
    dataVolumeIops: c.dataVolume.iops,
    dataVolumeThroughputMiBps: c.dataVolume.throughputMiBps,
    drain: c.drain,
    backupSchedule: c.backup.enabled
      ? { label: c.backup.scheduleLabel, fullBackupCrontab: c.backup.fullBackupCrontab, incrementalCrontab: c.backup.incrementalCrontab, revisionHistory: c.backup.revisionHistory }
      : false,
    alarms: m.enabled ? { certificateExpiryDays: m.certificateExpiryAlarmDays, dataVolumeFreePercent: m.dataVolumeFreeSpaceAlarmPercent } : false,
    operations: c.operations,
  };
}

/** Turning backups or alarms off is allowed only as an explicit, reasoned exception the review lists. */
export function suppressDisabledCockroachRules(cluster: CockroachStack, config: DeploymentConfig): void {
  if (!config.cockroach.backup.enabled) suppressRule(cluster, COCKROACH_BACKUP_SCHEDULE.id, `cockroach.backup.disabledReason: ${config.cockroach.backup.disabledReason ?? ''}`);
  if (!config.monitoring.enabled) suppressRule(cluster, COCKROACH_ALARMS.id, `monitoring.disabledReason: ${config.monitoring.disabledReason ?? ''}`);
}

/** The `eks` stack's props, from the `eks` section (operator access to the API included; Ory's end-user `publicAccessCidrs` are not an input). */
export function eksStackProps(config: DeploymentConfig, stackNames?: StackNames): EksStackProps {
  const e = config.eks;
  return {
    stateBackend: stateBackendOf(config),
    ...(stackNames ? { stackNames } : {}),
    region: config.region,
    tags: config.tags,
    namePrefix: config.namePrefix,
    clusterName: eksClusterNameOf(config),
    kubernetesVersion: e.kubernetesVersion,
    supportType: e.supportType,
    adminPrincipalArns: e.adminPrincipalArns,
    deployerClusterAdmin: e.deployerClusterAdmin,
    endpointPublicAccessCidrs: e.endpointPublicAccessCidrs,
    endpointPrivateAccessCidrs: e.endpointPrivateAccessCidrs,
    logRetentionInDays: e.logRetentionDays,
    addonVersions: e.addonVersions,
    nodeInstanceType: e.nodeInstanceType,
    nodeDesiredSize: e.nodeDesiredSize,
    nodeMinSize: e.nodeMinSize,
    nodeMaxSize: e.nodeMaxSize,
    nodeRootVolumeSizeGiB: e.nodeRootVolumeSizeGiB,
    nodeHttpPutResponseHopLimit: e.nodeMetadataHopLimit,
    nodeReleaseVersion: e.nodeReleaseVersion,
    nodeGroupAlarms: config.monitoring.enabled,
    otherOnDemandVcpus: onDemandStandardVcpus(config).cockroach,
  };
}

/** The EKS cluster name: `eks.clusterName`, else the one derived from `namePrefix` (`ory` for the default prefix). */
export function eksClusterNameOf(config: DeploymentConfig): string {
  return config.eks.clusterName ?? defaultEksClusterName(config.namePrefix);
}
