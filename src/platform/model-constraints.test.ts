import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  checkBoolean,
  checkEnum,
  checkInteger,
  checkList,
  checkObject,
  checkString,
  type ConstraintDialect,
  Violations,
} from './model-constraints.ts';

class Invalid extends Error {}
class WrongType extends Error {}

function dialect(extra: Partial<ConstraintDialect> = {}): ConstraintDialect {
  return {
    invalid: (message) => new Invalid(message),
    wrongType: (path, kind) => new WrongType(`${path}:${kind}`),
    length: (value) => value.length,
    ...extra,
  };
}

function thrown(v: Violations): Error {
  try {
    v.throwIfAny();
  } catch (error) {
    return error as Error;
  }
  assert.fail('expected violations');
}

describe('model constraints', () => {
  it('throws nothing without violations, and all of them as the dialect error otherwise', () => {
    const v = new Violations(dialect());
    assert.equal(checkString(v, 'ok', 'name', { min: 1, max: 5, pattern: '[a-z]+' }), 'ok');
    v.throwIfAny();
    checkString(v, undefined, 'name', { required: true });
    checkInteger(v, 0, 'limit', { min: 1, max: 100 });
    const error = thrown(v);
    assert.ok(error instanceof Invalid);
    assert.equal(
      error.message,
      "2 validation errors detected: Value null at 'name' failed to satisfy constraint: Member must not be null; " +
        "Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
  });

  it('says "1 validation error" for one, and renders lists and structures as AWS does', () => {
    const v = new Violations(dialect());
    checkList(v, [{ a: 1 }, 'x'], 'items', { max: 1 });
    assert.equal(
      thrown(v).message,
      "1 validation error detected: Value '[{a=1}, x]' at 'items' failed to satisfy constraint: Member must have length less than or equal to 1",
    );
  });

  it('refuses a wrong JSON type at once with the dialect error', () => {
    const v = new Violations(dialect());
    assert.throws(() => checkString(v, 5, 'name'), new WrongType('name:string'));
    assert.throws(() => checkInteger(v, 1.5, 'n'), new WrongType('n:integer'));
    assert.throws(() => checkList(v, {}, 'l'), new WrongType('l:list'));
    assert.throws(() => checkObject(v, [], 's'), new WrongType('s:structure'));
    assert.throws(() => checkObject(v, 'x', 'm', false, 'map'), new WrongType('m:map'));
    assert.throws(() => checkBoolean(v.dialect, 'true', 'b'), new WrongType('b:boolean'));
    assert.equal(checkBoolean(v.dialect, false, 'b'), false);
    assert.equal(v.count, 0);
  });

  it('counts string length the way the dialect does', () => {
    const units = new Violations(dialect());
    const points = new Violations(dialect({ length: (s) => [...s].length }));
    checkString(units, '😀😀', 'name', { max: 2 });
    checkString(points, '😀😀', 'name', { max: 2 });
    assert.equal(units.count, 1);
    assert.equal(points.count, 0);
  });

  it('cuts long rendered values only when the dialect says so', () => {
    const long = 'x'.repeat(50);
    const cut = new Violations(dialect({ maxRendered: 10 }));
    const whole = new Violations(dialect());
    checkString(cut, long, 'p', { max: 1 });
    checkString(whole, long, 'p', { max: 1 });
    assert.match(thrown(cut).message, /Value 'x{10}\.\.\.' at 'p'/);
    assert.match(thrown(whole).message, new RegExp(`Value '${long}' at 'p'`));
  });

  it('matches patterns against the whole value, with or without their own anchors', () => {
    const v = new Violations(dialect());
    checkString(v, 'ab-', 'bare', { pattern: '[a-z]+' });
    checkString(v, 'ab-', 'anchored', { pattern: '^([a-z]+)$' });
    checkString(v, 'ab', 'fine', { pattern: '^([a-z]+)$' });
    assert.equal(v.count, 2);
  });

  it('reports enum values outside the set, whatever their type', () => {
    const v = new Violations(dialect());
    assert.equal(checkEnum(v, 7, 'days', [1, 7, 30]), 7);
    assert.equal(checkEnum(v, '7', 'days', [1, 7, 30]), undefined);
    assert.match(thrown(v).message, /Member must satisfy enum value set: \[1, 7, 30\]$/);
  });
});
