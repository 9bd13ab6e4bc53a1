import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PREREQUISITES, Prerequisite, accepts, anyOnPathVersion, commandVersion, compareVersions, ensurePrerequisites, missingLine, prerequisitesFingerprint } from '../src';

const ROOT = resolve(__dirname, '../../..');
const temps: string[] = [];
afterAll(() => temps.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A folder for PATH holding executable stubs: `name` -> shell script body. */
function binDir(stubs: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'prereq-bin-'));
  temps.push(dir);
  for (const [name, body] of Object.entries(stubs)) {
    writeFileSync(join(dir, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(dir, name), 0o755);
  }
  return dir;
}

const CHMOD = spawnSync('sh', ['-c', 'command -v chmod'], { encoding: 'utf8' }).stdout.trim();
function byName(name: string): Prerequisite {
  const found = PREREQUISITES.find((p) => p.name === name);
  if (!found) throw new Error(`no prerequisite ${name}`);
  return found;
}
const TERRAFORM = byName('terraform');
const SHELLCHECK = byName('shellcheck');

describe('versions', () => {
  it('compare numerically, part by part', () => {
    expect(compareVersions('1.11.4', '1.10')).toBeGreaterThan(0);
    expect(compareVersions('1.9.8', '1.10')).toBeLessThan(0);
    expect(compareVersions('5.100.0', '5.100.0')).toBe(0);
    expect(accepts(TERRAFORM, '1.5.7')).toBe(false);
    expect(accepts(TERRAFORM, '1.10.0')).toBe(true);
    expect(accepts(byName('hashicorp/aws provider'), '5.101.0')).toBe(false);
    expect(accepts(TERRAFORM, undefined)).toBe(false);
  });
});

describe('ensurePrerequisites', () => {
  it('names every missing or too old tool in one line, with how to install it', async () => {
    const path = binDir({ terraform: 'echo \'{"terraform_version":"1.5.7","platform":"linux_amd64"}\'' });
    const missing = await ensurePrerequisites([TERRAFORM, SHELLCHECK], { env: { PATH: path }, canInstall: false, log: () => undefined });
    const line = missingLine(missing);
    expect(line.split('\n')).toHaveLength(1);
    expect(line).toContain('terraform >= 1.10 (found 1.5.7; https://developer.hashicorp.com/terraform/install');
    expect(line).toContain('shellcheck >= 0.9 (apt-get install shellcheck');
  });

  it('passes tools that are there in a version that does', async () => {
    const path = binDir({ terraform: 'echo \'{"terraform_version":"1.11.4"}\'', shellcheck: 'echo "ShellCheck\\nversion: 0.9.0"' });
    expect(await ensurePrerequisites([TERRAFORM, SHELLCHECK], { env: { PATH: path }, canInstall: false, log: () => undefined })).toEqual([]);
  });

  it('installs missing Debian packages with apt-get where it may, then checks them again', async () => {
    const log = join(mkdtempSync(join(tmpdir(), 'prereq-apt-')), 'apt.log');
    temps.push(resolve(log, '..'));
    const path = binDir({});
    // A stand-in for apt-get: records its arguments and "installs" a shellcheck into PATH.
    writeFileSync(
      join(path, 'apt-get'),
      `#!/bin/sh\necho "$DEBIAN_FRONTEND $*" >> ${log}\nif [ "$1" = install ]; then printf '#!/bin/sh\\necho "version: 0.9.0"\\n' > ${path}/shellcheck; ${CHMOD} +x ${path}/shellcheck; fi\n`,
    );
    chmodSync(join(path, 'apt-get'), 0o755);
    const lines: string[] = [];
    const missing = await ensurePrerequisites([SHELLCHECK], { env: { PATH: path }, canInstall: true, log: (line) => lines.push(line) });
    expect(missing).toEqual([]);
    expect(lines).toEqual(['installing shellcheck (Debian packages) with apt-get']);
    expect(readFileSync(log, 'utf8').trim().split('\n')).toEqual(['noninteractive update -qq', 'noninteractive install -y -qq --no-install-recommends shellcheck']);
  });

  it('never tries to install what is not a Debian package', async () => {
    const path = binDir({ 'apt-get': 'echo called >&2; exit 1' });
    const missing = await ensurePrerequisites([TERRAFORM], { env: { PATH: path }, canInstall: true, log: () => undefined });
    expect(missing.map((m) => m.prerequisite.name)).toEqual(['terraform']);
  });
});

