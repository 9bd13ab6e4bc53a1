import { Testing, type TerraformStack } from 'cdktf';

/**
 * Synthesized Terraform JSON as tests read it. It has no static type (every provider schema
 * would be one), so a test reads any argument and its assertions say what it must be.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above: tests read synthesized JSON by name
export type StackJson = Record<string, any>;

/** One resource or data source of a template, with the address Terraform knows it by. */
export interface TemplateEntry {
  /** `<type>.<name>` for a resource, `data.<type>.<name>` for a data source. */
  readonly address: string;
  readonly type: string;
  /** The Terraform name (cdktf's logical id). */
  readonly name: string;
  /** Its arguments, as synthesized (references are `${...}` strings). */
  readonly config: StackJson;
}

/**
 * Assertions over one synthesized stack, in the spirit of aws-cdk's `Template`
 * (`aws-cdk-lib/assertions`): find resources, count them, match their arguments partially, take
 * the one resource a test is about. Every failed assertion throws an `Error` that says what was
 * expected and what the stack holds, so it needs no test framework (and pulls none into the
 * packages' runtime: it is the `@crdb-ory/core/testing` entry point, not the main one).
 */
export class Template {
  /** A template over already synthesized JSON (`JSON.parse(Testing.synth(stack))`, a `cdktf.out` stack file). */
  static fromJSON(json: StackJson): Template {
    return new Template(json);
  }

  /** Synthesizes `stack` (cdktf `Testing.synth`, which runs its validations) and wraps the JSON. */
  static fromStack(stack: TerraformStack): Template {
    return new Template(JSON.parse(Testing.synth(stack)) as StackJson);
  }

  private constructor(readonly json: StackJson) {}

  /** Every resource of `type` whose arguments match `props` (see {@link matchesPartially}), by Terraform name; `{}` when none. */
  findResources(type: string, props: StackJson = {}): Record<string, StackJson> {
    return byName(this.entries('resource', type).filter((entry) => matchesPartially(entry.config, props)));
  }

  /** Every data source of `type` whose arguments match `props`, by Terraform name. */
  findDataSources(type: string, props: StackJson = {}): Record<string, StackJson> {
    return byName(this.entries('data', type).filter((entry) => matchesPartially(entry.config, props)));
  }

  /** The arguments of every resource of `type`, in synthesis order. */
  all(type: string): StackJson[] {
    return this.entries('resource', type).map((entry) => entry.config);
  }

  /** Throws unless the stack has exactly `count` resources of `type`. */
  resourceCountIs(type: string, count: number): void {
    const found = this.entries('resource', type);
    if (found.length !== count) throw new Error(`expected ${count} ${type}, found ${found.length}${listed(found)}`);
  }

  /** Throws unless some resource of `type` has arguments matching `props` (partially: see {@link matchesPartially}). */
  hasResourceProperties(type: string, props: StackJson): void {
    const found = this.entries('resource', type);
    if (!found.some((entry) => matchesPartially(entry.config, props))) {
      throw new Error(`expected a ${type} with ${JSON.stringify(props)}; ${found.length === 0 ? 'the stack has none' : `none of ${found.length} matches: ${found.map((entry) => `${entry.name} ${JSON.stringify(entry.config)}`).join('; ')}`}`);
    }
  }

  /**
   * The one resource of `type` the test is about: the only one of its type, or, given `match`,
   * the only one whose Terraform name starts with `match` (a string) or whose arguments match it
   * partially (an object, see {@link matchesPartially}). Throws, naming what it found, when there
   * is none or more than one.
   */
  only(type: string, match: string | StackJson = ''): TemplateEntry {
    return exactlyOne(this.entries('resource', type), type, match);
  }

  /** The one data source of `type` (matching `match` as in {@link only}); throws when there is none or more than one. */
  onlyDataSource(type: string, match: string | StackJson = ''): TemplateEntry {
    return exactlyOne(this.entries('data', type), `data source ${type}`, match);
  }

  /** The one local value whose name starts with `namePrefix` (cdktf suffixes a hash); throws when there is none or more than one. */
  onlyLocal(namePrefix: string): { readonly name: string; readonly value: unknown } {
    const matching = Object.entries((this.json['locals'] ?? {}) as Record<string, unknown>).filter(([name]) => name.startsWith(namePrefix));
    const [found, ...more] = matching;
    if (!found || more.length > 0) throw new Error(`expected one local named ${namePrefix}*, found ${matching.length}${matching.length > 0 ? `: ${matching.map(([name]) => name).join(', ')}` : ''}`);
    return { name: found[0], value: found[1] };
  }

  /** The resource at a Terraform address (`type.name`); throws when the stack has none there. */
  resourceAt(address: string): TemplateEntry {
    const [type = '', name = ''] = address.split('.');
    const found = this.entries('resource', type).find((entry) => entry.name === name);
    if (!found) throw new Error(`no resource ${address}${listed(this.entries('resource', type))}`);
    return found;
  }

  private entries(section: 'resource' | 'data', type: string): TemplateEntry[] {
    const byType = (this.json[section] ?? {}) as Record<string, Record<string, StackJson> | undefined>;
    const prefix = section === 'data' ? `data.${type}` : type;
    return Object.entries(byType[type] ?? {}).map(([name, config]) => ({ address: `${prefix}.${name}`, type, name, config }));
  }
}

/**
 * True when `actual` has everything `expected` says, as aws-cdk's `Match.objectLike`: an object
 * matches when each key of `expected` matches (other keys of `actual` are ignored, at any depth);
 * an array matches an array of the same length item by item; anything else must be equal.
 */
export function matchesPartially(actual: unknown, expected: unknown): boolean {
  if (Array.isArray(expected)) return Array.isArray(actual) && actual.length === expected.length && expected.every((item, index) => matchesPartially(actual[index], item));
  if (isPlainObject(expected)) return isPlainObject(actual) && Object.entries(expected).every(([key, value]) => key in actual && matchesPartially(actual[key], value));
  return Object.is(actual, expected);
}

function exactlyOne(entries: readonly TemplateEntry[], what: string, match: string | StackJson): TemplateEntry {
  const matching = entries.filter((entry) => (typeof match === 'string' ? entry.name.startsWith(match) : matchesPartially(entry.config, match)));
  const [found, ...more] = matching;
  if (!found || more.length > 0) {
    const which = typeof match === 'string' ? (match ? ` named ${match}*` : '') : ` with ${JSON.stringify(match)}`;
    throw new Error(`expected one ${what}${which}, found ${matching.length}${listed(matching)}`);
  }
  return found;
}

function byName(entries: readonly TemplateEntry[]): Record<string, StackJson> {
  return Object.fromEntries(entries.map((entry) => [entry.name, entry.config]));
}

function listed(entries: readonly TemplateEntry[]): string {
  return entries.length === 0 ? '' : `: ${entries.map((entry) => entry.name).join(', ')}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
