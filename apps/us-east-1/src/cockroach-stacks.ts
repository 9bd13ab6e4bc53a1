import { CockroachPkiStack, CockroachStack } from '@crdb-ory/cockroach';
import type { App } from 'cdktf';
import type { DeploymentConfig } from './config';
import { stateBackendOf } from './state-backend';

/** The `cockroach-pki` and `cockroach` stacks from the `cockroach` config section. */
export function buildCockroachStacks(app: App, config: DeploymentConfig): void {
  const c = config.cockroach;
  const common = {
    region: config.region,
    tags: config.tags,
    stateBackend: stateBackendOf(config),
    namePrefix: config.namePrefix,
    sqlUsers: c.sqlUsers,
  };
  new CockroachPkiStack(app, { ...common, ...c.certificates, secretReaderArns: c.secretReaderArns, secretRecoveryWindowDays: c.secretRecoveryWindowDays });
  new CockroachStack(app, {
    ...common,
    cockroachVersion: c.version,
    cockroachSha256: c.binarySha256,
    instanceType: c.instanceType,
    adminCidrs: c.adminCidrs,
    licenseSecretArn: c.licenseSecretArn,
    dataVolumeSizeGiB: c.dataVolume.sizeGiB,
    dataVolumeIops: c.dataVolume.iops,
    dataVolumeThroughputMiBps: c.dataVolume.throughputMiBps,
  });
}
