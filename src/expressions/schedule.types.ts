/**
 * The compiled forms of AWS schedule expressions (`rate()`, `cron()`, `at()`).
 *
 * A parsed schedule is plain data: it can be cached and handed to {@link nextFires} many times.
 */

/** Which AWS service's grammar and error wording applies. */
export const SCHEDULE_DIALECTS = ['rule', 'scheduler'] as const;
/** `rule`: EventBridge rules (rate/cron, UTC). `scheduler`: EventBridge Scheduler (at/rate/cron). */
export type ScheduleDialect = (typeof SCHEDULE_DIALECTS)[number];

/** Units accepted by `rate()`; the singular form goes with the value 1 only. */
export const RATE_UNITS = ['minute', 'minutes', 'hour', 'hours', 'day', 'days'] as const;
export type RateUnit = (typeof RATE_UNITS)[number];

/** `rate(value unit)`: a fixed period, anchored at a chosen instant, never shifted by DST. */
export interface RateSchedule {
  readonly kind: 'rate';
  readonly expression: string;
  readonly value: number;
  readonly unit: RateUnit;
  readonly periodMs: number;
}

/** A local wall-clock date and time, as written inside `at(...)`. */
export interface LocalDateTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

/** `at(yyyy-mm-ddThh:mm:ss)`: one local time in the schedule's time zone. */
export interface AtSchedule {
  readonly kind: 'at';
  readonly expression: string;
  readonly local: LocalDateTime;
}

/**
 * The day rule of a cron expression. Exactly one of the two day fields is `?` ({@link AnyDay});
 * the other one decides which calendar days match.
 */
export type DayRule =
  /** `?` */
  | { readonly type: 'any' }
  /** Day-of-month values (lists, ranges, steps, `*`), 1–31. */
  | { readonly type: 'days'; readonly days: readonly number[] }
  /** Day-of-month `L`: the last day of the month. */
  | { readonly type: 'lastDay' }
  /** Day-of-month `LW`: the last Monday–Friday of the month. */
  | { readonly type: 'lastWeekday' }
  /** Day-of-month `nW`: the Monday–Friday nearest to day n, without leaving the month. */
  | { readonly type: 'nearestWeekday'; readonly day: number }
  /** Day-of-week values 1–7 (1 = Sunday); `*` and a lone `L` (= 7, Saturday) land here too. */
  | { readonly type: 'weekdays'; readonly weekdays: readonly number[] }
  /** Day-of-week `nL`: the last weekday n of the month. */
  | { readonly type: 'lastOfWeekday'; readonly weekday: number }
  /** Day-of-week `d#n`: the n-th weekday d of the month. */
  | { readonly type: 'nthWeekday'; readonly weekday: number; readonly nth: number };

/** The six raw fields of a cron expression, as written. */
export interface CronFieldsText {
  readonly minutes: string;
  readonly hours: string;
  readonly dayOfMonth: string;
  readonly month: string;
  readonly dayOfWeek: string;
  readonly year: string;
}

/** `cron(...)` compiled into sorted allowed-value sets plus next-value lookup tables. */
export interface CronSchedule {
  readonly kind: 'cron';
  readonly expression: string;
  readonly fields: CronFieldsText;
  /** Sorted allowed values. */
  readonly minutes: readonly number[];
  readonly hours: readonly number[];
  readonly months: readonly number[];
  readonly years: readonly number[];
  readonly dayOfMonth: DayRule;
  readonly dayOfWeek: DayRule;
  /** The one day rule that is not `?`. */
  readonly dayRule: Exclude<DayRule, { type: 'any' }>;
  /** `nextMinute[m]` = smallest allowed minute ≥ m, or -1; index 60 is always -1. Same for the rest. */
  readonly nextMinute: readonly number[];
  readonly nextHour: readonly number[];
  readonly nextMonth: readonly number[];
  /** Indexed by year − 1970 (0‥229); holds the next allowed year, or -1. */
  readonly nextYear: readonly number[];
  /** Bit d−1 set when day-of-month d is allowed (only for `days` rules; else 0). */
  readonly dayMask: number;
  /** Bit w−1 set when weekday w (1 = Sunday) is allowed (only for `weekdays` rules; else 0). */
  readonly weekdayMask: number;
  /** False when no allowed month can ever hold a matching day (e.g. `30 FEB`): never fires. */
  readonly satisfiable: boolean;
}

/** Any parsed schedule expression. */
export type ParsedSchedule = RateSchedule | CronSchedule | AtSchedule;
