import { isUnder } from '@crdb-ory/policy';
import type { CostDriver } from './cost-drivers';
import type { Exposure } from './exposure';
import type { ProviderSource, ReviewResult, StackReviewResult } from './review';
import type { AssertionResult, TerraformCheck, TerraformStep } from './terraform-check';
import type { ReviewVerdict } from './verdict';

const OUTPUT_TAIL_LINES = 60;

/** One row of the configuration a reviewer sees: a key setting, or a setting that differs from its default. */
export interface ConfigurationRow {
  /** The setting's path (`network.natGateways`). */
  readonly setting: string;
  /** Its value, as JSON. */
  readonly value: string;
  /** The default, as JSON, when the value differs from it; absent when the value is the default. */
  readonly defaultValue?: string;
  /** What the reviewer must know about this value (`the whole internet`, `one NAT gateway: one AZ is a single point of failure`). */
  readonly note?: string;
}

/** What the report says about the run itself, besides the stacks. */
export interface ReviewContext {
  /** Label/value rows of the header: configuration source, region, commit, date, terraform version. */
  readonly header: ReadonlyArray<readonly [string, string]>;
  /** The warnings synthesis raised (`Annotations.addWarning`), by stack. */
  readonly warnings: ReadonlyArray<{ readonly stackName: string; readonly message: string }>;
  /** The key settings and every setting that differs from its default, key settings first. */
  readonly configuration?: readonly ConfigurationRow[];
  /** Where the prices of the cost drivers are, relative to the report (`../docs/cost.md`). */
  readonly costDocument?: string;
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

/**
 * `cdktf.out/review.md`, in the order a reviewer decides: the verdict; the configuration against
 * the defaults; what is exposed outside the VPCs, and to whom; the monthly cost drivers; the
 * synthesis warnings; every failure in full; then each stack's passes as counts, with its time.
 */
export function renderMarkdown(result: ReviewResult, verdict: ReviewVerdict, context: ReviewContext = NO_CONTEXT): string {
  const header = [...context.header, ['Providers', providersLine(result)] as const];
  const lines = [
    '# Offline review',
    '',
    `**${verdictLine(verdict)}.**`,
    ...(verdict.warning ? ['', `> **WARNING: ${verdict.warning}**`] : []),
    '',
    '| | |',
    '|---|---|',
    ...header.map(([label, value]) => `| ${label} | ${cell(value)} |`),
    '',
    ...configurationSection(context.configuration),
    ...exposureSection(result.exposure),
    ...costSection(result.costDrivers, context.costDocument),
    '## Synthesis warnings',
    '',
    ...(context.warnings.length > 0 ? context.warnings.map((w) => `- **${w.stackName}**: ${w.message}`) : ['None.']),
    '',
    ...failuresSection(result, verdict),
    ...stacksSection(result, verdict),
    ...policySection(result),
  ];
  return `${lines.join('\n')}\n`;
}

/** The console summary: what was reviewed, the warnings, one line per stack with its time, the problems, the verdict. */
export function renderSummary(result: ReviewResult, verdict: ReviewVerdict, reportPath: string, context: ReviewContext = NO_CONTEXT): string {
  const banner = verdict.warning ? ['', `!!! ${verdict.warning} !!!`, ''] : [];
  const internet = result.exposure.filter((e) => e.internet);
  return [
    ...banner,
    `Offline review (${[...context.header.filter(([label]) => label !== 'Date').map(([label, value]) => `${label.toLowerCase()}: ${value}`)].join('; ') || 'no context'})`,
    `Providers: ${providersLine(result)}`,
    ...context.warnings.map((w) => `synthesis warning [${w.stackName}]: ${w.message}`),
    `Exposed to the internet: ${internet.length === 0 ? 'nothing' : internet.map((e) => `${e.stackName}: ${e.what} from ${e.from.join(', ')}`).join('; ')}`,
    ...result.stacks.flatMap((stack) => [`- ${stack.stackName}: ${stackLine(stack)}${timeOf(stack.terraform) ? `, ${timeOf(stack.terraform)}` : ''}`, ...failedAssertions(stack.terraform).map((a) => `    assertion FAILED: ${a.errorMessage}`)]),
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

function configurationSection(rows: readonly ConfigurationRow[] | undefined): string[] {
  if (!rows) return [];
  const differing = rows.filter((row) => row.defaultValue !== undefined).length;
  return [
    '## Configuration',
    '',
    `${differing === 0 ? 'Every setting is its default.' : `${differing} setting(s) differ from the defaults.`} The key settings, then every other setting that differs:`,
    '',
    '| setting | value | default |',
    '|---|---|---|',
    ...rows.map((row) => `| \`${row.setting}\` | ${cell(code(row.value))}${row.note ? ` **${cell(row.note)}**` : ''} | ${row.defaultValue === undefined ? '(default)' : cell(code(row.defaultValue))} |`),
    '',
  ];
}

function exposureSection(exposure: readonly Exposure[]): string[] {
  const lines = exposure.map((e) => `- ${e.internet ? '**internet**' : 'other networks'}: ${e.stackName}, ${e.what}, from ${e.from.map((source) => `\`${source}\`${source === '0.0.0.0/0' ? ' (anyone)' : ''}`).join(', ')} (\`${e.via}\`)`);
  return [
    '## Exposed outside the VPCs',
    '',
    ...(lines.length > 0 ? lines : ['Nothing: no security group admits a network outside the product\'s VPCs, no load balancer is internet-facing, the EKS API has no public endpoint.']),
    '',
  ];
}

function costSection(drivers: readonly CostDriver[], costDocument: string | undefined): string[] {
  return [
    '## Monthly cost drivers',
    '',
    `What the stacks create that is billed by the hour or the month, counted${costDocument ? `; prices: [${costDocument.replace(/^(\.\.\/)+/, '')}](${costDocument})` : ''}.`,
    '',
    '| item | count | detail | stacks |',
    '|---|---:|---|---|',
    ...drivers.map((d) => `| ${d.item} | ${d.count} | ${cell(d.detail)} | ${d.stacks.join(', ')} |`),
    '',
  ];
}

/** Everything that failed, in full: the problems, each failed assertion, each failed step's diagnostics, each failed check's details. */
function failuresSection(result: ReviewResult, verdict: ReviewVerdict): string[] {
  if (verdict.problems.length === 0) return [];
  const details = result.stacks.flatMap((stack) => {
    const failedChecks = (stack.checks ?? []).filter((c) => !c.ok);
    // A stack Terraform could not check (a provider unavailable here) did not fail: it is listed under the stacks as not checked.
    const step = stack.terraform.status === 'failed' ? failedStep(stack.terraform) : undefined;
    const assertions = failedAssertions(stack.terraform);
    if (!step && failedChecks.length === 0) return [];
    return [
      `### ${stack.stackName}: ${stackLine(stack)}`,
      '',
      ...assertions.map((a) => `- **FAILED**: ${a.errorMessage} \`${a.condition.replace(/`/g, "'")}\``),
      ...(assertions.length > 0 ? [''] : []),
      ...(step?.output ? [`\`terraform ${step.command}\` said:`, '', '```', ...step.output.split('\n').slice(-OUTPUT_TAIL_LINES), '```', ''] : []),
      ...failedChecks.flatMap((c) => [`${c.name}: ${c.summary}`, ...(c.details ?? []).map((d) => `- ${d}`), '']),
    ];
  });
  return ['## Failures', '', ...verdict.problems.map((p) => `- ${p}`), '', ...details];
}

