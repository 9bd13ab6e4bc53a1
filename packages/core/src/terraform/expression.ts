import { TERRAFORM_FUNCTIONS, type TerraformFunctions } from './functions';

/**
 * The one reader of Terraform expressions in synthesized JSON: the subset of HCL's template and
 * expression syntax cdktf writes (hashicorp/hcl, hclsyntax/spec.md): template strings
 * (`"a${x}b"`, `$${` and `%%{` escapes), traversals (`type.name.attr[0]["key"]`, legacy `.0`),
 * function calls, list and object literals, parentheses, `true`/`false`/`null`, and indexes on any of
 * them. Parsed into a tree once; evaluated strictly (anything outside the subset, or a value the
 * caller cannot supply, throws naming the expression) or leniently (it gives UNKNOWN).
 */
export type Expression =
  | { readonly kind: 'template'; readonly parts: readonly TemplatePart[] }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'literal'; readonly value: boolean | null }
  | { readonly kind: 'list'; readonly items: readonly Expression[] }
  /** `{ "k" = v, name = w }`: parsed (its references are found and rewritten) but not evaluated. A bare name key is a string. */
  | { readonly kind: 'object'; readonly items: ReadonlyArray<{ readonly key: string | Expression; readonly value: Expression }> }
  | { readonly kind: 'traversal'; readonly root: string; readonly steps: readonly Step[] }
  | { readonly kind: 'call'; readonly name: string; readonly args: readonly Expression[] }
  /** Indexes or attributes of a computed value: `element(...)[0]`, `[a, b][1]`, `(x).y`. */
  | { readonly kind: 'access'; readonly target: Expression; readonly steps: readonly Step[] };

export type Traversal = Extract<Expression, { kind: 'traversal' }>;
export type TemplatePart = string | Expression;

/** `.attr` is a name; `[0]` and `["key"]` are expressions (a template key is evaluated first). Legacy `.0` is an index. */
export type Step = { readonly kind: 'attr'; readonly name: string } | { readonly kind: 'index'; readonly key: Expression };

/** Thrown for text outside the supported syntax, and by strict evaluation. */
export class TerraformExpressionError extends Error {
  override readonly name = 'TerraformExpressionError';
}

/** A value lenient evaluation could not determine from the JSON alone (a computed attribute, an operator). */
export const UNKNOWN: unique symbol = Symbol('unknown');

/** A template split at its interpolations, each kept as source text (`${x}` gives `{ source: 'x' }`); `%{` directives as `{ directive }`. */
export type RawTemplatePart = string | { readonly source: string } | { readonly directive: string };

const IDENT = /[A-Za-z_][\w-]*/y;
const NUMBER = /\d+(?:\.\d+)?/y;

/** One piece of a template as written: literal text (escapes kept), or an interpolation or directive with its inner source. */
interface TemplateSpan {
  readonly kind: 'literal' | 'interpolation' | 'directive';
  readonly start: number;
  readonly end: number;
  /** The literal's text with `$${` and `%%{` unescaped, or the trimmed source inside the braces. */
  readonly text: string;
}

function scanTemplate(text: string): TemplateSpan[] {
  const spans: TemplateSpan[] = [];
  let literal = '';
  let literalStart = 0;
  let at = 0;
  const flush = (end: number): void => {
    if (literal) spans.push({ kind: 'literal', start: literalStart, end, text: literal });
    literal = '';
  };
  while (at < text.length) {
    if (text.startsWith('$${', at) || text.startsWith('%%{', at)) {
      literal += text.slice(at + 1, at + 3);
      at += 3;
    } else if (text.startsWith('${', at) || text.startsWith('%{', at)) {
      flush(at);
      const end = closingBrace(text, at + 2);
      spans.push({ kind: text[at] === '$' ? 'interpolation' : 'directive', start: at, end: end + 1, text: text.slice(at + 2, end).trim() });
      at = end + 1;
      literalStart = at;
    } else {
      literal += text[at];
      at++;
    }
  }
  flush(at);
  return spans;
}

/** Splits a template into literal text and the source of each interpolation, matching braces (strings and nested templates skipped). */
export function splitTemplate(text: string): RawTemplatePart[] {
  return scanTemplate(text).map((span) => (span.kind === 'literal' ? span.text : span.kind === 'interpolation' ? { source: span.text } : { directive: span.text }));
}

/** Parses a template (`a${x}b`) into literal text and expressions. Throws on a directive or unsupported syntax. */
export function parseTemplate(text: string): TemplatePart[] {
  return splitTemplate(text).map((part) => {
    if (typeof part === 'string') return part;
    if ('directive' in part) throw new TerraformExpressionError(`No stand-in for the Terraform template directive %{${part.directive}}.`);
    return parseExpression(part.source);
  });
}

