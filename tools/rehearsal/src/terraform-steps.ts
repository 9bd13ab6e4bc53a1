import { TerraformResult, cpuOf, runTerraformAsync } from '@crdb-ory/terraform-harness';

/** One terraform command of the rehearsal, timed. */
export interface StepResult {
  readonly step: string;
  readonly ok: boolean;
  readonly seconds: number;
  /** CPU seconds (user + system) of its terraform processes with their providers, where measured (`cpuSeconds` of terraform-harness). */
  readonly cpuSeconds?: number;
  /** What went wrong (the end of terraform's output), or what a re-plan would change. */
  readonly detail?: string;
}

/** How terraform runs against the emulator: its CLI config (the provider mirror) and environment (see `emulatorEnv`). */
export interface TerraformSetup {
  readonly cliConfigFile: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Where `terraformIn` records every command it runs with this setup, when given. */
  readonly commands?: CommandRecord[];
}

/** One terraform process the rehearsal ran: its command type (`commandType`), wall seconds and CPU (with its providers), where measured. */
export interface CommandRecord {
  readonly command: string;
  readonly ok: boolean;
  readonly seconds: number;
  readonly cpuSeconds?: number;
}

/** A command's type, as the report counts them: its subcommand (`init`, `apply`, `plan`, `destroy`), `state list`, `state rm`, `show -json`, `init -migrate-state`. */
export function commandType(args: readonly string[]): string {
  const [command = '', ...rest] = args;
  if (command === 'state' || command === 'providers') return [command, rest[0] ?? ''].join(' ').trim();
  if (command === 'show') return 'show -json';
  if (command === 'init' && rest.includes('-migrate-state')) return 'init -migrate-state';
  return command;
}

/** Runs terraform in a scratch stack folder against the emulator: non-interactive, no real AWS configuration. */
export function terraformIn(dir: string, setup: TerraformSetup, timeoutSeconds = 900): (args: readonly string[]) => Promise<TerraformResult> {
  return async (args) => {
    const result = await runTerraformAsync(args, { cwd: dir, cliConfigFile: setup.cliConfigFile, timeoutSeconds, env: setup.env, measureCpu: true });
    setup.commands?.push({ command: commandType(args), ok: result.ok, seconds: result.seconds, ...cpuOf(result) });
    return result;
  };
}

/** A step from a terraform result; `ok` overrides the exit code's verdict (a re-plan's exit 2 means changes). */
export function stepOf(step: string, result: TerraformResult, ok = result.ok): StepResult {
  return { step, ok, seconds: result.seconds, ...cpuOf(result), ...(ok ? {} : { detail: lastLines(result.output) }) };
}

/** The end of terraform's output, where its errors are: at most `count` non-empty lines. */
export function lastLines(output: string, count = 25): string {
  return output
    .split('\n')
    .filter((line) => line.trim() !== '')
    .slice(-count)
    .join('\n');
}
