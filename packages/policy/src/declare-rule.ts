import { allStrings, type LocatedString } from './json-strings';
import type { PolicyContext, PolicyRule, Severity, Violation } from './rule';
import type { ResourceEntry, StackDocument } from './stack-document';
import { firstBlock } from './values';

/**
 * Rules are declared as data, as cdk-nag declares them: an id, a description, a severity, a fix,
 * and the test. The factories below turn a declaration into a {@link PolicyRule}; the rule
 * file holds only what is particular to its rule.
 */

/** What is wrong: a message (the rule's `fix` applies), or a message with a fix of its own. */
export type Problem = string | { readonly message: string; readonly fix: string };

/** Where a problem is: a resource, a data source, or a string of the JSON (`allStrings`). */
export interface Located {
  readonly address: string;
  readonly constructPath: string;
}

/** A problem and the resource or value it is about. */
export interface LocatedProblem {
  readonly at: Located;
  readonly problem: Problem;
}

interface RuleDeclaration {
  /** Stable id, `CRDB-<AREA>-<NNN>`; suppressions name it. */
  readonly id: string;
  readonly description: string;
  /** @default 'error' */
  readonly severity?: Severity;
  /** How to fix a problem that names no fix of its own. */
  readonly fix: string;
}

/** A rule over the whole stack: `check` lists every problem with what it is about. */
export interface StackRuleDeclaration extends RuleDeclaration {
  check(stack: StackDocument, context: PolicyContext): readonly LocatedProblem[];
}

/** The problems of one resource: none (`undefined` or `[]`) when it complies. */
export type ResourceTest = (entry: ResourceEntry, stack: StackDocument, context: PolicyContext) => Problem | readonly Problem[] | undefined;

/** A rule over resources one by one. */
export interface ResourceRuleDeclaration extends RuleDeclaration {
  /**
   * The test of each resource type the rule reads. Findings come type by type in this order,
   * then in the stack's order (the order the rule files wrote by hand before).
   */
  readonly test: Readonly<Record<string, ResourceTest>>;
}

/** A rule over the whole stack (ports, namespaces, strings, a cluster's nodes). */
export function stackRule(declaration: StackRuleDeclaration): PolicyRule {
  const { id, description, severity = 'error', fix } = declaration;
  return {
    id,
    description,
    severity,
    check: (stack, context) => declaration.check(stack, context).map(({ at, problem }) => violation(at, problem, fix)),
  };
}

/** A rule that tests resources of some types one by one. */
export function resourceRule(declaration: ResourceRuleDeclaration): PolicyRule {
  return stackRule({
    ...declaration,
    check: (stack, context) =>
      Object.entries(declaration.test).flatMap(([type, test]) =>
        stack.resources(type).flatMap((entry) => problemsOf(test(entry, stack, context)).map((problem) => ({ at: entry, problem }))),
      ),
  });
}

/** A rule over every string of the JSON (`allStrings`): resources, data sources, outputs, providers, locals, variables. */
export function stringRule(declaration: RuleDeclaration & { readonly test: (located: LocatedString) => Problem | undefined }): PolicyRule {
  return stackRule({
    ...declaration,
    check: (stack) => allStrings(stack).flatMap((located) => problemsOf(declaration.test(located)).map((problem) => ({ at: located, problem }))),
  });
}

/** `problem` about `at`, for `stackRule` checks that list several. */
export function problemAt(at: Located, problem: Problem): LocatedProblem {
  return { at, problem };
}

/**
 * The value at `path` in a resource's arguments, through nested blocks: `attribute(config,
 * 'metadata_options', 'http_tokens')` reads the first `metadata_options` block's `http_tokens`
 * (cdktf writes a single block as an object or a one-item array). Undefined when any step is
 * missing.
 */
export function attribute(config: unknown, ...path: readonly string[]): unknown {
  return path.reduce<unknown>((value, key) => firstBlock(value)?.[key], config);
}

function problemsOf(found: Problem | readonly Problem[] | undefined): readonly Problem[] {
  if (found === undefined) return [];
  return typeof found === 'string' || !Array.isArray(found) ? [found as Problem] : found;
}

function violation(at: Located, problem: Problem, fix: string): Violation {
  const { message, fix: own } = typeof problem === 'string' ? { message: problem, fix } : problem;
  return { address: at.address, constructPath: at.constructPath, message, fix: own };
}
