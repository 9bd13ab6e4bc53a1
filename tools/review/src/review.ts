import { type ManifestStack, OutputsContract, StackCheckResult, StackReview, SynthesizedStackJson, readCdktfManifest, readManifestStackJson } from '@crdb-ory/core';
import { awsLocationOf, awsMockDefaults } from './aws-mock-defaults';
import { UpstreamValues, deriveUpstreamValues } from './derived-outputs';
import { EMPTY_POLICY_CONTEXT, PolicyContext, StackPolicyReport } from '@crdb-ory/policy';
import { CostDriver, costDrivers } from './cost-drivers';
import { Exposure, exposureOf } from './exposure';
import { findProviderMirror, terraformAvailable } from '@crdb-ory/terraform-harness';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UpstreamInput, upstreamInputs } from './mocked-inputs';
import { StackProvider, providerName, requiredProviders } from './required-providers';
import { contractGaps, resourceCounts } from './stack-summary';
import { MirrorLookup, TerraformCheck, TerraformCheckInput, checkAllWithTerraform } from './terraform-check';

export interface ReviewOptions {
  /** The synthesis output folder holding `manifest.json`. */
  readonly outdir: string;
  /** Registered reviews (assertions, contracts) by stack name; unregistered stacks get generic mocks. */
  readonly reviews: readonly StackReview[];
  /** Every outputs contract of the product, to mock remote state of stacks without a review. */
  readonly contracts: readonly OutputsContract[];
  /** Policy results from synthesis, by stack. */
  readonly policy: readonly StackPolicyReport[];
  /** @default a lookup in the machine's provider mirrors (found at run time) */
  readonly mirrorOf?: MirrorLookup;
  /** @default whether `terraform` answers on PATH */
  readonly terraform?: boolean;
  /** Stack names in the order the report lists them (the deploy order). @default the manifest's order */
  readonly order?: readonly string[];
  /** The product's VPCs (what is inside them is not exposure). @default none known: every CIDR counts as outside */
  readonly policyContext?: PolicyContext;
}

export interface StackReviewResult {
  readonly stackName: string;
  readonly resources: ReadonlyArray<{ type: string; count: number }>;
  readonly providers: readonly StackProvider[];
  readonly outputsContract?: OutputsContract;
  readonly contractGaps?: { missing: string[]; undeclared: string[] };
  readonly upstream: readonly UpstreamInput[];
  readonly registered: boolean;
  readonly terraform: TerraformCheck;
  readonly policy?: StackPolicyReport;
  /** Results of the review's other checks (`StackReview.checks`, e.g. Helm rendering), by check name. */
  readonly checks?: ReadonlyArray<StackCheckResult & { readonly name: string }>;
}

export type ProviderSource = 'mirror' | 'registry' | 'unavailable';

export interface ReviewResult {
  readonly stacks: readonly StackReviewResult[];
  /** Where each provider the stacks need came from: a filesystem mirror, the registry, or nowhere (unavailable). */
  readonly providerSources: ReadonlyArray<{ readonly provider: string; readonly source: ProviderSource }>;
  readonly terraformAvailable: boolean;
  readonly seconds: number;
  /** What networks outside the product's VPCs can reach, and from where. */
  readonly exposure: readonly Exposure[];
  /** What the monthly bill is made of, counted. */
  readonly costDrivers: readonly CostDriver[];
}

/** Reviews every stack of `manifest.json`: summary, Terraform checks (in parallel), policy results. */
export async function reviewStacks(options: ReviewOptions): Promise<ReviewResult> {
  const started = Date.now();
  const terraform = options.terraform ?? terraformAvailable();
  const mirrorOf = options.mirrorOf ?? cachedMirrorLookup();
  const stacks = inOrder(Object.values(readCdktfManifest(options.outdir).stacks), options.order ?? []).map((stack) => ({ ...stack, json: readManifestStackJson(options.outdir, stack) }));
  const contracts = [...options.contracts, ...options.reviews.flatMap((review) => [...review.upstream, ...(review.outputs ? [review.outputs] : [])])];
  const values = deriveUpstreamValues(new Map(stacks.map((stack) => [stack.name, stack.json])), uniqueContracts(contracts));
  const prepared = stacks.map((stack) => prepareStack(stack, options, mirrorOf, values));
  const [checks, extraChecks] = await Promise.all([
    terraform ? checkAllWithTerraform(prepared.map((p) => p.input)) : Promise.resolve(prepared.map((): TerraformCheck => ({ status: 'not-run', reason: 'terraform CLI not found on PATH', steps: [] }))),
    Promise.all(prepared.map((p) => runChecks(p.review, p.stack.json))),
  ]);
  const results = prepared.map((p, i) => stackResult(p, checks[i] as TerraformCheck, extraChecks[i] ?? [], options));
  const synthesized = stacks.map((stack) => ({ name: stack.name, json: stack.json }));
  return {
    stacks: results,
    providerSources: providerSources(results, mirrorOf),
    terraformAvailable: terraform,
    seconds: (Date.now() - started) / 1000,
    exposure: exposureOf(synthesized, options.policyContext ?? EMPTY_POLICY_CONTEXT),
    costDrivers: costDrivers(synthesized),
  };
}

function inOrder<T extends { readonly name: string }>(stacks: readonly T[], order: readonly string[]): T[] {
  const rank = (name: string) => (order.includes(name) ? order.indexOf(name) : order.length);
  return [...stacks].sort((a, b) => rank(a.name) - rank(b.name));
}

