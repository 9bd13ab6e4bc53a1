import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BASELINE_DIR, MOVE_EXPECTED_FLAGS, REHEARSED_STACKS, baselineCommit, readBaselineStack } from '../src';
import { STACK_GRAPH } from './stack-graph';

describe('the baseline the rehearsal moves from (what main deployed)', () => {
  it('holds exactly the rehearsed stacks, and names the commit they come from', () => {
    expect(readdirSync(join(BASELINE_DIR, 'stacks')).sort()).toEqual(REHEARSED_STACKS.map((stack) => stack.name).sort());
    expect(baselineCommit()).toMatch(/^[0-9a-f]{40}$/);
    expect(existsSync(join(BASELINE_DIR, 'synthesize-baseline.sh'))).toBe(true);
  });

  it('is the deployment before this change: the cockroach stack reads the PKI state and its nodes carry AmazonSSMManagedInstanceCore, the state has no key', () => {
    const cockroach = readBaselineStack('cockroach');
    expect(Object.keys(cockroach['data']['terraform_remote_state'])).toContain('remote-state-cockroach-pki');
    expect(Object.values<Record<string, string>>(cockroach['resource']['aws_iam_role_policy_attachment']).map((a) => a['policy_arn'])).toContain('arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore');
    expect(readBaselineStack('state')['resource']['aws_kms_key']).toBeUndefined();
    expect(readBaselineStack('network')['terraform']['backend']['s3']['kms_key_id']).toBeUndefined();
  });

  it('deploys along this version\'s stack graph, which orders every upstream read the baseline makes (main declared no dependencies then)', () => {
    for (const { name, dependencies } of STACK_GRAPH) {
      const stack = readBaselineStack(name);
      // Remote state keys are `<keyPrefix>/<stack>.tfstate`; an S3 backend keeps its state in the bucket the state stack creates.
      const reads = Object.values<{ config: { key: string } }>(stack['data']?.['terraform_remote_state'] ?? {}).map((read) => read.config.key.replace(/^.*\/([^/]+)\.tfstate$/, '$1'));
      const upstream = [...reads, ...(stack['terraform']['backend']?.['s3'] ? ['state'] : [])];
      expect(upstream.filter((read) => !dependencies.includes(read)), name).toEqual([]);
    }
    expect(readBaselineStack('cockroach')['data']['terraform_remote_state']).toHaveProperty('remote-state-cockroach-pki');
  });

  it('must move with nothing flagged', () => {
    expect(MOVE_EXPECTED_FLAGS).toEqual([]);
  });
});
