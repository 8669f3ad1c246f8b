/**
 * Space-delimited filter patterns: `[ip, user, ..., status = 4* || status = 5*, bytes > 1000]`.
 *
 * A message splits into fields at runs of whitespace; a field that starts with `"` runs to the
 * next `"` and one that starts with `[` runs to the matching `]`, so both may contain spaces.
 * Quotes are removed before comparing (users write the content); brackets are kept (choice,
 * unconfirmed). Without `...` the message must have exactly as many fields as the pattern;
 * each `...` absorbs any number of fields.
 */
import type { Cursor } from './filter-pattern.lexer.ts';
import {
  compareNumbers,
  type ComparisonOp,
  isNumberLiteral,
  readOp,
  readValue,
  stringEquals,
  type ValueLiteral,
} from './filter-pattern.lexer.ts';

interface Condition {
  op: ComparisonOp;
  value: ValueLiteral;
}

/** A pattern field: `...`, or a name with conditions in OR-of-ANDs form (empty = any value). */
export type DelimitedField =
  { kind: 'ellipsis' } | { kind: 'field'; name: string; any: Condition[][] };

const NAME = /^[A-Za-z0-9_$@.-]+$/;
const VALUE_STOPS = ',]&|';

/** Parses `[ … ]` starting at the cursor. */
export function parseDelimitedPattern(c: Cursor): DelimitedField[] {
  c.expect('[');
  const fields: DelimitedField[] = [];
  do {
    fields.push(parseField(c));
  } while (c.eat(','));
  c.expect(']');
  return fields;
}

function readName(c: Cursor): string {
  const name = c.readWord('=!<>,]&|');
  if (!NAME.test(name)) throw c.error('expected a field name');
  return name;
}

function parseField(c: Cursor): DelimitedField {
  if (c.eat('...')) return { kind: 'ellipsis' };
  const name = readName(c);
  c.skipWs();
  if (c.peek() === ',' || c.peek() === ']') return { kind: 'field', name, any: [] };
  const any: Condition[][] = [[parseCondition(c)]];
  for (;;) {
    if (c.eat('&&')) {
      expectSameName(c, name);
      any[any.length - 1]?.push(parseCondition(c));
    } else if (c.eat('||')) {
      expectSameName(c, name);
      any.push([parseCondition(c)]);
    } else {
      return { kind: 'field', name, any };
    }
  }
}

function expectSameName(c: Cursor, name: string): void {
  if (readName(c) !== name) throw c.error(`conditions after && or || must name field '${name}'`);
}

function parseCondition(c: Cursor): Condition {
  const op = readOp(c);
  const value = readValue(c, VALUE_STOPS);
  if (value.kind !== 'number' && op !== '=' && op !== '!=') {
    throw c.error(`operator ${op} needs a number`);
  }
  return { op, value };
}

/** Splits a message into fields as described in the module comment. */
export function splitFields(message: string): string[] {
  const out: string[] = [];
  let i = 0;
  const n = message.length;
  while (i < n) {
    while (i < n && /\s/.test(message[i] as string)) i++;
    if (i >= n) break;
    const c = message[i];
    if (c === '"') {
      const end = message.indexOf('"', i + 1);
      const stop = end < 0 ? n : end;
      out.push(message.slice(i + 1, stop));
      i = stop + 1;
    } else if (c === '[') {
      const end = message.indexOf(']', i + 1);
      const stop = end < 0 ? n : end + 1;
      out.push(message.slice(i, stop));
      i = stop;
    } else {
      const start = i;
      while (i < n && !/\s/.test(message[i] as string)) i++;
      out.push(message.slice(start, i));
    }
  }
  return out;
}

function conditionHolds(value: string, cond: Condition): boolean {
  if (cond.value.kind === 'number') {
    return isNumberLiteral(value) && compareNumbers(Number(value), cond.op, cond.value.value);
  }
  const equal = stringEquals(value, cond.value);
  return cond.op === '=' ? equal : !equal;
}

function fieldHolds(value: string, field: DelimitedField): boolean {
  if (field.kind === 'ellipsis' || field.any.length === 0) return true;
  return field.any.some((all) => all.every((cond) => conditionHolds(value, cond)));
}

/** Matches split message fields against the pattern, letting each `...` absorb 0+ fields. */
export function matchDelimited(
  pattern: readonly DelimitedField[],
  fields: readonly string[],
): boolean {
  const memo = new Map<number, boolean>();
  const go = (p: number, f: number): boolean => {
    if (p === pattern.length) return f === fields.length;
    const key = p * (fields.length + 1) + f;
    const known = memo.get(key);
    if (known !== undefined) return known;
    const field = pattern[p] as DelimitedField;
    let result: boolean;
    if (field.kind === 'ellipsis') {
      result = false;
      for (let k = f; k <= fields.length && !result; k++) result = go(p + 1, k);
    } else {
      result = f < fields.length && fieldHolds(fields[f] as string, field) && go(p + 1, f + 1);
    }
    memo.set(key, result);
    return result;
  };
  return go(0, 0);
}
