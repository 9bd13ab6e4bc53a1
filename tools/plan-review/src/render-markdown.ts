import type { Acknowledgement, PlanReview } from './acknowledgements';
import type { ReviewedFinding, StackPlanReview } from './review-plan';
import { planReviewVerdict } from './verdict';

/**
 * The pull-request comment: a summary table, then per stack its counts, its replacements and what
 * forces them, and its dangerous actions; stale acknowledgements; the verdict. Addresses,
 * attribute names and reasons only: no planned or prior value is ever shown.
 */
export function renderPlanReviewMarkdown(review: PlanReview): string {
  const lines = ['# Terraform plan review', '', ...summaryTable(review.stacks), ...review.stacks.flatMap(stackSection), ...staleSection(review.staleAcknowledgements)];
  lines.push('', `**Verdict: ${planReviewVerdict(review.stacks).line}**`, '');
  return lines.join('\n');
}

function unacknowledgedCount(stack: StackPlanReview): number {
  return stack.findings.filter((finding) => !finding.acknowledged).length;
}

function summaryTable(stacks: readonly StackPlanReview[]): string[] {
  const rows = stacks.map((stack) => {
    const { adds, changes, destroys, replacements } = stack.counts;
    return [inlineCode(stack.stack), `${adds}`, `${changes}`, `${destroys}`, `${replacements}`, `${stack.findings.length} (${unacknowledgedCount(stack)} unacknowledged)`];
  });
  return table(['Stack', 'Adds', 'Changes', 'Destroys', 'Replacements', 'Dangerous actions'], rows);
}

function stackSection(stack: StackPlanReview): string[] {
  const { adds, changes, destroys, replacements, forgets } = stack.counts;
  const forgetNote = forgets > 0 ? `, ${forgets} to forget` : '';
  return [
    '',
    `## Stack ${inlineCode(stack.stack)}`,
    '',
    `Plan ${inlineCode(stack.source)}: ${adds} to add, ${changes} to change in place, ${destroys} to destroy, ${replacements} to replace${forgetNote}.`,
    ...replacementSection(stack),
    ...dangerSection(stack),
  ];
}

function replacementSection(stack: StackPlanReview): string[] {
  if (stack.replacements.length === 0) return [];
  const rows = stack.replacements.map((r) => [inlineCode(r.address), r.forcedBy.length > 0 ? r.forcedBy.map(inlineCode).join(', ') : '(not named by the plan)', r.reason ?? '']);
  return ['', `### Replacements (${stack.replacements.length})`, '', ...table(['Resource', 'Forced by', 'Reason'], rows)];
}

function dangerSection(stack: StackPlanReview): string[] {
  if (stack.findings.length === 0) return ['', '### Dangerous actions: none'];
  const open = unacknowledgedCount(stack);
  const acknowledged = stack.findings.length - open;
  const heading = `${open > 0 ? '⛔ ' : ''}Dangerous actions (${open} unacknowledged${acknowledged > 0 ? `, ${acknowledged} acknowledged` : ''})`;
  return ['', `### ${heading}`, ...stack.findings.flatMap(findingBlock)];
}

function findingBlock(finding: ReviewedFinding): string[] {
  return [
    '',
    `- ${finding.acknowledged ? '✅' : '⛔'} **${finding.ruleId}**: ${finding.title}`,
    `  - Resources: ${finding.addresses.map(inlineCode).join(', ')}`,
    `  - What: ${finding.summary}`,
    `  - Why it is dangerous: ${finding.description}`,
    `  - Acknowledged: ${acknowledgementText(finding)}`,
  ];
}

function acknowledgementText(finding: ReviewedFinding): string {
  const reasons = finding.acknowledgements.map((ack) => `${inlineCode(ack.address)}: "${oneLine(ack.reason)}"`);
  if (finding.acknowledged) return `yes (${reasons.join('; ')})`;
  const missing = finding.addresses.filter((address) => !finding.acknowledgements.some((ack) => ack.address === address));
  return `**no**${reasons.length > 0 ? ` (only ${reasons.join('; ')}; missing ${missing.map(inlineCode).join(', ')})` : ''}`;
}

function staleSection(stale: readonly Acknowledgement[]): string[] {
  if (stale.length === 0) return [];
  const rows = stale.map((ack) => [inlineCode(ack.stack), inlineCode(ack.address), oneLine(ack.reason)]);
  return ['', `## ⚠️ Stale acknowledgements (${stale.length})`, '', 'These match no dangerous action of the plans reviewed; remove them once they are no longer needed.', '', ...table(['Stack', 'Address', 'Reason'], rows)];
}

/** Text as an inline code span, whatever backticks it holds. */
export function inlineCode(text: string): string {
  const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  return longestRun === 0 ? `${fence}${text}${fence}` : `${fence} ${text} ${fence}`;
}

/** Free text (an acknowledgement reason) on one line of a Markdown table or list. */
export function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|');
}

export function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)];
}
