import { renderMarkdown, renderSummary, reviewStacks, reviewVerdict } from '@crdb-ory/review';
import { rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ConfigError, LoadedConfig, readConfig } from '../config';
import { policyContext } from '@crdb-ory/deployment';
import { SynthesisResult, defaultOutdir, synthesizeAll } from '../synthesize';
import { reviewContext } from './review-context';
import { OUTPUT_CONTRACTS, STACK_REVIEWS } from './stack-reviews';
import { terraformRequired } from './terraform-required';

function synthesize(outdir: string): { loaded: LoadedConfig; synthesis: SynthesisResult } | number {
  try {
    const loaded = readConfig();
    return { loaded, synthesis: synthesizeAll(loaded.config, outdir, undefined, loaded.fingerprint) };
  } catch (error) {
    const kind = error instanceof ConfigError ? 'Configuration error' : 'Synthesis failed';
    process.stderr.write(`${kind}, nothing was reviewed:\n${(error as Error).message}\n`);
    return error instanceof ConfigError ? 2 : 1;
  }
}

async function main(): Promise<number> {
  const outdir = defaultOutdir();
  const reportPath = join(outdir, 'review.md');
  // A failed synthesis keeps the previous output; its old report must not pass for a new one.
  rmSync(reportPath, { force: true });
  const synthesized = synthesize(outdir);
  if (typeof synthesized === 'number') return synthesized;
  const { loaded, synthesis } = synthesized;
  const result = await reviewStacks({
    outdir,
    reviews: STACK_REVIEWS,
    contracts: OUTPUT_CONTRACTS,
    policy: synthesis.policy,
    order: synthesis.stacks.map((stack) => stack.name),
    policyContext: policyContext(loaded.config),
  });
  const verdict = reviewVerdict(result, terraformRequired(process.env));
  const context = reviewContext(loaded, synthesis);
  writeFileSync(reportPath, renderMarkdown(result, verdict, context));
  process.stdout.write(`${renderSummary(result, verdict, relative(process.cwd(), reportPath), context)}\n`);
  return verdict.ok ? 0 : 1;
}

main().then(
  (code) => (process.exitCode = code),
  (error: Error) => {
    process.stderr.write(`Review crashed: ${error.stack ?? error.message}\n`);
    process.exitCode = 1;
  },
);
