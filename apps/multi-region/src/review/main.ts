import { ConfigError, defaultOutdir } from '@crdb-ory/deployment';
import { reviewMain } from '@crdb-ory/review';
import { readMultiRegionConfig } from '../config';
import { multiRegionPolicyContext, synthesizeMultiRegion } from '../synthesize';
import { multiRegionReviewContext } from './review-context';
import { multiRegionOutputContracts, multiRegionStackReviews } from './stack-reviews';

reviewMain(() => {
  const outdir = defaultOutdir();
  return {
    outdir,
    isConfigError: (error) => error instanceof ConfigError,
    synthesize: () => {
      const loaded = readMultiRegionConfig();
      const synthesis = synthesizeMultiRegion(loaded.config, outdir, loaded.fingerprint);
      return {
        policy: synthesis.policy,
        order: synthesis.stacks.map((stack) => stack.name),
        policyContext: multiRegionPolicyContext(loaded.config),
        context: multiRegionReviewContext(loaded, synthesis),
        // The stack names follow the configured regions.
        reviews: multiRegionStackReviews(loaded.config),
        contracts: multiRegionOutputContracts(loaded.config),
      };
    },
  };
});
