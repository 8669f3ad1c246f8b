import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nextCronWall } from './cron.next.ts';
import type { SearchStats } from './cron.next.ts';
import {
  InvalidTimezoneError,
  isValidTimezone,
  nextFires,
  parseScheduleExpression,
  ScheduleExpressionError,
} from './index.ts';
import type { CronSchedule, NextFiresOptions } from './index.ts';

const iso = (expression: string, options: NextFiresOptions): string[] =>
  nextFires(expression, options).map((d) => d.toISOString().replace(':00.000Z', 'Z'));
const at = (text: string): number => Date.parse(text);

describe('nextFires: AWS documentation examples (UTC)', () => {
  // §1.3 table: next three fires strictly after 2024-01-01T00:00Z (2022-01-01 for year-bounded ones).
  const table: [string, string[]][] = [
    ['cron(0 10 * * ? *)', ['2024-01-01T10:00Z', '2024-01-02T10:00Z', '2024-01-03T10:00Z']],
    ['cron(15 12 * * ? *)', ['2024-01-01T12:15Z', '2024-01-02T12:15Z', '2024-01-03T12:15Z']],
    ['cron(0 18 ? * MON-FRI *)', ['2024-01-01T18:00Z', '2024-01-02T18:00Z', '2024-01-03T18:00Z']],
    ['cron(0 8 1 * ? *)', ['2024-01-01T08:00Z', '2024-02-01T08:00Z', '2024-03-01T08:00Z']],
    ['cron(0/15 * * * ? *)', ['2024-01-01T00:15Z', '2024-01-01T00:30Z', '2024-01-01T00:45Z']],
    ['cron(0/10 * ? * MON-FRI *)', ['2024-01-01T00:10Z', '2024-01-01T00:20Z', '2024-01-01T00:30Z']],
    [
      'cron(0/5 8-17 ? * MON-FRI *)',
      ['2024-01-01T08:00Z', '2024-01-01T08:05Z', '2024-01-01T08:10Z'],
    ],
    [
      'cron(0/30 20-2 ? * MON-FRI *)',
      ['2024-01-01T00:30Z', '2024-01-01T01:00Z', '2024-01-01T01:30Z'],
    ],
    ['cron(0 12 * * ? *)', ['2024-01-01T12:00Z', '2024-01-02T12:00Z', '2024-01-03T12:00Z']],
    ['cron(5,35 14 * * ? *)', ['2024-01-01T14:05Z', '2024-01-01T14:35Z', '2024-01-02T14:05Z']],
    [
      'cron(15 10 ? * 6L 2019-2022)',
      ['2022-01-28T10:15Z', '2022-02-25T10:15Z', '2022-03-25T10:15Z'],
    ],
    ['cron(0 20 * * ? *)', ['2024-01-01T20:00Z', '2024-01-02T20:00Z', '2024-01-03T20:00Z']],
    ['cron(0 2 ? * SAT#3 *)', ['2024-01-20T02:00Z', '2024-02-17T02:00Z', '2024-03-16T02:00Z']],
    ['cron(0 9 ? * 3#2 *)', ['2024-01-09T09:00Z', '2024-02-13T09:00Z', '2024-03-12T09:00Z']],
    ['cron(0 9 15W * ? *)', ['2024-01-15T09:00Z', '2024-02-15T09:00Z', '2024-03-15T09:00Z']],
    ['cron(0 9 L * ? *)', ['2024-01-31T09:00Z', '2024-02-29T09:00Z', '2024-03-31T09:00Z']],
    ['cron(0 9 LW * ? *)', ['2024-01-31T09:00Z', '2024-02-29T09:00Z', '2024-03-29T09:00Z']],
    ['cron(1/10 * * * ? *)', ['2024-01-01T00:01Z', '2024-01-01T00:11Z', '2024-01-01T00:21Z']],
    ['cron(0 0 1 JAN,JUL ? *)', ['2024-07-01T00:00Z', '2025-01-01T00:00Z', '2025-07-01T00:00Z']],
    ['cron(0/5 5 ? JAN 1-5 2022)', ['2022-01-02T05:00Z', '2022-01-02T05:05Z', '2022-01-02T05:10Z']],
  ];
  for (const [expression, expected] of table) {
    it(`${expression}`, () => {
      const after = /20(19|22)/.test(expression)
        ? at('2022-01-01T00:00:00Z')
        : at('2024-01-01T00:00:00Z');
      assert.deepEqual(iso(expression, { after, count: 3 }), expected);
      // Same answer from a pre-parsed rule-dialect schedule.
      const parsed = parseScheduleExpression(expression, 'rule');
      assert.deepEqual(
        nextFires(parsed, { after, count: 3 }).map((d) => d.toISOString().replace(':00.000Z', 'Z')),
        expected,
      );
    });
  }

  it('wrapping hours with a weekday filter apply the filter to each firing day', () => {
    // Fri 2024-01-05 20:00 … Sat 02:30 must not fire on Saturday morning.
    assert.deepEqual(
      iso('cron(0/30 20-2 ? * MON-FRI *)', { after: at('2024-01-05T23:59:00Z'), count: 6 }),
      [
        '2024-01-08T00:00Z',
        '2024-01-08T00:30Z',
        '2024-01-08T01:00Z',
        '2024-01-08T01:30Z',
        '2024-01-08T02:00Z',
        '2024-01-08T02:30Z',
      ],
    );
  });
});