describe('the test command on a machine without the system tools', () => {
  it('stops at once, before any suite, with one line naming what to install', () => {
    const path = binDir({});
    const run = spawnSync(process.execPath, ['--conditions=@crdb-ory/source', '--require', '@crdb-ory/workspace/register', 'tools/workspace/src/main-test.ts'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { PATH: path, HOME: process.env['HOME'], npm_config_user_agent: 'npm/11.19.1 node/v20.20.2 linux x64' },
      timeout: 60_000,
    });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Prerequisites missing, install them and run the command again: terraform >= 1\.10 \(.*\); shellcheck >= 0\.9 \(apt-get install shellcheck.*\); openssl >= 3\.0 \(apt-get install openssl.*\)$/);
  });
});

describe('the prerequisites fingerprint (an Nx runtime input)', () => {
  it('changes with the installed versions, never probes the network and holds no machine path', async () => {
    const registryOnly: Prerequisite = { ...byName('hashicorp/aws provider'), probe: async ({ network }) => (network ? '5.100.0' : undefined), fingerprint: () => [] };
    const old = await prerequisitesFingerprint([TERRAFORM, registryOnly], { PATH: binDir({ terraform: 'echo \'{"terraform_version":"1.11.4"}\'' }) });
    const upgraded = await prerequisitesFingerprint([TERRAFORM, registryOnly], { PATH: binDir({ terraform: 'echo \'{"terraform_version":"1.12.0"}\'' }) });
    expect(old).toEqual(['terraform 1.11.4', 'hashicorp/aws provider missing']);
    expect(upgraded).toEqual(['terraform 1.12.0', 'hashicorp/aws provider missing']);
  });

  it('lists what the provider mirror holds on this machine', async () => {
    const lines = await prerequisitesFingerprint([byName('hashicorp/aws provider')], process.env);
    expect(lines[0]).toBe('hashicorp/aws provider 5.100.0');
    expect(lines.some((line) => /^ {2}hashicorp\/aws 5\.100\.0 \S+ terraform-provider-aws_v5\.100\.0_x5 \d+ bytes$/.test(line))).toBe(true);
    expect(lines.join('\n')).not.toMatch(/\/(opt|usr|srv|root|home)\//);
  });
});

describe('anyOnPathVersion', () => {
  it('takes the first command on PATH that answers, not just the first on PATH (Nx puts /usr/bin first on its tasks\' PATH)', async () => {
    const system = binDir({ python3: 'echo "ModuleNotFoundError: No module named moto" >&2; exit 1' });
    const pyenv = binDir({ python3: 'echo 5.2.1' });
    const probe = anyOnPathVersion('python3', ['-c', 'import moto'], /^(\d+\.\d+\.\d+)/m);
    expect(await probe({ env: { PATH: `${system}:${pyenv}` }, network: false })).toBe('5.2.1');
    expect(await commandVersion('python3', ['-c', 'import moto'])({ env: { PATH: `${system}:${pyenv}` }, network: false })).toBeUndefined();
    expect(await probe({ env: { PATH: system }, network: false })).toBeUndefined();
  });
});

describe('commandVersion', () => {
  it('reads the version with the pattern, and reports a missing command as missing', async () => {
    const path = binDir({ tool: 'echo "Tool v2.3.4 (build 7)"' });
    expect(await commandVersion('tool', ['--version'])({ env: { PATH: path }, network: false })).toBe('2.3.4');
    expect(await commandVersion('tool', [], /build (\d+)/)({ env: { PATH: path }, network: false })).toBe('7');
    expect(await commandVersion('absent-tool', [])({ env: { PATH: path }, network: false })).toBeUndefined();
  });
});

describe('the contributors\' guide', () => {
  it('lists every prerequisite the test command checks, with its version and how to install it (CONTRIBUTING.md, linked from the README)', () => {
    const guide = readFileSync(join(ROOT, 'CONTRIBUTING.md'), 'utf8');
    const table = guide.slice(guide.indexOf('## Prerequisites'), guide.indexOf('\n## ', guide.indexOf('## Prerequisites') + 1));
    const rows = table.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| prerequisite |'));
    expect(rows.map((row) => (row.split(' | ')[0] ?? '').slice(2))).toEqual(PREREQUISITES.map((p) => p.name));
    for (const p of PREREQUISITES) {
      const row = rows.find((line) => line.startsWith(`| ${p.name} |`));
      expect(row).toContain(`| ${p.version} |`);
      if (p.aptPackage) expect(row).toContain(`apt-get install ${p.aptPackage}`);
    }
    expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toContain('prerequisites in CONTRIBUTING.md');
  });
});