/** One contract per stack name: the first given wins, so the app's contracts (`ReviewOptions.contracts`) take precedence over a review's narrower view of an upstream stack. */
function uniqueContracts(contracts: readonly OutputsContract[]): OutputsContract[] {
  const unique = new Map<string, OutputsContract>();
  for (const contract of contracts) if (!unique.has(contract.stackName)) unique.set(contract.stackName, contract);
  return [...unique.values()];
}

function providerSources(stacks: readonly StackReviewResult[], mirrorOf: MirrorLookup): ReviewResult['providerSources'] {
  const unique = new Map(stacks.flatMap((stack) => stack.providers).map((p) => [`${providerName(p)} ${p.version}`, p]));
  const unavailable = new Set(stacks.flatMap((stack) => (stack.terraform.status === 'unavailable' ? stack.terraform.reason.replace(/ unavailable$/, '').split(', ') : [])));
  return [...unique.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([provider, requirement]) => ({
      provider,
      source: mirrorOf(requirement) ? 'mirror' : unavailable.has(providerName(requirement)) ? 'unavailable' : 'registry',
    }));
}

/**
 * What the Terraform check of one stack runs with: its providers, remote state mocked with what
 * the upstream stacks will publish (`values`; else the contracts' examples in the stack's
 * region), the review's assertions, data overrides and aws mock shapes for its region.
 */
export function terraformCheckInput(
  stackDir: string,
  json: SynthesizedStackJson,
  review: StackReview | undefined,
  contracts: readonly OutputsContract[],
  mirrorOf: MirrorLookup = cachedMirrorLookup(),
  values?: UpstreamValues,
): TerraformCheckInput {
  return {
    stackDir,
    json,
    providers: requiredProviders(json),
    inputs: upstreamInputs(json, [...(review?.upstream ?? []), ...contracts], values),
    assertions: review?.assertions(json) ?? [],
    overrideData: review?.overrideData?.(json) ?? {},
    awsMocks: awsMockDefaults(review, awsLocationOf(json)),
    expectedPlanFailures: review?.expectedPlanFailures?.(json) ?? [],
    mirrorOf,
  };
}

/**
 * The Terraform check (init, mocked apply with the review's assertions) of one stack given as
 * JSON, e.g. a deliberately broken copy in a test.
 */
export async function checkStackJson(json: SynthesizedStackJson, review: StackReview, contracts: readonly OutputsContract[] = []): Promise<TerraformCheck> {
  const [check] = await checkStacksJson([{ json, review }], contracts);
  return check as TerraformCheck;
}

/** `checkStackJson` for several stacks at once, sharing terraform processes where their providers allow. */
export async function checkStacksJson(stacks: ReadonlyArray<{ json: SynthesizedStackJson; review: StackReview }>, contracts: readonly OutputsContract[] = []): Promise<TerraformCheck[]> {
  const dirs = stacks.map(() => mkdtempSync(join(tmpdir(), 'crdb-ory-stack-')));
  try {
    const inputs = stacks.map(({ json, review }, i) => {
      writeFileSync(join(dirs[i] as string, 'cdk.tf.json'), JSON.stringify(json));
      return terraformCheckInput(dirs[i] as string, json, review, contracts);
    });
    return await checkAllWithTerraform(inputs);
  } finally {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
}

interface PreparedStack {
  readonly stack: ManifestStack & { readonly json: SynthesizedStackJson };
  readonly review: StackReview | undefined;
  readonly input: TerraformCheckInput;
}

function prepareStack(stack: ManifestStack & { readonly json: SynthesizedStackJson }, options: ReviewOptions, mirrorOf: MirrorLookup, values: UpstreamValues): PreparedStack {
  const review = options.reviews.find((candidate) => candidate.stackName === stack.name);
  const input = terraformCheckInput(join(options.outdir, stack.workingDirectory), stack.json, review, options.contracts, mirrorOf, values);
  return { stack, review, input };
}

function stackResult({ stack, review, input }: PreparedStack, check: TerraformCheck, checks: NonNullable<StackReviewResult['checks']>, options: ReviewOptions): StackReviewResult {
  const outputsContract = review?.outputs ?? options.contracts.find((contract) => contract.stackName === stack.name);
  const policy = options.policy.find((report) => report.stackName === stack.name);
  return {
    stackName: stack.name,
    resources: resourceCounts(stack.json),
    providers: input.providers,
    ...(outputsContract ? { outputsContract, contractGaps: contractGaps(stack.json, outputsContract) } : {}),
    upstream: input.inputs,
    registered: review !== undefined,
    terraform: check,
    ...(checks.length > 0 ? { checks } : {}),
    ...(policy ? { policy } : {}),
  };
}

/** Runs the review's other checks; one that throws is a failed check with its message. */
async function runChecks(review: StackReview | undefined, json: SynthesizedStackJson): Promise<NonNullable<StackReviewResult['checks']>> {
  return Promise.all(
    (review?.checks ?? []).map(async (check) => {
      try {
        return { name: check.name, ...(await check.run(json)) };
      } catch (error) {
        return { name: check.name, ok: false, summary: `FAILED: ${(error as Error).message.split('\n')[0]}`, details: [(error as Error).message] };
      }
    }),
  );
}

function cachedMirrorLookup(): MirrorLookup {
  const cache = new Map<string, string | undefined>();
  return (provider) => {
    const key = `${provider.namespace}/${provider.type}/${provider.version}`;
    if (!cache.has(key)) cache.set(key, findProviderMirror(provider));
    return cache.get(key);
  };
}
