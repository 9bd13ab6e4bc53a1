import { ConfigError, loadConfig } from './config';
import { defaultOutdir, synthesizeAll } from './synthesize';

function main(): number {
  try {
    const config = loadConfig();
    const { warnings } = synthesizeAll(config, defaultOutdir());
    for (const warning of warnings) process.stderr.write(`warning: [${warning.constructPath}] ${warning.message}\n`);
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
