/**
 * Property tests: the engine against the brute-force oracle (test-support/oracle.ts) on random
 * valid expressions and instants, in UTC and in zones with DST, half-hour DST and half-hour
 * offsets; and random invalid strings, which must fail with ScheduleExpressionError only.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { nextFires, parseScheduleExpression, ScheduleExpressionError } from './index.ts';
import {
  cronExpression,
  instant,
  instantNearTransition,
  invalidCandidate,
} from './test-support/arbitraries.ts';
import { oracleFires, oracleTransitions } from './test-support/oracle.ts';

const DAY = 86_400_000;

/** Engine fires inside (after, after + window] must be exactly the oracle's, up to `count`. */
function agrees(
  expression: string,
  timezone: string,
  after: number,
  windowDays: number,
  count: number,
): void {
  const until = after + windowDays * DAY;
  const engine = nextFires(expression, { after, count, timezone })
    .map((d) => d.getTime())
    .filter((t) => t <= until);
  const oracle = oracleFires(expression, timezone, after, until, count);
  assert.deepEqual(
    engine.map((t) => new Date(t).toISOString()),
    oracle.map((t) => new Date(t).toISOString()),
    `${expression} in ${timezone} after ${new Date(after).toISOString()}`,
  );
}

/** Expressions whose hours sit where DST changes happen (00:00–03:59 local), minutes dense-ish. */
const dstProne = fc
  .tuple(
    fc.constantFrom('*', '0/15', '0,30', '15/20', '*/7', '30', '0', '59', '10-40/10'),
    fc.constantFrom('*', '0-3', '1', '2', '1-2', '0/2', '23-3', '1,2,3'),
    fc.constantFrom(
      '* * ?',
      '? * *',
      'L * ?',
      '? * 1',
      '? * 1#1',
      '? * 1#2',
      '? * 1L',
      '1-7 * ?',
      '? MAR,APR,OCT,NOV *',
    ),
  )
  .map(([m, h, days]) => {
    const [dom, month, dow] = days.split(' ');
    return `cron(${m} ${h} ${dom} ${month} ${dow} *)`;
  });

describe('nextFires agrees with the brute-force oracle', () => {
  it('UTC, random expressions, 1970–2199', () => {
    fc.assert(
      fc.property(
        instant(1970, 2199).chain((after) =>
          fc.tuple(fc.constant(after), cronExpression(new Date(after).getUTCFullYear())),
        ),
        ([after, expression]) => agrees(expression, 'UTC', after, 62, 4),
      ),
      { numRuns: 500 },
    );
  });

  it('UTC, special day forms (nW, LW, L, nL, d#n) over a year of months', () => {
    const special = fc.oneof(
      fc.integer({ min: 1, max: 31 }).map((d) => `${d}W * ?`),
      fc.constantFrom('LW * ?', 'L * ?', 'L FEB ?', '1W FEB,MAR ?', '31W * ?', '30W * ?'),
      fc.integer({ min: 1, max: 7 }).map((d) => `? * ${d}L`),
      fc
        .tuple(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 5 }))
        .map(([d, n]) => `? * ${d}#${n}`),
    );
    fc.assert(
      fc.property(instant(1970, 2198), special, (after, days) =>
        agrees(`cron(0 12 ${days} *)`, 'UTC', after, 400, 13),
      ),
      { numRuns: 150 },
    );
  });

  for (const timezone of [
    'America/New_York',
    'Europe/London',
    'Australia/Lord_Howe',
    'Asia/Kolkata',
  ]) {
    const nearChange = instantNearTransition((year) => oracleTransitions(timezone, year));
    it(`${timezone}, random expressions around DST changes`, () => {
      fc.assert(
        fc.property(
          fc
            .oneof(nearChange, instant(1970, 2199))
            .chain((after) =>
              fc.tuple(fc.constant(after), cronExpression(new Date(after).getUTCFullYear())),
            ),
          ([after, expression]) => agrees(expression, timezone, after, 10, 4),
        ),
        { numRuns: 80 },
      );
    });

    it(`${timezone}, early-morning expressions across DST changes`, () => {
      fc.assert(
        fc.property(nearChange, dstProne, (after, expression) =>
          agrees(expression, timezone, after, 4, 8),
        ),
        { numRuns: 80 },
      );
    });
  }
});

describe('nextFires output shape', () => {
  it('is ascending, strictly after `after`, within [startDate, endDate], at most `count`', () => {
    fc.assert(
      fc.property(
        instant(2000, 2100),
        cronExpression(2050),
        fc.integer({ min: 1, max: 20 }),
        fc.constantFrom('UTC', 'America/New_York', 'Australia/Lord_Howe'),
        fc.integer({ min: -30, max: 30 }),
        fc.integer({ min: 0, max: 400 }),
        (after, expression, count, timezone, startShift, span) => {
          const startDate = after + startShift * DAY;
          const endDate = startDate + span * DAY;
          const fires = nextFires(expression, { after, count, timezone, startDate, endDate }).map(
            (d) => d.getTime(),
          );
          assert.ok(fires.length <= count);
          fires.forEach((t, i) => {
            assert.ok(t > after && t >= startDate && t <= endDate);
            if (i > 0) assert.ok(t > (fires[i - 1] as number));
          });
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('invalid expressions', () => {
  it('fail with ScheduleExpressionError only, in both dialects', () => {
    fc.assert(
      fc.property(
        invalidCandidate(),
        fc.constantFrom('rule', 'scheduler' as const),
        (text, dialect) => {
          let parsed;
          try {
            parsed = parseScheduleExpression(text, dialect);
          } catch (error) {
            assert.ok(
              error instanceof ScheduleExpressionError,
              `${JSON.stringify(text)} threw ${String(error)}`,
            );
            assert.equal(error.code, 'ValidationException');
            assert.equal(error.expression, text);
            assert.ok(error.hint.length > 0);
            return;
          }
          // A mutation may still be valid: then it must also evaluate without trouble.
          nextFires(parsed, { after: Date.UTC(2024, 0, 1), count: 3 });
        },
      ),
      { numRuns: 3000 },
    );
  });
});
