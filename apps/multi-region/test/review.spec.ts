import { readCdktfManifest } from '@crdb-ory/core';
import type { SynthesizedStackJson } from '@crdb-ory/core';
import { checkStacksJson, providerName, reviewStacks, reviewVerdict } from '@crdb-ory/review';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveMultiRegionConfig } from '../src/config';
import { INTER_REGION_STACK_NAME } from '../src/inter-region-stack';
import { multiRegionOutputContracts, multiRegionStackReviews } from '../src/review/stack-reviews';
import { multiRegionPolicyContext, synthesizeMultiRegion } from '../src/synthesize';

// One synthesis of the defaults, as the review target does (`nx run @crdb-ory/multi-region:review` runs the mocked applies of all of them).
const config = resolveMultiRegionConfig(undefined);
const outdir = join(mkdtempSync(join(tmpdir(), 'crdb-ory-multi-region-review-')), 'cdktf.out');
const synthesis = synthesizeMultiRegion(config, outdir);
const reviews = multiRegionStackReviews(config);
const contracts = multiRegionOutputContracts(config);

/** The global stacks with no package review of their own: the generic mocked apply, their remote state mocked from the app's contracts. */
const GENERIC = [INTER_REGION_STACK_NAME, 'ory-shared-secrets'];

function stackJson(name: string): SynthesizedStackJson {
  const manifest = readCdktfManifest(outdir);
  return JSON.parse(readFileSync(join(outdir, manifest.stacks[name]?.synthesizedStackPath ?? `missing-${name}`), 'utf8')) as SynthesizedStackJson;
}

describe('the multi-region offline review', () => {
  it('covers every stack of the app: each aws-only stack is reviewed under its own name, every upstream read is mocked from a contract, the others are named with their providers', async () => {
    // Without terraform (cheap): what each stack would be checked with, and the verdict's own checks (contract gaps, unmatched remote state).
    const result = await reviewStacks({ outdir, reviews, contracts, policy: synthesis.policy, policyContext: multiRegionPolicyContext(config), terraform: false, mirrorOf: () => undefined });
    expect(result.stacks.map((s) => s.stackName).sort()).toEqual(synthesis.stacks.map((s) => s.name).sort());
    expect(reviewVerdict(result, false).problems).toEqual([]);
    for (const stack of result.stacks) {
      const others = stack.providers.map(providerName).filter((name) => name !== 'hashicorp/aws');
      if (others.length === 0) expect(stack.registered || GENERIC.includes(stack.stackName), `${stack.stackName} has a review`).toBe(true);
      for (const input of stack.upstream) expect(input.contract?.stackName, `${stack.stackName} reads ${input.dataSource}`).toBeDefined();
    }
    // Every region's stacks are reviewed under their regional names.
    for (const { region } of config.regions) {
      for (const name of ['network', 'cockroach', 'eks', 'ory']) expect(result.stacks.find((s) => s.stackName === `${name}-${region}`)?.registered, `${name}-${region}`).toBe(true);
    }
    // The stacks whose providers cannot be installed here: named, so the report says why they are skipped.
    const notAwsOnly = result.stacks.filter((s) => s.providers.some((p) => providerName(p) !== 'hashicorp/aws')).map((s) => s.stackName);
    expect(notAwsOnly.sort()).toEqual(['cockroach-pki', ...config.regions.map(({ region }) => `ory-${region}`)].sort());
  });

  it('fails a stack whose mocked apply fails (a broken reference), and passes it intact, every aliased provider mocked; a stack terraform test cannot mock is not checked', async () => {
    const intact = stackJson(INTER_REGION_STACK_NAME);
    // The inter-region stack has an aws provider aliased to every region: an unmocked alias would need real credentials.
    expect((intact['provider'] as { aws: Array<{ alias?: string }> }).aws.map((p) => p.alias).filter(Boolean)).toEqual(config.regions.map(({ region }) => region));
    const text = JSON.stringify(intact);
    expect(text).toContain('outputs.cockroach_private_route_table_ids');
    const broken = JSON.parse(text.replace('outputs.cockroach_private_route_table_ids', 'outputs.cockroach_private_route_tables')) as SynthesizedStackJson;
    const review = { stackName: INTER_REGION_STACK_NAME, upstream: [], assertions: () => [] };
    // ory-shared-secrets's ephemeral passwords cannot be mocked by terraform test: not checked, never passed.
    const secrets = { json: stackJson('ory-shared-secrets'), review: { ...review, stackName: 'ory-shared-secrets' } };
    // One terraform process for all (one init), as the review shares it between stacks.
    const [intactCheck, brokenCheck, secretsCheck] = await checkStacksJson([{ json: intact, review }, { json: broken, review }, secrets], contracts);
    expect(intactCheck?.status).toBe('passed');
    expect(brokenCheck?.status).toBe('failed');
    expect(brokenCheck?.steps.find((step) => !step.ok)?.output).toContain('does not have an attribute named "cockroach_private_route_tables"');
    expect(secretsCheck).toMatchObject({ status: 'not-run', reason: expect.stringContaining('ephemeral') });
  }, 300_000);
});
