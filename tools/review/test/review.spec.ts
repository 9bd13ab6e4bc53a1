import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StackCheck } from '@crdb-ory/core';
import { ReviewContext, ReviewResult, renderMarkdown, renderSummary, reviewStacks, reviewVerdict, stackLine } from '../src';
import { BROKEN_REVIEW, DB_REVIEW, GUARDED_REVIEW, NET_OUTPUTS, synthFixtureApp } from './fixture-app';

let outdir: string;
let result: ReviewResult;
const byName = (name: string) => {
  const stack = result.stacks.find((candidate) => candidate.stackName === name);
  if (!stack) throw new Error(`no stack ${name}`);
  return stack;
};

/** An other check like the Helm rendering of the ory stack: its summary joins the stack's line. */
const RENDER_CHECK: StackCheck = { name: 'render', run: async (json) => ({ ok: true, summary: `${Object.keys(json.resource ?? {}).length} resource type(s) rendered`, details: ['a detail'] }) };
const CONTEXT: ReviewContext = {
  header: [
    ['Configuration', 'fixture.json (named by CRDB_ORY_CONFIG), sha256 0123456789ab'],
    ['Region', 'us-east-1'],
    ['Commit', '0123456789ab'],
    ['Date', '2026-01-02T03:04:05Z'],
  ],
  warnings: [{ stackName: 'db', message: 'a warning raised at synthesis' }],
};

beforeAll(async () => {
  outdir = mkdtempSync(join(tmpdir(), 'review-fixture-'));
  synthFixtureApp(outdir);
  result = await reviewStacks({ outdir, reviews: [{ ...DB_REVIEW, checks: [RENDER_CHECK] }, BROKEN_REVIEW, GUARDED_REVIEW], contracts: [NET_OUTPUTS], policy: [], order: ['net', 'db', 'broken', 'guarded', 'pki'] });
}, 300_000);
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe('reviewStacks against real terraform and the provider mirror', () => {
  it('runs init and a mocked apply (terraform test) for a stack without upstream, and checks its contract', () => {
    const net = byName('net');
    expect(net.terraform.status).toBe('passed');
    expect(net.terraform.steps.map((s) => s.command)).toEqual(['init', 'test']);
    expect(net.contractGaps).toEqual({ missing: [], undeclared: [] });
  });

  it('mocks remote state with what the synthesized upstream publishes, not the contract examples, and proves each assertion', () => {
    const db = byName('db');
    expect(db.upstream.map((u) => [u.dataSource, u.contract?.stackName, u.derived])).toEqual([['remote-state-net', 'net', ['private_subnet_cidrs']]]);
    expect(db.upstream[0]?.outputs['private_subnet_cidrs']).toEqual(['10.30.10.0/24', '10.30.11.0/24', '10.30.12.0/24']);
    expect(db.terraform.status).toBe('passed');
    if (db.terraform.status !== 'passed') return;
    expect(db.terraform.assertions.map((a) => [a.errorMessage, a.outcome])).toEqual([
      ['three subnets in three distinct AZs', 'passed'],
      ['the first subnet takes the first CIDR the synthesized upstream publishes', 'passed'],
      ['subnets live in the upstream VPC', 'passed'],
    ]);
    expect(db.resources).toEqual([{ type: 'aws_subnet', count: 3 }]);
  });

  it('fails a stack whose assertion is false, naming that assertion failed and the other held', () => {
    const broken = byName('broken');
    expect(broken.terraform.status).toBe('failed');
    if (broken.terraform.status !== 'failed') return;
    expect(broken.terraform.assertions.map((a) => a.outcome)).toEqual(['failed', 'passed']);
    expect(broken.terraform.steps.at(-1)?.output).toContain('deliberately wrong expectation');
    expect(broken.terraform.steps.at(-1)?.output).toMatch(/^Error: Test assertion failed\n {2}on tests\/broken\.tftest\.hcl line \d+: condition/m);
  });

  it('reports a stack needing a provider that is not installable here as not checked, never passed', () => {
    expect(byName('pki').terraform).toMatchObject({ status: 'unavailable', reason: 'hashicorp/tls unavailable' });
    const verdict = reviewVerdict(result, true);
    expect(verdict).toMatchObject({ ok: false, checked: 4, total: 5, passed: ['net', 'db', 'guarded'], failed: ['broken'], notChecked: [{ stackName: 'pki', reason: 'hashicorp/tls unavailable' }] });
    expect(verdict.warning).toContain('ONLY 4 OF 5');
    expect(verdict.problems).toEqual(['broken: terraform test failed (1 assertion(s) failed)']);
  });

  it('adds another check\'s summary to the stack\'s line', () => {
    expect(stackLine(byName('db'))).toBe('passed (3 of 3 assertions held); 1 resource type(s) rendered');
  });

  it('proves that a plan stopping by design stops where it should, applying no assertion', () => {
    const guarded = byName('guarded');
    expect(guarded.terraform).toMatchObject({ status: 'passed', assertions: [], expectedPlanFailures: [expect.stringMatching(/^aws_vpc\./)] });
    expect(stackLine(guarded)).toMatch(/^passed \(plan stops as designed at aws_vpc\.\S+; assertions not applied\)$/);
  });
});

