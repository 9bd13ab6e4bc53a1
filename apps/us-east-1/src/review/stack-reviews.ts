import type { OutputsContract, StackReview } from '@crdb-ory/core';
import { COCKROACH_BACKUP_OUTPUTS, COCKROACH_BACKUP_REVIEW, COCKROACH_OUTPUTS, COCKROACH_PKI_OUTPUTS, COCKROACH_PKI_REVIEW, COCKROACH_REVIEW } from '@crdb-ory/cockroach';
import { EKS_OUTPUTS, EKS_REVIEW } from '@crdb-ory/eks';
import { NETWORK_OUTPUTS, NETWORK_REVIEW } from '@crdb-ory/network';
import { ORY_OUTPUTS, ORY_REVIEW } from '@crdb-ory/ory';
import { STATE_OUTPUTS, STATE_REVIEW } from '@crdb-ory/state';
import { referenceChartsHelmCheck } from './helm-check';

/**
 * Every stack's outputs contract: remote state inputs of any stack are mocked from these
 * examples, so a stack without a registered review is still test-applied.
 */
export const OUTPUT_CONTRACTS: readonly OutputsContract[] = [STATE_OUTPUTS, NETWORK_OUTPUTS, COCKROACH_PKI_OUTPUTS, COCKROACH_BACKUP_OUTPUTS, COCKROACH_OUTPUTS, EKS_OUTPUTS, ORY_OUTPUTS];

/** The stack-specific reviews (assertions after the mocked apply), one per stack package. */
export const STACK_REVIEWS: readonly StackReview[] = [
  STATE_REVIEW,
  NETWORK_REVIEW,
  COCKROACH_PKI_REVIEW,
  COCKROACH_BACKUP_REVIEW,
  COCKROACH_REVIEW,
  EKS_REVIEW,
  // The ory stack cannot be checked by Terraform here (kubernetes/helm providers): Helm renders its releases instead.
  { ...ORY_REVIEW, checks: [referenceChartsHelmCheck(OUTPUT_CONTRACTS)] },
];
