import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { FilterPatternError, parseFilterPattern, termMatches } from './filter-pattern.ts';
import { splitFields } from './filter-pattern.delimited.ts';

/** Which of `messages` the pattern keeps. */
function keep(pattern: string, messages: string[]): string[] {
  const p = parseFilterPattern(pattern);
  return messages.filter((m) => p.matches(m));
}

function invalid(pattern: string): void {
  assert.throws(
    () => parseFilterPattern(pattern),
    (err: unknown) =>
      err instanceof FilterPatternError &&
      err.code === 'InvalidParameterException' &&
      err.message.startsWith('Invalid filter pattern: '),
    `expected ${JSON.stringify(pattern)} to be rejected`,
  );
}

describe('filter patterns: terms', () => {
  const lines = [
    '[ERROR 400] BAD REQUEST',
    '[ERROR 401] UNAUTHORIZED REQUEST',
    'ERRORS happened',
    'MYERROR here',
    'error lower case',
    '[INFO] Exception caught, retrying',
    'ERROR Exception: Retry later',
  ];

  it('matches everything with an empty or blank pattern', () => {
    assert.deepEqual(keep('', lines), lines);
    assert.deepEqual(keep('   ', lines), lines);
  });

  it('matches a term case-sensitively on term boundaries', () => {
    assert.deepEqual(keep('ERROR', lines), [
      '[ERROR 400] BAD REQUEST',
      '[ERROR 401] UNAUTHORIZED REQUEST',
      'ERROR Exception: Retry later',
    ]);
    assert.deepEqual(keep('AUTHORIZED', lines), []);
  });

  it('ANDs plain terms, ORs ?terms and excludes -terms', () => {
    assert.deepEqual(keep('ERROR Exception', lines), ['ERROR Exception: Retry later']);
    assert.deepEqual(keep('?ERRORS ?MYERROR', lines), ['ERRORS happened', 'MYERROR here']);
    assert.deepEqual(keep('ERROR -Retry', lines), [
      '[ERROR 400] BAD REQUEST',
      '[ERROR 401] UNAUTHORIZED REQUEST',
    ]);
    assert.deepEqual(keep('-ERROR', ['ERROR x', 'ok']), ['ok']);
    assert.deepEqual(keep('REQUEST ?400 ?401 -BAD', lines), ['[ERROR 401] UNAUTHORIZED REQUEST']);
  });

  it('matches quoted phrases with escapes', () => {
    assert.deepEqual(keep('"BAD REQUEST"', lines), ['[ERROR 400] BAD REQUEST']);
    assert.deepEqual(keep('"ERROR 40"', lines), []);
    assert.deepEqual(keep('"[ERROR 401]"', lines), ['[ERROR 401] UNAUTHORIZED REQUEST']);
    assert.deepEqual(keep('"say \\"hi\\""', ['she said say "hi"', 'say hi']), [
      'she said say "hi"',
    ]);
    assert.deepEqual(keep('"a\\\\b"', ['path a\\b', 'path ab']), ['path a\\b']);
    assert.deepEqual(keep('-"BAD REQUEST" ERROR', lines.slice(0, 2)), [
      '[ERROR 401] UNAUTHORIZED REQUEST',
    ]);
  });

  it('needs boundaries only at word-character edges of the term', () => {
    assert.equal(termMatches('code=ERROR:42', 'ERROR:'), true);
    assert.equal(termMatches('xERROR:42', 'ERROR:'), false);
    assert.equal(termMatches('a-b', '-b'), true);
    assert.equal(termMatches('ERRORERROR ERROR', 'ERROR'), true);
    assert.equal(termMatches('ERRORERROR', 'ERROR'), false);
    assert.equal(termMatches('ünicodeERROR', 'ERROR'), false);
  });

  it('matches %regex% terms as substrings', () => {
    assert.deepEqual(keep('%AUTHORIZED%', lines), ['[ERROR 401] UNAUTHORIZED REQUEST']);
    assert.deepEqual(keep('%ERR[A-Z]+%', lines), [
      '[ERROR 400] BAD REQUEST',
      '[ERROR 401] UNAUTHORIZED REQUEST',
      'ERRORS happened',
      'MYERROR here',
      'ERROR Exception: Retry later',
    ]);
    assert.deepEqual(keep('%^ERROR%', lines), ['ERRORS happened', 'ERROR Exception: Retry later']);
  });

  it('rejects malformed term patterns', () => {
    invalid('"unterminated');
    invalid('""');
    invalid('%unterminated');
    invalid('%a(b)%');
    invalid('%a%b%c%d%e%f%');
    invalid('x'.repeat(1025));
  });
});

