import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultServerConditions } from 'vite';
import { defineConfig, type ViteUserConfig } from 'vitest/config';

/** Workspace packages resolve to their TypeScript sources in tests (the `@crdb-ory/source` export condition). */
const conditions = ['@crdb-ory/source', ...defaultServerConditions];

/** The run's own TMPDIR, removed when the run ends (vitest.global-setup.mts). */
const globalSetup = fileURLToPath(new URL('./vitest.global-setup.mts', import.meta.url));

export function projectTestConfig(root: string, overrides: ViteUserConfig['test'] = {}): ViteUserConfig {
  return defineConfig({
    root,
    resolve: { conditions },
    ssr: { resolve: { conditions } },
    test: {
      include: ['test/**/*.spec.ts'],
      environment: 'node',
      // A package that later issues fill may have no test/ folder yet; once it has one, it must hold tests.
      passWithNoTests: !existsSync(join(root, 'test')),
      testTimeout: 30_000,
      ...overrides,
      globalSetup: [globalSetup, ...[overrides.globalSetup ?? []].flat()],
    },
  });
}
