#!/usr/bin/env node
// Committed launcher of the operations CLI (roll, restore).
// - Installed from a registry, the package has its compiled dist/ and no tsconfig: run dist/ops/main.js.
// - In a checkout of the monorepo (tsconfig.lib.json is next to bin/ and never published), run the
//   TypeScript sources with tsx and the workspace's source condition, so the command works right
//   after `npm ci`, with no build step, and never runs a stale dist/.
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');

const packageRoot = join(__dirname, '..');
if (existsSync(join(packageRoot, 'tsconfig.lib.json'))) {
  const { spawnSync } = require('node:child_process');
  // tsx is a development dependency of the monorepo, resolved at run time: not a dependency of the package.
  const tsx = pathToFileURL(require.resolve('tsx', { paths: [packageRoot] })).href;
  const main = join(packageRoot, 'src', 'ops', 'main.ts');
  const result = spawnSync(process.execPath, ['--conditions=@crdb-ory/source', '--import', tsx, main, ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exitCode = result.status ?? 1;
} else {
  require('../dist/ops/main.js');
}
