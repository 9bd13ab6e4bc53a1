import { describe, expect, it } from 'vitest';
import { type NodeBootSettings, escapeTerraformTemplate, renderBootScript, renderBootstrapScript, renderMetricsScript, renderRefreshCertsScript, renderUserData } from '../src';
import { renderNodeCommandScript } from '../src/ops/node-commands';
import { LICENSE_SECRET, nodeBootSettings } from './node-sandbox';

/** Fixed settings (no sandbox-built release checksum), so the rendered text is the same on every run. */
const DEFAULTS = nodeBootSettings('0'.repeat(64));
const NODE_1: NodeBootSettings = { ...DEFAULTS, bootstrap: DEFAULTS.bootstrap && { ...DEFAULTS.bootstrap, licenseSecretArn: LICENSE_SECRET } };

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
