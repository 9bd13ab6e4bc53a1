import { MockDefaults, SynthesizedStackJson, TerraformTestAssertion } from '@crdb-ory/core';
import { GO_RUNTIME_ENV, ProviderRequirement, runTerraformAsync, writeMirrorCliConfig } from '@crdb-ory/terraform-harness';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
  /**
   * This stack's own time: for `test` run together with other stacks, its test file's time (its
   * mocked apply); for `init`, and `test` run alone, the whole command's.
   */
  readonly seconds: number;
  /** Set when the command ran once for several stacks: how many, and how long the whole command took. */
  readonly shared?: { readonly stacks: number; readonly seconds: number };
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
  | {
      readonly status: 'passed' | 'failed';
      readonly steps: readonly TerraformStep[];
      readonly assertions: readonly AssertionResult[];
      /** Set when the stack's plan must stop at these preconditions: the run was a plan expecting them, no assertion was applied. */
      readonly expectedPlanFailures?: readonly string[];
    }
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
 * `terraform init -backend=false`, then `terraform test -json` (a mocked apply, which
 * validates and plans the configuration first) in a scratch copy of the stack, so the
 * synthesized output stays untouched. A provider that can be neither found in a mirror nor
 * installed makes the stack `unavailable`, never passed. Each assertion gets its outcome.
 */
export async function checkWithTerraform(input: TerraformCheckInput): Promise<TerraformCheck> {
  const [check] = await checkAllWithTerraform([input]);
  return check as TerraformCheck;
}

/**
 * Checks several stacks, in as few terraform processes as possible: the stacks whose providers
 * all come from one filesystem mirror share one `init` and one `terraform test` (each stack's
 * folder a module with its own test file), because loading the 700 MB aws provider's schema is
 * most of a check's time; stacks needing a provider from elsewhere are checked one by one, in
 * parallel, so an unavailable provider marks only its own stacks. Results are in input order.
 */
export async function checkAllWithTerraform(inputs: readonly TerraformCheckInput[]): Promise<TerraformCheck[]> {
  const mirrors = inputs.map((input) => singleMirror(input));
  const batchMirror = mirrors.find((m): m is string => m !== undefined);
  const batched = inputs.flatMap((_, i) => (batchMirror !== undefined && mirrors[i] === batchMirror ? [i] : []));
  const results: TerraformCheck[] = new Array(inputs.length);
  const single = inputs.flatMap((input, i) => (batched.includes(i) ? [] : [{ input, i }]));
  const batchRun = batched.length > 0 ? runBatch(batched.map((i) => inputs[i] as TerraformCheckInput)) : Promise.resolve([]);
  const [batchResults, singleResults] = await Promise.all([batchRun, Promise.all(single.map(({ input }) => runBatch([input])))]);
  batched.forEach((index, k) => (results[index] = batchResults[k] as TerraformCheck));
  single.forEach(({ i }, k) => (results[i] = (singleResults[k] as TerraformCheck[])[0] as TerraformCheck));
  return results.map((check) => notMockable(check));
}

/** Terraform's diagnostic when a stack has an ephemeral resource (terraform 1.11's `terraform test` cannot mock one). */
const EPHEMERAL_NOT_MOCKABLE = 'No ephemeral resource types in mock providers';

/**
 * A stack whose mocked apply failed only because `terraform test` cannot mock its ephemeral
 * resources (e.g. `aws_secretsmanager_random_password`) is not checked, never passed: read from
 * Terraform's own diagnostic at run time, so a terraform that can mock them checks the stack.
 */
function notMockable(check: TerraformCheck): TerraformCheck {
  if (check.status !== 'failed') return check;
  const failed = check.steps.filter((step) => !step.ok);
  const errors = failed.flatMap((step) => (step.output ?? '').split('\n').filter((line) => line.startsWith('Error: ')));
  if (errors.length === 0 || !errors.every((line) => line === `Error: ${EPHEMERAL_NOT_MOCKABLE}`)) return check;
  return { status: 'not-run', reason: 'ephemeral resources: terraform test cannot mock them here', steps: check.steps };
}

/** The one mirror all of the stack's providers come from; undefined when some come from elsewhere (or from two mirrors). */
function singleMirror(input: TerraformCheckInput): string | undefined {
  const mirrors = new Set(input.providers.map((provider) => input.mirrorOf(provider)));
  const [only] = [...mirrors];
  return mirrors.size === 1 && only !== undefined ? only : undefined;
}

