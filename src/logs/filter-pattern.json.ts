/**
 * JSON filter patterns: `{ $.a.b[0] = "x*" && ($.n > 5 || $.flag IS TRUE) }`.
 *
 * Semantics we chose where the docs are silent (unconfirmed against AWS):
 * - the whole message must parse as JSON, else the pattern does not match;
 * - comparisons need the field to exist: `!=` on a missing field is false (use `NOT EXISTS`);
 * - types are strict: numbers compare only with number fields, strings (with `*` wildcards or
 *   `%regex%`) only with string fields, so `$.code = "200"` does not match `{"code": 200}`;
 * - `<`, `>`, `<=`, `>=` take numbers only (a string operand is a pattern error).
 */
import type { Cursor } from './filter-pattern.lexer.ts';
import {
  compareNumbers,
  type ComparisonOp,
  readOp,
  readValue,
  stringEquals,
  type ValueLiteral,
} from './filter-pattern.lexer.ts';

/** One step of a selector: an object key or an array index. */
type PathStep = { key: string } | { index: number };

export type JsonExpr =
  | { kind: 'and' | 'or'; left: JsonExpr; right: JsonExpr }
  | { kind: 'compare'; path: PathStep[]; op: ComparisonOp; value: ValueLiteral }
  | { kind: 'check'; path: PathStep[]; test: 'null' | 'missing' | 'true' | 'false' };

const VALUE_STOPS = ')}&|';
const KEY_STOPS = '.[]()=!<>&|}"%';

/** Parses `{ … }` starting at the cursor; the caller checks nothing follows. */
export function parseJsonPattern(c: Cursor): JsonExpr {
  c.expect('{');
  const expr = parseOr(c);
  c.expect('}');
  return expr;
}

function parseOr(c: Cursor): JsonExpr {
  let left = parseAnd(c);
  while (c.eat('||')) left = { kind: 'or', left, right: parseAnd(c) };
  return left;
}

function parseAnd(c: Cursor): JsonExpr {
  let left = parseUnary(c);
  while (c.eat('&&')) left = { kind: 'and', left, right: parseUnary(c) };
  return left;
}

function parseUnary(c: Cursor): JsonExpr {
  if (c.eat('(')) {
    const inner = parseOr(c);
    c.expect(')');
    return inner;
  }
  return parseComparison(c);
}

function parseSelector(c: Cursor): PathStep[] {
  c.skipWs();
  if (!c.eat('$')) throw c.error("expected a selector starting with '$'");
  const path: PathStep[] = [];
  for (;;) {
    if (c.peek() === '.') {
      c.pos++;
      const start = c.pos;
      while (!c.done && !/\s/.test(c.peek()) && !KEY_STOPS.includes(c.peek())) c.pos++;
      const key = c.src.slice(start, c.pos);
      if (key === '') throw c.error('expected a property name');
      path.push({ key });
    } else if (c.peek() === '[') {
      c.pos++;
      const start = c.pos;
      while (/\d/.test(c.peek())) c.pos++;
      const digits = c.src.slice(start, c.pos);
      if (digits === '' || c.peek() !== ']') throw c.error('expected an array index');
      c.pos++;
      path.push({ index: Number(digits) });
    } else {
      return path;
    }
  }
}

function parseComparison(c: Cursor): JsonExpr {
  const path = parseSelector(c);
  if (c.eatKeyword('IS')) {
    if (c.eatKeyword('NULL')) return { kind: 'check', path, test: 'null' };
    if (c.eatKeyword('TRUE')) return { kind: 'check', path, test: 'true' };
    if (c.eatKeyword('FALSE')) return { kind: 'check', path, test: 'false' };
    throw c.error('expected NULL, TRUE or FALSE after IS');
  }
  if (c.eatKeyword('NOT')) {
    if (c.eatKeyword('EXISTS')) return { kind: 'check', path, test: 'missing' };
    throw c.error('expected EXISTS after NOT');
  }
  const op = readOp(c);
  const value = readValue(c, VALUE_STOPS);
  if (value.kind !== 'number' && op !== '=' && op !== '!=') {
    throw c.error(`operator ${op} needs a number`);
  }
  return { kind: 'compare', path, op, value };
}

/** Field lookup; `undefined` means the field does not exist. */
function resolve(root: unknown, path: readonly PathStep[]): unknown {
  let node: unknown = root;
  for (const step of path) {
    if ('key' in step) {
      if (node === null || typeof node !== 'object' || Array.isArray(node)) return undefined;
      if (!Object.hasOwn(node, step.key)) return undefined;
      node = (node as Record<string, unknown>)[step.key];
    } else {
      if (!Array.isArray(node) || step.index >= node.length) return undefined;
      node = node[step.index];
    }
  }
  return node;
}

/** Evaluates a parsed JSON pattern against a parsed message. */
export function evaluateJson(expr: JsonExpr, doc: unknown): boolean {
  switch (expr.kind) {
    case 'and':
      return evaluateJson(expr.left, doc) && evaluateJson(expr.right, doc);
    case 'or':
      return evaluateJson(expr.left, doc) || evaluateJson(expr.right, doc);
    case 'check': {
      const v = resolve(doc, expr.path);
      if (expr.test === 'missing') return v === undefined;
      if (expr.test === 'null') return v === null;
      return v === (expr.test === 'true');
    }
    case 'compare': {
      const v = resolve(doc, expr.path);
      if (expr.value.kind === 'number') {
        return typeof v === 'number' && compareNumbers(v, expr.op, expr.value.value);
      }
      if (typeof v !== 'string') return false;
      const equal = stringEquals(v, expr.value);
      return expr.op === '=' ? equal : !equal;
    }
  }
}
