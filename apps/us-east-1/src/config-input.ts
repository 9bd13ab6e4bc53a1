import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ConfigError } from './config/config-error';
import { configSource } from './config/config-source';

/**
 * Prints what the configuration file of this run is and a hash of its content: the Nx runtime
 * input of `synth` and `review` (the variable's value alone would replay a stale synthesis
 * after the file was edited). Uses the same file resolution as the app, and stays light: no
 * schema, no stacks.
 */
function fingerprint(): string {
  let source;
  try {
    source = configSource();
  } catch (error) {
    if (error instanceof ConfigError) return `invalid: ${error.message}`;
    throw error;
  }
  if (source.kind === 'defaults') return 'defaults';
  try {
    return `${source.via} sha256:${createHash('sha256').update(readFileSync(source.path)).digest('hex')}`;
  } catch (error) {
    return `${source.via} unreadable: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`;
  }
}

process.stdout.write(`${fingerprint()}\n`);
