/**
 * Next matching wall-clock minute of a compiled cron expression, by field arithmetic: each step
 * jumps the year, month, day, hour or minute straight to its next allowed value, so sparse and
 * never-firing expressions cost a bounded number of steps (at most a few per allowed month of the
 * remaining years) instead of a scan over minutes.
 */
import { awsWeekday, civilFromMs, daysInMonth, msFromCivil } from './calendar.ts';
import { FIRST_YEAR, LAST_YEAR } from './cron.parse.ts';
import type { CronSchedule } from './schedule.types.ts';

/** Optional work counter, so tests can check that the search stays bounded. */
export interface SearchStats {
  steps: number;
}

/** Smallest allowed day ≥ `from` in the given month, or -1. */
export function nextDayInMonth(
  cron: CronSchedule,
  year: number,
  month: number,
  from: number,
): number {
  const dim = daysInMonth(year, month);
  if (from > dim) return -1;
  const rule = cron.dayRule;
  switch (rule.type) {
    case 'days': {
      // Bits from-1 … dim-1 of the day mask; the lowest set bit is the answer.
      const upto = dim >= 31 ? 0x7fffffff : (1 << dim) - 1;
      const bits = cron.dayMask & upto & ~((1 << (from - 1)) - 1);
      return bits === 0 ? -1 : 32 - Math.clz32(bits & -bits);
    }
    case 'lastDay':
      return dim;
    case 'lastWeekday': {
      const w = awsWeekday(year, month, dim);
      const day = w === 7 ? dim - 1 : w === 1 ? dim - 2 : dim;
      return day >= from ? day : -1;
    }
    case 'nearestWeekday': {
      const target = rule.day;
      if (target > dim) return -1;
      const w = awsWeekday(year, month, target);
      let day = target;
      if (w === 7) day = target === 1 ? 3 : target - 1;
      else if (w === 1) day = target === dim ? target - 2 : target + 1;
      return day >= from ? day : -1;
    }
    case 'weekdays': {
      const w = awsWeekday(year, month, from) - 1;
      const mask = cron.weekdayMask;
      for (let i = 0; i < 7 && from + i <= dim; i++) {
        if ((mask >> ((w + i) % 7)) & 1) return from + i;
      }
      return -1;
    }
    case 'lastOfWeekday': {
      const wLast = awsWeekday(year, month, dim);
      const day = dim - ((wLast - rule.weekday + 7) % 7);
      return day >= from ? day : -1;
    }
    case 'nthWeekday': {
      const wFirst = awsWeekday(year, month, 1);
      const day = 1 + ((rule.weekday - wFirst + 7) % 7) + 7 * (rule.nth - 1);
      return day <= dim && day >= from ? day : -1;
    }
  }
}

/**
 * The earliest wall-clock minute ≥ `fromWall` (ms, wall time read as UTC; rounded up to a whole
 * minute) that matches `cron`, or `null` when none exists up to the end of 2199.
 */
export function nextCronWall(
  cron: CronSchedule,
  fromWall: number,
  stats?: SearchStats,
): number | null {
  if (!cron.satisfiable) return null;
  const start = civilFromMs(Math.ceil(fromWall / 60_000) * 60_000);
  let { year, month, day, hour, minute } = start;
  if (year < FIRST_YEAR) {
    year = FIRST_YEAR;
    month = 1;
    day = 1;
    hour = 0;
    minute = 0;
  }
  const { nextYear, nextMonth, nextHour, nextMinute } = cron;
  for (;;) {
    if (stats !== undefined) stats.steps++;
    if (year > LAST_YEAR) return null;
    const y = nextYear[year - FIRST_YEAR] as number;
    if (y < 0) return null;
    if (y !== year) {
      year = y;
      month = 1;
      day = 1;
      hour = 0;
      minute = 0;
    }
    const mo = nextMonth[month] as number;
    if (mo < 0) {
      year++;
      month = 1;
      day = 1;
      hour = 0;
      minute = 0;
      continue;
    }
    if (mo !== month) {
      month = mo;
      day = 1;
      hour = 0;
      minute = 0;
    }
    const d = nextDayInMonth(cron, year, month, day);
    if (d < 0) {
      month++;
      day = 1;
      hour = 0;
      minute = 0;
      continue;
    }
    if (d !== day) {
      day = d;
      hour = 0;
      minute = 0;
    }
    const h = nextHour[hour] as number;
    if (h < 0) {
      day++;
      hour = 0;
      minute = 0;
      continue;
    }
    if (h !== hour) {
      hour = h;
      minute = 0;
    }
    const m = nextMinute[minute] as number;
    if (m < 0) {
      hour++;
      minute = 0;
      continue;
    }
    return msFromCivil(year, month, day, hour, m);
  }
}
