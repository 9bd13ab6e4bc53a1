import type { StackJson } from './emulator-overrides';

/** What the harness changed in a scratch copy of one stack, for the report. */
export interface Adaptation {
  /** `standIn`: resources replaced by `terraform_data` stand-ins; `dropped`: resources left out. */
  readonly kind: 'standIn' | 'dropped';
  readonly type: string;
  readonly count: number;
  readonly why: string;
}

/**
 * Replaces every resource of `types` (and the provider that manages them) by a `terraform_data`
 * whose output holds a stand-in string for each attribute the stack reads, and points every
 * reference at it. The rest of the stack applies for real against what the stand-ins give.
 */
export function replaceWithStandIns(stack: StackJson, types: readonly string[], why: string): { stack: StackJson; adaptations: Adaptation[] } {
  const typePattern = types.map(escapeRegExp).join('|');
  const text = JSON.stringify(stack);
  const attributes = new Map<string, Set<string>>();
  for (const match of text.matchAll(new RegExp(`(?<![\\w.])(${typePattern})\\.([\\w-]+)\\.(\\w+)`, 'g'))) {
    const [, type, name, attribute] = match;
    if (attribute === undefined) continue;
    const key = `${type}.${name}`;
    attributes.set(key, (attributes.get(key) ?? new Set()).add(attribute));
  }
  const rewritten: StackJson = JSON.parse(
    text
      .replace(new RegExp(`(?<![\\w.])(${typePattern})\\.([\\w-]+)\\.(\\w+)`, 'g'), 'terraform_data.$1_$2.output.$3')
      .replace(new RegExp(`"(${typePattern})\\.([\\w-]+)"`, 'g'), '"terraform_data.$1_$2"'),
  );
  const resources: StackJson = rewritten['resource'] ?? {};
  const standIns: StackJson = { ...(resources['terraform_data'] ?? {}) };
  const adaptations: Adaptation[] = [];
  for (const type of types) {
    const names = Object.keys(resources[type] ?? {});
    if (names.length === 0) continue;
    for (const name of names) {
      const read = [...(attributes.get(`${type}.${name}`) ?? [])].sort();
      standIns[`${type}_${name}`] = { input: Object.fromEntries(read.map((attribute) => [attribute, `stand-in: ${attribute} of ${type} "${name}"`])) };
    }
    delete resources[type];
    adaptations.push({ kind: 'standIn', type, count: names.length, why });
  }
  if (adaptations.length === 0) return { stack, adaptations };
  resources['terraform_data'] = standIns;
  dropProviders(rewritten, types);
  return { stack: rewritten, adaptations };
}

/**
 * Leaves out every managed resource of `resourceTypes` and every data source of `dataTypes`.
 * `depends_on` entries on them go; a value that is exactly one reference to them becomes a
 * stand-in string; a reference inside a larger expression is an error (the harness never
 * guesses what an expression would have been).
 */
export function dropResources(stack: StackJson, resourceTypes: readonly string[], dataTypes: readonly string[], why: string): { stack: StackJson; adaptations: Adaptation[] } {
  const copy: StackJson = structuredClone(stack);
  const adaptations: Adaptation[] = [];
  const dropped = new Set<string>();
  const take = (section: 'resource' | 'data', type: string, prefix: string): void => {
    const names = Object.keys(copy[section]?.[type] ?? {});
    if (names.length === 0) return;
    for (const name of names) dropped.add(`${prefix}${type}.${name}`);
    delete copy[section][type];
    adaptations.push({ kind: 'dropped', type: `${prefix}${type}`, count: names.length, why });
  };
  for (const type of resourceTypes) take('resource', type, '');
  for (const type of dataTypes) take('data', type, 'data.');
  if (dropped.size === 0) return { stack: copy, adaptations };
  const refersToDropped = (value: string): string | undefined => [...dropped].find((address) => new RegExp(`(?<![\\w.])${escapeRegExp(address)}\\b`).test(value));
  const visit = (value: unknown, path: string): unknown => {
    if (typeof value === 'string') {
      const address = refersToDropped(value);
      if (!address) return value;
      const whole = new RegExp(`^\\$\\{${escapeRegExp(address)}(\\.[\\w.]+)?\\}$`).exec(value);
      if (!whole) throw new Error(`${path}: ${JSON.stringify(value)} uses ${address}, which the rehearsal leaves out, inside an expression`);
      return `stand-in for ${address}${whole[1] ?? ''}`;
    }
    if (Array.isArray(value)) {
      const items = path.endsWith('.depends_on') ? value.filter((item) => !(typeof item === 'string' && dropped.has(item))) : value;
      return items.map((item, i) => visit(item, `${path}[${i}]`));
    }
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, visit(item, `${path}.${key}`)]));
    return value;
  };
  return { stack: visit(copy, '') as StackJson, adaptations };
}

function dropProviders(stack: StackJson, types: readonly string[]): void {
  for (const provider of new Set(types.map((type) => type.split('_', 1)[0] ?? type))) {
    if (stack['provider']) delete stack['provider'][provider];
    if (stack['terraform']?.['required_providers']) delete stack['terraform']['required_providers'][provider];
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
