import { parseCommandLine, withUsageErrors } from '@crdb-ory/core/command-line';
import { stopRunningCommands } from '@crdb-ory/workspace';
import { runEngineEquivalence } from './equivalence';

const USAGE = `Usage: node --conditions=@crdb-ory/source --require @crdb-ory/workspace/register tools/engines/src/main.ts [--keep]

Builds a scratch copy of the workspace on every supported CDK engine other than its own, checks
that every stack synthesizes to the same Terraform JSON on both (the defaults and a non-default
configuration; only the engine's version stamp may differ), then type-checks and runs the
construct packages' unit tests on it. Run it from the workspace root.

  --keep   keep the scratch folder (.scratch/engine-*) for debugging
  --help   this text`;

function main(): Promise<number> {
  return withUsageErrors({ command: 'engines', usage: USAGE, err: (text) => console.error(text) }, () => {
    const { values } = parseCommandLine(process.argv.slice(2), { options: { keep: { type: 'boolean' }, help: { type: 'boolean' } } });
    if (!values.help) return checkEngines(values.keep === true);
    console.log(USAGE);
    return Promise.resolve(0);
  });
}

function checkEngines(keep: boolean): Promise<number> {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => stopRunningCommands());
  const started = Date.now();
  return runEngineEquivalence({ workspaceRoot: process.cwd(), keep, log: (line) => console.log(line) }).then(
    () => {
      console.log(`engine equivalence passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      return 0;
    },
    (error: unknown) => {
      console.error(`engine equivalence FAILED: ${error instanceof Error ? error.message : String(error)}`);
      return 1;
    },
  );
}

void main().then((code) => (process.exitCode = code));
