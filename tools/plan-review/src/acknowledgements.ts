import { PlanInputError, isRecord, jsonTypeOf, parseJsonText } from '@crdb-ory/core/terraform';
import type { ReviewedFinding, StackPlanReview } from './review-plan';

/** An acknowledged dangerous action: this address of this stack may be applied, for this reason. */
export interface Acknowledgement {
  readonly stack: string;
  readonly address: string;
  readonly reason: string;
}

const ENTRY_KEYS = ['stack', 'address', 'reason'] as const;

/**
 * The entries of an acknowledgement file, `{ "acknowledged": [ { "stack", "address", "reason" } ] }`.
 * Every field is a required non-empty string and unknown keys are rejected; errors name the entry
 * index and the field.
 */
export function parseAcknowledgements(json: string | object, source: string): Acknowledgement[] {
  const document = typeof json === 'string' ? parseJsonText(json, source) : json;
  if (!isRecord(document)) throw new PlanInputError(`${source}: expected an object { "acknowledged": [...] }, got ${jsonTypeOf(document)}`);
  rejectUnknownKeys(document, ['acknowledged'], source);
  const entries = document['acknowledged'];
  if (!Array.isArray(entries)) throw new PlanInputError(`${source}: "acknowledged" must be an array of { stack, address, reason }, got ${jsonTypeOf(entries)}`);
  return entries.map((entry, index) => parseEntry(entry, `${source}: acknowledged[${index}]`));
}

function parseEntry(entry: unknown, where: string): Acknowledgement {
  if (!isRecord(entry)) throw new PlanInputError(`${where}: expected an object { stack, address, reason }, got ${jsonTypeOf(entry)}`);
  rejectUnknownKeys(entry, ENTRY_KEYS, where);
  const [stack, address, reason] = ENTRY_KEYS.map((key) => {
    const value = entry[key];
    if (typeof value !== 'string' || value.trim() === '') throw new PlanInputError(`${where}.${key}: required, a non-empty string (got ${value === '' || typeof value !== 'string' ? jsonTypeOf(value) : 'only blanks'})`);
    return value.trim();
  }) as [string, string, string];
  return { stack, address, reason };
}

function rejectUnknownKeys(value: Record<string, unknown>, allowed: readonly string[], where: string): void {
  const unknown = Object.keys(value).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) throw new PlanInputError(`${where}: unknown key${unknown.length === 1 ? '' : 's'} ${unknown.map((k) => `"${k}"`).join(', ')} (allowed: ${allowed.join(', ')})`);
}

/** The stacks reviewed, with acknowledgements applied, and the acknowledgements that matched nothing. */
export interface PlanReview {
  readonly stacks: readonly StackPlanReview[];
  /** Acknowledgements naming no flagged address of their stack: a warning, not a failure. */
  readonly staleAcknowledgements: readonly Acknowledgement[];
}

/** Marks each finding acknowledged when every address it names is acknowledged for its stack. */
export function applyAcknowledgements(stacks: readonly StackPlanReview[], acknowledgements: readonly Acknowledgement[]): PlanReview {
  const used = new Set<Acknowledgement>();
  const acknowledge = (finding: ReviewedFinding): ReviewedFinding => {
    const matching = acknowledgements.filter((ack) => ack.stack === finding.stack && finding.addresses.includes(ack.address));
    matching.forEach((ack) => used.add(ack));
    const acknowledged = finding.addresses.every((address) => matching.some((ack) => ack.address === address));
    return { ...finding, acknowledgements: matching, acknowledged };
  };
  const reviewed = stacks.map((stack) => ({ ...stack, findings: stack.findings.map(acknowledge) }));
  return { stacks: reviewed, staleAcknowledgements: acknowledgements.filter((ack) => !used.has(ack)) };
}
