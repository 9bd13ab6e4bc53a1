import type { ReviewContext } from '@crdb-ory/review';
import { terraformVersion } from '@crdb-ory/terraform-harness';
import { spawnSync } from 'node:child_process';
import { LoadedConfig, describeConfigSource, resolveConfig } from '../config';
import type { SynthesisResult } from '../synthesize';
import { configurationRows } from './configuration-rows';

/** The cost table of the defaults, by line item, from where the report is written (`cdktf.out/review.md`). */
export const COST_DOCUMENT = '../docs/cost.md';

/**
 * The report's header: which configuration (source and content hash, no machine path), region,
 * commit and date were reviewed, with which terraform; the synthesis warnings; the key settings
 * and every setting that differs from the defaults; where the prices of the cost drivers are.
 */
export function reviewContext(loaded: LoadedConfig, synthesis: SynthesisResult, root = process.cwd(), now = new Date()): ReviewContext {
  const configuration = `${describeConfigSource(loaded.source, root)}${loaded.sha256 ? `, sha256 ${loaded.sha256.slice(0, 12)}` : ''}`;
  return {
    header: [
      ['Configuration', configuration],
      ['Region', loaded.config.region],
      ['Commit', commitOf(root)],
      ['Date', `${now.toISOString().slice(0, 19)}Z`],
      ['Terraform', terraformVersion() ?? 'not installed'],
    ],
    warnings: synthesis.warnings.map((w) => ({ stackName: w.stackName, message: w.message })),
    configuration: configurationRows(loaded.config, resolveConfig(undefined)),
    costDocument: COST_DOCUMENT,
  };
}

/** `8a23f97c1d2e` or `8a23f97c1d2e with uncommitted changes`; `unknown (not a git checkout)` outside git. */
export function commitOf(root: string): string {
  const git = (args: string[]) => spawnSync('git', args, { cwd: root, encoding: 'utf8' });
  const head = git(['rev-parse', '--short=12', 'HEAD']);
  if (head.status !== 0) return 'unknown (not a git checkout)';
  const dirty = git(['status', '--porcelain', '--untracked-files=no']).stdout.trim() !== '';
  return `${head.stdout.trim()}${dirty ? ' with uncommitted changes' : ''}`;
}
