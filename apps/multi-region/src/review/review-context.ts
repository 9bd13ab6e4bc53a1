import type { LoadedConfig, SynthesisResult } from '@crdb-ory/deployment';
import { type ReviewContext, reviewHeader } from '@crdb-ory/review';
import type { MultiRegionConfig } from '../config';

/**
 * The report's header (the configuration, the regions with the primary and secondary named, commit,
 * date, terraform) and the synthesis warnings. The single-region review's settings table is not
 * here yet (its key settings are the single-region ones).
 */
export function multiRegionReviewContext(loaded: LoadedConfig<MultiRegionConfig>, synthesis: SynthesisResult, root = process.cwd(), now = new Date()): ReviewContext {
  const { config } = loaded;
  const role = (region: string) => (region === config.primaryRegion ? ' (primary)' : region === config.secondaryRegion ? ' (secondary)' : '');
  return {
    header: reviewHeader(loaded, ['Regions', config.regions.map(({ region }) => `${region}${role(region)}`).join(', ')], root, now),
    warnings: synthesis.warnings.map((w) => ({ stackName: w.stackName, message: w.message })),
  };
}
