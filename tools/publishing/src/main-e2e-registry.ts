import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCommandLine, withUsageErrors } from '@crdb-ory/core/command-line';
import { stopRunningCommands } from '@crdb-ory/workspace';
import type { LocalRegistry } from './local-registry';
import { runRegistryE2e } from './registry-e2e';

const USAGE = `Usage: npm run e2e:registry [-- --keep]
Publishes every package to a local registry, installs them in a fresh project outside the monorepo and checks them there.

  --keep   leave the temp folder for debugging
`;

function registryE2e(keep: boolean): Promise<number> {
  const workDir = mkdtempSync(join(tmpdir(), 'crdb-ory-registry-e2e-'));
  let registry: LocalRegistry | undefined;

  async function cleanUp(): Promise<void> {
    stopRunningCommands();
    await registry?.stop();
    if (!keep) rmSync(workDir, { recursive: true, force: true });
  }

  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    process.once(signal, () => {
      console.error(`\n${signal}: stopping the registry and removing ${workDir}`);
      void cleanUp().finally(() => process.exit(code));
    });
  }

  const started = Date.now();
  console.log(`registry e2e in ${workDir}`);
  return runRegistryE2e({ workspaceRoot: process.cwd(), workDir, log: (line) => console.log(line), onRegistry: (r) => (registry = r) })
    .then(() => console.log(`registry e2e passed in ${((Date.now() - started) / 1000).toFixed(1)} s`))
    .then(
      () => 0,
      (error: unknown) => {
        console.error(`registry e2e FAILED: ${error instanceof Error ? error.message : String(error)}`);
        return 1;
      },
    )
    .finally(() => cleanUp());
}

void withUsageErrors({ command: 'e2e:registry', usage: USAGE, err: (text) => process.stderr.write(text) }, () =>
  registryE2e(parseCommandLine(process.argv.slice(2), { options: { keep: { type: 'boolean' } } }).values.keep === true),
).then((code) => (process.exitCode = code));
