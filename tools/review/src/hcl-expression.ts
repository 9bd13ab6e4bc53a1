/** A value the evaluator could not determine from the JSON alone (a computed attribute, an operator). */
export const UNKNOWN: unique symbol = Symbol('unknown');
export type Evaluated = unknown;

/** Resolves references while evaluating: `aws_vpc.x.cidr_block`, `data.terraform_remote_state.y.outputs.z`. */
export type ReferenceResolver = (path: readonly (string | number)[]) => Evaluated;

/**
 * Evaluates a value of synthesized Terraform JSON as far as it is static: literals, string
 * templates (`"sql.${data.x.outputs.zone}"`), references (through `resolve`), lists, and the
 * functions cdktf stacks use to derive values (`element`, `cidrhost`, `join`, `lower`, `jsondecode`). Anything
 * else (operators, other functions, `%{}` directives) gives UNKNOWN.
 */
export function evaluateJsonValue(value: unknown, resolve: ReferenceResolver): Evaluated {
  if (typeof value === 'string') return evaluateTemplate(value, resolve);
  if (Array.isArray(value)) {
    const items = value.map((item) => evaluateJsonValue(item, resolve));
    return items.includes(UNKNOWN) ? UNKNOWN : items;
  }
  return value;
}

function evaluateTemplate(text: string, resolve: ReferenceResolver): Evaluated {
  if (text.includes('%{')) return UNKNOWN;
  const parts: Evaluated[] = [];
  let literal = '';
  let i = 0;
  while (i < text.length) {
    if (text.startsWith('$${', i)) {
      literal += '${';
      i += 3;
    } else if (text.startsWith('${', i)) {
      const end = closingBrace(text, i + 2);
      if (end < 0) return UNKNOWN;
      if (literal) parts.push(literal);
      literal = '';
      parts.push(evaluateExpression(text.slice(i + 2, end), resolve));
      i = end + 1;
    } else {
      literal += text[i];
      i++;
    }
  }
  if (literal) parts.push(literal);
  if (parts.length === 1) return parts[0];
  if (parts.some((part) => part === UNKNOWN || (typeof part !== 'string' && typeof part !== 'number'))) return UNKNOWN;
  return parts.join('');
}

/** Index of the `}` closing an interpolation that starts at `from`, skipping strings and nested braces. */
function closingBrace(text: string, from: number): number {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const char = text[i];
    if (char === '"') {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (char === '{') depth++;
    else if (char === '}') {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}

/** Evaluates one Terraform expression (the inside of `${...}`). */
export function evaluateExpression(source: string, resolve: ReferenceResolver): Evaluated {
  try {
    const parser = new ExpressionParser(source, resolve);
    const value = parser.expression();
    return parser.atEnd() ? value : UNKNOWN;
  } catch {
    return UNKNOWN;
  }
}

const FUNCTIONS: Partial<Record<string, (args: Evaluated[]) => Evaluated>> = {
  element: ([list, index]) => (Array.isArray(list) && typeof index === 'number' && list.length > 0 ? list[index % list.length] : UNKNOWN),
  cidrhost: ([prefix, host]) => (typeof prefix === 'string' && typeof host === 'number' ? cidrHost(prefix, host) : UNKNOWN),
  join: ([separator, list]) => (typeof separator === 'string' && Array.isArray(list) && list.every((item) => typeof item === 'string') ? list.join(separator) : UNKNOWN),
  lower: ([text]) => (typeof text === 'string' ? text.toLowerCase() : UNKNOWN),
  tostring: ([value]) => (typeof value === 'string' || typeof value === 'number' ? String(value) : UNKNOWN),
  tolist: ([value]) => (Array.isArray(value) ? value : UNKNOWN),
  // A published output's parameter holds its JSON (core's ssm-parameters channel): strings, numbers and lists of them come back.
  jsondecode: ([text]) => (typeof text === 'string' ? decoded(text) : UNKNOWN),
};

function decoded(text: string): Evaluated {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'string' || typeof value === 'number') return value;
    if (Array.isArray(value) && value.every((item) => typeof item === 'string' || typeof item === 'number')) return value as Evaluated;
    return UNKNOWN;
  } catch {
    return UNKNOWN;
  }
}

/** `cidrhost("10.10.10.0/24", 10)` = `10.10.10.10`. */
function cidrHost(prefix: string, host: number): Evaluated {
  const match = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(prefix);
  if (!match) return UNKNOWN;
  const bits = Number(match[5]);
  const base = match.slice(1, 5).reduce((acc, octet) => acc * 256 + Number(octet), 0);
  const size = 2 ** (32 - bits);
  if (host < 0 || host >= size) return UNKNOWN;
  const address = base - (base % size) + host;
  return [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256).join('.');
}

