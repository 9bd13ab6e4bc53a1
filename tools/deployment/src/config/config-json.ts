import type { ConfigIssue } from './config-error';

/** A config file's JSON, parsed, with what `JSON.parse` would silently accept. */
export interface ParsedConfigJson {
  readonly value: unknown;
  /** Duplicate keys and `__proto__` keys: each a config error. */
  readonly issues: readonly ConfigIssue[];
  /** Numbers beyond what a double holds (`1e400` parses as Infinity), by setting path, as written. */
  readonly nonFiniteNumbers: ReadonlyMap<string, string>;
}

/** Thrown for text that is not JSON at all, with its line and column. */
export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${message} at line ${line}, column ${column}`);
    this.name = 'JsonSyntaxError';
  }
}

type Path = ReadonlyArray<string | number>;

/**
 * Parses JSON like `JSON.parse`, but reports what `JSON.parse` hides: a key given twice in one
 * object (the last silently wins), a `__proto__` key (it would set the prototype of the merged
 * settings instead of a setting) and a number beyond what a double holds (`1e400` becomes
 * Infinity). Keys become own properties, so `__proto__` never reaches the prototype setter.
 */
export function parseConfigJson(text: string): ParsedConfigJson {
  const parser = new Parser(text);
  const value = parser.document();
  return { value, issues: parser.issues, nonFiniteNumbers: parser.nonFiniteNumbers };
}

/** Dotted setting path: `network.oryVpc.privateSubnetCidrs[1]`. */
export function settingPath(path: Path): string {
  return path.reduce<string>((acc, part) => (typeof part === 'number' ? `${acc}[${part}]` : acc ? `${acc}.${part}` : part), '');
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

class Parser {
  readonly issues: ConfigIssue[] = [];
  readonly nonFiniteNumbers = new Map<string, string>();
  private pos = 0;

  constructor(private readonly text: string) {}

  document(): unknown {
    const value = this.value([]);
    this.skipWhitespace();
    if (this.pos < this.text.length) this.fail(`unexpected ${this.describe()} after the JSON value`);
    return value;
  }

  private value(path: Path): unknown {
    this.skipWhitespace();
    const char = this.text[this.pos];
    if (char === '{') return this.object(path);
    if (char === '[') return this.array(path);
    if (char === '"') return this.string();
    if (char === '-' || (char !== undefined && char >= '0' && char <= '9')) return this.number(path);
    for (const [word, literal] of [['true', true], ['false', false], ['null', null]] as const) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return literal;
      }
    }
    return this.fail(`unexpected ${this.describe()}, expected a JSON value`);
  }

  private object(path: Path): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    const lines = new Map<string, number>();
    this.pos++;
    this.skipWhitespace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return result;
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.pos] !== '"') this.fail(`unexpected ${this.describe()}, expected a key in double quotes`);
      const line = this.lineAt(this.pos);
      const key = this.string();
      this.skipWhitespace();
      if (this.text[this.pos] !== ':') this.fail(`unexpected ${this.describe()}, expected ":" after key "${key}"`);
      this.pos++;
      const childPath = [...path, key];
      const value = this.value(childPath);
      this.checkKey(childPath, key, line, lines.get(key));
      lines.set(key, line);
      // defineProperty: a "__proto__" key must never reach the prototype setter.
      Object.defineProperty(result, key, { value, enumerable: true, writable: true, configurable: true });
      this.skipWhitespace();
      const next = this.text[this.pos++];
      if (next === '}') return result;
      if (next !== ',') this.fail(`unexpected ${this.describe(this.pos - 1)}, expected "," or "}"`, this.pos - 1);
    }
  }

  private checkKey(path: Path, key: string, line: number, firstLine: number | undefined): void {
    const setting = settingPath(path);
    if (key === '__proto__') {
      this.issues.push({ setting, value: undefined, message: `is not allowed: "__proto__" is never a setting (line ${line})` });
    }
    if (firstLine !== undefined) {
      this.issues.push({ setting, value: undefined, message: `is given twice (lines ${firstLine} and ${line}); each key may appear once per object` });
    }
  }

  private array(path: Path): unknown[] {
    const result: unknown[] = [];
    this.pos++;
    this.skipWhitespace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return result;
    }
    for (;;) {
      result.push(this.value([...path, result.length]));
      this.skipWhitespace();
      const next = this.text[this.pos++];
      if (next === ']') return result;
      if (next !== ',') this.fail(`unexpected ${this.describe(this.pos - 1)}, expected "," or "]"`, this.pos - 1);
    }
  }

  private string(): string {
    const start = this.pos++;
    let out = '';
    for (;;) {
      const char = this.text[this.pos++];
      if (char === undefined) this.fail('unterminated string', start);
      if (char === '"') return out;
      if (char === '\\') {
        const escape = this.text[this.pos++] ?? '';
        if (escape === 'u') {
          const hex = this.text.slice(this.pos, this.pos + 4);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('invalid \\u escape in a string', this.pos - 2);
          out += String.fromCharCode(parseInt(hex, 16));
          this.pos += 4;
        } else if (escape in ESCAPES) {
          out += ESCAPES[escape];
        } else {
          this.fail(`invalid escape "\\${escape}" in a string`, this.pos - 2);
        }
      } else if (char < ' ') {
        this.fail('unescaped control character in a string', this.pos - 1);
      } else {
        out += char;
      }
    }
  }

  private number(path: Path): number {
    NUMBER.lastIndex = this.pos;
    const match = NUMBER.exec(this.text);
    if (!match) return this.fail(`unexpected ${this.describe()}, expected a number`);
    this.pos += match[0].length;
    const value = Number(match[0]);
    if (!Number.isFinite(value)) this.nonFiniteNumbers.set(settingPath(path), match[0]);
    return value;
  }

  private skipWhitespace(): void {
    while (WHITESPACE.has(this.text[this.pos] ?? '')) this.pos++;
  }

  private describe(at = this.pos): string {
    const char = this.text[at];
    return char === undefined ? 'end of file' : `"${char}"`;
  }

  private lineAt(at: number): number {
    let line = 1;
    for (let i = 0; i < at; i++) if (this.text[i] === '\n') line++;
    return line;
  }

  private fail(message: string, at = this.pos): never {
    const line = this.lineAt(at);
    const column = at - this.text.lastIndexOf('\n', at - 1);
    throw new JsonSyntaxError(message, line, column);
  }
}
