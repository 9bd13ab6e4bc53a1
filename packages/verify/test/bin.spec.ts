import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const PACKAGE = resolve(__dirname, '..');
const WORKSPACE = resolve(PACKAGE, '../..');
const temps: string[] = [];
afterAll(() => temps.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A copy of the package's launcher and sources, with or without what marks a checkout. */
function packageCopy(files: Record<string, string>, withSources: boolean): string {
  const dir = mkdtempSync(join(tmpdir(), 'verify-bin-'));
  temps.push(dir);
  cpSync(join(PACKAGE, 'bin'), join(dir, 'bin'), { recursive: true });
  if (withSources) cpSync(join(PACKAGE, 'src'), join(dir, 'src'), { recursive: true });
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

const run = (bin: string, args: string[], env: NodeJS.ProcessEnv = {}) =>
  spawnSync(process.execPath, [bin, ...args], { cwd: WORKSPACE, encoding: 'utf8', timeout: 60_000, env: { PATH: process.env['PATH'] ?? '', ...env } });

describe('the crdb-ory-verify launcher (bin/crdb-ory-verify.js)', () => {
  it('runs from this checkout right after npm ci (the bin npm linked), from the sources, with no build step', () => {
    const result = run(join(WORKSPACE, 'node_modules', '.bin', 'crdb-ory-verify'), ['--help']);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Usage: crdb-ory-verify [options]');
  });

  it('in a checkout, never needs dist/ (a copy with sources and no dist/ runs)', () => {
    const copy = packageCopy({ 'tsconfig.lib.json': '{}' }, true);
    const result = run(join(copy, 'bin', 'crdb-ory-verify.js'), ['--repeat', 'many'], { NODE_PATH: join(WORKSPACE, 'node_modules') });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('Setting "repeat" (flag --repeat) has value "many"');
  });

  it('installed (no tsconfig, as published), runs the compiled dist/cli.js', () => {
    const copy = packageCopy({ 'dist/cli.js': 'process.stdout.write("compiled cli " + process.argv.slice(2).join(" "));' }, false);
    const result = run(join(copy, 'bin', 'crdb-ory-verify.js'), ['--help']);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe('compiled cli --help');
  });
});
