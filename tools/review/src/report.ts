import { describeContract } from '@crdb-ory/core';
import { isUnder } from '@crdb-ory/policy';
import type { ReviewResult, StackReviewResult } from './review';
import { providerName } from './required-providers';
import type { TerraformCheck } from './terraform-check';
import type { ReviewVerdict } from './verdict';

const OUTPUT_TAIL_LINES = 40;

/** The status word of a stack, as humans read it in the report. */
export function stackStatus(check: TerraformCheck): string {
  switch (check.status) {
    case 'passed':
      return 'passed';
    case 'failed':
      return 'FAILED';
    case 'unavailable':
      return `not checked by Terraform: ${check.reason}`;
    case 'not-run':
      return `not checked by Terraform: ${check.reason}`;
  }
}

/** `cdktf.out/review.md`: a summary table, then one section per stack. */
export function renderMarkdown(result: ReviewResult, verdict: ReviewVerdict): string {
  const lines = [
    '# Offline review',
    '',
    `**${verdict.ok ? 'PASSED' : 'FAILED'}**: Terraform checked ${verdict.checked} of ${verdict.total} stacks (init, validate, mocked apply with \`terraform test\`) in ${result.seconds.toFixed(1)} s.`,
    ...(verdict.warning ? ['', `> **WARNING: ${verdict.warning}**`] : []),
    '',
    `Provider sources: ${sourcesLine(result)}.`,
    ...(verdict.problems.length > 0 ? ['', '## Problems', '', ...verdict.problems.map((p) => `- ${p}`)] : []),
    '',
    '| stack | resources | Terraform | assertions | policy findings | suppressions |',
    '|---|---:|---|---:|---:|---:|',
    ...result.stacks.map(summaryRow),
    ...(result.stacks.length === 0 ? ['', 'The app has no stacks yet.'] : []),
    '',
    ...result.stacks.flatMap(stackSection),
  ];
  return `${lines.join('\n')}\n`;
}

/** The console summary: one block per stack, a verdict line, and a banner when checks did not run. */
export function renderSummary(result: ReviewResult, verdict: ReviewVerdict, reportPath: string): string {
  const banner = verdict.warning ? ['', `!!! ${verdict.warning} !!!`, ''] : [];
  return [
    ...banner,
    `Offline review: Terraform checked ${verdict.checked} of ${verdict.total} stacks in ${result.seconds.toFixed(1)} s`,
    `Provider sources: ${sourcesLine(result)}`,
    ...result.stacks.flatMap(stackSummary),
    ...verdict.problems.map((p) => `problem: ${p}`),
    `${verdict.ok ? 'PASSED' : 'FAILED'}; report: ${reportPath}`,
    ...banner,
  ].join('\n');
}

function sourcesLine(result: ReviewResult): string {
  return result.providerSources.map(({ provider, source }) => `${provider} from ${source === 'registry' ? 'the registry (no mirror found)' : `mirror ${source}`}`).join('; ') || 'none needed';
}

function stackSummary(stack: StackReviewResult): string[] {
  const resources = stack.resources.map((r) => `${r.type} x${r.count}`).join(', ') || 'none';
  const contract = stack.outputsContract ? `${Object.keys(stack.outputsContract.outputs).length} outputs${stack.contractGaps?.missing.length ? `, ${stack.contractGaps.missing.length} MISSING` : ''}` : 'none';
  const upstream = stack.upstream.map((u) => u.contract?.stackName ?? `${u.dataSource} (no contract)`).join(', ') || 'none';
  const steps = stack.terraform.steps.map((step) => `${step.command} ${step.ok ? 'ok' : 'FAILED'} ${step.seconds.toFixed(1)}s`).join(', ') + plannedStop(stack.terraform);
  const policy = stack.policy
    ? `${stack.policy.findings.length} finding(s), ${stack.policy.suppressed.length} suppressed${stack.policy.suppressed.map((f) => ` [${f.ruleId} ${f.constructPath}]`).join('')}`
    : 'not evaluated';
  return [
    `- ${stack.stackName}: ${stackStatus(stack.terraform)}${checksSuffix(stack)}`,
    `    resources: ${resources}`,
    `    outputs contract: ${contract}; upstream: ${upstream}`,
    `    terraform: ${steps || 'not run'}`,
    `    policy: ${policy}`,
  ];
}

