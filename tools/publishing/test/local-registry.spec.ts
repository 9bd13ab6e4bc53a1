import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { run } from '@crdb-ory/workspace';
import { startLocalRegistry, verdaccioConfig } from '../src';

const temps: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'local-registry-'));
  temps.push(dir);
  return dir;
}
afterEach(() => temps.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('verdaccioConfig', () => {
  it('serves our scope from local storage only and proxies everything else', () => {
    const config = verdaccioConfig({ workDir: '/tmp/x', uplinkUrl: 'https://registry.example/' });
    const scope = config.slice(config.indexOf("'@crdb-ory/*':"), config.indexOf("'**':"));
    expect(scope).not.toContain('proxy');
    expect(config.slice(config.indexOf("'**':"))).toContain('proxy: upstream');
    expect(config).toContain('url: "https://registry.example/"');
  });
});

describe('startLocalRegistry', () => {
  it('takes an anonymous publish of our scope on a loopback port, serves it, and stops', async () => {
    const work = tempDir();
    const registry = await startLocalRegistry({ workDir: join(work, 'registry'), uplinkUrl: 'http://127.0.0.1:9/' });
    try {
      expect(registry.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const pkgDir = join(work, 'probe');
      mkdirSync(pkgDir);
      writeFileSync(join(pkgDir, 'package.json'), JSON.stringify({ name: '@crdb-ory/registry-probe', version: '1.0.0', files: ['index.js'] }));
      writeFileSync(join(pkgDir, 'index.js'), 'module.exports = 1;\n');
      const userconfig = join(work, 'npmrc');
      writeFileSync(userconfig, `${registry.authLine}\n`);
      const env = { npm_config_userconfig: userconfig };
      await run('npm', ['publish', '--registry', registry.url], { cwd: pkgDir, env });
      const { stdout } = await run('npm', ['view', '@crdb-ory/registry-probe', 'version', '--registry', registry.url], { cwd: work, env });
      expect(stdout.trim()).toBe('1.0.0');
    } finally {
      await registry.stop();
    }
    await expect(fetch(`${registry.url}-/ping`)).rejects.toThrow();
  });
});
