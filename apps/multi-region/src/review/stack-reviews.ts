import type { OutputsContract, StackReview } from '@crdb-ory/core';
import { COCKROACH_BACKUP_OUTPUTS, COCKROACH_BACKUP_REVIEW, COCKROACH_BACKUP_STACK_NAME, COCKROACH_OUTPUTS, COCKROACH_PKI_OUTPUTS, COCKROACH_PKI_REVIEW, cockroachStackReview, nodeIpsOfSubnets } from '@crdb-ory/cockroach';
import { EKS_OUTPUTS, EKS_REVIEW } from '@crdb-ory/eks';
import { NETWORK_REVIEW, NETWORK_STACK_NAME, regionalNetworkOutputs } from '@crdb-ory/network';
import { ORY_STACK_NAME, oryStackReview, regionalOryOutputs } from '@crdb-ory/ory';
import { stackReviewUnder } from '@crdb-ory/review';
import { STATE_OUTPUTS, STATE_REVIEW } from '@crdb-ory/state';
import type { MultiRegionConfig, RegionConfig } from '../config';
import { regionalStackName, regionalStackNames } from '../stack-names';

/**
 * Every stack review of the multi-region app: the global stacks' (`state`; `cockroach-pki`, which
 * reads every region's network stack), each region's network, cockroach (its own node IPs), eks
 * and ory stacks under their regional names (`regionalStackNames`), and both backup stacks (the
 * primary's, the secondary's replica). `inter-region`, `ory-shared-secrets` and `ory-public-dns`
 * have no package review: they get the generic mocked apply, their remote state mocked from
 * `multiRegionOutputContracts`.
 */
export function multiRegionStackReviews(config: MultiRegionConfig): StackReview[] {
  const backups = [config.primaryRegion, config.secondaryRegion].map((region) => stackReviewUnder(COCKROACH_BACKUP_REVIEW, backupStackNames(config, region)));
  const pki = { ...stackReviewUnder(COCKROACH_PKI_REVIEW, regionalStackNames(config, config.primaryRegion)), upstream: config.regions.map(({ region }) => networkOutputs(config, region)) };
  return [STATE_REVIEW, pki, ...backups, ...config.regions.flatMap((entry) => regionReviews(config, entry))];
}

/** The reviews of one region's stacks, under that region's stack names; its network stack publishes the mesh's outputs too (`regionalNetworkOutputs`). */
function regionReviews(config: MultiRegionConfig, entry: RegionConfig): StackReview[] {
  const names = regionalStackNames(config, entry.region);
  const network = { ...stackReviewUnder(NETWORK_REVIEW, names), outputs: networkOutputs(config, entry.region) };
  const cockroach = stackReviewUnder(cockroachStackReview(nodeIpsOfSubnets(entry.cockroachVpc.privateSubnetCidrs)), names);
  const upstreamNetwork = (review: StackReview) => ({ ...review, upstream: review.upstream.map((contract) => (contract.stackName === names[NETWORK_STACK_NAME] ? networkOutputs(config, entry.region) : contract)) });
  return [network, upstreamNetwork(cockroach), upstreamNetwork(stackReviewUnder(EKS_REVIEW, names)), oryStackReview(names)];
}

/**
 * Every outputs contract of the app under its stacks' names: the global ones, both backup
 * stacks', and each region's. Remote state of any stack (those without a review too) is mocked from these.
 */
export function multiRegionOutputContracts(config: MultiRegionConfig): OutputsContract[] {
  const backups = [config.primaryRegion, config.secondaryRegion].map((region) => ({ ...COCKROACH_BACKUP_OUTPUTS, stackName: backupStackNames(config, region)[COCKROACH_BACKUP_STACK_NAME] as string }));
  const regional = config.regions.flatMap(({ region }) => {
    const names = regionalStackNames(config, region);
    return [networkOutputs(config, region), { ...COCKROACH_OUTPUTS, stackName: names[COCKROACH_OUTPUTS.stackName] as string }, { ...EKS_OUTPUTS, stackName: names[EKS_OUTPUTS.stackName] as string }, regionalOryOutputs(names[ORY_STACK_NAME] as string)];
  });
  return [STATE_OUTPUTS, COCKROACH_PKI_OUTPUTS, ...backups, ...regional];
}

function networkOutputs(config: MultiRegionConfig, region: string): OutputsContract {
  return regionalNetworkOutputs(regionalStackNames(config, region)[NETWORK_STACK_NAME] as string);
}

/** A backup stack's names: its own, in its region, and that region's network stack. */
function backupStackNames(config: MultiRegionConfig, region: string): Record<string, string> {
  return { ...regionalStackNames(config, region), [COCKROACH_BACKUP_STACK_NAME]: regionalStackName(COCKROACH_BACKUP_STACK_NAME, region) };
}
