import { DAY_MS, HOUR_MS, MINUTE_MS } from './calendar.ts';
import type { RateSchedule, RateUnit } from './schedule.types.ts';
import { RATE_UNITS } from './schedule.types.ts';

/**
 * Largest accepted `rate()` value. AWS's limit is undocumented; we take Java's `int` range, which
 * is what a service parsing the value with `Integer.parseInt` would accept (unconfirmed). Even in
 * minutes this is over 4000 years, so such schedules simply never fire within the cron horizon.
 */
export const MAX_RATE_VALUE = 2_147_483_647;

const UNIT_MS: Record<RateUnit, number> = {
  minute: MINUTE_MS,
  minutes: MINUTE_MS,
  hour: HOUR_MS,
  hours: HOUR_MS,
  day: DAY_MS,
  days: DAY_MS,
};

function isRateUnit(text: string): text is RateUnit {
  return (RATE_UNITS as readonly string[]).includes(text);
}

/** Outcome of parsing the inside of `rate(...)`: the schedule, or the reason it is invalid. */
export type RateParseResult = { ok: true; value: RateSchedule } | { ok: false; hint: string };

/**
 * Parses `rate(value unit)` exactly as AWS does: case-sensitive, one space, no padding, decimal
 * digits only, singular unit for 1 and plural otherwise. Leading zeros (`rate(05 minutes)`) are
 * accepted and read as decimal, as an integer parser would (unconfirmed on AWS); `rate(01 minute)`
 * therefore takes the singular unit.
 */
export function parseRate(expression: string): RateParseResult {
  if (!expression.startsWith('rate(') || !expression.endsWith(')')) {
    return { ok: false, hint: "rate: expected 'rate(value unit)', e.g. rate(5 minutes)" };
  }
  const inner = expression.slice('rate('.length, -1);
  const parts = inner.split(' ');
  if (parts.length !== 2 || parts[0] === '' || parts[1] === '') {
    return {
      ok: false,
      hint: 'rate: expected a value and a unit separated by one space and no other spaces, e.g. rate(5 minutes)',
    };
  }
  const [valueText, unitText] = parts as [string, string];
  if (!/^[0-9]+$/.test(valueText)) {
    return { ok: false, hint: `rate: value '${valueText}' is not a positive whole number` };
  }
  if (!isRateUnit(unitText)) {
    return isRateUnit(unitText.toLowerCase())
      ? { ok: false, hint: `rate: unit '${unitText}' must be written in lower case` }
      : { ok: false, hint: `rate: unit '${unitText}' is not one of minute(s), hour(s), day(s)` };
  }
  const digits = valueText.replace(/^0+(?=.)/, '');
  const value = digits.length > 10 ? Infinity : Number(digits);
  if (value < 1) return { ok: false, hint: 'rate: value must be at least 1' };
  if (value > MAX_RATE_VALUE) {
    return { ok: false, hint: `rate: value ${valueText} is larger than ${MAX_RATE_VALUE}` };
  }
  const singular = !unitText.endsWith('s');
  if (value === 1 && !singular) {
    return { ok: false, hint: `rate: value 1 takes the singular unit '${unitText.slice(0, -1)}'` };
  }
  if (value > 1 && singular) {
    return { ok: false, hint: `rate: value ${value} takes the plural unit '${unitText}s'` };
  }
  return {
    ok: true,
    value: { kind: 'rate', expression, value, unit: unitText, periodMs: value * UNIT_MS[unitText] },
  };
}
