import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { MAX_JSON_DEPTH, nestsDeeperThan } from './json-depth.ts';
import { parseJsonObject } from './json-shape.check.ts';

const nested = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;

describe('JSON nesting depth', () => {
  it('counts arrays and objects, not brackets inside strings', () => {
    assert.equal(nestsDeeperThan('{"a":[{"b":1}]}', 3), false);
    assert.equal(nestsDeeperThan('{"a":[{"b":[1]}]}', 3), true);
    assert.equal(nestsDeeperThan(JSON.stringify({ s: '[[[[{{{{"\\' }), 1), false);
    assert.equal(nestsDeeperThan(nested(MAX_JSON_DEPTH), MAX_JSON_DEPTH), false);
    assert.equal(nestsDeeperThan(nested(MAX_JSON_DEPTH + 1), MAX_JSON_DEPTH), true);
  });

  it('rejects an over-deep body as SerializationException before parsing it', () => {
    const body = `{"unknownMember":${nested(5_000_000)}}`;
    assert.throws(
      () => parseJsonObject(body),
      (error: Error) =>
        error.name === 'SerializationException' &&
        /deeper than 64 levels/.test(error.message) &&
        error.cause === undefined,
    );
    assert.deepEqual(parseJsonObject(`{"a":${nested(10)}}`), { a: [[[[[[[[[[]]]]]]]]]] });
  });
});
