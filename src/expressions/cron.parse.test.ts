import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseScheduleExpression, ScheduleExpressionError } from './index.ts';
import type { CronSchedule } from './index.ts';

function cron(expression: string): CronSchedule {
  const parsed = parseScheduleExpression(expression, 'rule');
  assert.equal(parsed.kind, 'cron');
  return parsed as CronSchedule;
}

function hintOf(expression: string): string {
  let ruleError: unknown;
  try {
    parseScheduleExpression(expression, 'rule');
  } catch (error) {
    ruleError = error;
  }
  assert.ok(ruleError instanceof ScheduleExpressionError, `${expression} was accepted`);
  assert.equal(ruleError.message, 'Parameter ScheduleExpression is not valid.');
  assert.throws(() => parseScheduleExpression(expression, 'scheduler'), {
    name: 'ScheduleExpressionError',
    message: `Invalid Schedule Expression ${expression}.`,
  });
  return ruleError.hint;
}

const range = (a: number, b: number, step = 1): number[] => {
  const out: number[] = [];
  for (let v = a; v <= b; v += step) out.push(v);
  return out;
};

describe('cron() expressions: AWS vectors', () => {
  // §1.3, accepted by PutRule on AWS.
  const accepted = [
    'cron(0 2 ? * SAT *)',
    'cron(0 12 * * ? *)',
    'cron(5,35 14 * * ? *)',
    'cron(15 10 ? * 6L 2002-2005)',
    'cron(0 2 ? * SAT#3 *)',
    'cron(* * ? * SAT#3 *)',
    'cron(0/5 5 ? JAN 1-5 2022)',
    'cron(0 10 * * ? *)',
    'cron(15 12 * * ? *)',
    'cron(0 18 ? * MON-FRI *)',
    'cron(0 8 1 * ? *)',
    'cron(0/15 * * * ? *)',
    'cron(0/10 * ? * MON-FRI *)',
    'cron(0/5 8-17 ? * MON-FRI *)',
    'cron(0/30 20-23 ? * MON-FRI *)',
    'cron(0/30 0-2 ? * MON-FRI *)',
    'cron(0 20 * * ? *)',
    // Accepted by Scheduler.
    'cron(*/15 * * * ? *)',
    'cron(0-59/10 0-23/2 ? * * *)',
    'cron(1-31/30 1-1 ? * 1,7 *)',
    'cron(0-15/1 8-8 ? * 2,3,4,5,6,7 *)',
    'cron(30-30 13-13 ? * 2,4,6 *)',
    // Documentation examples.
    'cron(0/30 20-2 ? * MON-FRI *)',
    'cron(15 10 ? * 6L 2019-2022)',
    'cron(0 9 ? * 3#2 *)',
    'cron(0 9 15W * ? *)',
    'cron(0 9 L * ? *)',
    'cron(0 9 LW * ? *)',
    'cron(1/10 * * * ? *)',
    'cron(0 0 1 JAN,JUL ? *)',
  ];
  for (const expression of accepted) {
    it(`accepts ${expression}`, () => {
      assert.equal(cron(expression).expression, expression);
      assert.equal(parseScheduleExpression(expression, 'scheduler').kind, 'cron');
    });
  }

  const rejected: [string, string][] = [
    ['cron(0 1 * * * *)', "day-of-month and day-of-week: exactly one must be '?' (neither is)"],
    ['cron(7 20 * * NOT *)', "day-of-week field: 'NOT' is not a day name (SUN-SAT)"],
    ['cron(INVALID)', 'cron: expected 6 fields separated by single spaces, found 1'],
    ['cron(0 dummy ? * MON-FRI *)', "hours field: character 'd' is not allowed here"],
    ['cron(71 8 1 * ? *)', 'minutes field: 71 is outside 0-59'],
    ['cron()', 'cron: expected 6 fields separated by single spaces, found 0'],
  ];
  for (const [expression, hint] of rejected) {
    it(`rejects ${expression}: ${hint}`, () => assert.equal(hintOf(expression), hint));
  }
});