/** Parses the inside of one `${...}`. Throws, naming the text, on anything outside the subset. */
export function parseExpression(text: string): Expression {
  const parser = new Parser(text);
  const expression = parser.expression();
  parser.skipSpace();
  if (!parser.atEnd()) parser.fail();
  return expression;
}

/** The source inside a string that is exactly one `${...}` (nothing around it), else undefined. Its syntax is not checked. */
export function wholeInterpolation(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    const parts = splitTemplate(value);
    const [only] = parts;
    return parts.length === 1 && typeof only === 'object' && 'source' in only ? only.source : undefined;
  } catch {
    return undefined;
  }
}

/** The expression of a string that is exactly one supported `${...}`, else undefined. */
export function wholeExpression(value: unknown): Expression | undefined {
  const source = wholeInterpolation(value);
  if (source === undefined) return undefined;
  try {
    return parseExpression(source);
  } catch {
    return undefined;
  }
}

/** True when a value is a string with an interpolation or directive (known only at plan), or one that cannot be read as a template. */
export function containsExpression(value: unknown): boolean {
  if (typeof value !== 'string' || !value.includes('{')) return false;
  try {
    return splitTemplate(value).some((part) => typeof part !== 'string');
  } catch {
    return true;
  }
}

/** The text a string stands for when it holds no interpolation or directive (`$${` and `%%{` unescaped), else undefined. */
export function literalText(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    const parts = splitTemplate(value);
    return parts.every((part) => typeof part === 'string') ? parts.join('') : undefined;
  } catch {
    return undefined;
  }
}

/** Expression text as Terraform would print it (canonical spacing, `[0]` for legacy `.0`). */
export function describeExpression(expression: Expression): string {
  switch (expression.kind) {
    case 'template':
      return `"${expression.parts.map((p) => (typeof p === 'string' ? JSON.stringify(p).slice(1, -1).replace(/\$\{/g, '$${').replace(/%\{/g, '%%{') : `\${${describeExpression(p)}}`)).join('')}"`;
    case 'number':
      return String(expression.value);
    case 'literal':
      return String(expression.value);
    case 'list':
      return `[${expression.items.map(describeExpression).join(', ')}]`;
    case 'object':
      return `{${expression.items.map(({ key, value }) => `${typeof key === 'string' ? key : describeExpression(key)} = ${describeExpression(value)}`).join(', ')}}`;
    case 'call':
      return `${expression.name}(${expression.args.map(describeExpression).join(', ')})`;
    case 'traversal':
      return `${expression.root}${describeSteps(expression.steps)}`;
    case 'access':
      return `${expression.target.kind === 'call' || expression.target.kind === 'list' ? describeExpression(expression.target) : `(${describeExpression(expression.target)})`}${describeSteps(expression.steps)}`;
  }
}

function describeSteps(steps: readonly Step[]): string {
  return steps.map((s) => (s.kind === 'attr' ? `.${s.name}` : `[${describeExpression(s.key)}]`)).join('');
}

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

/** Index of the `}` that closes the interpolation opened before `from`, skipping nested braces and string literals. */
function closingBrace(text: string, from: number): number {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '"') i = closingQuote(text, i + 1);
    else if (c === '{') depth++;
    else if (c === '}') {
      if (depth === 0) return i;
      depth--;
    }
  }
  throw new TerraformExpressionError(`Unterminated Terraform expression in: ${text.slice(Math.max(0, from - 2), from + 78)}`);
}

/** Index of the `"` that closes a string literal starting at `from`, skipping escapes and nested templates. */
function closingQuote(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === '$' && text[i + 1] === '$') i++;
    else if (c === '$' && text[i + 1] === '{') i = closingBrace(text, i + 2);
    else if (c === '"') return i;
  }
  throw new TerraformExpressionError(`Unterminated string literal in Terraform expression: ${text.slice(from - 1, from + 79)}`);
}

class Parser {
  at = 0;
  constructor(private readonly text: string) {}

  atEnd(): boolean {
    return this.at >= this.text.length;
  }

  skipSpace(): void {
    while (!this.atEnd() && /\s/.test(this.text[this.at] ?? '')) this.at++;
  }

