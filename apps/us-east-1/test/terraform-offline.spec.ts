import { COCKROACH_REVIEW } from '@crdb-ory/cockroach';
import type { StackReview } from '@crdb-ory/core';
import { EKS_REVIEW } from '@crdb-ory/eks';
import { NETWORK_REVIEW } from '@crdb-ory/network';
import { TerraformCheck, checkStacksJson } from '@crdb-ory/review';
import { beforeAll, describe, expect, it } from 'vitest';
import { OUTPUT_CONTRACTS } from '../src/review/stack-reviews';
import { stackJson, synthesizeTo, withOperatorAccess } from './helpers';

/**
 * The review's mocked applies pass on the real stacks (the review target, review-command.spec.ts);
 * these prove the assertions bite: a deliberately broken copy of each aws stack must fail its
 * mocked apply with the assertion's message. Needs terraform and the aws provider mirror; fails
 * without them. The three copies share one terraform process (as the review's stacks do).
 */
const outdir = synthesizeTo();

function brokenNetwork(): Record<string, any> {
  const json = stackJson(outdir, 'network');
  const [group] = Object.values<any>(json.resource.aws_default_security_group);
  group.ingress = [{ protocol: '-1', from_port: 0, to_port: 0, cidr_blocks: ['0.0.0.0/0'], description: null, ipv6_cidr_blocks: null, prefix_list_ids: null, security_groups: null, self: null }];
  const oneWay = Object.keys(json.resource.aws_route).filter((name) => name.includes('requester-to-accepter'));
  expect(oneWay).toHaveLength(3);
  for (const name of oneWay) delete json.resource.aws_route[name];
  return json;
}

function brokenCockroach(): Record<string, any> {
  const json = stackJson(outdir, 'cockroach');
  Object.values<any>(json.resource.aws_lb)[0].internal = false;
  return json;
}

function brokenEks(): Record<string, any> {
  // With operator access: the defaults stop at plan time by design (plan-time-stops.spec.ts), before any assertion.
  const json = stackJson(synthesizeTo(withOperatorAccess({})), 'eks');
  Object.values<any>(json.resource.aws_launch_template)[0].metadata_options.http_tokens = 'optional';
  Object.values<any>(json.resource.aws_eks_cluster)[0].access_config.authentication_mode = 'API_AND_CONFIG_MAP';
  return json;
}

const BROKEN: ReadonlyArray<{ json: () => Record<string, any>; review: StackReview }> = [
  { json: brokenNetwork, review: NETWORK_REVIEW },
  { json: brokenCockroach, review: COCKROACH_REVIEW },
  { json: brokenEks, review: EKS_REVIEW },
];
let checks: TerraformCheck[] = [];
beforeAll(async () => {
  checks = await checkStacksJson(
    BROKEN.map(({ json, review }) => ({ json: json(), review })),
    OUTPUT_CONTRACTS,
  );
}, 300_000);

function failingMessages(index: number): string {
  const check = checks[index];
  expect(check?.status).toBe('failed');
  const test = check?.steps.find((step) => step.command === 'test');
  expect(test?.ok).toBe(false);
  return test?.output ?? '';
}

describe('the review assertions catch broken stacks (terraform test, mocked aws)', () => {
  it('network: a default security group with a rule and a missing peering route', () => {
    const output = failingMessages(0);
    expect(output).toMatch(/default security group of aws_vpc\.\S+ must\s+exist\s+and\s+have\s+no\s+rules/);
    expect(output).toMatch(/aws_vpc_peering_connection\.\S+\s+must\s+be\s+accepted\s+and\s+have\s+routes\s+to\s+both/);
  });

  it('cockroach: an internet-facing SQL load balancer', () => {
    expect(failingMessages(1)).toContain('the SQL load balancer is internal');
  });

  it('eks: IMDSv1 allowed on nodes and the aws-auth ConfigMap enabled', () => {
    const output = failingMessages(2);
    expect(output).toContain('Nodes must require IMDSv2.');
    expect(output).toContain('The cluster must use API authentication (access entries only).');
  });
});
