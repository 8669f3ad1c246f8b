/**
 * The regular expressions of filter patterns — `%regex%` literals and `*` wildcards — compiled to
 * RE2 (the re2js port), never to JavaScript's backtracking `RegExp`. CloudWatch documents RE2
 * syntax for `%regex%`; RE2 also matches in time linear in the event's length whatever the
 * pattern, so a caller-supplied `%a*a*a*a*b%` cannot stall the event loop that fires schedules
 * (with `RegExp` it blocked it for minutes on a 96-character event).
 */
import { RE2JS } from 're2js';

/** A compiled pattern: `test` answers whether it matches. Linear in the input's length. */
export interface LinearMatcher {
  test(input: string): boolean;
}

/** Compiles a `%…%` body; matches anywhere in the input, as CloudWatch's regex terms do. */
export function compileRegexTerm(body: string): LinearMatcher {
  const re = RE2JS.compile(body);
  return { test: (input) => re.test(input) };
}

/** `*` matches any run of characters (newlines too); everything else is literal; whole input. */
export function compileGlob(glob: string): LinearMatcher {
  const body = glob
    .split('*')
    .map((part) => RE2JS.quote(part))
    .join('(?s:.*)');
  const re = RE2JS.compile(body);
  return { test: (input) => re.testExact(input) };
}
