import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const REGISTER = join(__dirname, '..', 'register.cjs');
const temps: string[] = [];
const temp = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
};
afterAll(() => temps.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** Runs `entry` (TypeScript) through the loader with its own cache folder; reports whether esbuild was loaded. */
function runTs(entry: string, cacheDir: string, nodeArgs: string[] = []) {
  const probe = join(temp('ts-probe-'), 'probe.cjs');
  writeFileSync(probe, `require(${JSON.stringify(entry)}); process.on('exit', () => process.stderr.write('esbuild loaded: ' + Object.keys(require.cache).some((k) => k.includes('/esbuild/lib/')) + '\\n'));`);
  const env: NodeJS.ProcessEnv = { ...process.env, CRDB_ORY_TS_CACHE_DIR: cacheDir, NO_COLOR: '1' };
  delete env['FORCE_COLOR'];
  const run = spawnSync(process.execPath, [...nodeArgs, '--require', REGISTER, probe], { encoding: 'utf8', env, timeout: 60_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr, esbuildLoaded: run.stderr.includes('esbuild loaded: true') };
}

const SOURCE = `
import type { Construct } from 'constructs';
import { join } from 'node:path';
enum Tier { Private = 'private', Public = 'public' }
class Settings { readonly tier: Tier = Tier.Private; constructor(readonly name: string) {} }
export function describe(scope?: Construct): string { return join('a', new Settings('x').name, new Settings('y').tier, String(scope)); }
console.log(describe());
`;

describe('the TypeScript loader (@crdb-ory/workspace/register)', () => {
  it('runs TypeScript (type-only imports dropped, enums, parameter properties) and caches the JavaScript', () => {
    const dir = temp('ts-src-');
    const cache = temp('ts-cache-');
    const entry = join(dir, 'entry.ts');
    writeFileSync(entry, SOURCE);
    const first = runTs(entry, cache);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout.trim()).toBe('a/x/private/undefined');
    expect(first.esbuildLoaded).toBe(true);
    expect(readdirSync(cache)).toHaveLength(1);

    const second = runTs(entry, cache);
    expect(second.stdout.trim()).toBe('a/x/private/undefined');
    expect(second.esbuildLoaded).toBe(false);
  });

  it('transpiles a file again when its content changes', () => {
    const dir = temp('ts-src-');
    const cache = temp('ts-cache-');
    const entry = join(dir, 'entry.ts');
    writeFileSync(entry, 'const n: number = 1; console.log(n);');
    expect(runTs(entry, cache).stdout.trim()).toBe('1');
    writeFileSync(entry, 'const n: number = 2; console.log(n);');
    const changed = runTs(entry, cache);
    expect(changed.stdout.trim()).toBe('2');
    expect(changed.esbuildLoaded).toBe(true);
    expect(readdirSync(cache)).toHaveLength(1);
  });

  it('gives stack traces with TypeScript line numbers when source maps are on', () => {
    const dir = temp('ts-src-');
    const entry = join(dir, 'fails.ts');
    writeFileSync(entry, 'type Unused = { a: string };\n\n\nconst value: number = 1;\nthrow new Error(`boom ${value}`);\n');
    const run = runTs(entry, temp('ts-cache-'), ['--enable-source-maps']);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/fails\.ts:5:\d+/);
  });

  it('still runs when the cache folder cannot be written', () => {
    const dir = temp('ts-src-');
    const entry = join(dir, 'entry.ts');
    writeFileSync(entry, 'console.log("ok" as string);');
    const blocked = join(temp('ts-cache-'), 'file-not-dir');
    writeFileSync(blocked, 'not a folder');
    const run = runTs(entry, join(blocked, 'cache'));
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout.trim()).toBe('ok');
  });
});
