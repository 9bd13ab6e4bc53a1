import { COCKROACH_REVIEW } from '@crdb-ory/cockroach';
import { MOCK_ACCOUNT, StackReview, SynthesizedStackJson, accountCheckOverrides } from '@crdb-ory/core';
import { EKS_REVIEW } from '@crdb-ory/eks';
import { NETWORK_REVIEW } from '@crdb-ory/network';
import { checkStacksJson } from '@crdb-ory/review';
import { assert, describe, expect, it } from 'vitest';
import { OUTPUT_CONTRACTS } from '../src/review/stack-reviews';
import { stackJson, synthesizeTo, withOperatorAccess } from './helpers';

/**
 * Issue 19: the account is checked at plan time, before anything is created. Real terraform 1.11
 * and the hashicorp/aws 5.100.0 mirror plan the synthesized stacks with a mocked aws provider whose
 * account data sources answer as a real account would (`MOCK_ACCOUNT`, changed per case): the
 * postconditions run exactly as in a real plan. Needs terraform and the mirror; fails without them.
 */
const outdir = synthesizeTo(withOperatorAccess({}));
const network = stackJson(outdir, 'network');
const cockroach = stackJson(outdir, 'cockroach');
const eks = stackJson(outdir, 'eks');

type Overrides = Record<string, Record<string, unknown>>;

/** A review that plans `json` against an account changed by `change`, with no assertions (the point is the plan). */
function against(review: StackReview, change: (overrides: Overrides) => void, quotas: Record<string, number> = {}): StackReview {
  return {
    ...review,
    expectedPlanFailures: undefined,
    assertions: () => [],
    overrideData: (json: SynthesizedStackJson) => {
      const overrides = accountCheckOverrides(json, 'us-east-1', { ...MOCK_ACCOUNT.quotas, ...quotas });
      change(overrides);
      return overrides;
    },
  };
}

function addressOf(json: Record<string, any>, type: string, namePart: string): string {
  const name = Object.keys(json.data[type]).find((candidate) => candidate.includes(namePart));
  if (!name) throw new Error(`no data.${type} named like ${namePart}`);
  return `data.${type}.${name}`;
}

/**
 * The region runs four instances: the deployment's own two (a node of each compute stack, in its
 * two VPCs), another team's On-Demand instance of `otherType` and a Spot instance: each listing of
 * `OnDemandStandardVcpusInUse` answers as DescribeInstances would with its filters.
 */
function runningInstances(json: Record<string, any>, o: Overrides, otherType: string, otherVcpus: number): void {
  o[addressOf(json, 'aws_instances', 'vcpus-in-use_running')] = { ids: ['i-own-node', 'i-own-eks-node', 'i-other-team', 'i-spot'] };
  o[addressOf(json, 'aws_instances', 'vcpus-in-use_own')] = { ids: ['i-own-node', 'i-own-eks-node'] };
  o[addressOf(json, 'aws_instances', 'vcpus-in-use_not-on-demand')] = { ids: ['i-spot'] };
  o[addressOf(json, 'aws_instance', 'other-instance')] = { instance_type: otherType };
  o[addressOf(json, 'aws_ec2_instance_type', 'other-instance-type')] = { default_vcpus: otherVcpus };
}

function flat(text: string): string {
  return text.replace(/\s+/g, ' ');
}

const outputOf = (check: Awaited<ReturnType<typeof checkStacksJson>>[number]) => flat(check.steps.find((step) => step.command === 'test')?.output ?? '');

