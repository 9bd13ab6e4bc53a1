import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../../..');

/**
 * Nx 23 keeps its task cache in one folder shared by every checkout of the same repository
 * (`~/.nx/<workspace id>/cache`) unless the checkout configures its own: "A configured location
 * is the user's and is not ours to relocate" (node_modules/nx/dist/src/utils/cache-directory.js,
 * computeSharedDataLocation). A shared cache replays one checkout's build outputs into another:
 * a `dist/` built in a worktree that still had a since-deleted source came back, stale file and
 * all, into a fresh clone's CI run. nx.json's `cacheDirectory` keeps the cache in the checkout.
 */
type NxCacheDirectory = {
  readCacheDirectoryProperty(root: string): string | undefined;
  resolveSharedDataLocation(root: string): { share: string };
  cacheDirectoryForWorkspace(root: string): string;
};

function nxCacheDirectoryModule(): NxCacheDirectory {
  return require(join(require.resolve('nx/package.json', { paths: [ROOT] }), '..', 'dist/src/utils/cache-directory.js')) as NxCacheDirectory;
}

describe("Nx's task cache", () => {
  it('lives in this checkout (.nx/cache, git-ignored), never in the cache Nx shares between checkouts', () => {
    const nx = nxCacheDirectoryModule();
    expect(nx.readCacheDirectoryProperty(ROOT)).toBe('.nx/cache');
    const env = process.env['NX_CACHE_DIRECTORY'];
    delete process.env['NX_CACHE_DIRECTORY'];
    try {
      expect(nx.resolveSharedDataLocation(ROOT)).toEqual({ share: 'none' });
      expect(nx.cacheDirectoryForWorkspace(ROOT)).toBe(join(ROOT, '.nx', 'cache'));
    } finally {
      if (env !== undefined) process.env['NX_CACHE_DIRECTORY'] = env;
    }
  });
});