/** One init and one `terraform test` for `inputs`; if that init fails with several stacks, each is checked on its own. */
async function runBatch(inputs: readonly TerraformCheckInput[]): Promise<TerraformCheck[]> {
  const scratch = mkdtempSync(join(tmpdir(), 'crdb-ory-review-'));
  try {
    const modules = inputs.length > 1 ? moduleNames(inputs) : undefined;
    const testFiles = inputs.map((input, i) => prepareScratch(scratch, input, modules?.[i]));
    const cliConfigFile = cliConfig(scratch, inputs);
    const hide = pathHider(scratch, inputs);
    const run = (args: string[]) => runTerraformAsync(args, { cwd: scratch, env: GO_RUNTIME_ENV, ...(cliConfigFile ? { cliConfigFile } : {}) });
    const init = await run(['init', '-backend=false', '-input=false']);
    const shared = (seconds: number) => (inputs.length > 1 ? { shared: { stacks: inputs.length, seconds } } : {});
    const initStep: TerraformStep = { command: 'init', ok: init.ok, seconds: init.seconds, ...shared(init.seconds), ...(init.ok ? {} : { output: hide(init.output.trim()) }) };
    if (!init.ok && inputs.length > 1) return (await Promise.all(inputs.map((input) => runBatch([input])))).flat();
    if (!init.ok) {
      const input = inputs[0] as TerraformCheckInput;
      const missing = unmirrored(input).filter((provider) => init.output.includes(providerName(provider)));
      if (missing.length > 0) return [{ status: 'unavailable', reason: `${missing.map(providerName).join(', ')} unavailable`, steps: [initStep] }];
      return [{ status: 'failed', steps: [initStep], assertions: input.assertions.map((a) => ({ ...a, outcome: 'not evaluated' as const })) }];
    }
    const test = await run(['test', '-json']);
    const report = parseTerraformTestJson(test.output);
    return inputs.map((input, i) => {
      const file = `tests/${testFileName(modules?.[i])}`;
      const errors = report.diagnostics.filter((d) => d.severity === 'error' && (d.testFile === undefined ? inputs.length === 1 : d.testFile === file));
      const ok = inputs.length === 1 ? test.ok : report.files.get(file) === 'pass';
      const failureText = errors.length > 0 ? errors.map(formatDiagnostic).join('\n\n') : test.output.trim();
      const own = inputs.length > 1 ? (report.fileSeconds.get(file) ?? test.seconds) : test.seconds;
      const testStep: TerraformStep = { command: 'test', ok, seconds: own, ...shared(test.seconds), ...(ok ? {} : { output: hide(failureText) }) };
      const expected = input.expectedPlanFailures ?? [];
      if (expected.length > 0) return { status: ok ? 'passed' : 'failed', steps: [initStep, testStep], assertions: [], expectedPlanFailures: expected };
      return { status: ok ? 'passed' : 'failed', steps: [initStep, testStep], assertions: assertionOutcomes(input.assertions, assertionConditionLines(testFiles[i] as string), ok, errors) };
    });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** A folder name per stack (from its backend-free JSON's stack name when it has one), unique. */
function moduleNames(inputs: readonly TerraformCheckInput[]): string[] {
  const used = new Set<string>();
  return inputs.map((input, i) => {
    const metadata = (input.json['//'] as { metadata?: { stackName?: unknown } } | undefined)?.metadata;
    const base = (typeof metadata?.stackName === 'string' ? metadata.stackName : `stack-${i}`).replace(/[^A-Za-z0-9_-]/g, '_');
    const name = used.has(base) ? `${base}-${i}` : base;
    used.add(name);
    return name;
  });
}

function testFileName(module: string | undefined): string {
  return `${module ?? 'review'}.tftest.hcl`;
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
function pathHider(scratch: string, inputs: readonly TerraformCheckInput[]): (text: string) => string {
  const mirrors = [...new Set(inputs.flatMap((input) => input.providers.map((p) => input.mirrorOf(p))).filter((m): m is string => Boolean(m)))];
  const cliConfigFile = process.env['TF_CLI_CONFIG_FILE'];
  const home = process.env['HOME'];
  const replacements: Array<[string, string]> = [
    [scratch, '<stack copy>'],
    ...mirrors.map((m): [string, string] => [m, '<provider mirror>']),
    ...(cliConfigFile ? [[cliConfigFile, '<terraform CLI config>'] as [string, string]] : []),
    ...(home && home !== '/' ? [[home, '~'] as [string, string]] : []),
  ];
  return (text) => replacements.reduce((acc, [path, label]) => acc.split(path).join(label), text);
}

/** The stack JSON without its backend (state is never touched offline) plus the generated test file. */
function prepareScratch(scratch: string, input: TerraformCheckInput, module?: string): string {
  const dir = module ? join(scratch, 'stacks', module) : scratch;
  cpSync(input.stackDir, dir, { recursive: true, filter: (source) => !source.startsWith(join(input.stackDir, '.terraform')) });
  writeFileSync(join(dir, 'cdk.tf.json'), JSON.stringify(withoutBackend(input.json), null, 2));
  if (module && !existsSync(join(scratch, 'main.tf.json'))) writeFileSync(join(scratch, 'main.tf.json'), '{}');
  mkdirSync(join(scratch, 'tests'), { recursive: true });
  const testFile = renderTestFile(input.providers, input.inputs, input.assertions, input.overrideData, input.awsMocks, input.expectedPlanFailures, module ? `./stacks/${module}` : undefined);
  writeFileSync(join(scratch, 'tests', testFileName(module)), testFile);
  return testFile;
}

function withoutBackend(json: SynthesizedStackJson): SynthesizedStackJson {
  const terraform = Object.fromEntries(Object.entries(json.terraform ?? {}).filter(([key]) => key !== 'backend'));
  return { ...json, terraform };
}

/** A CLI config installing mirrored providers from their mirror; none when nothing is mirrored (the user's own config applies). */
function cliConfig(scratch: string, inputs: readonly TerraformCheckInput[]): string | undefined {
  const mirrored = inputs.flatMap((input) => input.providers.flatMap((provider) => {
    const mirror = input.mirrorOf(provider);
    return mirror ? [{ provider, mirror }] : [];
  }));
  const mirror = mirrored[0]?.mirror;
  if (!mirror) return undefined;
  const sameMirror = [...new Map(mirrored.filter((m) => m.mirror === mirror).map((m) => [providerName(m.provider), m.provider])).values()];
  return writeMirrorCliConfig(scratch, mirror, sameMirror);
}

function unmirrored(input: TerraformCheckInput): StackProvider[] {
  return input.providers.filter((provider) => input.mirrorOf(provider) === undefined);
}
