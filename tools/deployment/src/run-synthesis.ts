import { performance } from 'node:perf_hooks';
import { ConfigError } from './config';
import { synthesisSummary } from './synthesis-summary';
import type { SynthesisResult } from './synthesize';

/**
 * Whether cdktf-cli runs this app (`cdktf synth`, `cdktf deploy`): it sets this variable for the
 * app (@cdktf/cli-core, src/lib/synth-stack.ts), prints every warning of manifest.json itself
 * (`WARN [stack]: ...`) and prints whatever the app writes to stderr as `[ERROR] default - ...`.
 * The app then leaves the warnings to it, so each is seen once.
 */
function runByCdktfCli(env: NodeJS.ProcessEnv): boolean {
  return env['CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS'] !== undefined;
}

/**
 * An app's entry point: `synthesize` reads the configuration and synthesizes every stack; the
 * warnings and a one-line summary are printed, a configuration problem exits 2, any other failure
 * 1, and nothing is written then. Returns the exit code.
 */
export function runSynthesis(synthesize: () => SynthesisResult): number {
  try {
    const result = synthesize();
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
