import type { StackReview } from '@crdb-ory/core';
import { EKS_REVIEW, NO_API_ACCESS_MESSAGE } from '@crdb-ory/eks';
import { ORY_STACK_NAME } from '@crdb-ory/ory';
import { checkStackJson } from '@crdb-ory/review';
import { GO_RUNTIME_ENV, runTerraform } from '@crdb-ory/terraform-harness';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OUTPUT_CONTRACTS } from '../src/review/stack-reviews';
import { stackJson, synthesizeTo, tempDir, withOperatorAccess } from './helpers';

/**
 * "The deploy stops at plan time, before anything is created", proven with real terraform 1.11
 * and the hashicorp/aws 5.100.0 mirror: `terraform test` plans the synthesized eks stack with a
 * mocked aws provider (nothing real can be created, and the precondition is evaluated exactly as
 * in a real plan). The ory stack's providers (kubernetes, helm, random) are not installable here,
 * so its plan-time stop, which lives on its read of the eks state, is planned on its own.
 * Needs terraform and the mirror; fails without them.
 */
const defaults = synthesizeTo();
const configured = synthesizeTo(withOperatorAccess({}));
const temps: string[] = [];
afterAll(() => temps.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** The review without its plan-time expectation: a plain mocked apply, to read what Terraform says. */
const PLAIN_APPLY: StackReview = { ...EKS_REVIEW, expectedPlanFailures: undefined, assertions: () => [] };

function testOutput(check: Awaited<ReturnType<typeof checkStackJson>>): string {
  return check.steps.find((step) => step.command === 'test')?.output ?? '';
}

/** Terraform wraps long messages: compare with whitespace collapsed. */
function flat(text: string): string {
  return text.replace(/\s+/g, ' ');
}

describe('eks: nobody can reach the API (the defaults) stops the plan at the cluster', () => {
  it('the review plans it and sees exactly the cluster precondition fail', async () => {
    const json = stackJson(defaults, 'eks');
    const check = await checkStackJson(json, EKS_REVIEW, OUTPUT_CONTRACTS);
    const [cluster] = Object.keys(json.resource.aws_eks_cluster);
    expect(check).toMatchObject({ status: 'passed', expectedPlanFailures: [`aws_eks_cluster.${cluster}`] });
  }, 300_000);

  it('the plan fails with the message that says what to set, and nothing is applied', async () => {
    const check = await checkStackJson(stackJson(defaults, 'eks'), PLAIN_APPLY, OUTPUT_CONTRACTS);
    expect(check.status).toBe('failed');
    const output = flat(testOutput(check));
    expect(output).toContain('Error: Resource precondition failed');
    expect(output).toContain(flat(NO_API_ACCESS_MESSAGE));
    expect(output).not.toMatch(/run "mocked_apply"\.\.\. pass/);
  }, 300_000);

  it('without the precondition the expected stop does not happen, and the review fails', async () => {
    const json = stackJson(defaults, 'eks');
    const cluster = Object.values<any>(json.resource.aws_eks_cluster)[0];
    cluster.lifecycle.precondition = cluster.lifecycle.precondition.filter((p: any) => !p.condition.includes('kubernetes_api_access'));
    const check = await checkStackJson(json, EKS_REVIEW, OUTPUT_CONTRACTS);
    expect(check.status).toBe('failed');
    expect(flat(testOutput(check))).toMatch(/Missing expected failure .* aws_eks_cluster\.\S+, was expected to report an error but did not/);
  }, 300_000);
});

describe('eks: with operator access the plan goes through', () => {
  it('a mocked apply passes with every review assertion', async () => {
    const check = await checkStackJson(stackJson(configured, 'eks'), EKS_REVIEW, OUTPUT_CONTRACTS);
    expect(check.status).toBe('passed');
    expect(check).not.toHaveProperty('expectedPlanFailures');
    expect(check.status === 'passed' && check.assertions.length).toBeGreaterThanOrEqual(15);
  }, 300_000);

  it('stops when the identity running the deploy also has its own admin entry (EKS takes one per principal)', async () => {
    const deployer = 'arn:aws:iam::123456789012:role/mock-deployer'; // what EKS_REVIEW mocks aws_iam_session_context with
    const outdir = synthesizeTo(withOperatorAccess({ eks: { adminPrincipalArns: [deployer] } }));
    const check = await checkStackJson(stackJson(outdir, 'eks'), EKS_REVIEW, OUTPUT_CONTRACTS);
    expect(check.status).toBe('failed');
    expect(flat(testOutput(check))).toContain(`The identity running this deploy (${deployer}) is also listed in adminPrincipalArns (eks.adminPrincipalArns)`);
  }, 300_000);
});

describe("ory: its plan stops at reading the eks stack's state", () => {
  /** The ory stack's eks remote-state block and the local it reads, verbatim, as a configuration of their own. */
  function planEksStateRead(outdir: string): { ok: boolean; output: string } {
    const json = stackJson(outdir, ORY_STACK_NAME);
    const dir = tempDir('ory-eks-state');
    temps.push(dir);
    const remoteState = json.data.terraform_remote_state['remote-state-eks'];
    writeFileSync(
      join(dir, 'main.tf.json'),
      JSON.stringify({ locals: json.locals, data: { terraform_remote_state: { 'remote-state-eks': { ...remoteState, config: { path: join(dir, 'terraform.eks.tfstate') } } } } }),
    );
    expect(runTerraform(['init', '-backend=false', '-input=false'], { cwd: dir, env: GO_RUNTIME_ENV }).ok).toBe(true);
    const plan = runTerraform(['plan', '-input=false'], { cwd: dir, env: GO_RUNTIME_ENV });
    return { ok: plan.ok, output: flat(plan.output) };
  }

  it('with the defaults: the precondition fails with the message, before the state is even read', () => {
    const plan = planEksStateRead(defaults);
    expect(plan.ok).toBe(false);
    expect(plan.output).toContain('Error: Resource precondition failed');
    expect(plan.output).toContain(flat(NO_API_ACCESS_MESSAGE));
    expect(plan.output).not.toContain('Unable to find remote state');
  }, 120_000);

  it('with operator access: the precondition holds and terraform goes on to read the (missing) eks state', () => {
    const plan = planEksStateRead(configured);
    expect(plan.ok).toBe(false);
    expect(plan.output).not.toContain('Resource precondition failed');
    expect(plan.output).toContain('Unable to find remote state');
  }, 120_000);
});
