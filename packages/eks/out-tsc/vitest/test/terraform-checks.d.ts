import { type SynthesizedStackJson } from '@crdb-ory/core';
import type { EksStackReview } from '../src';
import { type TerraformResult } from '@crdb-ory/terraform-harness';
/**
 * A `terraform test` file for a mocked apply: the aws provider mocked, every upstream stack's
 * remote state overridden with its contract's examples, the review's assertions in one run.
 */
export declare function mockedApplyTest(review: EksStackReview, stack: SynthesizedStackJson): string;
/** A scratch folder holding the stack's JSON and a CLI config that takes the aws provider from the local mirror. */
export declare function terraformWorkspace(stack: SynthesizedStackJson): {
    dir: string;
    run: (args: string[]) => TerraformResult;
};
//# sourceMappingURL=terraform-checks.d.ts.map