import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../../..');
const VITEST = join(ROOT, 'node_modules', 'vitest', 'vitest.mjs');

/** Every project's vitest config (the `test` targets Nx infers), relative to the root. */
function projectConfigs(): string[] {
  return ['apps', 'packages', 'tools'].flatMap((group) =>
    readdirSync(join(ROOT, group), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .flatMap((entry) => readdirSync(join(ROOT, group, entry.name)).filter((file) => /^vitest\..*\.mts$/.test(file)).map((file) => `${group}/${entry.name}/${file}`)),
  );
}

describe('a test run leaves nothing in the system temp dir', () => {
  const fresh = mkdtempSync(join(tmpdir(), 'crdb-ory-hygiene-'));
  afterAll(() => rmSync(fresh, { recursive: true, force: true }));

  it('a project whose tests synthesize with cdktf\'s Testing helpers (which never remove their cdktf.outdir.*) leaves its TMPDIR empty', () => {
    const run = spawnSync(process.execPath, [VITEST, 'run'], { cwd: join(ROOT, 'packages', 'state'), encoding: 'utf8', env: { ...process.env, TMPDIR: fresh, CI: 'true', NO_COLOR: '1', FORCE_COLOR: '0' }, timeout: 120_000 });
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toMatch(/Tests\s+\S*\d+ passed/);
    expect(readdirSync(fresh)).toEqual([]);
  }, 150_000);

  it('this run has a TMPDIR of its own, inside the system one and with its permissions (PostgreSQL, run as user postgres under root, enters it)', () => {
    const own = tmpdir();
    expect(basename(own)).toMatch(/^crdb-ory-test-run-/);
    expect(statSync(own).mode & 0o7777).toBe(statSync(dirname(own)).mode & 0o7777);
  });

  it('every project\'s vitest config is built by the shared one, which gives the run its own TMPDIR', () => {
    const configs = projectConfigs();
    expect(configs.length).toBeGreaterThan(15);
    for (const config of configs) expect(readFileSync(join(ROOT, config), 'utf8'), config).toMatch(/projectTestConfig\(import\.meta\.dirname/);
    expect(readFileSync(join(ROOT, 'vitest.shared.mts'), 'utf8')).toMatch(/globalSetup: \[globalSetup, /);
  });
});
