import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseScheduleExpression, ScheduleExpressionError } from './index.ts';
import type { ScheduleDialect } from './index.ts';

function rejects(expression: string, dialect: ScheduleDialect): ScheduleExpressionError {
  try {
    parseScheduleExpression(expression, dialect);
  } catch (error) {
    assert.ok(
      error instanceof ScheduleExpressionError,
      `not a ScheduleExpressionError: ${String(error)}`,
    );
    return error;
  }
  assert.fail(`${JSON.stringify(expression)} was accepted in dialect ${dialect}`);
}

describe('rate() expressions', () => {
  const valid: [string, number, string, number][] = [
    ['rate(1 minute)', 1, 'minute', 60_000],
    ['rate(5 minutes)', 5, 'minutes', 300_000],
    ['rate(1 hour)', 1, 'hour', 3_600_000],
    ['rate(1 day)', 1, 'day', 86_400_000],
    ['rate(36 hours)', 36, 'hours', 129_600_000],
    ['rate(7 days)', 7, 'days', 604_800_000],
  ];
  for (const [expression, value, unit, periodMs] of valid) {
    it(`accepts ${expression} in both dialects`, () => {
      for (const dialect of ['rule', 'scheduler'] as const) {
        assert.deepEqual(parseScheduleExpression(expression, dialect), {
          kind: 'rate',
          expression,
          value,
          unit,
          periodMs,
        });
      }
    });
  }

  // §1.2, every vector AWS rejected for rules (and the Scheduler subset it verified).
  const invalid = [
    'rate(10 seconds)',
    'rate(10 years)',
    'rate(1 minutes)',
    'rate(1 hours)',
    'rate(1 days)',
    'rate(10 minute)',
    'rate(10 hour)',
    'rate(10 day)',
    'rate()',
    'rate(10)',
    'rate(10 minutess)',
    'rate(foo minutes)',
    'rate(0 minutes)',
    'rate(-10 minutes)',
    'rate(10 MINUTES)',
    'rate( 10 minutes )',
    ' rate(10 minutes)',
  ];
  for (const expression of invalid) {
    it(`rejects ${JSON.stringify(expression)} with AWS's message for each dialect`, () => {
      const rule = rejects(expression, 'rule');
      assert.equal(rule.message, 'Parameter ScheduleExpression is not valid.');
      assert.equal(rule.code, 'ValidationException');
      assert.equal(rule.httpStatus, 400);
      assert.equal(rule.dialect, 'rule');
      assert.equal(rule.expression, expression);
      const scheduler = rejects(expression, 'scheduler');
      assert.equal(scheduler.message, `Invalid Schedule Expression ${expression}.`);
      assert.equal(scheduler.code, 'ValidationException');
    });
  }

  it('echoes a leading space verbatim in the Scheduler message', () => {
    assert.equal(
      rejects(' rate(10 minutes)', 'scheduler').message,
      'Invalid Schedule Expression  rate(10 minutes).',
    );
  });

  it('explains the mistake in the hint', () => {
    assert.equal(
      rejects('rate(1 minutes)', 'rule').hint,
      "rate: value 1 takes the singular unit 'minute'",
    );
    assert.equal(
      rejects('rate(10 day)', 'rule').hint,
      "rate: value 10 takes the plural unit 'days'",
    );
    assert.equal(
      rejects('rate(10 MINUTES)', 'rule').hint,
      "rate: unit 'MINUTES' must be written in lower case",
    );
    assert.equal(
      rejects('rate(10 seconds)', 'rule').hint,
      "rate: unit 'seconds' is not one of minute(s), hour(s), day(s)",
    );
    assert.equal(rejects('rate(0 minutes)', 'rule').hint, 'rate: value must be at least 1');
    assert.equal(
      rejects('rate(foo minutes)', 'rule').hint,
      "rate: value 'foo' is not a positive whole number",
    );
  });

  it('reads leading zeros as decimal and applies the singular rule to the value', () => {
    const parsed = parseScheduleExpression('rate(010 minutes)');
    assert.equal(parsed.kind === 'rate' && parsed.periodMs, 600_000);
    assert.equal(parseScheduleExpression('rate(01 minute)').kind, 'rate');
    assert.equal(
      rejects('rate(01 minutes)', 'rule').hint,
      "rate: value 1 takes the singular unit 'minute'",
    );
    assert.equal(rejects('rate(00 minutes)', 'rule').hint, 'rate: value must be at least 1');
  });

  it('caps the value at 2147483647', () => {
    assert.equal(parseScheduleExpression('rate(2147483647 days)').kind, 'rate');
    assert.equal(
      rejects('rate(2147483648 days)', 'rule').hint,
      'rate: value 2147483648 is larger than 2147483647',
    );
    assert.equal(
      rejects('rate(99999999999999999999 days)', 'rule').hint.startsWith('rate: value 9'),
      true,
    );
  });

  it('rejects other spacing and signs', () => {
    for (const expression of [
      'rate(10  minutes)',
      'rate(10 minutes) ',
      'rate(+10 minutes)',
      'rate(1.5 hours)',
      'Rate(10 minutes)',
    ]) {
      rejects(expression, 'rule');
    }
  });
});