describe('nextFires: cron edge cases (UTC)', () => {
  it('is strictly after `after`, also for instants inside a minute', () => {
    assert.deepEqual(iso('cron(0 10 * * ? *)', { after: at('2024-01-01T10:00:00Z') }), [
      '2024-01-02T10:00Z',
    ]);
    assert.deepEqual(iso('cron(0 10 * * ? *)', { after: at('2024-01-01T09:59:59.999Z') }), [
      '2024-01-01T10:00Z',
    ]);
    assert.deepEqual(iso('cron(* * * * ? *)', { after: at('2024-01-01T10:00:30Z') }), [
      '2024-01-01T10:01Z',
    ]);
  });

  it('crosses year ends and leap days', () => {
    assert.deepEqual(iso('cron(59 23 L * ? *)', { after: at('2023-12-31T23:59:00Z'), count: 2 }), [
      '2024-01-31T23:59Z',
      '2024-02-29T23:59Z',
    ]);
    assert.deepEqual(iso('cron(0 0 29 2 ? *)', { after: at('2024-02-29T00:00:00Z'), count: 3 }), [
      '2028-02-29T00:00Z',
      '2032-02-29T00:00Z',
      '2036-02-29T00:00Z',
    ]);
    assert.deepEqual(iso('cron(0 0 29 2 ? *)', { after: at('2096-03-01T00:00:00Z'), count: 2 }), [
      '2104-02-29T00:00Z',
      '2108-02-29T00:00Z',
    ]);
  });

  it('nW never leaves the month', () => {
    // 2022-01-01 is a Saturday: 1W is Monday the 3rd. 2022-07-31 is a Sunday: 31W is Friday the 29th.
    assert.deepEqual(iso('cron(0 0 1W 1 ? 2022)', { after: at('2021-12-01T00:00:00Z') }), [
      '2022-01-03T00:00Z',
    ]);
    assert.deepEqual(iso('cron(0 0 31W 7 ? 2022)', { after: at('2022-01-01T00:00:00Z') }), [
      '2022-07-29T00:00Z',
    ]);
    // 2024-06-15 is a Saturday → Friday 14th; 2024-09-15 a Sunday → Monday 16th.
    assert.deepEqual(
      iso('cron(0 0 15W 6,9 ? 2024)', { after: at('2024-01-01T00:00:00Z'), count: 2 }),
      ['2024-06-14T00:00Z', '2024-09-16T00:00Z'],
    );
    // 31W does not fire in 30-day months.
    assert.deepEqual(
      iso('cron(0 0 31W * ? 2024)', { after: at('2024-03-31T00:00:00Z'), count: 2 }),
      ['2024-05-31T00:00Z', '2024-07-31T00:00Z'],
    );
  });

  it('d#5 fires only in months that have a fifth such weekday', () => {
    assert.deepEqual(iso('cron(0 12 ? * 6#5 *)', { after: at('2024-01-01T00:00:00Z'), count: 3 }), [
      '2024-03-29T12:00Z',
      '2024-05-31T12:00Z',
      '2024-08-30T12:00Z',
    ]);
    // A fifth Friday in February needs a leap year whose 1 February is a Friday.
    assert.deepEqual(
      iso('cron(0 12 ? FEB 6#5 *)', { after: at('2000-01-01T00:00:00Z'), count: 2 }),
      ['2008-02-29T12:00Z', '2036-02-29T12:00Z'],
    );
  });

  it('a lone L in day-of-week means Saturday', () => {
    assert.deepEqual(iso('cron(0 0 ? * L *)', { after: at('2024-01-01T00:00:00Z'), count: 2 }), [
      '2024-01-06T00:00Z',
      '2024-01-13T00:00Z',
    ]);
  });

  it('returns [] for never-firing and past-only expressions', () => {
    for (const expression of [
      'cron(0 0 31 2 ? *)',
      'cron(0 0 30 FEB ? *)',
      'cron(0 0 1 1 ? 1970-2020)',
    ]) {
      assert.deepEqual(nextFires(expression, { after: at('2024-01-01T00:00:00Z'), count: 5 }), []);
    }
    assert.deepEqual(iso('cron(0 0 1 1 ? 2199)', { after: at('2024-01-01T00:00:00Z'), count: 5 }), [
      '2199-01-01T00:00Z',
    ]);
    assert.deepEqual(iso('cron(59 23 31 12 ? *)', { after: at('2199-12-31T23:59:00Z') }), []);
  });

  it('starts at 1970 for earlier instants', () => {
    assert.deepEqual(iso('cron(0 0 1 1 ? *)', { after: at('1950-06-01T00:00:00Z') }), [
      '1970-01-01T00:00Z',
    ]);
  });

  it('honours startDate (inclusive), endDate (inclusive) and count', () => {
    const expression = 'cron(0 * * * ? *)';
    assert.deepEqual(
      iso(expression, {
        after: at('2024-01-01T00:00:00Z'),
        startDate: at('2024-01-01T05:00:00Z'),
        count: 2,
      }),
      ['2024-01-01T05:00Z', '2024-01-01T06:00Z'],
    );
    assert.deepEqual(
      iso(expression, {
        after: at('2024-01-01T00:00:00Z'),
        endDate: at('2024-01-01T03:00:00Z'),
        count: 10,
      }),
      ['2024-01-01T01:00Z', '2024-01-01T02:00Z', '2024-01-01T03:00Z'],
    );
    assert.equal(nextFires(expression, { after: 0, count: 0 }).length, 0);
    assert.equal(nextFires(expression, { after: 0, count: 1e9 }).length, 10_000);
    assert.equal(nextFires(expression, { after: 0 }).length, 1);
  });

  it('counts bounded work for sparse and never-firing expressions', () => {
    const steps = (expression: string, from: string): number => {
      const stats: SearchStats = { steps: 0 };
      nextCronWall(parseScheduleExpression(expression) as CronSchedule, at(from), stats);
      return stats.steps;
    };
    assert.equal(steps('cron(0 0 31 2 ? *)', '2024-01-01T00:00:00Z'), 0);
    assert.equal(steps('cron(0 0 1 1 ? 1970-2020)', '2024-01-01T00:00:00Z'), 1);
    assert.ok(steps('cron(0 0 1 1 ? 2199)', '1970-01-01T00:00:00Z') <= 3);
    assert.ok(steps('cron(0 0 29 2 ? *)', '2097-01-01T00:00:00Z') <= 30);
    // Worst cases: every remaining year has to be looked at once or twice per allowed month.
    assert.ok(steps('cron(0 12 ? FEB 6#5 *)', '1970-01-01T00:00:00Z') <= 2 * 230 + 10);
    assert.ok(steps('cron(0 0 31W 2,4 ? *)', '1970-01-01T00:00:00Z') < 10);
    assert.ok(steps('cron(59 23 L * ? *)', '2024-01-01T00:00:00Z') <= 5);
  });
});

