/** The pure schedule-expression engine: parse AWS `rate()`/`cron()`/`at()` and compute fire times. */
export type {
  AtSchedule,
  CronSchedule,
  DayRule,
  LocalDateTime,
  ParsedSchedule,
  RateSchedule,
  RateUnit,
  ScheduleDialect,
} from './schedule.types.ts';
export { RATE_UNITS, SCHEDULE_DIALECTS } from './schedule.types.ts';
export { InvalidTimezoneError, ScheduleExpressionError } from './schedule.errors.ts';
export { parseScheduleExpression } from './schedule-expression.parse.ts';
export { MAX_FIRES, nextFires } from './next-fires.ts';
export type { NextFiresOptions } from './next-fires.ts';
export { isValidTimezone } from './time-zone.ts';
