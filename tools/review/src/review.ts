import { awsMockDefaults } from './aws-mock-defaults';
import { OutputsContract, StackCheckResult, StackReview, SynthesizedStackJson } from '@crdb-ory/core';
import type { StackPolicyReport } from '@crdb-ory/policy';
import { findProviderMirror, terraformAvailable } from '@crdb-ory/terraform-harness';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { UpstreamInput, upstreamInputs } from './mocked-inputs';
import { StackProvider, providerName, requiredProviders } from './required-providers';
import { contractGaps, resourceCounts } from './stack-summary';
import { MirrorLookup, TerraformCheck, TerraformCheckInput, checkWithTerraform } from './terraform-check';

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
  /** Results of the review's other checks (`StackReview.checks`), by check name. */
  readonly checks?: ReadonlyArray<StackCheckResult & { readonly name: string }>;
  readonly policy?: StackPolicyReport;
}

export interface ReviewResult {
  readonly stacks: readonly StackReviewResult[];
  /** Where each provider the stacks need is installed from: a mirror folder, or `registry`. */
  readonly providerSources: ReadonlyArray<{ readonly provider: string; readonly source: string }>;
  readonly terraformAvailable: boolean;
  readonly seconds: number;
}

/** Reviews every stack of `manifest.json`: summary, Terraform checks (in parallel), policy results. */
export async function reviewStacks(options: ReviewOptions): Promise<ReviewResult> {
  const started = Date.now();
  const terraform = options.terraform ?? terraformAvailable();
  const mirrorOf = options.mirrorOf ?? cachedMirrorLookup();
  const stacks = readManifest(options.outdir);
  const results = await mapLimited(stacks, Math.max(2, cpus().length), (stack) => reviewStack(stack, options, terraform, mirrorOf));
  return { stacks: results, providerSources: providerSources(results, mirrorOf), terraformAvailable: terraform, seconds: (Date.now() - started) / 1000 };
}

function providerSources(stacks: readonly StackReviewResult[], mirrorOf: MirrorLookup): ReviewResult['providerSources'] {
  const unique = new Map(stacks.flatMap((stack) => stack.providers).map((p) => [`${providerName(p)} ${p.version}`, p]));
  return [...unique.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([provider, requirement]) => ({ provider, source: mirrorOf(requirement) ?? 'registry' }));
}

/**
 * What the Terraform check of one stack runs with: its providers, remote state mocked from the
 * upstream contracts' examples, the review's assertions, data overrides and aws mock shapes.
 */
export function terraformCheckInput(
  stackDir: string,
  json: SynthesizedStackJson,
  review: StackReview | undefined,
  contracts: readonly OutputsContract[],
  mirrorOf: MirrorLookup = cachedMirrorLookup(),
): TerraformCheckInput {
  return {
    stackDir,
    json,
    providers: requiredProviders(json),
    inputs: upstreamInputs(json, [...(review?.upstream ?? []), ...contracts]),
    assertions: review?.assertions(json) ?? [],
    overrideData: review?.overrideData?.(json) ?? {},
    awsMocks: awsMockDefaults(review),
    expectedPlanFailures: review?.expectedPlanFailures?.(json) ?? [],
    mirrorOf,
  };
}

/**
 * The Terraform check (init, validate, mocked apply with the review's assertions) of one stack
 * given as JSON, e.g. a deliberately broken copy in a test.
 */
export async function checkStackJson(json: SynthesizedStackJson, review: StackReview, contracts: readonly OutputsContract[] = []): Promise<TerraformCheck> {
  const dir = mkdtempSync(join(tmpdir(), 'crdb-ory-stack-'));
  try {
    writeFileSync(join(dir, 'cdk.tf.json'), JSON.stringify(json));
    return await checkWithTerraform(terraformCheckInput(dir, json, review, contracts));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function reviewStack(stack: ManifestStack, options: ReviewOptions, terraform: boolean, mirrorOf: MirrorLookup): Promise<StackReviewResult> {
  const json = JSON.parse(readFileSync(join(options.outdir, stack.synthesizedStackPath), 'utf8')) as SynthesizedStackJson;
  const review = options.reviews.find((candidate) => candidate.stackName === stack.name);
  const outputsContract = review?.outputs ?? options.contracts.find((contract) => contract.stackName === stack.name);
  const input = terraformCheckInput(join(options.outdir, stack.workingDirectory), json, review, options.contracts, mirrorOf);
  const { providers, inputs: upstream } = input;
  const check: TerraformCheck = terraform ? await checkWithTerraform(input) : { status: 'not-run', reason: 'terraform CLI not found on PATH', steps: [] };
  const policy = options.policy.find((report) => report.stackName === stack.name);
  const checks = await runChecks(review, json);
  return {
    stackName: stack.name,
    resources: resourceCounts(json),
    providers,
    ...(outputsContract ? { outputsContract, contractGaps: contractGaps(json, outputsContract) } : {}),
    upstream,
    registered: review !== undefined,
    terraform: check,
    ...(checks.length > 0 ? { checks } : {}),
    ...(policy ? { policy } : {}),
  };
}

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

interface ManifestStack {
  readonly name: string;
  readonly workingDirectory: string;
  readonly synthesizedStackPath: string;
}

function readManifest(outdir: string): ManifestStack[] {
  const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')) as { stacks: Record<string, ManifestStack> };
  return Object.values(manifest.stacks);
}

function cachedMirrorLookup(): MirrorLookup {
  const cache = new Map<string, string | undefined>();
  return (provider) => {
    const key = `${provider.namespace}/${provider.type}/${provider.version}`;
    if (!cache.has(key)) cache.set(key, findProviderMirror(provider));
    return cache.get(key);
  };
}

async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
