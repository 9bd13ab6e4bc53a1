import { defaultServerConditions } from 'vite';
import { defineConfig, type ViteUserConfig } from 'vitest/config';

/** Workspace packages resolve to their TypeScript sources in tests (the `@crdb-ory/source` export condition). */
const conditions = ['@crdb-ory/source', ...defaultServerConditions];

export function projectTestConfig(root: string, overrides: ViteUserConfig['test'] = {}): ViteUserConfig {
  return defineConfig({
    root,
    resolve: { conditions },
    ssr: { resolve: { conditions } },
    test: {
      include: ['test/**/*.spec.ts'],
      environment: 'node',
      passWithNoTests: false,
      testTimeout: 30_000,
      ...overrides,
    },
  });
}
