import { performance } from 'node:perf_hooks';
import { ConfigError, loadConfig } from './config';
import { synthesisSummary } from './synthesis-summary';
import { defaultOutdir, synthesizeAll } from './synthesize';

function main(): number {
  try {
    const config = loadConfig();
    const result = synthesizeAll(config, defaultOutdir());
    for (const warning of result.warnings) process.stderr.write(`warning: [${warning.constructPath}] ${warning.message}\n`);
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