/** One row per stack: what passed, as counts, and the stack's own time. */
function stacksSection(result: ReviewResult, verdict: ReviewVerdict): string[] {
  const shared = sharedSteps(result);
  return [
    '## Stacks',
    '',
    '| stack | resources | Terraform | assertions | other checks | policy | time |',
    '|---|---:|---|---|---|---|---:|',
    ...result.stacks.map(stackRow),
    ...(result.stacks.length === 0 ? ['', 'The app has no stacks yet.'] : []),
    '',
    `Time: each stack's own mocked apply (\`terraform test\`)${shared ? `; ${shared}` : ''}. The whole review took ${result.seconds.toFixed(1)} s.`,
    ...(verdict.notChecked.length > 0
      ? ['', `**Not checked by Terraform**: ${verdict.notChecked.map((n) => `${n.stackName} (${n.reason})`).join(', ')}: their unit tests cover them; this review proves nothing more about them than synthesis, the policy gate and their other checks.`]
      : []),
    '',
  ];
}

function stackRow(stack: StackReviewResult): string {
  const total = stack.resources.reduce((sum, r) => sum + r.count, 0);
  const check = stack.terraform;
  const terraform = stackStatus(check);
  const assertions =
    check.status !== 'passed' && check.status !== 'failed' ? '-' : check.expectedPlanFailures?.length ? `plan stops as designed at ${check.expectedPlanFailures.map((a) => `\`${a}\``).join(', ')}` : assertionCount(check.assertions);
  const checks = (stack.checks ?? []).map((c) => `${c.ok ? '' : `**${c.name} FAILED**: `}${c.summary}`).join('; ') || '-';
  const policy = stack.policy ? `${stack.policy.findings.length} finding(s), ${stack.policy.suppressed.length} suppressed` : 'not evaluated';
  const contract = stack.contractGaps?.missing.length ? `; **${stack.contractGaps.missing.length} contract output(s) missing**` : '';
  return `| ${stack.stackName} | ${total} | ${cell(terraform)}${contract} | ${cell(assertions)} | ${cell(checks)} | ${policy} | ${timeOf(check) ?? '-'} |`;
}

/** `3.2 s`: the stack's own Terraform time (its mocked apply; its init too when it ran alone). */
function timeOf(check: TerraformCheck): string | undefined {
  const own = check.steps.filter((step) => !step.shared || step.command === 'test');
  return own.length > 0 ? `${own.reduce((sum, step) => sum + step.seconds, 0).toFixed(1)} s` : undefined;
}

/** `terraform init (2.1 s) and the start of terraform test (11.0 s) were shared by state, network, ...`. */
function sharedSteps(result: ReviewResult): string | undefined {
  const groups = new Map<string, { stacks: string[]; init?: TerraformStep; test?: TerraformStep }>();
  for (const stack of result.stacks) {
    const init = stack.terraform.steps.find((s) => s.command === 'init' && s.shared);
    const test = stack.terraform.steps.find((s) => s.command === 'test' && s.shared);
    if (!init) continue;
    const key = `${init.shared?.seconds}:${test?.shared?.seconds}`;
    const group = groups.get(key) ?? { stacks: [], init, ...(test ? { test } : {}) };
    group.stacks.push(stack.stackName);
    groups.set(key, group);
  }
  if (groups.size === 0) return undefined;
  return [...groups.values()]
    .map((g) => {
      const own = result.stacks.filter((s) => g.stacks.includes(s.stackName)).reduce((sum, s) => sum + (s.terraform.steps.find((step) => step.command === 'test')?.seconds ?? 0), 0);
      const overhead = g.test?.shared ? ` and ${Math.max(0, g.test.shared.seconds - own).toFixed(1)} s of \`terraform test\` outside any stack's runs (loading the providers once)` : '';
      return `one \`terraform init\` (${g.init?.seconds.toFixed(1)} s)${overhead} were shared by ${g.stacks.join(', ')}`;
    })
    .join('; ');
}