function summaryRow(stack: StackReviewResult): string {
  const total = stack.resources.reduce((sum, r) => sum + r.count, 0);
  const assertions = stack.terraform.status === 'passed' || stack.terraform.status === 'failed' ? String(stack.terraform.assertions) : '-';
  return `| [${stack.stackName}](#stack-${stack.stackName}) | ${total} | ${stackStatus(stack.terraform)}${checksSuffix(stack)} | ${assertions} | ${stack.policy?.findings.length ?? '-'} | ${stack.policy?.suppressed.length ?? '-'} |`;
}

function stackSection(stack: StackReviewResult): string[] {
  return [
    `<a id="stack-${stack.stackName}"></a>`,
    `## ${stack.stackName}: ${stackStatus(stack.terraform)}`,
    '',
    `Providers: ${stack.providers.map((p) => `${providerName(p)} ${p.version}`).join(', ') || 'none'}.${stack.registered ? '' : ' No StackReview registered: generic mocks, no stack-specific assertions.'}`,
    '',
    ...resourcesSection(stack),
    ...contractSection(stack),
    ...upstreamSection(stack),
    ...terraformSection(stack.terraform),
    ...checksSection(stack),
    ...policySection(stack),
  ];
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
    ...describeContract(stack.outputsContract).map((o) => `| \`${o.name}\` | ${o.type} | ${o.description.replace(/\|/g, '\\|')} |`),
    ...(gaps?.missing.length ? ['', `**Missing from the stack:** ${gaps.missing.map((n) => `\`${n}\``).join(', ')}`] : []),
    ...(gaps?.undeclared.length ? ['', `Outputs outside the contract: ${gaps.undeclared.map((n) => `\`${n}\``).join(', ')}`] : []),
    '',
  ];
}

function upstreamSection(stack: StackReviewResult): string[] {
  if (stack.upstream.length === 0) return ['### Upstream inputs', '', 'None (reads no remote state).', ''];
  return [
    '### Upstream inputs',
    '',
    ...stack.upstream.map((input) =>
      input.contract
        ? `- \`data.terraform_remote_state.${input.dataSource}\`: stack \`${input.contract.stackName}\`, mocked with the ${Object.keys(input.outputs).length} example outputs of its contract`
        : `- \`data.terraform_remote_state.${input.dataSource}\`: **no registered contract**`,
    ),
    '',
  ];
}

function terraformSection(check: TerraformCheck): string[] {
  const steps = check.steps.map((step) => `- \`terraform ${step.command}\`: ${step.ok ? 'ok' : '**failed**'} (${step.seconds.toFixed(1)} s)`);
  const failed = check.steps.find((step) => !step.ok && step.output);
  const excerpt = failed && check.status !== 'unavailable' ? ['', '```', ...failed.output!.split('\n').slice(-OUTPUT_TAIL_LINES), '```'] : [];
  return ['### Terraform', '', `Status: ${stackStatus(check)}${plannedStop(check)}.`, '', ...steps, ...excerpt, ''];
}

/** ` (plan stops as designed at <addresses>)` for a stack whose review expects its plan to stop. */
function plannedStop(check: TerraformCheck): string {
  const expected = 'expectedPlanFailures' in check ? (check.expectedPlanFailures ?? []) : [];
  return expected.length > 0 ? ` (plan stops as designed at ${expected.join(', ')}; assertions not applied)` : '';
}

/** `; rendered by Helm 3.17.2: 41 manifests, lint clean`: the other checks' one-line results. */
function checksSuffix(stack: StackReviewResult): string {
  return (stack.checks ?? []).map((c) => `; ${c.ok ? '' : `${c.name} FAILED: `}${c.summary}`).join('');
}

function checksSection(stack: StackReviewResult): string[] {
  return (stack.checks ?? []).flatMap((c) => [`### ${c.name}`, '', `${c.ok ? '' : '**FAILED**: '}${c.summary}.`, ...(c.details?.length ? ['', ...c.details.map((d) => `- ${d}`)] : []), '']);
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
