import { describeContract } from '@crdb-ory/core';
import { isUnder } from '@crdb-ory/policy';
import type { ProviderSource, ReviewResult, StackReviewResult } from './review';
import { providerName } from './required-providers';
import type { AssertionResult, TerraformCheck } from './terraform-check';
import type { ReviewVerdict } from './verdict';

const OUTPUT_TAIL_LINES = 60;

/** What the report says about the run itself, besides the stacks. */
export interface ReviewContext {
  /** Label/value rows of the header: configuration source, region, commit, date, terraform version. */
  readonly header: ReadonlyArray<readonly [string, string]>;
  /** The warnings synthesis raised (`Annotations.addWarning`), by stack. */
  readonly warnings: ReadonlyArray<{ readonly stackName: string; readonly message: string }>;
}

const NO_CONTEXT: ReviewContext = { header: [], warnings: [] };

/** The status of a stack's Terraform check, as humans read it. */
export function stackStatus(check: TerraformCheck): string {
  switch (check.status) {
    case 'passed':
      return 'passed';
    case 'failed':
      return 'FAILED';
    case 'unavailable':
    case 'not-run':
      return `not checked: ${check.reason}`;
  }
}

/**
 * A stack's one-line summary: its Terraform status and assertions, then each other check's own
 * one-line summary (`rendered by Helm 3.17.2: 41 manifests, lint clean`; `<name> FAILED: ...`).
 */
export function stackLine(stack: StackReviewResult): string {
  return [`${stackStatus(stack.terraform)}${terraformDetail(stack.terraform)}`, ...(stack.checks ?? []).map((c) => `${c.ok ? '' : `${c.name} FAILED: `}${c.summary}`)].join('; ');
}

/** ` (25 of 25 assertions held)`, or ` (plan stops as designed at <addresses>; assertions not applied)`. */
function terraformDetail(check: TerraformCheck): string {
  if (check.status !== 'passed' && check.status !== 'failed') return '';
  const expected = check.expectedPlanFailures ?? [];
  if (expected.length > 0) return ` (plan stops as designed at ${expected.join(', ')}; assertions not applied)`;
  return ` (${assertionCount(check.assertions)})`;
}

/** `cdktf.out/review.md`: the header, the result, the synthesis warnings, a table, then one section per stack. */
export function renderMarkdown(result: ReviewResult, verdict: ReviewVerdict, context: ReviewContext = NO_CONTEXT): string {
  const header = [...context.header, ['Providers', providersLine(result)] as const];
  const lines = [
    '# Offline review',
    '',
    '| | |',
    '|---|---|',
    ...header.map(([label, value]) => `| ${label} | ${cell(value)} |`),
    '',
    '## Result',
    '',
    ...resultLines(result, verdict),
    ...(verdict.warning ? ['', `> **WARNING: ${verdict.warning}**`] : []),
    ...(verdict.problems.length > 0 ? ['', '## Problems', '', ...verdict.problems.map((p) => `- ${p}`)] : []),
    '',
    '## Synthesis warnings',
    '',
    ...(context.warnings.length > 0 ? context.warnings.map((w) => `- **${w.stackName}**: ${w.message}`) : ['None.']),
    '',
    '## Stacks',
    '',
    '| stack | resources | result | policy findings | suppressions |',
    '|---|---:|---|---:|---:|',
    ...result.stacks.map(summaryRow),
    ...(result.stacks.length === 0 ? ['', 'The app has no stacks yet.'] : []),
    '',
    ...result.stacks.flatMap(stackSection),
  ];
  return `${lines.join('\n')}\n`;
}

/** The console summary: the header, one block per stack, the result. */
export function renderSummary(result: ReviewResult, verdict: ReviewVerdict, reportPath: string, context: ReviewContext = NO_CONTEXT): string {
  const banner = verdict.warning ? ['', `!!! ${verdict.warning} !!!`, ''] : [];
  return [
    ...banner,
    `Offline review (${[...context.header.filter(([label]) => label !== 'Date').map(([label, value]) => `${label.toLowerCase()}: ${value}`)].join('; ') || 'no context'})`,
    `Providers: ${providersLine(result)}`,
    ...context.warnings.map((w) => `synthesis warning [${w.stackName}]: ${w.message}`),
    ...result.stacks.flatMap(stackSummary),
    ...verdict.problems.map((p) => `problem: ${p}`),
    `${verdictLine(verdict)}; report: ${reportPath}`,
    ...banner,
  ].join('\n');
}

/** `REVIEW FAILED: ...` or `REVIEW PASSED for the 4 stacks Terraform checked (...); not checked: ...`. */
export function verdictLine(verdict: ReviewVerdict): string {
  const notChecked = verdict.notChecked.length > 0 ? `; NOT CHECKED by Terraform: ${verdict.notChecked.map((n) => n.stackName).join(', ')}` : '';
  if (!verdict.ok) return `REVIEW FAILED (${verdict.problems.length} problem(s); Terraform checked ${verdict.checked} of ${verdict.total} stacks${notChecked})`;
  return `REVIEW PASSED for the ${verdict.checked} of ${verdict.total} stacks Terraform checked (${verdict.passed.join(', ') || 'none'})${notChecked}`;
}

