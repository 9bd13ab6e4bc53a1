import { type ReviewContext, reviewHeader } from '@crdb-ory/review';
import { LoadedConfig, resolveConfig } from '../config';
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
  return {
    header: reviewHeader(loaded, ['Region', loaded.config.region], root, now),
    warnings: synthesis.warnings.map((w) => ({ stackName: w.stackName, message: w.message })),
    configuration: configurationRows(loaded.config, resolveConfig(undefined)),
    costDocument: COST_DOCUMENT,
  };
}
