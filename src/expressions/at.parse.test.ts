import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseScheduleExpression, ScheduleExpressionError } from './index.ts';

function hintOf(expression: string, dialect: 'rule' | 'scheduler' = 'scheduler'): string {
  try {
    parseScheduleExpression(expression, dialect);
  } catch (error) {
    assert.ok(error instanceof ScheduleExpressionError);
    assert.equal(
      error.message,
      dialect === 'rule'
        ? 'Parameter ScheduleExpression is not valid.'
        : `Invalid Schedule Expression ${expression}.`,
    );
    return error.hint;
  }
  assert.fail(`${expression} was accepted`);
}

describe('at() expressions', () => {
  it('parses a local date-time', () => {
    assert.deepEqual(parseScheduleExpression('at(2022-12-31T23:59:59)'), {
      kind: 'at',
      expression: 'at(2022-12-31T23:59:59)',
      local: { year: 2022, month: 12, day: 31, hour: 23, minute: 59, second: 59 },
    });
    assert.equal(parseScheduleExpression('at(2024-02-29T00:00:00)').kind, 'at');
  });

  it('rejects the forms AWS rejects', () => {
    assert.match(hintOf('at(2021-12-31T23:59:59Z)'), /^at: expected/);
    assert.match(hintOf('at(2021-12-31)'), /^at: expected/);
    for (const e of [
      'at(2021-12-31T23:59:59.000)',
      'at(2021-12-31T23:59:59+01:00)',
      'at(2021-12-31 23:59:59)',
      'at(2021-12-31T23:59)',
      'at()',
      'at(21-12-31T23:59:59)',
    ]) {
      assert.match(hintOf(e), /^at: expected/);
    }
  });

  it('rejects dates and times that do not exist', () => {
    assert.equal(hintOf('at(2023-02-29T00:00:00)'), 'at: day 29 does not exist in 2023-02');
    assert.equal(hintOf('at(2024-04-31T00:00:00)'), 'at: day 31 does not exist in 2024-04');
    assert.equal(hintOf('at(2024-13-01T00:00:00)'), 'at: month 13 is outside 01-12');
    assert.equal(hintOf('at(2024-00-01T00:00:00)'), 'at: month 0 is outside 01-12');
    assert.equal(hintOf('at(2024-01-00T00:00:00)'), 'at: day 0 does not exist in 2024-01');
    assert.equal(hintOf('at(2024-01-01T24:00:00)'), 'at: hour 24 is outside 00-23');
    assert.equal(hintOf('at(2024-01-01T00:60:00)'), 'at: minute 60 is outside 00-59');
    assert.equal(hintOf('at(2024-01-01T00:00:60)'), 'at: second 60 is outside 00-59');
  });

  it('is a Scheduler-only form', () => {
    assert.equal(
      hintOf('at(2030-01-01T00:00:00)', 'rule'),
      'at() expressions are accepted by EventBridge Scheduler only, not by rules',
    );
  });

  it('names the accepted forms for unknown expressions', () => {
    assert.equal(
      hintOf('every 5 minutes'),
      "expected 'at(...)', 'rate(...)' or 'cron(...)' with nothing before or after",
    );
    assert.equal(
      hintOf('', 'rule'),
      "expected 'rate(...)' or 'cron(...)' with nothing before or after",
    );
  });
});
