#!/usr/bin/env node
// Committed launcher (tsc does not set the executable bit on dist/cli.js).
// - Installed from a registry, the package has its compiled dist/ and no tsconfig: run dist/cli.js.
// - In a checkout of the monorepo (tsconfig.lib.json is next to bin/ and never published), run
//   the TypeScript sources as the npm scripts do (the workspace's loader and the
//   `@crdb-ory/source` condition, so imports of other workspace packages resolve to their
//   sources too), so `npx crdb-ory-verify` works right after `npm ci`, with no build step, and
//   never runs a stale dist/.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const packageRoot = join(__dirname, '..');
if (existsSync(join(packageRoot, 'tsconfig.lib.json'))) {
  // A development-only tool of the monorepo, resolved at run time: not a dependency of the package.
  require(require.resolve('@crdb-ory/workspace/run-source', { paths: [packageRoot] })).runSource(join(packageRoot, 'src', 'cli.ts'));
} else {
  require('../dist/cli.js');
}
