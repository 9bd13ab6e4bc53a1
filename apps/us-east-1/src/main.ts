import { performance } from 'node:perf_hooks';
import { ConfigError, readConfig } from './config';
import { synthesisSummary } from './synthesis-summary';
import { defaultOutdir, synthesizeAll } from './synthesize';

/**
 * Whether cdktf-cli runs this app (`cdktf synth`, `cdktf deploy`): it sets this variable for the
 * app (@cdktf/cli-core, src/lib/synth-stack.ts), prints every warning of manifest.json itself
 * (`WARN [stack]: ...`) and prints whatever the app writes to stderr as `[ERROR] default - ...`.
 * The app then leaves the warnings to it, so each is seen once.
 */
function runByCdktfCli(env: NodeJS.ProcessEnv): boolean {
  return env['CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS'] !== undefined;
}

function main(): number {
  try {
    const loaded = readConfig();
    const result = synthesizeAll(loaded.config, defaultOutdir(), undefined, loaded.fingerprint);
    if (!runByCdktfCli(process.env)) for (const warning of result.warnings) process.stderr.write(`warning: [${warning.constructPath}] ${warning.message}\n`);
    // Time since the process started: what the user waited for, module loading included.
    process.stdout.write(`${synthesisSummary(result, performance.now() / 1000)}\n`);
    return 0;
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\nNothing was synthesized.\n`);
      return 2;
    }
    process.stderr.write(`Synthesis failed, nothing was written:\n${(error as Error).message}\n`);
    return 1;
  }
}

process.exitCode = main();
