import { type OutputsContract, type StackReview, contractUnder } from '@crdb-ory/core';
import { type ConfigSource, describeConfigSource } from '@crdb-ory/core/configuration-source';
import { terraformVersion } from '@crdb-ory/terraform-harness';
import { ConfigError, type SynthesisResult, defaultOutdir } from '@crdb-ory/deployment';
import type { PolicyContext } from '@crdb-ory/policy';
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { type ReviewContext, renderMarkdown, renderSummary } from './report';
import { reviewStacks } from './review';
import { terraformRequired } from './terraform-required';
import { reviewVerdict } from './verdict';

/** What an app's synthesis gives its review. */
export interface ReviewedSynthesis {
  /** The synthesis of every stack into the review's folder (policy results, stacks in deploy order, warnings). */
  readonly synthesis: SynthesisResult;
  /** The product's VPCs, for what counts as exposed. */
  readonly policyContext: PolicyContext;
  /** The report's header, warnings and configuration rows. */
  readonly context: ReviewContext;
  /** The stacks' reviews, under the names this configuration gives the stacks. */
  readonly reviews: readonly StackReview[];
  /** Every outputs contract of the app: remote state of any stack is mocked from these. */
  readonly contracts: readonly OutputsContract[];
}

/** Reads the configuration and synthesizes every stack into `outdir`; throws a `ConfigError` on a bad configuration. */
export type ReviewSynthesize = (outdir: string) => ReviewedSynthesis;

/**
 * An app's `review` command: synthesizes into the output folder (`--outdir`, as the app's synth),
 * reviews every stack of the manifest, writes `<outdir>/review.md` and prints the summary. Returns
 * the exit code: 0 passed, 1 a failure (synthesis included), 2 a configuration error.
 */
export async function runReviewCommand(synthesize: ReviewSynthesize, outdir = defaultOutdir(), env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const reportPath = join(outdir, 'review.md');
  // A failed synthesis keeps the previous output; its old report must not pass for a new one.
  rmSync(reportPath, { force: true });
  let reviewed: ReviewedSynthesis;
  try {
    reviewed = synthesize(outdir);
  } catch (error) {
    const kind = error instanceof ConfigError ? 'Configuration error' : 'Synthesis failed';
    process.stderr.write(`${kind}, nothing was reviewed:\n${(error as Error).message}\n`);
    return error instanceof ConfigError ? 2 : 1;
  }
  const result = await reviewStacks({
    outdir,
    reviews: reviewed.reviews,
    contracts: reviewed.contracts,
    policy: reviewed.synthesis.policy,
    order: reviewed.synthesis.stacks.map((stack) => stack.name),
    policyContext: reviewed.policyContext,
  });
  const verdict = reviewVerdict(result, terraformRequired(env));
  writeFileSync(reportPath, renderMarkdown(result, verdict, reviewed.context));
  process.stdout.write(`${renderSummary(result, verdict, relative(process.cwd(), reportPath), reviewed.context)}\n`);
  return verdict.ok ? 0 : 1;
}

/** `runReviewCommand` as a process's main: sets the exit code, reports a crash. */
export function reviewMain(synthesize: ReviewSynthesize): void {
  runReviewCommand(synthesize).then(
    (code) => (process.exitCode = code),
    (error: Error) => {
      process.stderr.write(`Review crashed: ${error.stack ?? error.message}\n`);
      process.exitCode = 1;
    },
  );
}

/**
 * A stack's review under the names its app gives the stacks (`ProductStackProps.stackNames`:
 * `network` -> `network-us-east-2`): its own name, its outputs contract and every upstream
 * contract renamed, so the remote state and SSM reads of the renamed stacks match. The assertions
 * read the synthesized JSON and need no names.
 */
export function stackReviewUnder(review: StackReview, stackNames: Readonly<Record<string, string>>): StackReview {
  return {
    ...review,
    stackName: stackNames[review.stackName] ?? review.stackName,
    upstream: review.upstream.map((contract) => contractUnder(contract, stackNames)),
    ...(review.outputs ? { outputs: contractUnder(review.outputs, stackNames) } : {}),
  };
}

/**
 * The report's header rows: which configuration (its source and content hash, no machine path),
 * where (`place`: the region, or the regions), the commit, the date and the terraform version.
 */
export function reviewHeader(loaded: { readonly source: ConfigSource; readonly sha256?: string }, place: readonly [string, string], root = process.cwd(), now = new Date()): ReviewContext['header'] {
  const configuration = `${describeConfigSource(loaded.source, root)}${loaded.sha256 ? `, sha256 ${loaded.sha256.slice(0, 12)}` : ''}`;
  return [['Configuration', configuration], place, ['Commit', commitOf(root)], ['Date', `${now.toISOString().slice(0, 19)}Z`], ['Terraform', terraformVersion() ?? 'not installed']];
}

/** `8a23f97c1d2e` or `8a23f97c1d2e with uncommitted changes`; `unknown (not a git checkout)` outside git. */
export function commitOf(root: string): string {
  const git = (args: string[]) => spawnSync('git', args, { cwd: root, encoding: 'utf8' });
  const head = git(['rev-parse', '--short=12', 'HEAD']);
  if (head.status !== 0) return 'unknown (not a git checkout)';
  const dirty = git(['status', '--porcelain', '--untracked-files=no']).stdout.trim() !== '';
  return `${head.stdout.trim()}${dirty ? ' with uncommitted changes' : ''}`;
}