describe('filter patterns: JSON', () => {
  const events = [
    '{"level":"error","code":500,"user":{"id":1,"name":"ann"},"tags":["a","b"],"ok":false,"gone":null}',
    '{"level":"warn","code":404,"user":{"id":2,"name":"bob"},"tags":["b"],"ok":true}',
    '{"level":"info","code":200,"user":{"id":3},"latency":0.25}',
    'not json at all',
    '{"level": "error" , "broken"',
  ];
  const which = (pattern: string) =>
    keep(pattern, events).map((m) => {
      const i = events.indexOf(m);
      return i;
    });

  it('compares strings with = and != and wildcards', () => {
    assert.deepEqual(which('{ $.level = "error" }'), [0]);
    assert.deepEqual(which('{$.level=error}'), [0]);
    assert.deepEqual(which('{ $.level != "error" }'), [1, 2]);
    assert.deepEqual(which('{ $.level = "*r*" }'), [0, 1]);
    assert.deepEqual(which('{ $.user.name = a* }'), [0]);
  });

  it('compares numbers, strictly typed', () => {
    assert.deepEqual(which('{ $.code = 500 }'), [0]);
    assert.deepEqual(which('{ $.code >= 404 }'), [0, 1]);
    assert.deepEqual(which('{ $.code < 404 }'), [2]);
    assert.deepEqual(which('{ $.code <= 404 }'), [1, 2]);
    assert.deepEqual(which('{ $.code > 200 }'), [0, 1]);
    assert.deepEqual(which('{ $.code != 500 }'), [1, 2]);
    assert.deepEqual(which('{ $.latency > 0.2 }'), [2]);
    assert.deepEqual(which('{ $.code = "500" }'), []);
  });

  it('walks nested paths and array indices', () => {
    assert.deepEqual(which('{ $.user.id = 2 }'), [1]);
    assert.deepEqual(which('{ $.tags[0] = "b" }'), [1]);
    assert.deepEqual(which('{ $.tags[1] = "b" }'), [0]);
    assert.deepEqual(which('{ $.tags[5] = "b" }'), []);
  });

  it('combines with && and || and parentheses (&& binds tighter)', () => {
    assert.deepEqual(which('{ $.level = "error" || $.level = "warn" && $.code = 200 }'), [0]);
    assert.deepEqual(which('{ ($.level = "error" || $.level = "warn") && $.code = 404 }'), [1]);
    assert.deepEqual(which('{ ($.user.id = 1) && ($.tags[0] = "a") }'), [0]);
  });

  it('supports IS NULL, NOT EXISTS, IS TRUE and IS FALSE', () => {
    assert.deepEqual(which('{ $.gone IS NULL }'), [0]);
    assert.deepEqual(which('{ $.ok NOT EXISTS }'), [2]);
    assert.deepEqual(which('{ $.ok IS TRUE }'), [1]);
    assert.deepEqual(which('{ $.ok IS FALSE }'), [0]);
    assert.deepEqual(which('{ $.user.name NOT EXISTS && $.code = 200 }'), [2]);
  });

  it('does not match missing fields with != and never matches non-JSON', () => {
    assert.deepEqual(which('{ $.latency != 1 }'), [2]);
    assert.deepEqual(keep('{ $.a = 1 }', ['{"a": 1} trailing', '{"a":1}']), ['{"a":1}']);
  });

  it('matches regex values against string fields', () => {
    assert.deepEqual(which('{ $.user.name = %^b.b$% }'), [1]);
  });

  it('rejects malformed JSON patterns', () => {
    invalid('{ $.a = 1');
    invalid('{ a = 1 }');
    invalid('{ $.a == }');
    invalid('{ $.a > "x" }');
    invalid('{ $.a IS MAYBE }');
    invalid('{ $.a NOT THERE }');
    invalid('{ $.a = 1 } extra');
    invalid('{ ($.a = 1 }');
    invalid('{ $.a[x] = 1 }');
    invalid('{ $. = 1 }');
  });
});

describe('filter patterns: space-delimited', () => {
  const access = [
    '127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /apache_pb.gif HTTP/1.0" 200 1534',
    '127.0.0.1 - bob [10/Oct/2000:13:25:16 -0700] "GET /index.html HTTP/1.0" 404 12',
    '10.0.0.9 - ann [10/Oct/2000:13:25:17 -0700] "POST /api HTTP/1.1" 500 0',
  ];

  it('splits fields keeping quoted and bracketed runs together', () => {
    assert.deepEqual(splitFields(access[0] as string), [
      '127.0.0.1',
      '-',
      'frank',
      '[10/Oct/2000:13:25:15 -0700]',
      'GET /apache_pb.gif HTTP/1.0',
      '200',
      '1534',
    ]);
  });

  it('matches positional conditions', () => {
    const all = '[ip, id, user, timestamp, request, status, bytes]';
    assert.deepEqual(keep(all, access), access);
    assert.deepEqual(keep('[ip, id, user, timestamp, request, status=404, bytes]', access), [
      access[1],
    ]);
    assert.deepEqual(keep('[ip, id, user, timestamp, request = "*html*", status, bytes]', access), [
      access[1],
    ]);
    assert.deepEqual(keep('[ip, id, user, timestamp, request, status, bytes > 100]', access), [
      access[0],
    ]);
    assert.deepEqual(keep('[ip = 10.*, ...]', access), [access[2]]);
    assert.deepEqual(keep('[ip != 10.*, ...]', access), [access[0], access[1]]);
  });

  it('needs the exact field count unless ... absorbs the rest', () => {
    assert.deepEqual(keep('[ip, id, user]', access), []);
    assert.deepEqual(keep('[..., status = 500, bytes]', access), [access[2]]);
    assert.deepEqual(keep('[ip, ..., status >= 400, bytes]', access), [access[1], access[2]]);
    // With ... on both sides a condition may land on any field: 1534 >= 1000 matches.
    assert.deepEqual(keep('[..., n >= 1000, ...]', access), [access[0]]);
    assert.deepEqual(keep('[a, ..., b]', ['x']), []);
    assert.deepEqual(keep('[a, ..., b]', ['x y']), ['x y']);
  });

  it('combines conditions on one field with && and ||', () => {
    const p = '[..., status = 4* || status = 5*, bytes]';
    assert.deepEqual(keep(p, access), [access[1], access[2]]);
    assert.deepEqual(keep('[..., status >= 200 && status < 300, bytes]', access), [access[0]]);
  });

  it('rejects malformed delimited patterns', () => {
    invalid('[a, b');
    invalid('[a, b = ]');
    invalid('[a, b = 1 || c = 2]');
    invalid('[a, b < x]');
    invalid('[, b]');
  });
});