describe('review.md', () => {
  let markdown: string;
  beforeAll(() => {
    markdown = renderMarkdown(result, reviewVerdict(result, false), CONTEXT);
  });

  it('starts with the configuration source, region, commit and date it reviewed', () => {
    expect(markdown).toContain('| Configuration | fixture.json (named by CRDB_ORY_CONFIG), sha256 0123456789ab |\n| Region | us-east-1 |\n| Commit | 0123456789ab |\n| Date | 2026-01-02T03:04:05Z |');
  });

  it('lists the synthesis warnings', () => {
    expect(markdown).toContain('## Synthesis warnings\n\n- **db**: a warning raised at synthesis');
  });

  it('gives each assertion\'s text with its result', () => {
    expect(markdown).toContain('- passed: the first subnet takes the first CIDR the synthesized upstream publishes `aws_subnet.');
    expect(markdown).toContain('- **FAILED**: deliberately wrong expectation `aws_subnet.');
    expect(markdown).toContain('- passed: a true expectation next to the wrong one');
  });

  it('says "not checked: hashicorp/tls unavailable", never "init FAILED", and never lists that stack as passed', () => {
    expect(markdown).toContain('## pki: not checked: hashicorp/tls unavailable');
    expect(markdown).toContain('pki (not checked: hashicorp/tls unavailable)');
    expect(markdown).not.toMatch(/init.{0,20}FAILED/);
    expect(markdown).toContain('- Passed: net, db, guarded.');
    expect(markdown).not.toMatch(/Passed: [^\n]*pki/);
    expect(markdown).not.toMatch(/^\*\*REVIEW PASSED/m);
    expect(markdown).toContain('**REVIEW FAILED');
  });

  it('holds no machine paths (provider mirror, scratch folders)', () => {
    expect(markdown).toContain('hashicorp/aws 5.100.0 from a filesystem mirror; hashicorp/tls 4.1.0 unavailable here');
    expect(markdown).not.toMatch(/(^|[\s(`"'])\/(opt|tmp|usr|srv|root|home|work|var)\//m);
  });

  it('says which upstream outputs were derived from the synthesized upstream', () => {
    expect(markdown).toContain('stack `net`, 2 outputs mocked: 1 derived from the synthesized `net` stack (this configuration), 1 computed by AWS');
  });

  it('prints a console summary with the same facts and the extra check', () => {
    const summary = renderSummary(result, reviewVerdict(result, false), 'review.md', CONTEXT);
    expect(summary).toContain('- db: passed (3 of 3 assertions held); 1 resource type(s) rendered\n    resources: aws_subnet x3\n    outputs contract: none; upstream: net');
    expect(markdown).toContain('### render\n\n1 resource type(s) rendered.\n\n- a detail');
    expect(summary).toContain('    assertion FAILED: deliberately wrong expectation');
    expect(summary).toContain('- pki: not checked: hashicorp/tls unavailable');
    expect(summary).toContain('!!! TERRAFORM CHECKED ONLY 4 OF 5 STACKS');
    expect(summary).toContain('synthesis warning [db]: a warning raised at synthesis');
    expect(summary).toMatch(/REVIEW FAILED \(1 problem\(s\); Terraform checked 4 of 5 stacks; NOT CHECKED by Terraform: pki\); report: review\.md/);
    expect(summary).not.toMatch(/\/(opt|tmp)\//);
  });
});

describe('reviewStacks without terraform', () => {
  it('marks every stack not checked and fails when Terraform is required', async () => {
    const without = await reviewStacks({ outdir, reviews: [], contracts: [NET_OUTPUTS], policy: [], terraform: false });
    expect(without.stacks.every((stack) => stack.terraform.status === 'not-run')).toBe(true);
    const verdict = reviewVerdict(without, true);
    expect(verdict.ok).toBe(false);
    expect(verdict.warning).toContain('DID NOT RUN');
    expect(reviewVerdict(without, false).ok).toBe(true);
    expect(renderMarkdown(without, reviewVerdict(without, false))).not.toContain('- Passed:');
  });

  it('fails the review when another check fails or throws', async () => {
    const failing: StackCheck = { name: 'render', run: async () => ({ ok: false, summary: 'chart rejected the values' }) };
    const crashing: StackCheck = { name: 'crash', run: async () => Promise.reject(new Error('boom\nmore')) };
    const net = { stackName: 'net', upstream: [], assertions: () => [], checks: [failing, crashing] };
    const withFailure = await reviewStacks({ outdir, reviews: [net], contracts: [NET_OUTPUTS], policy: [], terraform: false });
    expect(reviewVerdict(withFailure, false).problems).toEqual(['net: render check failed: chart rejected the values', 'net: crash check failed: FAILED: boom']);
    expect(stackLine(withFailure.stacks.find((s) => s.stackName === 'net')!)).toBe('not checked: terraform CLI not found on PATH; render FAILED: chart rejected the values; crash FAILED: FAILED: boom');
  });
});