function resultLines(result: ReviewResult, verdict: ReviewVerdict): string[] {
  const assertions = result.stacks.flatMap((s) => (s.terraform.status === 'passed' || s.terraform.status === 'failed' ? s.terraform.assertions : []));
  const held = assertions.filter((a) => a.outcome === 'passed').length;
  const lines = [
    `**${verdictLine(verdict)}.**`,
    '',
    `- Checked by Terraform (init, then a mocked apply with \`terraform test\`): ${verdict.checked} of ${verdict.total} stacks, ${held} of ${assertions.length} assertions held, in ${result.seconds.toFixed(1)} s.`,
  ];
  if (verdict.passed.length > 0) lines.push(`- Passed: ${verdict.passed.join(', ')}.`);
  if (verdict.failed.length > 0) lines.push(`- **FAILED: ${verdict.failed.join(', ')}.**`);
  if (verdict.notChecked.length > 0) {
    lines.push(
      `- **Not checked by Terraform** (${verdict.notChecked.length}): ${verdict.notChecked.map((n) => `${n.stackName} (not checked: ${n.reason})`).join(', ')}. Their unit tests cover them; this review proves nothing more about them than synthesis and the policy gate.`,
    );
  }
  return lines;
}

function providersLine(result: ReviewResult): string {
  const where: Record<ProviderSource, string> = { mirror: 'from a filesystem mirror', registry: 'from the registry', unavailable: 'unavailable here (no mirror, registry not reachable)' };
  return result.providerSources.map(({ provider, source }) => `${provider} ${where[source]}`).join('; ') || 'none needed';
}

function stackSummary(stack: StackReviewResult): string[] {
  const resources = stack.resources.map((r) => `${r.type} x${r.count}`).join(', ') || 'none';
  const contract = stack.outputsContract ? `${Object.keys(stack.outputsContract.outputs).length} outputs${stack.contractGaps?.missing.length ? `, ${stack.contractGaps.missing.length} MISSING` : ''}` : 'none';
  const upstream = stack.upstream.map((u) => u.contract?.stackName ?? `${u.dataSource} (no contract)`).join(', ') || 'none';
  const terraform = stack.terraform.status === 'passed' || stack.terraform.status === 'failed' ? stack.terraform.steps.map((step) => `${step.command} ${step.ok ? 'ok' : 'FAILED'} ${step.seconds.toFixed(1)}s`).join(', ') : 'not run';
  const policy = stack.policy
    ? `${stack.policy.findings.length} finding(s), ${stack.policy.suppressed.length} suppressed${stack.policy.suppressed.map((f) => ` [${f.ruleId} ${f.constructPath}]`).join('')}`
    : 'not evaluated';
  const failedAssertions = stack.terraform.status === 'failed' ? stack.terraform.assertions.filter((a) => a.outcome === 'failed').map((a) => `    assertion FAILED: ${a.errorMessage}`) : [];
  return [
    `- ${stack.stackName}: ${stackLine(stack)}`,
    `    resources: ${resources}`,
    `    outputs contract: ${contract}; upstream: ${upstream}`,
    `    terraform: ${terraform}`,
    ...failedAssertions,
    `    policy: ${policy}`,
  ];
}

function summaryRow(stack: StackReviewResult): string {
  const total = stack.resources.reduce((sum, r) => sum + r.count, 0);
  return `| [${stack.stackName}](#stack-${stack.stackName}) | ${total} | ${cell(stackLine(stack))} | ${stack.policy?.findings.length ?? '-'} | ${stack.policy?.suppressed.length ?? '-'} |`;
}

function stackSection(stack: StackReviewResult): string[] {
  return [
    `<a id="stack-${stack.stackName}"></a>`,
    `## ${stack.stackName}: ${stackLine(stack)}`,
    '',
    `Providers: ${stack.providers.map((p) => `${providerName(p)} ${p.version}`).join(', ') || 'none'}.${stack.registered ? '' : ' No StackReview registered: generic mocks, no stack-specific assertions.'}`,
    '',
    ...assertionsSection(stack.terraform),
    ...checksSection(stack),
    ...resourcesSection(stack),
    ...contractSection(stack),
    ...upstreamSection(stack),
    ...terraformSection(stack.terraform),
    ...policySection(stack),
  ];
}

function assertionsSection(check: TerraformCheck): string[] {
  if (check.status === 'unavailable' || check.status === 'not-run') return ['### Assertions', '', `Not evaluated (${stackStatus(check)}).`, ''];
  if (check.expectedPlanFailures?.length) return ['### Assertions', '', `Not applied: the plan stops as designed at ${check.expectedPlanFailures.map((a) => `\`${a}\``).join(', ')}, and the review proves it does.`, ''];
  if (check.assertions.length === 0) return ['### Assertions', '', 'None registered (the mocked apply itself is the check).', ''];
  const word: Record<AssertionResult['outcome'], string> = { passed: 'passed', failed: '**FAILED**', 'not evaluated': 'not evaluated (the mocked apply failed first)' };
  return [
    '### Assertions',
    '',
    `${assertionCount(check.assertions)} after the mocked apply:`,
    '',
    ...check.assertions.map((a) => `- ${word[a.outcome]}: ${a.errorMessage} \`${a.condition.replace(/`/g, "'")}\``),
    '',
  ];
}