/** Policy findings (warnings; errors stop synthesis) and suppressions with their reasons: only when there are any. */
function policySection(result: ReviewResult): string[] {
  const lines = result.stacks.flatMap((stack) => {
    const policy = stack.policy;
    if (!policy) return [];
    const unused = policy.suppressions.filter((s) => !policy.suppressed.some((f) => f.ruleId === s.ruleId && isUnder(f.constructPath, s.constructPath)));
    return [
      ...policy.findings.map((f) => `- ${stack.stackName}: ${f.severity} **${f.ruleId}** \`${f.address}\`: ${f.message}. Fix: ${f.fix}`),
      ...policy.suppressed.map((f) => `- ${stack.stackName}: suppressed **${f.ruleId}** \`${f.address}\`: ${f.message}. Reason: ${f.reason}`),
      ...unused.map((s) => `- ${stack.stackName}: unused suppression ${s.ruleId} on ${s.constructPath} (reason: ${s.reason})`),
    ];
  });
  return lines.length > 0 ? ['## Policy findings and suppressions', '', ...lines, ''] : [];
}

function failedStep(check: TerraformCheck): TerraformStep | undefined {
  return check.steps.find((step) => !step.ok);
}

function failedAssertions(check: TerraformCheck): AssertionResult[] {
  return check.status === 'failed' ? check.assertions.filter((a) => a.outcome === 'failed') : [];
}

function assertionCount(assertions: readonly AssertionResult[]): string {
  const held = assertions.filter((a) => a.outcome === 'passed').length;
  return `${held} of ${assertions.length} assertions held`;
}

function providersLine(result: ReviewResult): string {
  const where: Record<ProviderSource, string> = { mirror: 'from a filesystem mirror', registry: 'from the registry', unavailable: 'unavailable here (no mirror, registry not reachable)' };
  return result.providerSources.map(({ provider, source }) => `${provider} ${where[source]}`).join('; ') || 'none needed';
}

function code(json: string): string {
  return `\`${json.replace(/`/g, "'")}\``;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
