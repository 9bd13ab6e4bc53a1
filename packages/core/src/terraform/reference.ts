import { type Expression, type Step, type Traversal, describeExpression, parseExpression, parseTemplate, scanTemplate, wholeExpression } from './expression';

/** A reference to an attribute of a resource or data source of the stack: `${aws_vpc.v.cidr_block}`, `${data.x.y.json}`. */
export interface TerraformReference {
  readonly mode: 'managed' | 'data';
  readonly type: string;
  readonly name: string;
  /** `aws_vpc.v`, or `data.aws_iam_policy_document.d`. */
  readonly address: string;
  /** The attribute path after the address (`metadata[0].name` and `metadata.0.name` both give `["metadata", 0, "name"]`). */
  readonly attribute: readonly (string | number)[];
  /** The whole reference as Terraform prints it. */
  readonly text: string;
}

/** Roots that are not resource types (Terraform's "References to Named Values"). */
const NAMED_VALUE_ROOTS = new Set(['var', 'local', 'module', 'path', 'terraform', 'count', 'each', 'self']);

/** The reference a traversal makes to a resource or data source, when its keys are literals; else undefined. */
export function referenceOfTraversal(traversal: Traversal): TerraformReference | undefined {
  if (NAMED_VALUE_ROOTS.has(traversal.root)) return undefined;
  const path: (string | number)[] = [traversal.root];
  for (const step of traversal.steps) {
    if (step.kind === 'attr') path.push(/^\d+$/.test(step.name) ? Number(step.name) : step.name);
    else if (step.key.kind === 'number') path.push(step.key.value);
    else if (step.key.kind === 'template' && step.key.parts.every((p) => typeof p === 'string')) path.push(step.key.parts.join(''));
    else return undefined;
  }
  const mode = path[0] === 'data' ? 'data' : 'managed';
  const [type, name, ...attribute] = mode === 'data' ? path.slice(1) : path;
  if (typeof type !== 'string' || typeof name !== 'string') return undefined;
  const address = mode === 'data' ? `data.${type}.${name}` : `${type}.${name}`;
  return { mode, type, name, address, attribute, text: describeExpression(traversal) };
}

/** The reference of a string that is exactly one `${type.name.attribute...}`, else undefined. */
export function referenceOf(value: unknown): TerraformReference | undefined {
  const expression = wholeExpression(value);
  return expression?.kind === 'traversal' ? referenceOfTraversal(expression) : undefined;
}

/** Every traversal an expression makes, those in nested templates, arguments, lists and index keys included. */
export function traversalsOf(expression: Expression): Traversal[] {
  const inSteps = (steps: readonly Step[]): Traversal[] => steps.flatMap((step) => (step.kind === 'index' ? traversalsOf(step.key) : []));
  switch (expression.kind) {
    case 'template':
      return expression.parts.flatMap((part) => (typeof part === 'string' ? [] : traversalsOf(part)));
    case 'number':
    case 'literal':
      return [];
    case 'list':
      return expression.items.flatMap(traversalsOf);
    case 'object':
      return expression.items.flatMap(({ key, value }) => [...(typeof key === 'string' ? [] : traversalsOf(key)), ...traversalsOf(value)]);
    case 'call':
      return expression.args.flatMap(traversalsOf);
    case 'traversal':
      return [expression, ...inSteps(expression.steps)];
    case 'access':
      return [...traversalsOf(expression.target), ...inSteps(expression.steps)];
  }
}

/** The expression with each traversal `replace` gives a substitute for replaced (undefined keeps it). */
export function mapTraversals(expression: Expression, replace: (traversal: Traversal) => Traversal | undefined): Expression {
  const map = (e: Expression): Expression => mapTraversals(e, replace);
  const steps = (list: readonly Step[]): Step[] => list.map((step) => (step.kind === 'index' ? { kind: 'index', key: map(step.key) } : step));
  switch (expression.kind) {
    case 'template':
      return { kind: 'template', parts: expression.parts.map((part) => (typeof part === 'string' ? part : map(part))) };
    case 'number':
    case 'literal':
      return expression;
    case 'list':
      return { kind: 'list', items: expression.items.map(map) };
    case 'object':
      return { kind: 'object', items: expression.items.map(({ key, value }) => ({ key: typeof key === 'string' ? key : map(key), value: map(value) })) };
    case 'call':
      return { kind: 'call', name: expression.name, args: expression.args.map(map) };
    case 'traversal': {
      const own = { ...expression, steps: steps(expression.steps) };
      return replace(own) ?? own;
    }
    case 'access':
      return { kind: 'access', target: map(expression.target), steps: steps(expression.steps) };
  }
}

/**
 * A template string with traversals replaced (see `mapTraversals`). Literal text and every
 * interpolation without a replaced traversal stay as written; a rewritten interpolation is
 * printed as `describeExpression` does. Throws TerraformExpressionError when an interpolation
 * cannot be parsed (nothing in it can be known to need no rewrite).
 */
export function replaceTraversals(text: string, replace: (traversal: Traversal) => Traversal | undefined): string {
  let out = '';
  let at = 0;
  for (const span of scanTemplate(text)) {
    if (span.kind !== 'interpolation') continue;
    const expression = parseExpression(span.text);
    let changed = false;
    const rewritten = mapTraversals(expression, (traversal) => {
      const substitute = replace(traversal);
      if (substitute) changed = true;
      return substitute;
    });
    if (!changed) continue;
    out += `${text.slice(at, span.start)}\${${describeExpression(rewritten)}}`;
    at = span.end;
  }
  return out + text.slice(at);
}

/** Every traversal of a template string (throws TerraformExpressionError when it cannot be parsed). */
export function templateTraversals(text: string): Traversal[] {
  return parseTemplate(text).flatMap((part) => (typeof part === 'string' ? [] : traversalsOf(part)));
}
