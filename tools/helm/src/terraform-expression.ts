/**
 * The subset of Terraform's expression language that cdktf writes into a synthesized stack:
 * template strings (`"a${x}b"`), traversals (`type.name.attr[0]["key"]`), function calls with
 * arguments, and indexes on their results. Parsed into a tree; evaluation is the caller's.
 */
export type Expression =
  | { readonly kind: 'string'; readonly parts: readonly (string | Expression)[] }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'traversal'; readonly root: string; readonly steps: readonly Step[] }
  | { readonly kind: 'call'; readonly name: string; readonly args: readonly Expression[]; readonly steps: readonly Step[] };

/** `.attr` is a name; `[0]` and `["key"]` are expressions (a template key is resolved first). */
export type Step = { readonly kind: 'attr'; readonly name: string } | { readonly kind: 'index'; readonly key: Expression };

const IDENT = /[A-Za-z_][\w-]*/y;
const NUMBER = /\d+(?:\.\d+)?/y;

/** Parses the inside of one `${...}`. Throws, naming the text, on anything outside the subset. */
export function parseExpression(text: string): Expression {
  const parser = new Parser(text);
  const expression = parser.expression();
  parser.skipSpace();
  if (!parser.atEnd()) throw new Error(`No stand-in for the Terraform expression \${${text}} (unsupported syntax at "${text.slice(parser.at)}").`);
  return expression;
}

/** Splits a template (`a${x}b`) into literal text and the expressions it interpolates. */
export function parseTemplate(text: string): (string | Expression)[] {
  const parts: (string | Expression)[] = [];
  let at = 0;
  while (at < text.length) {
    const start = text.indexOf('${', at);
    if (start < 0) break;
    const end = closingBrace(text, start + 2);
    if (start > at) parts.push(text.slice(at, start));
    parts.push(parseExpression(text.slice(start + 2, end).trim()));
    at = end + 1;
  }
  if (at < text.length) parts.push(text.slice(at));
  return parts;
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
  throw new Error(`Unterminated Terraform expression in: ${text.slice(Math.max(0, from - 2), from + 78)}`);
}

/** Index of the `"` that closes a string literal starting at `from`, skipping escapes and nested templates. */
function closingQuote(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === '$' && text[i + 1] === '{') i = closingBrace(text, i + 2);
    else if (c === '"') return i;
  }
  throw new Error(`Unterminated string literal in Terraform expression: ${text.slice(from - 1, from + 79)}`);
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
    if (c === '"') return this.stringLiteral();
    const number = this.match(NUMBER);
    if (number !== undefined) return { kind: 'number', value: Number(number) };
    const name = this.match(IDENT);
    if (name === undefined) this.fail();
    this.skipSpace();
    if (this.text[this.at] === '(') {
      this.at++;
      const args = this.arguments();
      return { kind: 'call', name, args, steps: this.steps() };
    }
    return { kind: 'traversal', root: name, steps: this.steps() };
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

  private steps(): Step[] {
    const steps: Step[] = [];
    for (;;) {
      const c = this.text[this.at];
      if (c === '.') {
        this.at++;
        const name = this.match(IDENT) ?? this.match(NUMBER);
        if (name === undefined) this.fail();
        steps.push({ kind: 'attr', name });
      } else if (c === '[') {
        this.at++;
        const key = this.expression();
        this.skipSpace();
        if (this.text[this.at++] !== ']') this.fail(this.at - 1);
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
    return { kind: 'string', parts: parseTemplate(unescape(body)) };
  }

  private match(pattern: RegExp): string | undefined {
    pattern.lastIndex = this.at;
    const found = pattern.exec(this.text);
    if (!found) return undefined;
    this.at += found[0].length;
    return found[0];
  }

  private fail(at = this.at): never {
    throw new Error(`No stand-in for the Terraform expression \${${this.text}} (unsupported syntax at "${this.text.slice(at)}").`);
  }
}

/** HCL string escapes outside interpolations: `\"`, `\\`, `\n`, `\t`, `\r`. */
function unescape(body: string): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '$' && body[i + 1] === '{') {
      const end = closingBrace(body, i + 2);
      out += body.slice(i, end + 1);
      i = end;
    } else if (c === '\\') {
      const next = body[++i];
      out += next === 'n' ? '\n' : next === 't' ? '\t' : next === 'r' ? '\r' : (next ?? '');
    } else {
      out += c;
    }
  }
  return out;
}
