import type { ConfigurationFingerprint } from '@crdb-ory/core/configuration-source';
import { type SynthesisResult, policyContextOf, synthesizeStacks } from '@crdb-ory/deployment';
import { NETWORK_STACK_NAME } from '@crdb-ory/network';
import type { PolicyContext } from '@crdb-ory/policy';
import type { MultiRegionConfig } from './config';
import { buildMultiRegionStacks, regionalStackName } from './stacks';

/**
 * What the policy rules know of the deployment: the CockroachDB and Ory VPC of every region
 * (CRDB-SG-002 admits a CockroachDB port's source only inside a declared VPC: the other regions'
 * CockroachDB VPCs the node rules open 26257 to), and the declared admin networks.
 */
export function multiRegionPolicyContext(config: MultiRegionConfig): PolicyContext {
  return policyContextOf(
    config.regions.map((entry) => ({ stackName: regionalStackName(NETWORK_STACK_NAME, entry.region), cockroachVpcCidr: entry.cockroachVpc.cidr, oryVpcCidr: entry.oryVpc.cidr })),
    config.cockroach.adminCidrs,
  );
}

/** The regions the Ory databases should have (what `npm run regions` converges them to): the primary region, the secondary region, then the others in `regions` order. */
export function databaseRegionsOf(config: MultiRegionConfig): string[] {
  const others = config.regions.map((entry) => entry.region).filter((region) => region !== config.primaryRegion && region !== config.secondaryRegion);
  return [config.primaryRegion, config.secondaryRegion, ...others];
}

/** Synthesizes every stack of the multi-region deployment into `outdir`, through the policy gate (nothing is written if a stack fails it). */
export function synthesizeMultiRegion(config: MultiRegionConfig, outdir: string, configuration?: ConfigurationFingerprint): SynthesisResult {
  return synthesizeStacks(outdir, { build: (app) => buildMultiRegionStacks(app, config), policyContext: multiRegionPolicyContext(config), configuration, databaseRegions: databaseRegionsOf(config) });
}
