import { ConfigSourceError, currentConfiguration } from '@crdb-ory/core/configuration-source';

/**
 * Prints which configuration this run reads and a hash of its content: the Nx runtime input of
 * `synth` and `review` (the variable's value alone would replay a stale synthesis after the file
 * was edited; the source is part of what each stack records). Uses the same file resolution as
 * the app, and stays light: no schema, no stacks.
 */
function fingerprint(): string {
  try {
    const { source, sha256 } = currentConfiguration();
    return `${source} sha256:${sha256 ?? 'none'}`;
  } catch (error) {
    if (error instanceof ConfigSourceError) return `invalid: ${error.message}`;
    throw error;
  }
}

process.stdout.write(`${fingerprint()}\n`);
