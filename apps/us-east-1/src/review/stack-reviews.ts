import type { OutputsContract, StackReview } from '@crdb-ory/core';
import { COCKROACH_OUTPUTS, COCKROACH_PKI_OUTPUTS } from '@crdb-ory/cockroach';
import { EKS_OUTPUTS } from '@crdb-ory/eks';
import { NETWORK_OUTPUTS } from '@crdb-ory/network';

/**
 * Every stack's outputs contract: remote state inputs of any stack are mocked from these
 * examples, so a stack without a registered review is still test-applied.
 */
export const OUTPUT_CONTRACTS: readonly OutputsContract[] = [NETWORK_OUTPUTS, COCKROACH_PKI_OUTPUTS, COCKROACH_OUTPUTS, EKS_OUTPUTS];

/**
 * The stack-specific reviews (assertions after the mocked apply), one per stack package:
 * add `NETWORK_REVIEW`, `COCKROACH_REVIEW`, ... here when the stack is wired in `stacks.ts`.
 */
export const STACK_REVIEWS: readonly StackReview[] = [];
