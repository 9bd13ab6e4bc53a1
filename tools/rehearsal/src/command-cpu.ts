import { AWS_PROVIDER, findProviderMirror, runTerraformAsync, writeMirrorCliConfig } from '@crdb-ory/terraform-harness';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readBaselineStack } from './baseline';
import { startEmulator } from './emulator';
import { emulatorEnv } from './emulator-overrides';
import { childCpuSeconds } from './rehearse';
import { writeScratchStack } from './stack-rehearsal';

/** One measured terraform command: its CPU (user + system, terraform with its provider processes) and wall seconds. */
export interface CommandCpu {
  readonly stack: string;
  readonly command: string;
  readonly ok: boolean;
  readonly cpu: number;
  readonly seconds: number;
}

/** The commands measured per stack, in the order the rehearsal runs them (the destroy last). */
export const MEASURED_COMMANDS: ReadonlyArray<{ readonly command: string; readonly args: readonly string[] }> = [
  { command: 'version', args: ['version'] },
  { command: 'init', args: ['init', '-input=false'] },
  { command: 'validate', args: ['validate'] },
  { command: 'providers schema -json', args: ['providers', 'schema', '-json'] },
  { command: 'plan (with changes) -out', args: ['plan', '-input=false', '-out=plan.tfplan'] },
  { command: 'show -json (plan)', args: ['show', '-json', 'plan.tfplan'] },
  { command: 'apply (saved plan)', args: ['apply', '-input=false', 'plan.tfplan'] },
  { command: 'state list', args: ['state', 'list'] },
  { command: 'plan (no changes)', args: ['plan', '-input=false', '-detailed-exitcode', '-out=replan.tfplan'] },
  { command: 'plan (no changes) -refresh=false', args: ['plan', '-input=false', '-detailed-exitcode', '-refresh=false'] },
  { command: 'show -json (state)', args: ['show', '-json'] },
  { command: 'destroy', args: ['destroy', '-input=false', '-auto-approve'] },
  { command: 'apply (plans and applies)', args: ['apply', '-input=false', '-auto-approve'] },
];

/**
 * Measures each command of `MEASURED_COMMANDS`, one at a time, on scratch copies of baseline
 * stacks against a moto server this starts on 127.0.0.1 (the rehearsal's own emulator, overrides
 * and environment, plus `env`). `stacks` deploy in order; the last one is destroyed, then deployed again with one `apply`.
 */
export async function measureCommands(stacks: readonly string[], env: Readonly<Record<string, string | undefined>> = {}, log: (line: string) => void = () => undefined): Promise<CommandCpu[]> {
  const mirror = findProviderMirror(AWS_PROVIDER);
  if (!mirror) throw new Error('no filesystem mirror of hashicorp/aws 5.100.0 found (set TF_PROVIDER_MIRROR)');
  const scratch = mkdtempSync(join(tmpdir(), 'crdb-ory-command-cpu-'));
  const cliConfigFile = writeMirrorCliConfig(scratch, mirror, [AWS_PROVIDER]);
  const emulator = await startEmulator();
  const measured: CommandCpu[] = [];
  const run = async (stack: string, command: string, args: readonly string[]) => {
    const before = childCpuSeconds() ?? 0;
    const result = await runTerraformAsync(args, { cwd: join(scratch, stack), cliConfigFile, timeoutSeconds: 900, env: { ...emulatorEnv(emulator.caBundle), ...env } });
    const row = { stack, command, ok: result.ok || (command === 'plan (no changes)' && result.exitCode === 0), cpu: (childCpuSeconds() ?? 0) - before, seconds: result.seconds };
    log(`${stack}\t${command}\t${row.ok ? 'ok' : `FAILED ${result.exitCode}`}\t${row.cpu.toFixed(2)}\t${row.seconds.toFixed(1)}`);
    if (!row.ok) log(result.output.slice(-2000));
    measured.push(row);
  };
  try {
    for (const stack of stacks) {
      writeScratchStack(join(scratch, stack), readBaselineStack(stack), emulator.endpoint);
      for (const { command, args } of MEASURED_COMMANDS.slice(0, MEASURED_COMMANDS.findIndex((measured) => measured.command === 'destroy'))) await run(stack, command, args);
    }
    // The last stack only: a stack before it holds what later ones need (the state bucket holds their state).
    // Then deployed again in one process, as the rehearsal deploys: plan and apply in one `apply`.
    const last = stacks.at(-1);
    if (last) for (const { command, args } of MEASURED_COMMANDS.filter((measured) => measured.command === 'destroy' || measured.command === 'apply (plans and applies)')) await run(last, command, args);
  } finally {
    await emulator.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
  return measured;
}
