import { reviewMain } from '@crdb-ory/review';
import { policyContext } from '@crdb-ory/deployment';
import { ConfigError, readConfig } from '../config';
import { defaultOutdir, synthesizeAll } from '../synthesize';
import { reviewContext } from './review-context';
import { OUTPUT_CONTRACTS, STACK_REVIEWS } from './stack-reviews';

reviewMain(() => {
  const outdir = defaultOutdir();
  return {
    outdir,
    isConfigError: (error) => error instanceof ConfigError,
    synthesize: () => {
      const loaded = readConfig();
      const synthesis = synthesizeAll(loaded.config, outdir, undefined, loaded.fingerprint);
      return {
        policy: synthesis.policy,
        order: synthesis.stacks.map((stack) => stack.name),
        policyContext: policyContext(loaded.config),
        context: reviewContext(loaded, synthesis),
        reviews: STACK_REVIEWS,
        contracts: OUTPUT_CONTRACTS,
      };
    },
  };
});
