import { type Expression, type Step, type TemplatePart, TerraformExpressionError, type Traversal, describeExpression, parseTemplate } from './expression';
import { TERRAFORM_FUNCTIONS, type TerraformFunctions } from './functions';

/*
 * Evaluation of the parse tree, strict (anything outside the subset, or a value the caller cannot
 * supply, throws naming the expression) or lenient (the same gives UNKNOWN).
 */

/** A value lenient evaluation could not determine from the JSON alone (a computed attribute, an operator). */
export const UNKNOWN: unique symbol = Symbol('unknown');

/** What an evaluation needs from its caller. */
export interface ExpressionScope {
  /**
   * The value of a reference, given its path (`["aws_vpc", "v", "cidr_block"]`; an index is a
   * number, a key a string). Strict scopes throw naming `describeExpression(traversal)`;
   * lenient ones may return UNKNOWN.
   */
  readonly resolve: (path: readonly (string | number)[], traversal: Traversal) => unknown;
  /** @default TERRAFORM_FUNCTIONS */
  readonly functions?: TerraformFunctions;
  /** One index or attribute into a value the default (lists by number, objects by key) does not read; undefined when it does not apply. */
  readonly step?: (value: unknown, key: string | number) => unknown;
  /** The text of a value Terraform would interpolate that is not a string, number or bool; undefined when it cannot be. */
  readonly text?: (value: unknown) => string | undefined;
}

/** Evaluates one expression. Throws TerraformExpressionError naming the expression for anything it cannot determine. UNKNOWN from the scope propagates. */
export function evaluateExpression(expression: Expression, scope: ExpressionScope): unknown {
  switch (expression.kind) {
    case 'template':
      return evaluateParts(expression.parts, scope);
    case 'number':
    case 'literal':
      return expression.value;
    case 'list': {
      const items = expression.items.map((item) => evaluateExpression(item, scope));
      return items.includes(UNKNOWN) ? UNKNOWN : items;
    }
    case 'object':
      throw new TerraformExpressionError(`No stand-in for the Terraform object constructor \${${describeExpression(expression)}}.`);
    case 'call': {
      const functions = scope.functions ?? TERRAFORM_FUNCTIONS;
      const fn = Object.hasOwn(functions, expression.name) ? functions[expression.name] : undefined;
      if (!fn) throw new TerraformExpressionError(`No stand-in for the Terraform function call \${${describeExpression(expression)}} (supported: ${Object.keys(functions).join(', ')}).`);
      const args = expression.args.map((arg) => evaluateExpression(arg, scope));
      if (args.includes(UNKNOWN)) return UNKNOWN;
      try {
        return fn(...args);
      } catch (error) {
        throw new TerraformExpressionError(`\${${describeExpression(expression)}}: ${(error as Error).message}`);
      }
    }
    case 'traversal': {
      const path: (string | number)[] = [expression.root];
      for (const step of expression.steps) {
        const key = stepKey(step, scope);
        if (key === UNKNOWN) return UNKNOWN;
        path.push(key);
      }
      return scope.resolve(path, expression);
    }
    case 'access': {
      let value = evaluateExpression(expression.target, scope);
      for (const step of expression.steps) {
        if (value === UNKNOWN) return UNKNOWN;
        const key = stepKey(step, scope);
        if (key === UNKNOWN) return UNKNOWN;
        value = stepInto(value, key, scope);
        if (value === undefined) throw new TerraformExpressionError(`\${${describeExpression(expression)}}: no such key or index in the value.`);
      }
      return value;
    }
  }
}

/** One index or attribute into a value: a list by position, an object by key, else the scope's own `step`. */
export function stepInto(value: unknown, key: string | number, scope?: Pick<ExpressionScope, 'step'>): unknown {
  const own = scope?.step?.(value, key);
  if (own !== undefined) return own;
  if (Array.isArray(value)) return typeof key === 'number' ? value[key] : undefined;
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[String(key)] : undefined;
}

function stepKey(step: Step, scope: ExpressionScope): string | number | typeof UNKNOWN {
  if (step.kind === 'attr') return /^\d+$/.test(step.name) ? Number(step.name) : step.name;
  const key = evaluateExpression(step.key, scope);
  if (key === UNKNOWN || typeof key === 'string' || typeof key === 'number') return key;
  throw new TerraformExpressionError(`\${${describeExpression(step.key)}} is not a key or an index.`);
}

/** A template's value: a single interpolation is its value unconverted (HCL spec, "Template Interpolation Sequences"); else the parts as text. */
function evaluateParts(parts: readonly TemplatePart[], scope: ExpressionScope): unknown {
  const [only] = parts;
  if (parts.length === 1 && typeof only !== 'string' && only !== undefined) return evaluateExpression(only, scope);
  return renderParts(parts, scope);
}

function renderParts(parts: readonly TemplatePart[], scope: ExpressionScope): string | typeof UNKNOWN {
  let text = '';
  for (const part of parts) {
    if (typeof part === 'string') {
      text += part;
      continue;
    }
    const value = evaluateExpression(part, scope);
    if (value === UNKNOWN) return UNKNOWN;
    text += interpolated(part, value, scope);
  }
  return text;
}

function interpolated(expression: Expression, value: unknown, scope: ExpressionScope): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  const own = scope.text?.(value);
  if (own !== undefined) return own;
  const what = value === null ? 'null' : Array.isArray(value) ? 'a list' : 'an object';
  throw new TerraformExpressionError(`\${${describeExpression(expression)}} is ${what}: Terraform cannot interpolate it into a string.`);
}

/**
 * Strict evaluation of a string as Terraform interpolates it into a string argument: every
 * interpolation must give text. Throws TerraformExpressionError naming what it cannot resolve.
 */
export function renderTemplate(text: string, scope: ExpressionScope): string {
  const rendered = renderParts(parseTemplate(text), scope);
  if (rendered === UNKNOWN) throw new TerraformExpressionError(`${text}: a value in it is not known offline.`);
  return rendered;
}

/**
 * Lenient evaluation of a value of synthesized Terraform JSON: strings as templates (a single
 * interpolation keeps its type), lists element by element, anything else as it is. Whatever
 * strict evaluation would throw on (unsupported syntax or function, a missing key, a list in a
 * string) gives UNKNOWN, as does UNKNOWN from `resolve`.
 */
export function evaluateLeniently(value: unknown, resolve: (path: readonly (string | number)[]) => unknown, functions?: TerraformFunctions): unknown {
  if (Array.isArray(value)) {
    const items = value.map((item) => evaluateLeniently(item, resolve, functions));
    return items.includes(UNKNOWN) ? UNKNOWN : items;
  }
  if (typeof value !== 'string') return value;
  try {
    return evaluateParts(parseTemplate(value), { resolve, ...(functions ? { functions } : {}) });
  } catch (error) {
    if (error instanceof TerraformExpressionError) return UNKNOWN;
    throw error;
  }
}
