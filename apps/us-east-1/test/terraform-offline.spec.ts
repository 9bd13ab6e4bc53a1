import { MockResourceDefaults, OfflineStackDir, mockedApplyTestFile } from '@crdb-ory/terraform-harness';
import { NETWORK_REVIEW } from '@crdb-ory/network';
import { STATE_REVIEW } from '@crdb-ory/state';
import type { StackReview } from '@crdb-ory/core';
import { afterAll, describe, expect, it } from 'vitest';
import { stackJson, synthesizeTo } from './helpers';

/** ARNs the mocked provider must return where the real provider validates them. */
const ARN_MOCKS: MockResourceDefaults = {
  aws_iam_role: { arn: 'arn:aws:iam::123456789012:role/mock' },
  aws_cloudwatch_log_group: { arn: 'arn:aws:logs:us-east-1:123456789012:log-group:mock' },
  aws_kms_key: { arn: 'arn:aws:kms:us-east-1:123456789012:key/mock' },
  aws_s3_bucket: { arn: 'arn:aws:s3:::mock-bucket' },
};

const outdir = synthesizeTo();
const dirs: OfflineStackDir[] = [];
afterAll(() => dirs.forEach((d) => d.dispose()));

function offline(json: Record<string, any>): OfflineStackDir {
  const dir = new OfflineStackDir(JSON.stringify(json));
  dirs.push(dir);
  return dir;
}

function mockedApply(dir: OfflineStackDir, review: StackReview, json: Record<string, any>) {
  dir.writeFile('review.tftest.hcl', mockedApplyTestFile(review.assertions(json), ARN_MOCKS));
  return dir.run(['test']);
}

describe.each([
  ['state', STATE_REVIEW],
  ['network', NETWORK_REVIEW],
])('terraform, offline, on the synthesized %s stack', (stack, review) => {
  const json = stackJson(outdir, stack);
  let dir: OfflineStackDir;

  it('passes terraform init -backend=false and terraform validate', () => {
    dir = offline(json);
    const result = dir.initAndValidate();
    expect(result.output).toContain('The configuration is valid.');
    expect(result.ok).toBe(true);
  }, 240_000);

  it('passes its review assertions after a mocked apply', () => {
    const result = mockedApply(dir, review, json);
    expect(result.output).toContain('1 passed, 0 failed');
    expect(result.ok).toBe(true);
  }, 240_000);
});

describe('the review assertions catch a broken network', () => {
  it('fails when a default security group gets a rule and a peering route is missing', () => {
    const json = stackJson(outdir, 'network');
    const [group] = Object.values<any>(json.resource.aws_default_security_group);
    group.ingress = [{ protocol: '-1', from_port: 0, to_port: 0, cidr_blocks: ['0.0.0.0/0'], description: null, ipv6_cidr_blocks: null, prefix_list_ids: null, security_groups: null, self: null }];
    const oneWay = Object.keys(json.resource.aws_route).filter((name) => name.includes('requester-to-accepter'));
    expect(oneWay).toHaveLength(3);
    for (const name of oneWay) delete json.resource.aws_route[name];
    const dir = offline(json);
    expect(dir.run(['init', '-backend=false', '-input=false']).ok).toBe(true);
    const result = mockedApply(dir, NETWORK_REVIEW, json);
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/default security group of aws_vpc\.\S+ must\s+exist\s+and\s+have\s+no\s+rules/);
    expect(result.output).toMatch(/aws_vpc_peering_connection\.\S+\s+must\s+be\s+accepted\s+and\s+have\s+routes\s+to\s+both/);
  }, 240_000);
});
