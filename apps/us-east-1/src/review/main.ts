import { policyContext } from '@crdb-ory/deployment';
import { reviewMain } from '@crdb-ory/review';
import { readConfig } from '../config';
import { synthesizeAll } from '../synthesize';
import { reviewContext } from './review-context';
import { OUTPUT_CONTRACTS, STACK_REVIEWS } from './stack-reviews';

reviewMain((outdir) => {
  const loaded = readConfig();
  const synthesis = synthesizeAll(loaded.config, outdir, undefined, loaded.fingerprint);
  return { synthesis, policyContext: policyContext(loaded.config), context: reviewContext(loaded, synthesis), reviews: STACK_REVIEWS, contracts: OUTPUT_CONTRACTS };
});
