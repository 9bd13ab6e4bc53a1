import { spawnSync } from 'node:child_process';
import { ensurePrerequisites, missingLine } from './check-prerequisites';
import { PREREQUISITES } from './prerequisites';
import { testCommandArgs } from './test-command';

/** `npm test`: the prerequisites first (stopping at once, in one line, if one is missing), then every test target through Nx. */
async function main(): Promise<number> {
  const missing = await ensurePrerequisites(PREREQUISITES, { env: process.env, log: (line) => process.stderr.write(`${line}\n`) });
  if (missing.length > 0) {
    process.stderr.write(`${missingLine(missing)}\n`);
    return 1;
  }
  const nx = require.resolve('nx/bin/nx.js');
  const result = spawnSync(process.execPath, [nx, ...testCommandArgs(), ...process.argv.slice(2)], { stdio: 'inherit', env: { NX_DAEMON: 'false', ...process.env } });
  return result.status ?? 1;
}

main().then(
  (code) => (process.exitCode = code),
  (error: Error) => {
    process.stderr.write(`${error.stack ?? error.message}\n`);
    process.exitCode = 1;
  },
);