class ExpressionParser {
  private pos = 0;

  constructor(
    private readonly text: string,
    private readonly resolve: ReferenceResolver,
  ) {}

  atEnd(): boolean {
    this.skipSpace();
    return this.pos >= this.text.length;
  }

  expression(): Evaluated {
    this.skipSpace();
    const char = this.text[this.pos];
    if (char === '"') return this.postfix(this.stringLiteral());
    if (char === '[') return this.postfix(this.list());
    if (char === '(') {
      this.pos++;
      const inner = this.expression();
      this.expect(')');
      return this.postfix(inner);
    }
    if (char !== undefined && /[0-9]/.test(char)) return this.number();
    const name = this.identifier();
    this.skipSpace();
    if (this.text[this.pos] === '(') return this.postfix(this.call(name));
    if (name === 'true' || name === 'false') return name === 'true';
    if (name === 'null') return null;
    return this.reference(name);
  }

  private reference(root: string): Evaluated {
    const path: Array<string | number> = [root];
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] === '.') {
        this.pos++;
        path.push(this.identifier());
      } else if (this.text[this.pos] === '[') {
        this.pos++;
        const index = this.expression();
        this.expect(']');
        if (typeof index !== 'number' && typeof index !== 'string') return UNKNOWN;
        path.push(index);
      } else {
        return this.resolve(path);
      }
    }
  }

  /** Indexing and attribute access on a computed value (`element(...)[0]` is rare; `[x][0]` is not). */
  private postfix(value: Evaluated): Evaluated {
    let current = value;
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] === '[') {
        this.pos++;
        const index = this.expression();
        this.expect(']');
        current = Array.isArray(current) && typeof index === 'number' ? (current[index] ?? UNKNOWN) : UNKNOWN;
      } else if (this.text[this.pos] === '.') {
        this.pos++;
        const key = this.identifier();
        current = current && typeof current === 'object' && !Array.isArray(current) ? ((current as Record<string, unknown>)[key] ?? UNKNOWN) : UNKNOWN;
      } else {
        return current;
      }
    }
  }

  private call(name: string): Evaluated {
    this.expect('(');
    const args: Evaluated[] = [];
    this.skipSpace();
    if (this.text[this.pos] !== ')') {
      for (;;) {
        args.push(this.expression());
        this.skipSpace();
        if (this.text[this.pos] === ',') this.pos++;
        else break;
      }
    }
    this.expect(')');
    const fn = FUNCTIONS[name];
    return fn && !args.includes(UNKNOWN) ? fn(args) : UNKNOWN;
  }

  private list(): Evaluated {
    this.expect('[');
    const items: Evaluated[] = [];
    this.skipSpace();
    while (this.text[this.pos] !== ']') {
      items.push(this.expression());
      this.skipSpace();
      if (this.text[this.pos] === ',') this.pos++;
      this.skipSpace();
      if (this.pos >= this.text.length) throw new Error('unterminated list');
    }
    this.pos++;
    return items.includes(UNKNOWN) ? UNKNOWN : items;
  }

  private stringLiteral(): Evaluated {
    const start = this.pos;
    this.pos++;
    while (this.pos < this.text.length && this.text[this.pos] !== '"') this.pos += this.text[this.pos] === '\\' ? 2 : 1;
    this.pos++;
    const raw = this.text.slice(start, this.pos);
    const literal = JSON.parse(raw) as string;
    return literal.includes('${') ? evaluateTemplate(literal, this.resolve) : literal;
  }

  private number(): number {
    const match = /^\d+(\.\d+)?/.exec(this.text.slice(this.pos));
    if (!match) throw new Error('number expected');
    this.pos += match[0].length;
    return Number(match[0]);
  }

  private identifier(): string {
    this.skipSpace();
    const match = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(this.text.slice(this.pos));
    if (!match) throw new Error(`identifier expected at ${this.pos}`);
    this.pos += match[0].length;
    return match[0];
  }

  private expect(char: string): void {
    this.skipSpace();
    if (this.text[this.pos] !== char) throw new Error(`"${char}" expected at ${this.pos}`);
    this.pos++;
  }

  private skipSpace(): void {
    while (/\s/.test(this.text[this.pos] ?? '')) this.pos++;
  }
}
