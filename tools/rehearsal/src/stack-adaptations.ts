import { type Step, TerraformExpressionError, type Traversal, containsExpression, describeExpression, referenceOf, referenceOfTraversal, replaceTraversals, templateTraversals } from '@crdb-ory/core/terraform';
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
 * reference at it (found and rewritten by core's expression parser). The rest of the stack
 * applies for real against what the stand-ins give.
 */
export function replaceWithStandIns(stack: StackJson, types: readonly string[], why: string): { stack: StackJson; adaptations: Adaptation[] } {
  const replaced = new Set(types);
  const attributes = new Map<string, Set<string>>();
  const standInOf = (traversal: Traversal, path: string): Traversal | undefined => {
    if (!replaced.has(traversal.root)) return undefined;
    const [name, attribute, ...rest] = traversal.steps;
    if (name?.kind !== 'attr' || attribute?.kind !== 'attr') throw new Error(`${path}: \${${describeExpression(traversal)}} reads no attribute of a ${traversal.root}, which the rehearsal replaces by a stand-in`);
    const key = `${traversal.root}.${name.name}`;
    attributes.set(key, (attributes.get(key) ?? new Set()).add(attribute.name));
    const step = (text: string): Step => ({ kind: 'attr', name: text });
    return { kind: 'traversal', root: 'terraform_data', steps: [step(`${traversal.root}_${name.name}`), step('output'), attribute, ...rest] };
  };
  const rewritten = mapStrings(stack, (value, path) => {
    if (/\.depends_on\[\d+\]$/.test(path)) {
      const [type, name, ...rest] = value.split('.');
      if (type && name && rest.length === 0 && replaced.has(type)) return `terraform_data.${type}_${name}`;
    }
    return rewriteTemplate(value, path, types, (traversal) => standInOf(traversal, path));
  }) as StackJson;
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
  const droppedBy = (traversal: Traversal): string | undefined => {
    const address = referenceOfTraversal(traversal)?.address;
    return address !== undefined && dropped.has(address) ? address : undefined;
  };
  const withoutDependencies = (value: unknown, path: string): unknown => {
    if (Array.isArray(value)) {
      const items = path.endsWith('.depends_on') ? value.filter((item) => !(typeof item === 'string' && dropped.has(item))) : value;
      return items.map((item, i) => withoutDependencies(item, `${path}[${i}]`));
    }
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withoutDependencies(item, `${path}.${key}`)]));
    return value;
  };
  const result = mapStrings(withoutDependencies(copy, ''), (value, path) => {
    const address = [...traversalsIn(value, path, [...dropped])].map(droppedBy).find((found) => found !== undefined);
    if (!address) return value;
    const whole = referenceOf(value);
    if (whole?.address !== address) throw new Error(`${path}: ${JSON.stringify(value)} uses ${address}, which the rehearsal leaves out, inside an expression`);
    return `stand-in for ${whole.text}`;
  });
  return { stack: result as StackJson, adaptations };
}

/** Every string of a JSON value replaced by `map(value, path)` (paths as `.resource.aws_x.y.name`, `[0]` for list items). */
function mapStrings(value: unknown, map: (value: string, path: string) => string, path = ''): unknown {
  if (typeof value === 'string') return map(value, path);
  if (Array.isArray(value)) return value.map((item, i) => mapStrings(item, map, `${path}[${i}]`));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, mapStrings(item, map, `${path}.${key}`)]));
  return value;
}

/** The traversals of a string's interpolations; one the parser cannot read is an error only when it names one of `names` (never guessed past). */
function traversalsIn(value: string, path: string, names: readonly string[]): Traversal[] {
  if (!containsExpression(value)) return [];
  try {
    return templateTraversals(value);
  } catch (error) {
    if (!(error instanceof TerraformExpressionError) || !names.some((name) => value.includes(name))) return [];
    throw new Error(`${path}: ${JSON.stringify(value)} names ${names.find((name) => value.includes(name))}, in an expression the rehearsal cannot read (${error.message})`);
  }
}

function rewriteTemplate(value: string, path: string, names: readonly string[], replace: (traversal: Traversal) => Traversal | undefined): string {
  if (traversalsIn(value, path, names.map((name) => `${name}.`)).length === 0) return value;
  return replaceTraversals(value, replace);
}

function dropProviders(stack: StackJson, types: readonly string[]): void {
  for (const provider of new Set(types.map((type) => type.split('_', 1)[0] ?? type))) {
    if (stack['provider']) delete stack['provider'][provider];
    if (stack['terraform']?.['required_providers']) delete stack['terraform']['required_providers'][provider];
  }
}