describe('plan-time account checks (terraform test, mocked account)', () => {
  it('stop each plan with one message naming the setting, the value and the fix, and let a deployed environment re-plan', async () => {
    const checked = await checkStacksJson(
      [
        {
          // Another team already holds 2 of the 5 Elastic IPs, and us-east-1c is not available to this account.
          json: network,
          review: against(NETWORK_REVIEW, (o) => {
            o[addressOf(network, 'aws_eips', 'account-checks_eips')] = { allocation_ids: ['eipalloc-1', 'eipalloc-2'], public_ips: [] };
            o[addressOf(network, 'aws_availability_zones', 'zones')] = { names: ['us-east-1a', 'us-east-1b', 'us-east-1d'] };
          }),
        },
        {
          // The environment is deployed: its own 4 Elastic IPs and 2 VPCs are in the listings (with the state tag), 5 EIPs in all.
          json: network,
          review: against(NETWORK_REVIEW, (o) => {
            o[addressOf(network, 'aws_eips', 'account-checks_eips')] = { allocation_ids: ['eipalloc-other', 'eipalloc-1', 'eipalloc-2', 'eipalloc-3', 'eipalloc-4'], public_ips: [] };
            o[addressOf(network, 'aws_eips', 'own-eips')] = { allocation_ids: ['eipalloc-1', 'eipalloc-2', 'eipalloc-3', 'eipalloc-4'], public_ips: [] };
            o[addressOf(network, 'aws_vpcs', 'account-checks_vpcs')] = { ids: ['vpc-default', 'vpc-1', 'vpc-2', 'vpc-x', 'vpc-y'] };
            o[addressOf(network, 'aws_vpcs', 'own-vpcs')] = { ids: ['vpc-1', 'vpc-2'] };
          }),
        },
        {
          // m6i.2xlarge is not offered in us-east-1c, and the vCPU quota is the documented default, 5.
          json: cockroach,
          review: against(
            COCKROACH_REVIEW,
            (o) => {
              o[addressOf(cockroach, 'aws_ec2_instance_type_offerings', 'instance-type-offered')] = {
                instance_types: ['m6i.2xlarge', 'm6i.2xlarge'],
                locations: ['us-east-1a', 'us-east-1b'],
                location_types: ['availability-zone', 'availability-zone'],
              };
            },
            { 'L-1216C47A': 5 },
          ),
        },
        { json: eks, review: against(EKS_REVIEW, () => undefined, { 'L-1216C47A': 63 }) },
        // Another team runs an On-Demand c5.2xlarge (8 vCPUs) beside the deployed cluster and a Spot instance: the raised quota of 64 no longer holds the nodes.
        { json: cockroach, review: against(COCKROACH_REVIEW, (o) => runningInstances(cockroach, o, 'c5.2xlarge', 8)) },
        // The same account, but the other team's instance is a g5.xlarge, which has a quota of its own: nothing of the standard quota is in use by others.
        { json: eks, review: against(EKS_REVIEW, (o) => runningInstances(eks, o, 'g5.xlarge', 4)) },
      ],
      OUTPUT_CONTRACTS,
    );
    assert.lengthOf(checked, 6, 'one check per case');
    const [lowEipsAndZone, redeployed, notOfferedAndVcpus, eksVcpus, otherTeamsInstance, otherTeamsGpu] = checked;
    expect(lowEipsAndZone.status).toBe('failed');
    const network_ = outputOf(lowEipsAndZone);
    expect(network_).toContain('Resource postcondition failed');
    expect(network_).toContain(
      'network.natGateways "ory-per-az" allocates 4 Elastic IPs (one per NAT gateway), and 2 are in use by other resources of the account: 6 in all, but the quota L-0263D0A3 ("EC2-VPC Elastic IPs") of this account in us-east-1 is 5. Request an increase of L-0263D0A3',
    );
    expect(network_).toContain('or set network.natGateways to "single" (2 Elastic IPs; see docs/network.md); then plan again.');
    expect(network_).toContain('availabilityZones lists us-east-1c, which this account cannot use in us-east-1 now');
    expect(network_.match(/Resource postcondition failed/g)).toHaveLength(2);

    expect(redeployed.status, outputOf(redeployed)).toBe('passed');

    expect(notOfferedAndVcpus.status).toBe('failed');
    const cockroach_ = outputOf(notOfferedAndVcpus);
    expect(cockroach_).toContain('cockroach.instanceType "m6i.2xlarge" is not offered in us-east-1c (EC2 DescribeInstanceTypeOfferings for this account)');
    expect(cockroach_).toContain('cockroach.instanceType "m6i.2xlarge": 3 nodes need 24 On-Demand standard vCPUs, and the EKS nodes up to 40 (at a node update)');
    expect(cockroach_).toContain('but the quota L-1216C47A ("Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances") of this account in us-east-1 is 5. Request an increase of L-1216C47A');
    expect(cockroach_).toContain('--quota-code L-1216C47A --desired-value 64');

    expect(eksVcpus.status).toBe('failed');
    expect(outputOf(eksVcpus)).toContain('eks.nodeInstanceType "m5.xlarge" with eks.nodeMaxSize 4 runs up to 40 On-Demand standard vCPUs (4 nodes plus the 6 a node update adds) and the CockroachDB nodes 24');
    expect(outputOf(eksVcpus)).toContain('is 63.');

    expect(otherTeamsInstance.status).toBe('failed');
    expect(outputOf(otherTeamsInstance)).toContain(
      'cockroach.instanceType "m6i.2xlarge": 3 nodes need 24 On-Demand standard vCPUs, and the EKS nodes up to 40 (at a node update), and 8 are in use by other resources of the account: 72 in all, but the quota L-1216C47A',
    );
    expect(outputOf(otherTeamsInstance)).toContain('--quota-code L-1216C47A --desired-value 72');
    expect(outputOf(otherTeamsInstance).match(/Resource postcondition failed/g)).toHaveLength(1);

    expect(otherTeamsGpu.status, outputOf(otherTeamsGpu)).toBe('passed');
  }, 600_000);
});
