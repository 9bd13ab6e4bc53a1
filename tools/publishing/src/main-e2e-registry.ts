import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stopRunningCommands } from '@crdb-ory/workspace';
import type { LocalRegistry } from './local-registry';
import { runRegistryE2e } from './registry-e2e';

// Usage: npm run e2e:registry [-- --keep]   (--keep leaves the temp folder for debugging)
const keep = process.argv.includes('--keep');
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
runRegistryE2e({ workspaceRoot: process.cwd(), workDir, log: (line) => console.log(line), onRegistry: (r) => (registry = r) })
  .then(() => console.log(`registry e2e passed in ${((Date.now() - started) / 1000).toFixed(1)} s`))
  .catch((error: unknown) => {
    console.error(`registry e2e FAILED: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  })
  .finally(() => cleanUp());
