/**
 * The rules of issue 21 against what `main` deployed before it (the rehearsal's baseline,
 * tools/rehearsal/baseline: the stacks commit 437a04e synthesized): they fail it where it was
 * open, and pass what this version synthesizes (every synthesis runs the gate).
 */
import { SynthesizedStackJson } from '@crdb-ory/core';
import { EMPTY_POLICY_CONTEXT, INSTANCE_ROLE_SSM_LEAST_PRIVILEGE, NO_REMOTE_STATE_OF_KEY_HOLDER, StackDocument, evaluatePack } from '@crdb-ory/policy';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WORKSPACE_ROOT } from './helpers';

const BASELINE = join(WORKSPACE_ROOT, 'tools', 'rehearsal', 'baseline', 'stacks');
const documents = readdirSync(BASELINE).map((stack) => new StackDocument(stack, JSON.parse(readFileSync(join(BASELINE, stack, 'cdk.tf.json'), 'utf8')) as SynthesizedStackJson));
const cockroach = documents.find((d) => d.stackName === 'cockroach');
const addresses = (rule: typeof NO_REMOTE_STATE_OF_KEY_HOLDER) => (cockroach ? evaluatePack(cockroach, { name: 'issue-21', rules: [rule] }, { ...EMPTY_POLICY_CONTEXT, appStacks: documents }).findings.map((f) => f.address) : ['no cockroach stack in the baseline']);

describe('the new rules on what main deployed', () => {
  it("CRDB-STATE-001 fails the cockroach stack's read of the PKI state", () => {
    expect(addresses(NO_REMOTE_STATE_OF_KEY_HOLDER)).toEqual(['data.terraform_remote_state.remote-state-cockroach-pki']);
  });

  it("CRDB-SSM-001 fails AmazonSSMManagedInstanceCore on each node's role", () => {
    expect(addresses(INSTANCE_ROLE_SSM_LEAST_PRIVILEGE)).toEqual([1, 2, 3].map((n) => expect.stringMatching(new RegExp(`^aws_iam_role_policy_attachment\\.node-${n}-role_ssm_`))));
  });
});