describe('cron() expressions: compiled fields', () => {
  it('expands lists, ranges, steps and names', () => {
    const c = cron('cron(5,35 8-10,20 ? JAN,mar-May,12 MON-FRI 2020-2022,2030)');
    assert.deepEqual(c.minutes, [5, 35]);
    assert.deepEqual(c.hours, [8, 9, 10, 20]);
    assert.deepEqual(c.months, [1, 3, 4, 5, 12]);
    assert.deepEqual(c.years, [2020, 2021, 2022, 2030]);
    assert.deepEqual(c.dayOfMonth, { type: 'any' });
    assert.deepEqual(c.dayOfWeek, { type: 'weekdays', weekdays: [2, 3, 4, 5, 6] });
    assert.deepEqual(c.fields, {
      minutes: '5,35',
      hours: '8-10,20',
      dayOfMonth: '?',
      month: 'JAN,mar-May,12',
      dayOfWeek: 'MON-FRI',
      year: '2020-2022,2030',
    });
  });

  it('handles increments a/b, */b and a-c/b', () => {
    assert.deepEqual(cron('cron(1/10 * * * ? *)').minutes, [1, 11, 21, 31, 41, 51]);
    assert.deepEqual(cron('cron(*/15 * * * ? *)').minutes, [0, 15, 30, 45]);
    assert.deepEqual(cron('cron(0 0-23/2 * * ? *)').hours, range(0, 22, 2));
    assert.deepEqual(cron('cron(1-31/30 1-1 ? * 1,7 *)').minutes, [1, 31]);
    assert.deepEqual(cron('cron(0 0 */10 * ? *)').dayOfMonth, {
      type: 'days',
      days: [1, 11, 21, 31],
    });
    assert.deepEqual(cron('cron(0 0 1 FEB/3 ? *)').months, [2, 5, 8, 11]);
    assert.deepEqual(cron('cron(0 0 1 1 ? 2000/100)').years, [2000, 2100]);
  });

  it('wraps ranges past the field maximum, also with names and steps', () => {
    assert.deepEqual(cron('cron(0 20-2 * * ? *)').hours, [0, 1, 2, 20, 21, 22, 23]);
    assert.deepEqual(cron('cron(0 20-2/2 * * ? *)').hours, [0, 2, 20, 22]);
    assert.deepEqual(cron('cron(55-5 0 * * ? *)').minutes, [0, 1, 2, 3, 4, 5, 55, 56, 57, 58, 59]);
    assert.deepEqual(cron('cron(0 0 28-3 * ? *)').dayOfMonth, {
      type: 'days',
      days: [1, 2, 3, 28, 29, 30, 31],
    });
    assert.deepEqual(cron('cron(0 0 1 NOV-FEB ? *)').months, [1, 2, 11, 12]);
    assert.deepEqual(cron('cron(0 0 ? * FRI-MON *)').dayOfWeek, {
      type: 'weekdays',
      weekdays: [1, 2, 6, 7],
    });
  });

  it('accepts / in day-of-week', () => {
    assert.deepEqual(cron('cron(0 0 ? * 2/2 *)').dayOfWeek, {
      type: 'weekdays',
      weekdays: [2, 4, 6],
    });
    assert.deepEqual(cron('cron(0 0 ? * */3 *)').dayOfWeek, {
      type: 'weekdays',
      weekdays: [1, 4, 7],
    });
  });

  it('compiles the special day forms', () => {
    assert.deepEqual(cron('cron(0 9 L * ? *)').dayOfMonth, { type: 'lastDay' });
    assert.deepEqual(cron('cron(0 9 LW * ? *)').dayOfMonth, { type: 'lastWeekday' });
    assert.deepEqual(cron('cron(0 9 15W * ? *)').dayOfMonth, { type: 'nearestWeekday', day: 15 });
    assert.deepEqual(cron('cron(0 9 ? * L *)').dayOfWeek, { type: 'weekdays', weekdays: [7] });
    assert.deepEqual(cron('cron(0 9 ? * 6L *)').dayOfWeek, { type: 'lastOfWeekday', weekday: 6 });
    assert.deepEqual(cron('cron(0 9 ? * FRIL *)').dayOfWeek, { type: 'lastOfWeekday', weekday: 6 });
    assert.deepEqual(cron('cron(0 9 ? * SAT#3 *)').dayOfWeek, {
      type: 'nthWeekday',
      weekday: 7,
      nth: 3,
    });
    assert.deepEqual(cron('cron(0 9 ? * 3#5 *)').dayOfWeek, {
      type: 'nthWeekday',
      weekday: 3,
      nth: 5,
    });
    assert.deepEqual(cron('cron(0 9 * * ? *)').dayRule, { type: 'days', days: range(1, 31) });
    assert.deepEqual(cron('cron(0 9 ? * * *)').dayRule, {
      type: 'weekdays',
      weekdays: range(1, 7),
    });
  });

  it('reads names case-insensitively and numbers with leading zeros', () => {
    assert.deepEqual(cron('cron(0 0 ? jan sun *)').dayOfWeek, { type: 'weekdays', weekdays: [1] });
    assert.deepEqual(cron('cron(0 0 ? Jan Sun-tue *)').months, [1]);
    assert.deepEqual(cron('cron(0 9 l * ? *)').dayOfMonth, { type: 'lastDay' });
    const c = cron('cron(01 06 ? * MON-FRI *)');
    assert.deepEqual([c.minutes, c.hours], [[1], [6]]);
  });

  it('marks expressions that can never fire', () => {
    assert.equal(cron('cron(0 0 31 2 ? *)').satisfiable, false);
    assert.equal(cron('cron(0 0 30 FEB ? *)').satisfiable, false);
    assert.equal(cron('cron(0 0 31 APR,JUN,SEP,NOV ? *)').satisfiable, false);
    assert.equal(cron('cron(0 0 31W 4 ? *)').satisfiable, false);
    assert.equal(cron('cron(0 0 29 2 ? *)').satisfiable, true);
    assert.equal(cron('cron(0 0 30,31 1-12 ? *)').satisfiable, true);
  });
});

