import { describe, expect, it } from 'vitest';
import {
  DEFAULT_DRAIN_SETTINGS,
  DEFAULT_SQL_USERS,
  NODE_METRICS_NAMESPACE,
  type NodeBootSettings,
  escapeTerraformTemplate,
  renderBootScript,
  renderBootstrapScript,
  renderBootstrapSql,
  renderMetricsScript,
  renderRefreshCertsScript,
  renderUserData,
  stopTimeoutSeconds,
} from '../src';
import { renderNodeCommandScript } from '../src/ops/node-commands';
import { BACKUP_SCHEDULE_FILES, BOOTSTRAP_STATUS_PARAMETER, LICENSE_SECRET, NODE_SECRET, ORY_CERTIFICATES_PATH, ROOT_SECRET, VERSION, VOLUME_ID } from './node-sandbox';

/** Fixed settings (no sandbox-built release checksum), so the rendered text is the same on every run. */
const NODE_1: NodeBootSettings = {
  region: 'us-east-1',
  nodeNumber: 1,
  nodeIp: '10.10.10.10',
  joinAddresses: ['10.10.10.10:26257', '10.10.11.10:26257', '10.10.12.10:26257'],
  availabilityZone: 'us-east-1a',
  nodeSecretArn: NODE_SECRET,
  dataVolumeId: VOLUME_ID,
  cockroachVersion: VERSION,
  cockroachSha256: '0'.repeat(64),
  cockroachDownloadUrl: `https://binaries.cockroachdb.com/cockroach-${VERSION}.linux-amd64.tgz`,
  cache: '.25',
  maxSqlMemory: '.25',
  rootClientSecretArn: ROOT_SECRET,
  clusterName: 'crdb-ory',
  metricsNamespace: NODE_METRICS_NAMESPACE,
  oryCertificatesPath: ORY_CERTIFICATES_PATH,
  stopTimeoutSeconds: stopTimeoutSeconds(DEFAULT_DRAIN_SETTINGS),
  bootstrap: {
    licenseSecretArn: LICENSE_SECRET,
    sql: renderBootstrapSql(DEFAULT_SQL_USERS, { verifierSeesBackups: true }),
    backupSchedule: BACKUP_SCHEDULE_FILES,
    statusParameterName: BOOTSTRAP_STATUS_PARAMETER,
  },
};

/**
 * What reaches a node, byte for byte: the scripts user data writes, the user data itself (as the
 * stack escapes it for Terraform, and unescaped) and the script the roll and the restore run
 * through SSM. The files under __snapshots__/rendered-scripts are the review copy of every change.
 */
describe('rendered scripts', () => {
  it.each([
    ['boot.sh', () => renderBootScript()],
    ['bootstrap.sh', () => renderBootstrapScript()],
    ['refresh-certs.sh', () => renderRefreshCertsScript()],
    ['publish-metrics.sh', () => renderMetricsScript()],
    ['node-command.sh', () => renderNodeCommandScript()],
    ['user-data-node-1.sh', () => renderUserData(NODE_1, escapeTerraformTemplate)],
    ['user-data-node-2.sh', () => renderUserData({ ...NODE_1, nodeNumber: 2, nodeIp: '10.10.11.10', bootstrap: undefined })],
  ])('%s is unchanged', async (name, render) => {
    await expect(render()).toMatchFileSnapshot(`__snapshots__/rendered-scripts/${name}.txt`);
  });
});
