import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type TerraformPlanJson, type TerraformShowState, plannedChanges } from '@crdb-ory/core/terraform';
import { CommandRunner } from './command-runner';

/** The managed resources a plan would create, change or destroy (core's plan reader), as `actions address` for messages. */
export function resourceChangesOf(plan: TerraformPlanJson): string[] {
  return plannedChanges(plan).map((c) => `${c.actions.join('+')} ${c.address}`);
}

/** The `terraform` CLI in the synthesized stack's directory (`cdktf.out/stacks/cockroach`). */
export class TerraformDriver {
  constructor(
    private readonly stackDir: string,
    private readonly exec: CommandRunner,
  ) {}

  /** `terraform init` when the directory was never initialized (a fresh clone after `npm run synth`). */
  ensureInitialized(): void {
    if (existsSync(join(this.stackDir, '.terraform'))) return;
    this.run(['init', '-input=false', '-no-color']);
  }

  outputs(): Record<string, unknown> {
    const raw = JSON.parse(this.run(['output', '-json']).stdout) as Record<string, { value: unknown }>;
    return Object.fromEntries(Object.entries(raw).map(([name, output]) => [name, output.value]));
  }

  state(): TerraformShowState {
    return JSON.parse(this.run(['show', '-json']).stdout) as TerraformShowState;
  }

  /** A plain plan (everything in scope), saved to `planFile`, as JSON. */
  planPlain(planFile: string): TerraformPlanJson {
    this.run(['plan', '-input=false', '-no-color', '-lock-timeout=120s', `-out=${planFile}`]);
    return JSON.parse(this.run(['show', '-json', planFile]).stdout) as TerraformPlanJson;
  }

  /** Plans replacing `replace` with only `targets` (and what they depend on) in scope; returns the saved plan as JSON. */
  planTargeted(replace: readonly string[], targets: readonly string[], planFile: string): TerraformPlanJson {
    this.run(['plan', '-input=false', '-no-color', '-lock-timeout=120s', `-out=${planFile}`, ...replace.map((a) => `-replace=${a}`), ...targets.map((a) => `-target=${a}`)]);
    return JSON.parse(this.run(['show', '-json', planFile]).stdout) as TerraformPlanJson;
  }

  /** Applies exactly a saved plan (no new planning, no prompt). */
  apply(planFile: string): void {
    this.run(['apply', '-input=false', '-no-color', '-lock-timeout=120s', planFile]);
  }

  /** The command line an operator runs by hand (printed by the dry run and in failure messages). */
  commandLine(args: readonly string[]): string {
    return ['terraform', `-chdir=${this.stackDir}`, ...args].join(' ');
  }

  private run(args: string[]) {
    const result = this.exec('terraform', [`-chdir=${this.stackDir}`, ...args]);
    if (result.status !== 0) throw new Error(`terraform ${args[0]} failed (exit ${result.status}):\n${(result.stderr || result.stdout).trim()}`);
    return result;
  }
}
