import { MockDefaults, SynthesizedStackJson, TerraformTestAssertion } from '@crdb-ory/core';
import { ProviderRequirement, TerraformResult, runTerraformAsync, writeMirrorCliConfig } from '@crdb-ory/terraform-harness';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { UpstreamInput } from './mocked-inputs';
import { StackProvider, providerName } from './required-providers';
import { renderTestFile } from './test-file';

/** One terraform command of the check. */
export interface TerraformStep {
  readonly command: 'init' | 'validate' | 'test';
  readonly ok: boolean;
  readonly seconds: number;
  /** The command's output, kept only when it failed. */
  readonly output?: string;
}

/** Outcome of the Terraform part of a stack's review. */
export type TerraformCheck =
  | { readonly status: 'passed' | 'failed'; readonly steps: readonly TerraformStep[]; readonly assertions: number; readonly expectedPlanFailures?: readonly string[] }
  | { readonly status: 'unavailable'; readonly reason: string; readonly steps: readonly TerraformStep[] }
  | { readonly status: 'not-run'; readonly reason: string; readonly steps: readonly TerraformStep[] };

/** Where providers come from: a mirror per provider where the machine has one, else the registry. */
export type MirrorLookup = (provider: ProviderRequirement) => string | undefined;

export interface TerraformCheckInput {
  /** The synthesized stack folder (`cdktf.out/stacks/<stack>`). */
  readonly stackDir: string;
  readonly json: SynthesizedStackJson;
  readonly providers: readonly StackProvider[];
  readonly inputs: readonly UpstreamInput[];
  readonly assertions: readonly TerraformTestAssertion[];
  /** Overrides for other data sources, by address (`StackReview.overrideData`). */
  readonly overrideData?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** `mock_resource` / `mock_data` defaults of the mocked aws provider. */
  readonly awsMocks?: { resources: MockDefaults; data: MockDefaults };
  /** Checkable objects whose preconditions must stop the plan (`StackReview.expectedPlanFailures`). */
  readonly expectedPlanFailures?: readonly string[];
  readonly mirrorOf: MirrorLookup;
}

/**
 * `terraform init -backend=false`, `validate`, then `test` (a mocked apply) in a scratch copy
 * of the stack, so the synthesized output stays untouched. A provider that can be neither
 * found in a mirror nor installed makes the stack `unavailable`, never passed.
 */
export async function checkWithTerraform(input: TerraformCheckInput): Promise<TerraformCheck> {
  const scratch = mkdtempSync(join(tmpdir(), 'crdb-ory-review-'));
  try {
    prepareScratch(scratch, input);
    const cliConfigFile = cliConfig(scratch, input);
    const steps: TerraformStep[] = [];
    const run = async (command: TerraformStep['command'], args: string[]): Promise<TerraformResult> => {
      const result = await runTerraformAsync([command, ...args], { cwd: scratch, ...(cliConfigFile ? { cliConfigFile } : {}) });
      steps.push({ command, ok: result.ok, seconds: result.seconds, ...(result.ok ? {} : { output: result.output.trim() }) });
      return result;
    };
    const init = await run('init', ['-backend=false', '-input=false']);
    if (!init.ok) {
      const missing = unmirrored(input).filter((provider) => init.output.includes(providerName(provider)));
      if (missing.length > 0) return { status: 'unavailable', reason: `${missing.map(providerName).join(', ')} unavailable`, steps };
      return { status: 'failed', steps, assertions: input.assertions.length };
    }
    const validate = await run('validate', []);
    if (!validate.ok) return { status: 'failed', steps, assertions: input.assertions.length };
    const test = await run('test', []);
    const expected = input.expectedPlanFailures ?? [];
    if (expected.length > 0) return { status: test.ok ? 'passed' : 'failed', steps, assertions: 0, expectedPlanFailures: expected };
    return { status: test.ok ? 'passed' : 'failed', steps, assertions: input.assertions.length };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The stack JSON without its backend (state is never touched offline) plus the generated test file. */
function prepareScratch(scratch: string, input: TerraformCheckInput): void {
  cpSync(input.stackDir, scratch, { recursive: true, filter: (source) => !source.startsWith(join(input.stackDir, '.terraform')) });
  writeFileSync(join(scratch, 'cdk.tf.json'), JSON.stringify(withoutBackend(input.json), null, 2));
  mkdirSync(join(scratch, 'tests'));
  writeFileSync(join(scratch, 'tests', 'review.tftest.hcl'), renderTestFile(input.providers, input.inputs, input.assertions, input.overrideData, input.awsMocks, input.expectedPlanFailures));
}

function withoutBackend(json: SynthesizedStackJson): SynthesizedStackJson {
  const terraform = Object.fromEntries(Object.entries(json.terraform ?? {}).filter(([key]) => key !== 'backend'));
  return { ...json, terraform };
}

/** A CLI config installing mirrored providers from their mirror; none when nothing is mirrored (the user's own config applies). */
function cliConfig(scratch: string, input: TerraformCheckInput): string | undefined {
  const mirrored = input.providers.filter((provider) => input.mirrorOf(provider) !== undefined);
  const mirror = mirrored.map((provider) => input.mirrorOf(provider)!)[0];
  if (!mirror) return undefined;
  const sameMirror = mirrored.filter((provider) => input.mirrorOf(provider) === mirror);
  return writeMirrorCliConfig(scratch, mirror, sameMirror);
}

function unmirrored(input: TerraformCheckInput): StackProvider[] {
  return input.providers.filter((provider) => input.mirrorOf(provider) === undefined);
}