describe('nextFires: time zones and DST (§1.4 vectors)', () => {
  it('skips 02:30 in New York on 2024-03-10 (spring forward)', () => {
    assert.deepEqual(
      iso('cron(30 2 * * ? *)', {
        after: at('2024-03-09T00:00:00Z'),
        count: 3,
        timezone: 'America/New_York',
      }),
      ['2024-03-09T07:30Z', '2024-03-11T06:30Z', '2024-03-12T06:30Z'],
    );
  });

  it('fires once, at the first instant, in the repeated 01:30 on 2024-11-03 (fall back)', () => {
    assert.deepEqual(
      iso('cron(30 1 * * ? *)', {
        after: at('2024-11-02T00:00:00Z'),
        count: 3,
        timezone: 'America/New_York',
      }),
      ['2024-11-02T05:30Z', '2024-11-03T05:30Z', '2024-11-04T06:30Z'],
    );
    // From inside the second pass (01:15 EST), the repeated 01:30 is not fired again.
    assert.deepEqual(
      iso('cron(30 1 * * ? *)', {
        after: at('2024-11-03T06:15:00Z'),
        timezone: 'America/New_York',
      }),
      ['2024-11-04T06:30Z'],
    );
    // Every-15-minutes through the repeated hour: 01:00–01:45 once (EDT), then 02:00 EST.
    assert.deepEqual(
      iso('cron(0/15 * * * ? *)', {
        after: at('2024-11-03T04:50:00Z'),
        count: 6,
        timezone: 'America/New_York',
      }),
      [
        '2024-11-03T05:00Z',
        '2024-11-03T05:15Z',
        '2024-11-03T05:30Z',
        '2024-11-03T05:45Z',
        '2024-11-03T07:00Z',
        '2024-11-03T07:15Z',
      ],
    );
  });

  it('Berlin 03:00 around both 2024 transitions', () => {
    const fires = iso('cron(0 3 * * ? *)', {
      after: at('2024-03-29T12:00:00Z'),
      count: 3,
      timezone: 'Europe/Berlin',
    });
    assert.deepEqual(fires, ['2024-03-30T02:00Z', '2024-03-31T01:00Z', '2024-04-01T01:00Z']);
    assert.deepEqual(
      iso('cron(0 3 * * ? *)', {
        after: at('2024-10-26T12:00:00Z'),
        count: 2,
        timezone: 'Europe/Berlin',
      }),
      ['2024-10-27T02:00Z', '2024-10-28T02:00Z'],
    );
  });

  it('Lord Howe: half-hour DST (02:00 → 02:30 in October, 02:00 → 01:30 in April)', () => {
    // 2024-10-06 02:00 +10:30 becomes 02:30 +11: 02:00 and 02:15 do not exist that day.
    assert.deepEqual(
      iso('cron(0/15 2 * * ? *)', {
        after: at('2024-10-05T14:00:00Z'),
        count: 5,
        timezone: 'Australia/Lord_Howe',
      }),
      [
        '2024-10-05T15:30Z',
        '2024-10-05T15:45Z',
        '2024-10-06T15:00Z',
        '2024-10-06T15:15Z',
        '2024-10-06T15:30Z',
      ],
    );
    // 2024-04-07 02:00 +11 becomes 01:30 +10:30: 01:30 and 01:45 repeat and fire once, first.
    assert.deepEqual(
      iso('cron(0/15 1 * * ? *)', {
        after: at('2024-04-06T14:00:00Z'),
        count: 4,
        timezone: 'Australia/Lord_Howe',
      }),
      ['2024-04-06T14:15Z', '2024-04-06T14:30Z', '2024-04-06T14:45Z', '2024-04-07T14:30Z'],
    );
  });

  it('Kolkata: +05:30 all year', () => {
    assert.deepEqual(
      iso('cron(0 9 ? * MON *)', {
        after: at('2024-01-01T00:00:00Z'),
        count: 2,
        timezone: 'Asia/Kolkata',
      }),
      ['2024-01-01T03:30Z', '2024-01-08T03:30Z'],
    );
    // Local midnight is 18:30Z the day before: the local day decides the weekday.
    assert.deepEqual(
      iso('cron(0 0 ? * SUN *)', { after: at('2024-01-01T00:00:00Z'), timezone: 'Asia/Kolkata' }),
      ['2024-01-06T18:30Z'],
    );
  });

  it('rejects unknown zones with a ValidationException', () => {
    for (const timezone of ['Mars/Olympus', 'America/New York', '+01:00', '', 'x'.repeat(51)]) {
      assert.throws(
        () => nextFires('cron(0 0 * * ? *)', { after: 0, timezone }),
        (error: unknown) =>
          error instanceof InvalidTimezoneError &&
          error.code === 'ValidationException' &&
          error.message === `Invalid timezone ${timezone}.`,
      );
    }
    assert.equal(isValidTimezone('America/New_York'), true);
    assert.equal(isValidTimezone('Asia/Kolkata'), true);
    assert.equal(isValidTimezone('UTC'), true);
    assert.equal(isValidTimezone('Mars/Olympus'), false);
    assert.equal(isValidTimezone('+05:30'), false);
  });
});

