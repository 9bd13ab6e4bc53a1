import { TerraformResult, runTerraformAsync } from '@crdb-ory/terraform-harness';

/** One terraform command of the rehearsal, timed. */
export interface StepResult {
  readonly step: string;
  readonly ok: boolean;
  readonly seconds: number;
  /** What went wrong (the end of terraform's output), or what a re-plan would change. */
  readonly detail?: string;
}

/** How terraform runs against the emulator: its CLI config (the provider mirror) and environment (see `emulatorEnv`). */
export interface TerraformSetup {
  readonly cliConfigFile: string;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** Runs terraform in a scratch stack folder against the emulator: non-interactive, no real AWS configuration. */
export function terraformIn(dir: string, setup: TerraformSetup, timeoutSeconds = 900): (args: readonly string[]) => Promise<TerraformResult> {
  return (args) => runTerraformAsync(args, { cwd: dir, cliConfigFile: setup.cliConfigFile, timeoutSeconds, env: setup.env });
}

/** A step from a terraform result; `ok` overrides the exit code's verdict (a re-plan's exit 2 means changes). */
export function stepOf(step: string, result: TerraformResult, ok = result.ok): StepResult {
  return { step, ok, seconds: result.seconds, ...(ok ? {} : { detail: lastLines(result.output) }) };
}

/** The end of terraform's output, where its errors are: at most `count` non-empty lines. */
export function lastLines(output: string, count = 25): string {
  return output
    .split('\n')
    .filter((line) => line.trim() !== '')
    .slice(-count)
    .join('\n');
}