  expression(): Expression {
    this.skipSpace();
    const c = this.text[this.at];
    if (c === '"') return this.withSteps(this.stringLiteral());
    if (c === '[') return this.withSteps(this.list());
    if (c === '{') return this.withSteps(this.object());
    if (c === '(') {
      this.at++;
      const inner = this.expression();
      this.expect(')');
      return this.withSteps(inner);
    }
    const number = this.match(NUMBER);
    if (number !== undefined) return { kind: 'number', value: Number(number) };
    const name = this.match(IDENT);
    if (name === undefined) this.fail();
    this.skipSpace();
    if (this.text[this.at] === '(') {
      this.at++;
      return this.withSteps({ kind: 'call', name, args: this.arguments() });
    }
    if (name === 'true' || name === 'false') return { kind: 'literal', value: name === 'true' };
    if (name === 'null') return { kind: 'literal', value: null };
    return { kind: 'traversal', root: name, steps: this.steps() };
  }

  private withSteps(target: Expression): Expression {
    const steps = this.steps();
    return steps.length === 0 ? target : { kind: 'access', target, steps };
  }

  private arguments(): Expression[] {
    const args: Expression[] = [];
    this.skipSpace();
    if (this.text[this.at] === ')') {
      this.at++;
      return args;
    }
    for (;;) {
      args.push(this.expression());
      this.skipSpace();
      const c = this.text[this.at++];
      if (c === ')') return args;
      if (c !== ',') this.fail(this.at - 1);
    }
  }

  private list(): Expression {
    this.at++;
    const items: Expression[] = [];
    for (;;) {
      this.skipSpace();
      if (this.text[this.at] === ']') {
        this.at++;
        return { kind: 'list', items };
      }
      items.push(this.expression());
      this.skipSpace();
      const c = this.text[this.at];
      if (c === ',') this.at++;
      else if (c !== ']') this.fail();
    }
  }

  private object(): Expression {
    this.at++;
    const items: Array<{ key: string | Expression; value: Expression }> = [];
    for (;;) {
      this.skipSpace();
      if (this.text[this.at] === '}') {
        this.at++;
        return { kind: 'object', items };
      }
      const name = this.text[this.at] === '"' || this.text[this.at] === '(' ? undefined : this.match(IDENT);
      const key = name ?? this.expression();
      this.skipSpace();
      const separator = this.text[this.at];
      if (separator !== '=' && separator !== ':') this.fail();
      this.at++;
      items.push({ key, value: this.expression() });
      this.skipSpace();
      if (this.text[this.at] === ',') this.at++;
      else if (this.text[this.at] !== '}') this.fail();
    }
  }

  private steps(): Step[] {
    const steps: Step[] = [];
    for (;;) {
      const c = this.text[this.at];
      if (c === '.') {
        this.at++;
        const name = this.match(IDENT) ?? this.match(/\d+/y);
        if (name === undefined) this.fail();
        steps.push({ kind: 'attr', name });
      } else if (c === '[') {
        this.at++;
        const key = this.expression();
        this.expect(']');
        steps.push({ kind: 'index', key });
      } else {
        return steps;
      }
    }
  }

  private stringLiteral(): Expression {
    const end = closingQuote(this.text, this.at + 1);
    const body = this.text.slice(this.at + 1, end);
    this.at = end + 1;
    return { kind: 'template', parts: parseTemplate(unescape(body)) };
  }

  private expect(char: string): void {
    this.skipSpace();
    if (this.text[this.at] !== char) this.fail();
    this.at++;
  }

  private match(pattern: RegExp): string | undefined {
    pattern.lastIndex = this.at;
    const found = pattern.exec(this.text);
    if (!found) return undefined;
    this.at += found[0].length;
    return found[0];
  }

  fail(at = this.at): never {
    throw new TerraformExpressionError(`No stand-in for the Terraform expression \${${this.text}} (unsupported syntax at "${this.text.slice(at)}").`);
  }
}

/** HCL string escapes outside interpolations: `\"`, `\\`, `\n`, `\t`, `\r`, `\uNNNN`; interpolations (and `$${`) are kept for the template parser. */
function unescape(body: string): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '$' && body[i + 1] === '$') {
      out += '$$';
      i++;
    } else if (c === '$' && body[i + 1] === '{') {
      const end = closingBrace(body, i + 2);
      out += body.slice(i, end + 1);
      i = end;
    } else if (c === '\\') {
      const next = body[++i];
      if (next === 'u' && /^[0-9A-Fa-f]{4}$/.test(body.slice(i + 1, i + 5))) {
        out += String.fromCharCode(parseInt(body.slice(i + 1, i + 5), 16));
        i += 4;
      } else {
        out += next === 'n' ? '\n' : next === 't' ? '\t' : next === 'r' ? '\r' : (next ?? '');
      }
    } else {
      out += c;
    }
  }
  return out;
}

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
