import { daysInMonth } from './calendar.ts';
import type { AtSchedule } from './schedule.types.ts';

/** Outcome of parsing `at(...)`: the schedule, or the reason it is invalid. */
export type AtParseResult = { ok: true; value: AtSchedule } | { ok: false; hint: string };

const AT = /^at\(([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})\)$/;

/**
 * Parses `at(yyyy-mm-ddThh:mm:ss)`: a local date-time with no zone designator, offset or
 * fraction (AWS rejects `...Z` and date-only forms), which must be a real calendar date and time.
 */
export function parseAt(expression: string): AtParseResult {
  const match = AT.exec(expression);
  if (match === null) {
    return {
      ok: false,
      hint: "at: expected 'at(yyyy-mm-ddThh:mm:ss)' with no zone or offset, e.g. at(2030-01-31T09:30:00)",
    };
  }
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12) return { ok: false, hint: `at: month ${month} is outside 01-12` };
  const dim = daysInMonth(year, month);
  if (day < 1 || day > dim) {
    return {
      ok: false,
      hint: `at: day ${day} does not exist in ${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`,
    };
  }
  if (hour > 23) return { ok: false, hint: `at: hour ${hour} is outside 00-23` };
  if (minute > 59) return { ok: false, hint: `at: minute ${minute} is outside 00-59` };
  if (second > 59) return { ok: false, hint: `at: second ${second} is outside 00-59` };
  return {
    ok: true,
    value: { kind: 'at', expression, local: { year, month, day, hour, minute, second } },
  };
}
