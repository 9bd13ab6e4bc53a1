import { MockDefaults, SynthesizedStackJson, TerraformTestAssertion } from '@crdb-ory/core';
import { ProviderRequirement, runTerraformAsync, writeMirrorCliConfig } from '@crdb-ory/terraform-harness';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { UpstreamInput } from './mocked-inputs';
import { StackProvider, providerName } from './required-providers';
import { TerraformDiagnostic, formatDiagnostic, parseTerraformTestJson } from './terraform-json';
import { assertionConditionLines, renderTestFile } from './test-file';

/** One terraform command of the check. */
export interface TerraformStep {
  readonly command: 'init' | 'test';
  readonly ok: boolean;
  readonly seconds: number;
  /** What went wrong, as a person reads it; kept only when the step failed. No machine paths. */
  readonly output?: string;
}

/** How one assertion of the stack's review came out in the mocked apply. */
export type AssertionOutcome = 'passed' | 'failed' | 'not evaluated';

export interface AssertionResult extends TerraformTestAssertion {
  readonly outcome: AssertionOutcome;
}

/** Outcome of the Terraform part of a stack's review. */
export type TerraformCheck =
  | { readonly status: 'passed' | 'failed'; readonly steps: readonly TerraformStep[]; readonly assertions: readonly AssertionResult[] }
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
  readonly mirrorOf: MirrorLookup;
}

/**
 * `terraform init -backend=false`, then `terraform test` (a mocked apply, which validates and
 * plans the configuration first) in a scratch copy of the stack, so the synthesized output stays
 * untouched. A provider that can be neither found in a mirror nor installed makes the stack
 * `unavailable`, never passed. Each assertion is reported with its outcome.
 */
export async function checkWithTerraform(input: TerraformCheckInput): Promise<TerraformCheck> {
  const scratch = mkdtempSync(join(tmpdir(), 'crdb-ory-review-'));
  try {
    const testFile = prepareScratch(scratch, input);
    const cliConfigFile = cliConfig(scratch, input);
    const hide = pathHider(scratch, input);
    const steps: TerraformStep[] = [];
    const notEvaluated = input.assertions.map((assertion) => ({ ...assertion, outcome: 'not evaluated' as const }));
    const init = await runTerraformAsync(['init', '-backend=false', '-input=false'], { cwd: scratch, ...(cliConfigFile ? { cliConfigFile } : {}) });
    steps.push({ command: 'init', ok: init.ok, seconds: init.seconds, ...(init.ok ? {} : { output: hide(init.output.trim()) }) });
    if (!init.ok) {
      const missing = unmirrored(input).filter((provider) => init.output.includes(providerName(provider)));
      if (missing.length > 0) return { status: 'unavailable', reason: `${missing.map(providerName).join(', ')} unavailable`, steps };
      return { status: 'failed', steps, assertions: notEvaluated };
    }
    const test = await runTerraformAsync(['test', '-json'], { cwd: scratch, ...(cliConfigFile ? { cliConfigFile } : {}) });
    const report = parseTerraformTestJson(test.output);
    const errors = report.diagnostics.filter((d) => d.severity === 'error');
    const failureText = errors.length > 0 ? errors.map(formatDiagnostic).join('\n\n') : test.output.trim();
    steps.push({ command: 'test', ok: test.ok, seconds: test.seconds, ...(test.ok ? {} : { output: hide(failureText) }) });
    return { status: test.ok ? 'passed' : 'failed', steps, assertions: assertionOutcomes(input.assertions, assertionConditionLines(testFile), test.ok, errors) };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * Every assertion passed when the run passed. Otherwise the failed ones are those Terraform
 * reported ("Test assertion failed" on their condition line); the others passed when nothing
 * but assertions failed, and were not evaluated when the mocked apply itself failed.
 */
export function assertionOutcomes(assertions: readonly TerraformTestAssertion[], lines: readonly number[], ok: boolean, errors: readonly TerraformDiagnostic[]): AssertionResult[] {
  const failedLines = new Set(errors.filter((d) => d.summary === 'Test assertion failed').map((d) => d.line));
  const applyFailed = errors.some((d) => d.summary !== 'Test assertion failed');
  return assertions.map((assertion, i) => {
    const outcome: AssertionOutcome = ok ? 'passed' : failedLines.has(lines[i]) ? 'failed' : applyFailed ? 'not evaluated' : 'passed';
    return { ...assertion, outcome };
  });
}

/** Replaces the scratch folder and mirror folders in Terraform's output: reports hold no machine paths. */
function pathHider(scratch: string, input: TerraformCheckInput): (text: string) => string {
  const mirrors = [...new Set(input.providers.map((p) => input.mirrorOf(p)).filter((m): m is string => Boolean(m)))];
  const replacements: Array<[string, string]> = [[scratch, '<stack copy>'], ...mirrors.map((m): [string, string] => [m, '<provider mirror>'])];
  return (text) => replacements.reduce((acc, [path, label]) => acc.split(path).join(label), text);
}

/** The stack JSON without its backend (state is never touched offline) plus the generated test file. */
function prepareScratch(scratch: string, input: TerraformCheckInput): string {
  cpSync(input.stackDir, scratch, { recursive: true, filter: (source) => !source.startsWith(join(input.stackDir, '.terraform')) });
  writeFileSync(join(scratch, 'cdk.tf.json'), JSON.stringify(withoutBackend(input.json), null, 2));
  mkdirSync(join(scratch, 'tests'));
  const testFile = renderTestFile(input.providers, input.inputs, input.assertions, input.overrideData, input.awsMocks);
  writeFileSync(join(scratch, 'tests', 'review.tftest.hcl'), testFile);
  return testFile;
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
