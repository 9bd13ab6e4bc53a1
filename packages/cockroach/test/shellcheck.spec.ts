import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderBootScript, renderBootstrapScript, renderMetricsScript, renderRefreshCertsScript, renderUserData } from '../src';
import { renderNodeCommandScript } from '../src/ops/node-commands';
import { NodeSandbox } from './node-sandbox';

/** shellcheck must be installed (CI: `apt-get install -y shellcheck`); a missing one fails the test. */
function shellcheck(name: string, script: string): { status: number | null; output: string } {
  const file = join(mkdtempSync(join(tmpdir(), 'crdb-shellcheck-')), name);
  writeFileSync(file, script);
  const result = spawnSync('shellcheck', ['--shell=bash', '--severity=style', file], { encoding: 'utf8' });
  if (result.error) throw new Error(`shellcheck is not installed (apt-get install -y shellcheck): ${result.error.message}`);
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('shellcheck', () => {
  const sandbox = new NodeSandbox();
  it.each([
    ['boot.sh', renderBootScript()],
    ['bootstrap.sh', renderBootstrapScript()],
    ['refresh-certs.sh', renderRefreshCertsScript()],
    ['publish-metrics.sh', renderMetricsScript()],
    ['node command (roll, restore)', renderNodeCommandScript()],
    ['user-data (node 1)', renderUserData(sandbox.settings())],
    ['user-data (node 2)', renderUserData(sandbox.settings({ nodeNumber: 2, bootstrap: undefined }))],
  ])('passes on %s with no finding at any severity', (name, script) => {
    const result = shellcheck(name.replace(/\W+/g, '-'), script);
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });

  it('reports a real problem (so a clean result means something)', () => {
    expect(shellcheck('bad.sh', '#!/bin/bash\nrm -rf $1/*\n').status).not.toBe(0);
  });
});
