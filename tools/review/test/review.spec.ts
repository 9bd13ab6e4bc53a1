import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReviewResult, renderMarkdown, renderSummary, reviewStacks, reviewVerdict } from '../src';
import { BROKEN_REVIEW, DB_REVIEW, NET_OUTPUTS, synthFixtureApp } from './fixture-app';

let outdir: string;
let result: ReviewResult;
const byName = (name: string) => result.stacks.find((stack) => stack.stackName === name)!;

beforeAll(async () => {
  outdir = mkdtempSync(join(tmpdir(), 'review-fixture-'));
  synthFixtureApp(outdir);
  result = await reviewStacks({ outdir, reviews: [DB_REVIEW, BROKEN_REVIEW], contracts: [NET_OUTPUTS], policy: [] });
}, 300_000);
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe('reviewStacks against real terraform and the provider mirror', () => {
  it('runs init, validate and a mocked apply for a stack without upstream, and checks its contract', () => {
    const net = byName('net');
    expect(net.terraform.status).toBe('passed');
    expect(net.terraform.steps.map((s) => s.command)).toEqual(['init', 'validate', 'test']);
    expect(net.contractGaps).toEqual({ missing: [], undeclared: [] });
  });

  it('mocks remote state from the upstream contract examples and proves the stack assertions', () => {
    const db = byName('db');
    expect(db.upstream.map((u) => [u.dataSource, u.contract?.stackName])).toEqual([['remote-state-net', 'net']]);
    expect(db.terraform).toMatchObject({ status: 'passed', assertions: 3 });
    expect(db.resources).toEqual([{ type: 'aws_subnet', count: 3 }]);
    expect(db.terraform.steps.every((step) => step.ok)).toBe(true);
  });

  it('fails a stack whose assertion is false, with the assertion message in the output', () => {
    const broken = byName('broken');
    expect(broken.terraform.status).toBe('failed');
    expect(broken.terraform.steps.at(-1)?.output).toContain('deliberately wrong expectation');
  });

  it('reports a stack needing a provider that is not installable here as not checked, never passed', () => {
    expect(byName('pki').terraform).toMatchObject({ status: 'unavailable', reason: 'hashicorp/tls unavailable' });
    const verdict = reviewVerdict(result, true);
    expect(verdict).toMatchObject({ ok: false, checked: 3, total: 4 });
    expect(verdict.warning).toContain('ONLY 3 OF 4');
    expect(verdict.problems).toEqual(['broken: terraform test failed']);
  });

  it('writes a report that lists every stack with its status', () => {
    const markdown = renderMarkdown(result, reviewVerdict(result, false));
    expect(markdown).toContain('Terraform checked 3 of 4 stacks');
    expect(markdown).toContain('## pki: not checked by Terraform: hashicorp/tls unavailable');
    expect(markdown).toContain('## broken: FAILED');
    expect(markdown).toContain('mocked with the 2 example outputs of its contract');
    const summary = renderSummary(result, reviewVerdict(result, false), 'review.md');
    expect(summary).toContain('- db: passed\n    resources: aws_subnet x3\n    outputs contract: none; upstream: net');
    expect(summary).toContain('!!! TERRAFORM CHECKED ONLY 3 OF 4 STACKS');
    expect(summary).toMatch(/Provider sources: hashicorp\/aws 5\.100\.0 from mirror \/\S+; hashicorp\/tls 4\.1\.0 from the registry \(no mirror found\)/);
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
  });
});

describe('other stack checks (StackReview.checks)', () => {
  it('runs them, prints each on its stack line and in the report, and fails the review when one fails', async () => {
    const checks = [
      { name: 'render', run: async () => ({ ok: true, summary: 'rendered 3 things', details: ['one not rendered'] }) },
      { name: 'crash', run: async () => Promise.reject(new Error('boom\nmore')) },
    ];
    const withChecks = await reviewStacks({ outdir, reviews: [{ ...DB_REVIEW, checks }], contracts: [NET_OUTPUTS], policy: [], terraform: false });
    const db = withChecks.stacks.find((stack) => stack.stackName === 'db');
    expect(db?.checks).toEqual([
      { name: 'render', ok: true, summary: 'rendered 3 things', details: ['one not rendered'] },
      { name: 'crash', ok: false, summary: 'FAILED: boom', details: ['boom\nmore'] },
    ]);
    const verdict = reviewVerdict(withChecks, false);
    expect(verdict.problems).toContain('db: crash check failed: FAILED: boom');
    expect(renderSummary(withChecks, verdict, 'r.md')).toMatch(/^- db: not checked by Terraform: [^\n]*; rendered 3 things; crash FAILED: FAILED: boom$/m);
    expect(renderMarkdown(withChecks, verdict)).toContain('### render\n\nrendered 3 things.\n\n- one not rendered');
  });
});
