import type { Leftover, LeftoverKind } from './leftovers';
import { PRICES_REGION } from './prices';
import type { StackTeardownPlan, TeardownPlan } from './teardown-plan';

/** `$1.00`, `$0.023`: cents, or the significant digits of a smaller per-GB price. */
export function usd(value: number): string {
  return value !== 0 && Math.abs(value) < 0.1 ? `$${Number(value.toPrecision(2))}` : `$${value.toFixed(2)}`;
}

/** The dry run's report: what the teardown does, stack by stack, and what stays with its monthly cost. */
export function renderTeardownPlan(plan: TeardownPlan): string {
  const lines = [
    `Teardown of ${plan.stacks.length} stacks, dependants first (the reverse of the deploy order)${plan.options.deleteData ? ', deleting the data too (--delete-data)' : ''}:`,
    ...plan.stacks.flatMap((stack, i) => stackLines(stack, i + 1, plan)),
    '',
    `What stays after the teardown, and what it costs per month (${PRICES_REGION} list prices):`,
    ...leftoverLines(plan.leftovers),
    '',
    costSummary(plan.leftovers),
  ];
  return `${lines.join('\n')}\n`;
}

function stackLines(stack: StackTeardownPlan, index: number, plan: TeardownPlan): string[] {
  const snapshots = plan.leftovers.filter((l) => l.kind === 'snapshot' && l.stack === stack.stack.name).length;
  const head = [`destroy ${stack.destroyed.length} resources`, ...(snapshots > 0 ? [`each of the ${snapshots} data volumes gets a final snapshot first`] : [])];
  const lines = [`  ${index}. ${stack.stack.name}: ${head.join('; ')}`];
  for (const change of stack.changes) lines.push(`     before it, a targeted apply sets ${change.address}.${change.attribute} = ${JSON.stringify(change.to)}: ${change.why}`);
  const [first, ...companions] = stack.kept;
  if (first) {
    lines.push(`     keep ${first.address} (${first.why})${companions.length > 0 ? ` and ${companions.length} resources with it: ${companions.map((k) => k.address.split('.')[0]).join(', ')}` : ''}; removed from the state, left in AWS`);
  }
  return lines;
}

const NOUNS: Record<LeftoverKind, [string, string]> = {
  bucket: ['bucket', 'buckets'],
  'kms-key': ['KMS key', 'KMS keys'],
  'kms-key-pending-deletion': ['KMS key pending deletion', 'KMS keys pending deletion'],
  'secret-in-recovery-window': ['secret in its recovery window', 'secrets in their recovery window'],
  snapshot: ['final EBS snapshot of the data volume', 'final EBS snapshots of the data volumes'],
  'log-group': ['log group', 'log groups'],
};

/** One line per kind of leftover and stack: count, names, summed cost, the (shared) note. */
function leftoverLines(leftovers: readonly Leftover[]): string[] {
  const groups = new Map<string, Leftover[]>();
  for (const leftover of leftovers) groups.set(`${leftover.kind} ${leftover.stack} ${leftover.note}`, [...(groups.get(`${leftover.kind} ${leftover.stack} ${leftover.note}`) ?? []), leftover]);
  const lines = [...groups.values()].map((group) => {
    const [first] = group as [Leftover, ...Leftover[]];
    const noun = NOUNS[first.kind][group.length === 1 ? 0 : 1];
    return `  - ${group.length === 1 ? '' : `${group.length} `}${noun} (${first.stack}: ${group.map((l) => l.name).join(', ')}): ${cost(group)}; ${first.note}`;
  });
  if (!leftovers.some((l) => l.kind === 'log-group')) lines.push('  - log groups: none (every log group is deleted with its stack, and its logs with it)');
  return lines;
}

function cost(group: readonly Leftover[]): string {
  const fixed = group.reduce((sum, l) => sum + l.monthlyUsd, 0);
  const [first] = group;
  if (first?.perGbMonthUsd === undefined) return usd(fixed);
  const bounds = group.map((l) => l.maxGb);
  if (bounds.every((gb): gb is number => gb !== undefined)) {
    const gb = bounds.reduce((sum, b) => sum + b, 0);
    return `up to ${usd(first.perGbMonthUsd * gb)} (${usd(first.perGbMonthUsd)} per GB, ${gb} GB at most)`;
  }
  return `${fixed > 0 ? `${usd(fixed)} + ` : ''}${usd(first.perGbMonthUsd)} per GB stored`;
}

/** One line: fixed cost, the most what grows with data can cost, and the per-GB rate of what has no bound. */
export function costSummary(leftovers: readonly Leftover[]): string {
  const fixed = leftovers.reduce((sum, l) => sum + l.monthlyUsd, 0);
  const bounded = leftovers.filter((l) => l.perGbMonthUsd !== undefined && l.maxGb !== undefined).reduce((sum, l) => sum + (l.perGbMonthUsd ?? 0) * (l.maxGb ?? 0), 0);
  const unbounded = leftovers.filter((l) => l.perGbMonthUsd !== undefined && l.maxGb === undefined);
  return [
    `What stays costs ${usd(fixed)} per month`,
    bounded > 0 ? `, plus up to ${usd(bounded)} for the snapshots` : '',
    unbounded.length > 0 ? `, plus ${unbounded.map((l) => `${usd(l.perGbMonthUsd ?? 0)} per GB in ${l.name}`).join(' and ')}` : '',
    '.',
  ].join('');
}
