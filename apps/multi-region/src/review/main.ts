import { reviewMain } from '@crdb-ory/review';
import { readMultiRegionConfig } from '../config';
import { multiRegionPolicyContext, synthesizeMultiRegion } from '../synthesize';
import { multiRegionReviewContext } from './review-context';
import { multiRegionOutputContracts, multiRegionStackReviews } from './stack-reviews';

reviewMain((outdir) => {
  const loaded = readMultiRegionConfig();
  const synthesis = synthesizeMultiRegion(loaded.config, outdir, loaded.fingerprint);
  // The stacks' names, so their reviews and contracts, follow the configured regions.
  return {
    synthesis,
    policyContext: multiRegionPolicyContext(loaded.config),
    context: multiRegionReviewContext(loaded, synthesis),
    reviews: multiRegionStackReviews(loaded.config),
    contracts: multiRegionOutputContracts(loaded.config),
  };
});
