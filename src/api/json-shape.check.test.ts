import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ServiceError } from '../platform/errors.ts';
import { checkMembers, parseJsonObject, type MemberShapes } from './json-shape.check.ts';

const shapes: MemberShapes = {
  name: 'string',
  limit: 'integer',
  ratio: 'double',
  flag: 'boolean',
  ids: { list: 'string' },
  tags: { map: 'string' },
  events: { list: { struct: { timestamp: 'long', message: 'string' } } },
};

function serializationMessage(fn: () => void): string {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof ServiceError);
    assert.equal(error.code, 'SerializationException');
    assert.equal(error.httpStatus, 400);
    return error.message;
  }
  assert.fail('expected a SerializationException');
}

describe('JSON member type guard', () => {
  it('accepts well-typed, null and unknown members', () => {
    checkMembers(
      {
        name: 'n',
        limit: 3,
        ratio: 0.5,
        flag: false,
        ids: ['a'],
        tags: { k: 'v' },
        events: [{ timestamp: 1, message: 'm', extra: true }],
        other: { anything: [1] },
        flagged: null,
      },
      shapes,
    );
    checkMembers({ name: null, ids: null }, shapes);
  });

  it('names the JSON token and the expected type', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ name: 1 }, 'NUMBER_VALUE can not be converted to a String'],
      [{ name: true }, 'TRUE_VALUE can not be converted to a String'],
      [{ limit: '1' }, 'STRING_VALUE can not be converted to an Integer'],
      [{ ratio: false }, 'FALSE_VALUE can not be converted to a Double'],
      [{ flag: 'true' }, 'STRING_VALUE can not be converted to a Boolean'],
      [{ ids: 'a' }, 'STRING_VALUE can not be converted to a List'],
      [{ ids: [1] }, 'NUMBER_VALUE can not be converted to a String'],
      [{ tags: 'x' }, 'STRING_VALUE can not be converted to a Map'],
      [{ tags: { k: 1 } }, 'NUMBER_VALUE can not be converted to a String'],
      [{ events: [{ timestamp: '1' }] }, 'STRING_VALUE can not be converted to a Long'],
      [{ name: { a: 1 } }, 'Start of structure or map found where not expected.'],
      [{ limit: [1] }, 'Start of list found where not expected.'],
    ];
    for (const [input, message] of cases) {
      assert.equal(
        serializationMessage(() => checkMembers(input, shapes)),
        message,
      );
    }
  });

  it('checks every depth and refuses null entries of lists and maps unless sparse', () => {
    const deep: MemberShapes = {
      defs: {
        list: {
          struct: {
            ports: { list: { struct: { port: 'integer' } } },
            labels: { map: 'string' },
            at: 'timestamp',
            any: 'document',
          },
        },
      },
      loose: { list: 'string', sparse: true },
    };
    checkMembers(
      { defs: [{ ports: [{ port: 1 }], at: 1.5, any: { x: [null] } }], loose: [null] },
      deep,
    );
    const cases: [Record<string, unknown>, string][] = [
      [{ defs: [{ ports: {} }] }, 'Start of structure or map found where not expected.'],
      [{ defs: [{ ports: [{ port: '1' }] }] }, 'STRING_VALUE can not be converted to an Integer'],
      [{ defs: [{ at: '2026-01-01' }] }, 'STRING_VALUE can not be converted to a Timestamp'],
      [
        { defs: [{ ports: [{ port: 2 ** 31 }] }] },
        'NUMBER_VALUE can not be converted to an Integer',
      ],
      [{ defs: [{ at: Infinity }] }, 'NUMBER_VALUE can not be converted to a Timestamp'],
      [{ defs: [null] }, 'Null value found in defs[0] where a value is required.'],
      [
        { defs: [{ ports: [{ port: 1 }, null] }] },
        'Null value found in defs[0].ports[1] where a value is required.',
      ],
      [
        { defs: [{ labels: { team: null } }] },
        'Null value found in defs[0].labels.team where a value is required.',
      ],
    ];
    for (const [input, message] of cases) {
      assert.equal(
        serializationMessage(() => checkMembers(input, deep)),
        message,
      );
    }
  });

  it('parses bodies: empty is {}, only objects pass', () => {
    assert.deepEqual(parseJsonObject(''), {});
    assert.deepEqual(parseJsonObject('  \n'), {});
    assert.deepEqual(parseJsonObject('{"a":1}'), { a: 1 });
    assert.equal(
      serializationMessage(() => parseJsonObject('{"a":')),
      'The request body could not be parsed as JSON.',
    );
    assert.equal(
      serializationMessage(() => parseJsonObject('[]')),
      'The request body must be a JSON object.',
    );
  });
});
