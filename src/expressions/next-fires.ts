/**
 * "When does this schedule fire next?" — a pure function of the expression, a reference instant
 * and the options; it never reads the clock.
 */
import { MINUTE_MS, msFromCivil } from './calendar.ts';
import { nextCronWall } from './cron.next.ts';
import { ValidationException } from '../platform/errors.ts';
import { parseScheduleExpression } from './schedule-expression.parse.ts';
import type { AtSchedule, CronSchedule, ParsedSchedule, RateSchedule } from './schedule.types.ts';
import { getTimeZone } from './time-zone.ts';
import type { TimeZone } from './time-zone.ts';

/** Most fire times one call returns. */
export const MAX_FIRES = 10_000;

/** Latest instant a JavaScript `Date` can hold. */
const MAX_INSTANT = 8.64e15;
/** Instants outside [start, end) cannot be near a cron fire (years 1970–2199, any zone). */
const CRON_HORIZON_START = msFromCivil(1969, 12, 1, 0, 0);
const CRON_HORIZON_END = msFromCivil(2200, 1, 2, 0, 0);

export interface NextFiresOptions {
  /** Only instants strictly after this one are returned. */
  after: Date | number;
  /** How many fire times to return at most (default 1, capped at {@link MAX_FIRES}). */
  count?: number;
  /** IANA zone for `cron()` and `at()` (default `UTC`); `rate()` ignores it (but it must be valid). */
  timezone?: string;
  /** No fire before this instant (inclusive bound). Ignored by `at()`, as on AWS. */
  startDate?: Date | number;
  /** No fire after this instant (inclusive bound). Ignored by `at()`, as on AWS. */
  endDate?: Date | number;
  /**
   * Phase of a `rate()` schedule: fires are `anchor + k × period`, k ≥ 1 (for a rule, the
   * creation time). Defaults to `startDate` — then k ≥ 0, since Scheduler's first occurrence is
   * *at* StartDate — and otherwise to `after`.
   */
  anchor?: Date | number;
}

function toMs(value: Date | number, name: string): number {
  const ms = typeof value === 'number' ? value : value instanceof Date ? value.getTime() : NaN;
  if (!Number.isFinite(ms)) {
    throw new ValidationException(`${name} must be a valid date or epoch milliseconds.`);
  }
  return ms;
}

function optionalMs(value: Date | number | undefined, name: string): number | undefined {
  return value === undefined ? undefined : toMs(value, name);
}

/**
 * The next fire times of a schedule: instants strictly after `after`, ascending, at most `count`,
 * none before `startDate` and none after `endDate`.
 *
 * - `rate()`: `anchor + k × period`; days are 24-hour periods, DST never shifts them.
 * - `cron()`: evaluated on the wall clock of `timezone`. A local time that does not exist
 *   (spring-forward gap) is skipped; a repeated one (fall-back) fires once, at its first instant.
 * - `at()`: once, at that local time; inside a spring-forward gap, at the moment the wall clock
 *   jumps past it (AWS's behaviour there is unconfirmed). A past `at()` gives `[]`.
 *
 * Throws {@link ScheduleExpressionError} for an invalid expression string (read with the Scheduler
 * grammar) and {@link InvalidTimezoneError} for an unknown zone.
 */
export function nextFires(expression: string | ParsedSchedule, options: NextFiresOptions): Date[] {
  const schedule =
    typeof expression === 'string' ? parseScheduleExpression(expression) : expression;
  const zone = getTimeZone(options.timezone ?? 'UTC');
  const after = toMs(options.after, 'after');
  const rawCount = options.count ?? 1;
  const count = Number.isFinite(rawCount)
    ? Math.min(MAX_FIRES, Math.max(0, Math.floor(rawCount)))
    : 1;
  if (count === 0) return [];
  const startDate = optionalMs(options.startDate, 'startDate');
  const endDate = optionalMs(options.endDate, 'endDate') ?? MAX_INSTANT;
  switch (schedule.kind) {
    case 'rate':
      return rateFires(
        schedule,
        after,
        count,
        startDate,
        endDate,
        optionalMs(options.anchor, 'anchor'),
      );
    case 'cron':
      return cronFires(schedule, zone, after, count, startDate, endDate);
    case 'at':
      return atFires(schedule, zone, after);
  }
}

function rateFires(
  rate: RateSchedule,
  after: number,
  count: number,
  startDate: number | undefined,
  endDate: number,
  explicitAnchor: number | undefined,
): Date[] {
  const period = rate.periodMs;
  const anchor = explicitAnchor ?? startDate ?? after;
  // With the anchor taken from StartDate, the first occurrence is at StartDate itself.
  let k = explicitAnchor === undefined && startDate !== undefined ? 0 : 1;
  k = Math.max(k, Math.floor((after - anchor) / period) + 1);
  if (startDate !== undefined) k = Math.max(k, Math.ceil((startDate - anchor) / period));
  const out: Date[] = [];
  for (; out.length < count; k++) {
    const t = anchor + k * period;
    if (t > endDate || t > MAX_INSTANT) break;
    out.push(new Date(t));
  }
  return out;
}

function cronFires(
  cron: CronSchedule,
  zone: TimeZone,
  after: number,
  count: number,
  startDate: number | undefined,
  endDate: number,
): Date[] {
  // Fires are strictly after `lower`: after `after`, and at or after `startDate`.
  const lower = startDate !== undefined && startDate - 1 > after ? startDate - 1 : after;
  const out: Date[] = [];
  // Cron years end with 2199; before 1969-12 the wall clock cannot matter either (and there is
  // no point in asking Intl about such instants).
  if (lower >= CRON_HORIZON_END) return out;
  const wallLower = lower < CRON_HORIZON_START ? lower : zone.wallOf(lower);
  // Wall minutes up to and including wall(lower) map to instants ≤ lower, so start one later.
  let cursor = Math.floor(wallLower / MINUTE_MS) * MINUTE_MS + MINUTE_MS;
  while (out.length < count) {
    const wall = nextCronWall(cron, cursor);
    if (wall === null) break;
    cursor = wall + MINUTE_MS;
    const instant = zone.firstInstantOf(wall);
    // null: the wall time falls into a spring-forward gap and is skipped. ≤ lower: the second
    // pass of a fall-back hour, whose first pass is already behind us.
    if (instant === null || instant <= lower) continue;
    if (instant > endDate) break;
    out.push(new Date(instant));
  }
  return out;
}

function atFires(at: AtSchedule, zone: TimeZone, after: number): Date[] {
  const { year, month, day, hour, minute, second } = at.local;
  const instant = zone.instantReaching(msFromCivil(year, month, day, hour, minute, second));
  return instant > after ? [new Date(instant)] : [];
}
