/**
 * The one reader of Terraform expressions in synthesized JSON: the subset of HCL's template and
 * expression syntax cdktf writes (hashicorp/hcl, hclsyntax/spec.md): template strings
 * (`"a${x}b"`, `$${` and `%%{` escapes), traversals (`type.name.attr[0]["key"]`, legacy `.0`),
 * function calls, list and object literals, parentheses, `true`/`false`/`null`, and indexes on any of
 * them. Parsed into a tree here, once; evaluated strictly or leniently in evaluate.ts; its
 * references read and rewritten in reference.ts.
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

/** A template split at its interpolations, each kept as source text (`${x}` gives `{ source: 'x' }`); `%{` directives as `{ directive }`. */
export type RawTemplatePart = string | { readonly source: string } | { readonly directive: string };

const IDENT = /[A-Za-z_][\w-]*/y;
const NUMBER = /\d+(?:\.\d+)?/y;

/** One piece of a template as written: literal text (escapes kept), or an interpolation or directive with its inner source. */
export interface TemplateSpan {
  readonly kind: 'literal' | 'interpolation' | 'directive';
  readonly start: number;
  readonly end: number;
  /** The literal's text with `$${` and `%%{` unescaped, or the trimmed source inside the braces. */
  readonly text: string;
}

/** The pieces of a template as written, with their offsets (what a rewrite splices). */
export function scanTemplate(text: string): TemplateSpan[] {
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
