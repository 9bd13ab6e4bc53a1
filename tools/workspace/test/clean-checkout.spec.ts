import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanCheckout, shippedExecutables } from '../src';

const temps: string[] = [];
afterAll(() => temps.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function write(root: string, path: string, content: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
}

/** A small workspace as `npm ci` and a build leave it: a workspace package with a dist/, its links in node_modules, a cache. */
function builtWorkspace(): string {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'clean-checkout-fixture-')));
  temps.push(root);
  write(root, '.gitignore', 'node_modules/\ndist/\n');
  write(root, 'package.json', JSON.stringify({ name: 'fixture', private: true, workspaces: ['packages/*'], scripts: { build: 'tsc', synth: 'node main.js' } }));
  write(root, 'packages/a/package.json', JSON.stringify({ name: '@x/a', bin: { 'a-cli': './bin/a.js' }, exports: { '.': { source: './src/index.js', default: './dist/index.js' } } }));
  write(root, 'packages/a/src/index.js', 'module.exports = "source";\n');
  write(root, 'packages/a/bin/a.js', '#!/usr/bin/env node\n');
  write(root, 'packages/b/package.json', JSON.stringify({ name: 'b', bin: './cli.js' }));
  const git = (...args: string[]) => spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: root, encoding: 'utf8' });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-qm', 'fixture');
  // What npm ci and a build add, all ignored by git:
  write(root, 'packages/a/dist/index.js', 'module.exports = "stale build";\n');
  write(root, 'node_modules/dep/index.js', 'module.exports = 1;\n');
  write(root, 'node_modules/.cache/crdb-ory-ts/entry.js', 'cached\n');
  write(root, 'packages/a/node_modules/nested/index.js', 'module.exports = 2;\n');
  mkdirSync(join(root, 'node_modules/@x'), { recursive: true });
  mkdirSync(join(root, 'node_modules/.bin'), { recursive: true });
  symlinkSync('../../packages/a', join(root, 'node_modules/@x/a'));
  symlinkSync('../@x/a/bin/a.js', join(root, 'node_modules/.bin/a-cli'));
  symlinkSync('../dep/index.js', join(root, 'node_modules/.bin/dep'));
  // Not committed yet, not ignored: a clone after the commit has it.
  write(root, 'packages/a/src/new.js', 'module.exports = "new";\n');
  return root;
}

describe('cleanCheckout', () => {
  it('copies what a clone holds, never a build output or a cache, and links node_modules so nothing resolves back into the checkout', () => {
    const root = builtWorkspace();
    const checkout = cleanCheckout(root);
    try {
      const copy = checkout.dir;
      expect(readFileSync(join(copy, 'packages/a/src/index.js'), 'utf8')).toBe('module.exports = "source";\n');
      expect(existsSync(join(copy, 'packages/a/src/new.js'))).toBe(true);
      expect(existsSync(join(copy, 'packages/a/dist'))).toBe(false);
      expect(existsSync(join(copy, 'node_modules/.cache'))).toBe(false);
      // The workspace package's link and its bin point into the copy; installed packages stay where npm put them.
      expect(realpathSync(join(copy, 'node_modules/@x/a'))).toBe(join(copy, 'packages/a'));
      expect(readlinkSync(join(copy, 'node_modules/.bin/a-cli'))).toBe(join(copy, 'packages/a/bin/a.js'));
      expect(readlinkSync(join(copy, 'node_modules/.bin/dep'))).toBe(join(root, 'node_modules/dep/index.js'));
      expect(readlinkSync(join(copy, 'node_modules/dep'))).toBe(join(root, 'node_modules/dep'));
      expect(readlinkSync(join(copy, 'packages/a/node_modules/nested'))).toBe(join(root, 'packages/a/node_modules/nested'));
      // A clone is a git repository with the files committed.
      const status = spawnSync('git', ['status', '--porcelain'], { cwd: copy, encoding: 'utf8' });
      expect(status.status).toBe(0);
      expect(status.stdout).toBe('');
    } finally {
      checkout.remove();
    }
    expect(existsSync(checkout.dir)).toBe(false);
    expect(existsSync(join(root, 'packages/a/dist/index.js'))).toBe(true);
  });

  it('needs a git checkout, and says so', () => {
    const dir = mkdtempSync(join(tmpdir(), 'clean-checkout-nogit-'));
    temps.push(dir);
    write(dir, 'package.json', '{}');
    expect(() => cleanCheckout(dir, dir)).toThrow(/a clean checkout needs git and a git checkout/);
  });
});

describe('shippedExecutables', () => {
  it('lists every bin of every workspace package (a string bin is named after the package) and every root npm script', () => {
    const root = builtWorkspace();
    expect(shippedExecutables(root).map((e) => e.id)).toEqual(['bin:a-cli', 'bin:b', 'script:build', 'script:synth']);
  });
});
