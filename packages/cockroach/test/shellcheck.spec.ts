import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderBootScript, renderBootstrapScript, renderMetricsScript, renderRefreshCertsScript, renderUserData } from '../src';
import { renderNodeCommandScript } from '../src/ops/node-commands';
import { scriptTemplate } from '../src/scripts/script-template';
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

  /**
   * The template files as a reader sees them: each script with the parts it takes in on a line of
   * their own (shell-common.sh defines ROOT and log, which uses the script's SCRIPT_NAME), the
   * other placeholders left as the plain words they are to bash.
   */
  const PARTS: Record<string, string> = { SHELL_COMMON: 'shell-common.sh', INSTALL_TIMER_UNITS: 'install-timer-units.sh', WRITE_FILES: 'write-file.sh' };
  const SCRIPTS = ['boot.sh', 'bootstrap.sh', 'refresh-certs.sh', 'publish-metrics.sh', 'node-command.sh', 'user-data.sh'];
  const withParts = (file: string): string => scriptTemplate(file).replace(/^@@([A-Z_]+)@@$/gm, (line, name: string) => (PARTS[name] ? scriptTemplate(PARTS[name]).replace(/\n$/, '') : line));

  it.each(SCRIPTS)('passes on the template %s (with its parts) with no finding at any severity', (file) => {
    const result = shellcheck(`template-${file}`, withParts(file));
    expect(result.output).toBe('');
    expect(result.status).toBe(0);
  });

  it('checks every script file of src/scripts, as a script or as a part of one', () => {
    const files = readdirSync(join(__dirname, '..', 'src', 'scripts')).filter((name) => name.endsWith('.sh'));
    expect([...SCRIPTS, ...Object.values(PARTS)].sort()).toEqual(files.sort());
    for (const part of Object.keys(PARTS)) expect(SCRIPTS.some((file) => readFileSync(join(__dirname, '..', 'src', 'scripts', file), 'utf8').includes(`\n@@${part}@@\n`))).toBe(true);
  });

  it('reports a real problem (so a clean result means something)', () => {
    expect(shellcheck('bad.sh', '#!/bin/bash\nrm -rf $1/*\n').status).not.toBe(0);
  });
});
