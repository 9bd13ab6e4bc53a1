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
  configuration: [
    { setting: 'namePrefix', value: '"crdb-ory"' },
    { setting: 'publicAccessCidrs', value: '["0.0.0.0/0"]', defaultValue: '[]', note: 'the whole internet' },
  ],
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

  it('leads with the verdict, then what a reviewer decides on, then failures in full, then passes as counts per stack', () => {
    const headings = markdown.split('\n').filter((line) => line.startsWith('#'));
    expect(headings).toEqual(['# Offline review', '## Configuration', '## Exposed outside the VPCs', '## Monthly cost drivers', '## Synthesis warnings', '## Failures', '### broken: FAILED (1 of 2 assertions held)', '## Stacks']);
    expect(markdown.split('\n')[2]).toMatch(/^\*\*REVIEW FAILED/);
    // No line per passed assertion: passes are counts.
    expect(markdown).not.toMatch(/^- passed:/m);
    expect(markdown).toContain('| db | 3 | passed | 3 of 3 assertions held | 1 resource type(s) rendered | not evaluated |');
  });

  it('starts with the configuration source, region, commit and date it reviewed', () => {
    expect(markdown).toContain('| Configuration | fixture.json (named by CRDB_ORY_CONFIG), sha256 0123456789ab |\n| Region | us-east-1 |\n| Commit | 0123456789ab |\n| Date | 2026-01-02T03:04:05Z |');
  });

  it('shows the key settings and what differs from the defaults, with what a risky value means', () => {
    expect(markdown).toContain('1 setting(s) differ from the defaults.');
    expect(markdown).toContain('| `publicAccessCidrs` | `["0.0.0.0/0"]` **the whole internet** | `[]` |');
    expect(markdown).toContain('| `namePrefix` | `"crdb-ory"` | (default) |');
  });

  it('says what is exposed outside the VPCs and to whom, and counts the cost drivers', () => {
    expect(markdown).toContain('## Exposed outside the VPCs\n\nNothing:');
    expect(markdown).toContain('| item | count | detail | stacks |');
  });

  it('lists the synthesis warnings', () => {
    expect(markdown).toContain('## Synthesis warnings\n\n- **db**: a warning raised at synthesis');
  });

  it('gives each failed assertion in full with its condition, and Terraform\'s diagnostics', () => {
    const failures = markdown.slice(markdown.indexOf('## Failures'), markdown.indexOf('## Stacks'));
    expect(failures).toContain('- broken: terraform test failed (1 assertion(s) failed)');
    expect(failures).toContain('- **FAILED**: deliberately wrong expectation `aws_subnet.');
    expect(failures).not.toContain('a true expectation next to the wrong one');
    expect(failures).toMatch(/`terraform test` said:\n\n```\nError: Test assertion failed/);
  });

  it('says "not checked: hashicorp/tls unavailable", never "init FAILED", and never counts that stack as passed', () => {
    expect(markdown).toContain('| pki | 1 | not checked: hashicorp/tls unavailable | - |');
    expect(markdown).toContain('**Not checked by Terraform**: pki (hashicorp/tls unavailable)');
    expect(markdown).not.toMatch(/init.{0,20}FAILED/);
    expect(markdown).not.toMatch(/^\*\*REVIEW PASSED/m);
  });

  it('times each stack by its own run, and says what the stacks checked together shared', () => {
    const times = [...markdown.matchAll(/^\| (net|db|broken|guarded) \|.*\| (\d+\.\d) s \|$/gm)].map((m) => [m[1], Number(m[2])]);
    expect(times.map(([name]) => name)).toEqual(['net', 'db', 'broken', 'guarded']);
    // Not the same batch time for every stack: each is its own test file's.
    const testSteps = result.stacks.filter((s) => s.terraform.status === 'passed' || s.terraform.status === 'failed').flatMap((s) => s.terraform.steps.filter((step) => step.command === 'test'));
    expect(testSteps).toHaveLength(4);
    for (const step of testSteps) expect(step.seconds).toBeLessThan(step.shared?.seconds ?? 0);
    expect(markdown).toMatch(/one `terraform init` \(\d+\.\d s\) and \d+\.\d s of `terraform test` outside any stack's runs \(loading the providers once\) were shared by net, db, broken, guarded/);
  });

  it('holds no machine paths (provider mirror, scratch folders)', () => {
    expect(markdown).toContain('hashicorp/aws 5.100.0 from a filesystem mirror; hashicorp/tls 4.1.0 unavailable here');
    expect(markdown).not.toMatch(/(^|[\s(`"'])\/(opt|tmp|usr|srv|root|home|work|var)\//m);
  });

  it('prints a console summary with the same facts, one line per stack', () => {
    const summary = renderSummary(result, reviewVerdict(result, false), 'review.md', CONTEXT);
    expect(summary).toMatch(/^- db: passed \(3 of 3 assertions held\); 1 resource type\(s\) rendered, \d+\.\d s$/m);
    expect(summary).toContain('    assertion FAILED: deliberately wrong expectation');
    expect(summary).toMatch(/^- pki: not checked: hashicorp\/tls unavailable/m);
    expect(summary).toContain('Exposed to the internet: nothing');
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
    expect(renderMarkdown(without, reviewVerdict(without, false))).toContain('| net | 1 | not checked: terraform CLI not found on PATH | - |');
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