describe('cron() expressions: hints for invalid input', () => {
  const cases: [string, string][] = [
    ['cron(0 1 ? * ? *)', "day-of-month and day-of-week: exactly one must be '?' (both are)"],
    ['cron(0 1 1 * MON *)', "day-of-month and day-of-week: exactly one must be '?' (neither is)"],
    ['cron(0 24 * * ? *)', 'hours field: 24 is outside 0-23'],
    ['cron(0 0 0 * ? *)', 'day-of-month field: 0 is outside 1-31'],
    ['cron(0 0 32 * ? *)', 'day-of-month field: 32 is outside 1-31'],
    ['cron(0 0 1 13 ? *)', 'month field: 13 is outside 1-12'],
    ['cron(0 0 1 JANUARY ? *)', "month field: 'JANUARY' is not a month name (JAN-DEC)"],
    ['cron(0 0 ? * 0 *)', 'day-of-week field: 0 is outside 1-7'],
    ['cron(0 0 ? * 8 *)', 'day-of-week field: 8 is outside 1-7'],
    ['cron(0 0 1 * ? 1969)', 'year field: 1969 is outside 1970-2199'],
    ['cron(0 0 1 * ? 2200)', 'year field: 2200 is outside 1970-2199'],
    ['cron(0 0 1 * ? 2005-2002)', "year field: range '2005-2002' runs backwards"],
    ['cron(? 0 1 * ? *)', "minutes field: '?' is only allowed in day-of-month or day-of-week"],
    ['cron(0 0 1 * ? ?)', "year field: '?' is only allowed in day-of-month or day-of-week"],
    [
      'cron(0 0 ? * 3#1,6#3 *)',
      "day-of-week field: 'd#n' must be the only value in the field, e.g. 6#3",
    ],
    ['cron(0 0 ? * 3#6 *)', "day-of-week field: '#6' must be #1 to #5"],
    ['cron(0 0 ? * 3#0 *)', "day-of-week field: '#0' must be #1 to #5"],
    ['cron(0 0 ? * 8#1 *)', 'day-of-week field: 8 is outside 1-7'],
    [
      'cron(0 0 ? * 5L,6 *)',
      "day-of-week field: 'L' and 'nL' must be the only value in the field, e.g. 6L",
    ],
    [
      'cron(0 0 1,L * ? *)',
      "day-of-month field: '?', 'L', 'LW' and 'nW' must stand alone (nW takes one day, e.g. 15W)",
    ],
    [
      'cron(0 0 1-15W * ? *)',
      "day-of-month field: '?', 'L', 'LW' and 'nW' must stand alone (nW takes one day, e.g. 15W)",
    ],
    ['cron(0 0 32W * ? *)', 'day-of-month field: 32 is outside 1-31'],
    ['cron(0 0 1 * L *)', "day-of-month and day-of-week: exactly one must be '?' (neither is)"],
    ['cron(0 0 1 * ? * *)', 'cron: expected 6 fields separated by single spaces, found 7'],
    ['cron(0 0 1 * ?)', 'cron: expected 6 fields separated by single spaces, found 5'],
    [
      'cron(0  0 1 * ? *)',
      'cron: fields must be separated by exactly one space, with none before or after',
    ],
    [
      'cron( 0 0 1 * ? )',
      'cron: fields must be separated by exactly one space, with none before or after',
    ],
    [
      'cron(0 0 1 * ? * )',
      'cron: fields must be separated by exactly one space, with none before or after',
    ],
    [
      'cron(0 0 1 * ? *',
      "cron: expected 'cron(Minutes Hours Day-of-month Month Day-of-week Year)'",
    ],
    ['CRON(0 0 1 * ? *)', "expected 'rate(...)' or 'cron(...)' with nothing before or after"],
    ['cron(0/0 0 1 * ? *)', "minutes field: step 0 in '0/0' is outside 1-60"],
    ['cron(0/61 0 1 * ? *)', "minutes field: step 61 in '0/61' is outside 1-60"],
    ['cron(0/5/5 0 1 * ? *)', "minutes field: '0/5/5' has more than one '/'"],
    ['cron(1-2-3 0 1 * ? *)', "minutes field: '1-2-3' is not a valid range"],
    ['cron(1,,2 0 1 * ? *)', 'minutes field: a list item is empty'],
    ['cron(-5 0 1 * ? *)', 'minutes field: a value is missing'],
    ['cron(5- 0 1 * ? *)', 'minutes field: a value is missing'],
    ['cron(0 0 1 * MON *)', "day-of-month and day-of-week: exactly one must be '?' (neither is)"],
    ['cron(0 0 ? * MON?, *)', "day-of-week field: '?' must stand alone"],
    [
      'cron(0 0 L-3 * ? *)',
      "day-of-month field: '?', 'L', 'LW' and 'nW' must stand alone (nW takes one day, e.g. 15W)",
    ],
    ['cron(0 0 * JAN-MON ? *)', "month field: 'MON' is not a month name (JAN-DEC)"],
  ];
  for (const [expression, hint] of cases) {
    it(`${expression} → ${hint}`, () => assert.equal(hintOf(expression), hint));
  }
});