function assertionCount(assertions: readonly AssertionResult[]): string {
  const held = assertions.filter((a) => a.outcome === 'passed').length;
  return `${held} of ${assertions.length} assertions held`;
}

function checksSection(stack: StackReviewResult): string[] {
  return (stack.checks ?? []).flatMap((c) => [`### ${c.name}`, '', `${c.ok ? '' : '**FAILED**: '}${c.summary}.`, ...(c.details?.length ? ['', ...c.details.map((d) => `- ${d}`)] : []), '']);
}

function resourcesSection(stack: StackReviewResult): string[] {
  if (stack.resources.length === 0) return ['### Resources', '', 'None.', ''];
  return ['### Resources', '', '| type | count |', '|---|---:|', ...stack.resources.map((r) => `| \`${r.type}\` | ${r.count} |`), ''];
}

function contractSection(stack: StackReviewResult): string[] {
  if (!stack.outputsContract) return ['### Outputs contract', '', 'None declared.', ''];
  const gaps = stack.contractGaps;
  return [
    '### Outputs contract',
    '',
    '| output | type | description |',
    '|---|---|---|',
    ...describeContract(stack.outputsContract).map((o) => `| \`${o.name}\` | ${o.type} | ${cell(o.description)} |`),
    ...(gaps?.missing.length ? ['', `**Missing from the stack:** ${gaps.missing.map((n) => `\`${n}\``).join(', ')}`] : []),
    ...(gaps?.undeclared.length ? ['', `Outputs outside the contract: ${gaps.undeclared.map((n) => `\`${n}\``).join(', ')}`] : []),
    '',
  ];
}

function upstreamSection(stack: StackReviewResult): string[] {
  if (stack.upstream.length === 0) return ['### Upstream inputs', '', 'None (reads no remote state and no published outputs).', ''];
  return [
    '### Upstream inputs',
    '',
    ...stack.upstream.map((input) => {
      if (!input.contract) return `- \`data.terraform_remote_state.${input.dataSource}\`: **no registered contract**`;
      const total = Object.keys(input.outputs).length;
      const examples = total - input.derived.length;
      const source = input.channel === 'ssm-parameters' ? `${total} SSM parameters published by` : `\`data.terraform_remote_state.${input.dataSource}\`: stack`;
      return `- ${source} \`${input.contract.stackName}\`, ${total} outputs mocked: ${input.derived.length} derived from the synthesized \`${input.contract.stackName}\` stack (this configuration), ${examples} computed by AWS and taken from the contract's examples in this stack's region`;
    }),
    '',
  ];
}

function terraformSection(check: TerraformCheck): string[] {
  if (check.status === 'unavailable' || check.status === 'not-run') return ['### Terraform', '', `Not run: ${check.reason}.`, ''];
  const steps = check.steps.map((step) => `- \`terraform ${step.command}\`: ${step.ok ? 'ok' : '**failed**'} (${step.seconds.toFixed(1)} s)`);
  const output = check.steps.find((step) => !step.ok && step.output)?.output;
  const excerpt = output ? ['', '```', ...output.split('\n').slice(-OUTPUT_TAIL_LINES), '```'] : [];
  return ['### Terraform', '', ...steps, ...excerpt, ''];
}

function policySection(stack: StackReviewResult): string[] {
  const policy = stack.policy;
  if (!policy) return ['### Policy', '', 'Not evaluated (no policy gate on this stack).', ''];
  const findings = policy.findings.map((f) => `- ${f.severity} **${f.ruleId}** \`${f.address}\` (${f.constructPath}): ${f.message}. Fix: ${f.fix}`);
  const suppressed = policy.suppressed.map((f) => `- **${f.ruleId}** \`${f.address}\` (${f.constructPath}): ${f.message}. Reason: ${f.reason}`);
  const unused = policy.suppressions
    .filter((s) => !policy.suppressed.some((f) => f.ruleId === s.ruleId && isUnder(f.constructPath, s.constructPath)))
    .map((s) => `- ${s.ruleId} on ${s.constructPath} matched nothing (reason: ${s.reason})`);
  return [
    '### Policy',
    '',
    `Pack \`${policy.pack}\`: ${policy.rulesEvaluated} rules, ${policy.findings.length} finding(s), ${policy.suppressed.length} suppressed.`,
    ...(findings.length ? ['', ...findings] : []),
    ...(suppressed.length ? ['', 'Suppressed:', '', ...suppressed] : []),
    ...(unused.length ? ['', 'Unused suppressions:', '', ...unused] : []),
    '',
  ];
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