describe('nextFires: rate()', () => {
  it('fires anchor + k × period, k ≥ 1, with the anchor defaulting to `after`', () => {
    assert.deepEqual(iso('rate(5 minutes)', { after: at('2024-01-01T00:00:30Z'), count: 2 }), [
      '2024-01-01T00:05:30.000Z',
      '2024-01-01T00:10:30.000Z',
    ]);
    assert.deepEqual(
      iso('rate(1 hour)', {
        after: at('2024-01-01T10:20:00Z'),
        anchor: at('2024-01-01T08:00:00Z'),
        count: 2,
      }),
      ['2024-01-01T11:00Z', '2024-01-01T12:00Z'],
    );
    // The anchor itself is not a fire when given explicitly (a rule fires a period after creation).
    assert.deepEqual(
      iso('rate(1 hour)', {
        after: at('2024-01-01T07:00:00Z'),
        anchor: at('2024-01-01T08:00:00Z'),
      }),
      ['2024-01-01T09:00Z'],
    );
  });

  it('fires at StartDate itself when the anchor comes from StartDate (Scheduler)', () => {
    assert.deepEqual(
      iso('rate(1 day)', {
        after: at('2024-01-01T00:00:00Z'),
        startDate: at('2024-01-05T06:00:00Z'),
        count: 2,
      }),
      ['2024-01-05T06:00Z', '2024-01-06T06:00Z'],
    );
    assert.deepEqual(
      iso('rate(1 day)', {
        after: at('2024-01-07T07:00:00Z'),
        startDate: at('2024-01-05T06:00:00Z'),
        endDate: at('2024-01-09T06:00:00Z'),
        count: 5,
      }),
      ['2024-01-08T06:00Z', '2024-01-09T06:00Z'],
    );
  });

  it('counts days as 24 hours across DST, whatever the zone', () => {
    assert.deepEqual(
      iso('rate(1 day)', {
        after: at('2024-03-09T12:00:00Z'),
        anchor: at('2024-03-09T12:00:00Z'),
        count: 2,
        timezone: 'America/New_York',
      }),
      ['2024-03-10T12:00Z', '2024-03-11T12:00Z'],
    );
  });

  it('does not overflow for huge periods', () => {
    assert.deepEqual(nextFires('rate(2147483647 days)', { after: 0, count: 3 }), []);
  });
});

