/**
 * Character-level reading shared by the three filter-pattern syntaxes (terms, JSON, space-
 * delimited): a cursor over the pattern, quoted strings, `%regex%` literals, bare words, and the
 * `*` wildcard, both compiled to linear-time matchers (`filter-pattern.regex.ts`).
 */
import { compileGlob, compileRegexTerm, type LinearMatcher } from './filter-pattern.regex.ts';
import { InvalidParameterException } from './logs.errors.ts';

/**
 * A malformed filter pattern. The exact AWS text is unconfirmed; we keep the `Invalid filter
 * pattern` wording and add where and why, which helps users more than a bare message.
 */
export class FilterPatternError extends InvalidParameterException {
  constructor(detail: string) {
    super(`Invalid filter pattern: ${detail}`);
  }
}

/** Regex characters CloudWatch allows inside `%…%` [doc]: no groups `(` `)`. */
const REGEX_ALLOWED = /^[A-Za-z0-9_#=@/;,\-:^$?[\]{}|\\*+. ]*$/;

export class Cursor {
  pos = 0;
  constructor(readonly src: string) {}

  get done(): boolean {
    return this.pos >= this.src.length;
  }

  peek(offset = 0): string {
    return this.src[this.pos + offset] ?? '';
  }

  skipWs(): void {
    while (!this.done && /\s/.test(this.peek())) this.pos++;
  }

  /** Consumes `text` (after whitespace) when it comes next. */
  eat(text: string): boolean {
    this.skipWs();
    if (this.src.startsWith(text, this.pos)) {
      this.pos += text.length;
      return true;
    }
    return false;
  }

  /** Consumes a case-insensitive keyword that is followed by a non-word character. */
  eatKeyword(word: string): boolean {
    this.skipWs();
    const next = this.src.slice(this.pos, this.pos + word.length);
    const after = this.src[this.pos + word.length] ?? ' ';
    if (next.toUpperCase() === word && !/\w/.test(after)) {
      this.pos += word.length;
      return true;
    }
    return false;
  }

  expect(text: string): void {
    if (!this.eat(text)) throw this.error(`expected '${text}'`);
  }

  error(why: string): FilterPatternError {
    return new FilterPatternError(`${why} at position ${this.pos}`);
  }

  /** Reads a `"…"` string; `\"` and `\\` escape, any other backslash is kept literally. */
  readQuoted(): string {
    this.expect('"');
    let out = '';
    while (!this.done) {
      const c = this.peek();
      this.pos++;
      if (c === '"') return out;
      if (c === '\\' && (this.peek() === '"' || this.peek() === '\\')) {
        out += this.peek();
        this.pos++;
      } else {
        out += c;
      }
    }
    throw this.error('unterminated quoted string');
  }

  /** Reads a `%…%` regular expression literal. */
  readRegex(): LinearMatcher {
    this.expect('%');
    const end = this.src.indexOf('%', this.pos);
    if (end < 0) throw this.error('unterminated regular expression');
    const body = this.src.slice(this.pos, end);
    this.pos = end + 1;
    return compileRegex(body, this);
  }

  /** Reads characters up to whitespace or one of `stops`. */
  readWord(stops: string): string {
    this.skipWs();
    const start = this.pos;
    while (!this.done && !/\s/.test(this.peek()) && !stops.includes(this.peek())) this.pos++;
    return this.src.slice(start, this.pos);
  }
}

function compileRegex(body: string, at: Cursor): LinearMatcher {
  if (body.length === 0) throw at.error('empty regular expression');
  if (!REGEX_ALLOWED.test(body)) throw at.error('unsupported character in regular expression');
  try {
    return compileRegexTerm(body);
  } catch {
    throw at.error('invalid regular expression');
  }
}

const NUMBER = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** True when a bare word is a number literal. */
export function isNumberLiteral(word: string): boolean {
  return NUMBER.test(word);
}

/** A value on the right of a comparison. */
export type ValueLiteral =
  | { kind: 'number'; value: number }
  | { kind: 'string'; value: string; glob: LinearMatcher | null }
  | { kind: 'regex'; regex: LinearMatcher };

/** Reads a comparison value: `"string"`, `%regex%`, a number, or a bare (wildcard) word. */
export function readValue(c: Cursor, stops: string): ValueLiteral {
  c.skipWs();
  if (c.peek() === '"') return stringLiteral(c.readQuoted());
  if (c.peek() === '%') return { kind: 'regex', regex: c.readRegex() };
  const word = c.readWord(stops);
  if (word === '' || /^[=!<>]/.test(word)) throw c.error('expected a value');
  if (isNumberLiteral(word)) return { kind: 'number', value: Number(word) };
  return stringLiteral(word);
}

function stringLiteral(value: string): ValueLiteral {
  return { kind: 'string', value, glob: value.includes('*') ? compileGlob(value) : null };
}

/** Equality of a string against a string literal (wildcards honoured) or regex literal. */
export function stringEquals(actual: string, lit: ValueLiteral): boolean {
  if (lit.kind === 'regex') return lit.regex.test(actual);
  if (lit.kind !== 'string') return false;
  return lit.glob ? lit.glob.test(actual) : actual === lit.value;
}

export const COMPARISON_OPS = ['!=', '<=', '>=', '=', '<', '>'] as const;
export type ComparisonOp = (typeof COMPARISON_OPS)[number];

/** Reads one of `= != < > <= >=` (longest first). */
export function readOp(c: Cursor): ComparisonOp {
  c.skipWs();
  for (const op of COMPARISON_OPS) if (c.eat(op)) return op;
  throw c.error('expected a comparison operator');
}

/** Numeric comparison for the operators that apply to numbers. */
export function compareNumbers(actual: number, op: ComparisonOp, expected: number): boolean {
  switch (op) {
    case '=':
      return actual === expected;
    case '!=':
      return actual !== expected;
    case '<':
      return actual < expected;
    case '>':
      return actual > expected;
    case '<=':
      return actual <= expected;
    case '>=':
      return actual >= expected;
  }
}
