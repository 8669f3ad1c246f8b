/**
 * CloudWatch Logs filter patterns, parsed once and matched against many messages.
 *
 * Three syntaxes, chosen by the first character of the (trimmed) pattern:
 * - `{ … }` JSON conditions (filter-pattern.json.ts);
 * - `[ … ]` space-delimited fields (filter-pattern.delimited.ts);
 * - otherwise a list of terms: `ERROR`, `"exact phrase"`, `%regex%`, each optionally prefixed with
 *   `?` (any of these) or `-` (none of these). Plain terms must all match; when `?` terms exist at
 *   least one must match; no `-` term may match. An empty pattern matches every event.
 *
 * Term boundaries (AWS behaviour unconfirmed, aws-semantics.md Appendix C): a term matches where
 * it occurs in the message and is not glued to further word characters, so `ERROR` matches
 * `[ERROR]`, `ERROR:` and `x ERROR y` but not `ERRORS` or `MYERROR`. Only an edge of the term that
 * is itself a word character ([A-Za-z0-9_] and other letters/digits) needs a boundary, so
 * `"ERROR:"` also matches `ERROR:42`. Matching is case-sensitive. Users who want substrings
 * write `%ERR%`. This mirrors the documented examples (a term behaves like a word search) while
 * staying predictable; switching to plain substrings is a one-line change in `termMatches`.
 */
import {
  type DelimitedField,
  matchDelimited,
  parseDelimitedPattern,
  splitFields,
} from './filter-pattern.delimited.ts';
import { evaluateJson, type JsonExpr, parseJsonPattern } from './filter-pattern.json.ts';
import { Cursor, FilterPatternError } from './filter-pattern.lexer.ts';
import type { LinearMatcher } from './filter-pattern.regex.ts';

export { FilterPatternError } from './filter-pattern.lexer.ts';

/** Longest pattern FilterLogEvents accepts [model]. */
export const MAX_FILTER_PATTERN_LENGTH = 1024;
/** Regular expressions allowed per pattern [doc]. */
export const MAX_REGEX_PER_PATTERN = 2;

/** A compiled filter pattern. */
export interface FilterPattern {
  readonly source: string;
  matches(message: string): boolean;
}

type Term = { text: string } | { regex: LinearMatcher };

interface TermPattern {
  all: Term[];
  any: Term[];
  none: Term[];
}

const WORD_CHAR = /[\p{L}\p{N}_]/u;

function isWordChar(ch: string | undefined): boolean {
  return ch !== undefined && ch !== '' && WORD_CHAR.test(ch);
}

/** Finds `term` in `message` on term boundaries (see the module comment). */
export function termMatches(message: string, term: string): boolean {
  const needStart = isWordChar(term[0]);
  const needEnd = isWordChar(term[term.length - 1]);
  for (let at = message.indexOf(term); at >= 0; at = message.indexOf(term, at + 1)) {
    if (needStart && isWordChar(message[at - 1])) continue;
    if (needEnd && isWordChar(message[at + term.length])) continue;
    return true;
  }
  return false;
}

function matchTerm(message: string, term: Term): boolean {
  return 'regex' in term ? term.regex.test(message) : termMatches(message, term.text);
}

function parseTerms(c: Cursor): TermPattern {
  const out: TermPattern = { all: [], any: [], none: [] };
  for (;;) {
    c.skipWs();
    if (c.done) return out;
    let bucket = out.all;
    if (c.peek() === '?') {
      bucket = out.any;
      c.pos++;
    } else if (c.peek() === '-' && c.peek(1) !== '' && !/\s/.test(c.peek(1))) {
      bucket = out.none;
      c.pos++;
    }
    let term: Term;
    if (c.peek() === '"') {
      const text = c.readQuoted();
      if (text === '') throw c.error('empty quoted term');
      term = { text };
    } else if (c.peek() === '%') {
      term = { regex: c.readRegex() };
    } else {
      const text = c.readWord('"');
      if (text === '') throw c.error('expected a term');
      term = { text };
    }
    bucket.push(term);
  }
}

function matchTerms(p: TermPattern, message: string): boolean {
  if (!p.all.every((t) => matchTerm(message, t))) return false;
  if (p.any.length > 0 && !p.any.some((t) => matchTerm(message, t))) return false;
  return !p.none.some((t) => matchTerm(message, t));
}

function parseJsonMessage(message: string): unknown {
  try {
    return JSON.parse(message);
  } catch {
    return undefined;
  }
}

/**
 * Parses `source` into a matcher; throws {@link FilterPatternError} (an
 * InvalidParameterException) when it is malformed.
 */
export function parseFilterPattern(source: string): FilterPattern {
  if ([...source].length > MAX_FILTER_PATTERN_LENGTH) {
    throw new FilterPatternError(`longer than ${MAX_FILTER_PATTERN_LENGTH} characters`);
  }
  if ((source.match(/%/g)?.length ?? 0) > MAX_REGEX_PER_PATTERN * 2) {
    throw new FilterPatternError(`more than ${MAX_REGEX_PER_PATTERN} regular expressions`);
  }
  const c = new Cursor(source);
  c.skipWs();
  if (c.done) return { source, matches: () => true };

  if (c.peek() === '{') {
    const expr: JsonExpr = parseJsonPattern(c);
    ensureEnd(c);
    return {
      source,
      matches: (message) => {
        const doc = parseJsonMessage(message);
        return doc !== undefined && evaluateJson(expr, doc);
      },
    };
  }
  if (c.peek() === '[') {
    const fields: DelimitedField[] = parseDelimitedPattern(c);
    ensureEnd(c);
    return { source, matches: (message) => matchDelimited(fields, splitFields(message)) };
  }
  const terms = parseTerms(c);
  return { source, matches: (message) => matchTerms(terms, message) };
}

function ensureEnd(c: Cursor): void {
  c.skipWs();
  if (!c.done) throw c.error('unexpected text after the pattern');
}