describe('nextFires: at()', () => {
  it('fires once at the local time, in UTC by default', () => {
    assert.deepEqual(
      iso('at(2030-01-31T09:30:15)', { after: at('2024-01-01T00:00:00Z'), count: 5 }),
      ['2030-01-31T09:30:15.000Z'],
    );
    assert.deepEqual(
      iso('at(2030-01-31T09:30:00)', {
        after: at('2024-01-01T00:00:00Z'),
        timezone: 'Asia/Kolkata',
      }),
      ['2030-01-31T04:00Z'],
    );
  });

  it('returns [] once the time has passed', () => {
    assert.deepEqual(
      nextFires('at(2022-12-31T23:59:59)', { after: at('2023-01-01T00:00:00Z') }),
      [],
    );
    assert.deepEqual(
      nextFires('at(2022-12-31T23:59:59)', { after: at('2022-12-31T23:59:59Z') }),
      [],
    );
  });

  it('inside a spring-forward gap, fires when the wall clock jumps past it', () => {
    assert.deepEqual(iso('at(2024-03-10T02:30:00)', { after: 0, timezone: 'America/New_York' }), [
      '2024-03-10T07:00Z',
    ]);
    assert.deepEqual(
      iso('at(2024-10-06T02:10:00)', { after: 0, timezone: 'Australia/Lord_Howe' }),
      ['2024-10-05T15:30Z'],
    );
  });

  it('in a repeated hour, fires at the first instant', () => {
    assert.deepEqual(iso('at(2024-11-03T01:30:00)', { after: 0, timezone: 'America/New_York' }), [
      '2024-11-03T05:30Z',
    ]);
  });

  it('ignores startDate and endDate, as AWS does for one-time schedules', () => {
    assert.deepEqual(
      iso('at(2030-01-01T00:00:00)', {
        after: 0,
        startDate: at('2031-01-01T00:00:00Z'),
        endDate: at('2029-01-01T00:00:00Z'),
      }),
      ['2030-01-01T00:00Z'],
    );
  });
});

describe('nextFires: input checks', () => {
  it('parses strings with the Scheduler grammar and rejects bad ones', () => {
    assert.throws(() => nextFires('rate(1 minutes)', { after: 0 }), ScheduleExpressionError);
    assert.throws(() => nextFires('rate(1 minutes)', { after: 0 }), {
      message: 'Invalid Schedule Expression rate(1 minutes).',
    });
  });

  it('rejects an invalid `after`', () => {
    assert.throws(() => nextFires('rate(1 minute)', { after: Number.NaN }), {
      code: 'ValidationException',
    });
    assert.throws(() => nextFires('rate(1 minute)', { after: new Date(Number.NaN) }), {
      code: 'ValidationException',
    });
  });
});
