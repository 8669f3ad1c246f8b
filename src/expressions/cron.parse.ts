/**
 * Parses and compiles AWS `cron(Minutes Hours Day-of-month Month Day-of-week Year)`.
 *
 * Choices on points the AWS reference leaves unconfirmed (AWS's cron follows Quartz, so where the
 * docs are silent we follow Quartz):
 * - Month and day names are case-insensitive (`jan`, `Fri`), as is `L`/`W`; Quartz upper-cases
 *   the whole expression before parsing. The `cron(` wrapper itself is case-sensitive.
 * - Numbers may carry leading zeros (`cron(05 08 ...)`), read as decimal.
 * - `/` is accepted in day-of-week (`2/2`, every third day from `*`): Quartz supports it and translated AWS docs
 *   list it; the English table does not.
 * - A wrapping range may carry a step (`20-2/2` = 20,22,0,2): the count continues across the wrap,
 *   as in Quartz. The year field does not wrap (`2005-2002` is invalid).
 * - A step must be 1 … the field's span (60 for minutes, 24 hours, 31, 12, 7, 230 years).
 * - `L`, `LW`, `nW` (day-of-month) and `L`, `nL`, `d#n` (day-of-week) stand alone in their
 *   field; `nW` only takes a single day. `nW` for a day the month does not have (31W in
 *   April) does not fire that month. A lone `L` in day-of-week means Saturday (7).
 * - Both day fields `?` is invalid.
 */
import { maxDaysInMonth } from './calendar.ts';
import type { CronFieldsText, CronSchedule, DayRule } from './schedule.types.ts';

/** Outcome of parsing `cron(...)`: the schedule, or the reason it is invalid. */
export type CronParseResult = { ok: true; value: CronSchedule } | { ok: false; hint: string };

interface FieldSpec {
  readonly label: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
  readonly wraps: boolean;
}

const MONTH_NAMES = [
  'JAN',
  'FEB',
  'MAR',
  'APR',
  'MAY',
  'JUN',
  'JUL',
  'AUG',
  'SEP',
  'OCT',
  'NOV',
  'DEC',
] as const;
const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as const;

const MINUTES: FieldSpec = { label: 'minutes', min: 0, max: 59, wraps: true };
const HOURS: FieldSpec = { label: 'hours', min: 0, max: 23, wraps: true };
const DAY_OF_MONTH: FieldSpec = { label: 'day-of-month', min: 1, max: 31, wraps: true };
const MONTH: FieldSpec = { label: 'month', min: 1, max: 12, names: MONTH_NAMES, wraps: true };
const DAY_OF_WEEK: FieldSpec = {
  label: 'day-of-week',
  min: 1,
  max: 7,
  names: DAY_NAMES,
  wraps: true,
};
const YEAR: FieldSpec = { label: 'year', min: 1970, max: 2199, wraps: false };

export const FIRST_YEAR = YEAR.min;
export const LAST_YEAR = YEAR.max;

/** Thrown inside this module only; turned into a hint by {@link parseCron}. */
class FieldError extends Error {}

function fail(spec: FieldSpec, reason: string): never {
  throw new FieldError(`${spec.label} field: ${reason}`);
}

function parseValue(token: string, spec: FieldSpec): number {
  if (token === '') fail(spec, 'a value is missing');
  if (/^[0-9]+$/.test(token)) {
    const value = token.length > 6 ? Infinity : Number(token);
    if (value < spec.min || value > spec.max) {
      fail(spec, `${token} is outside ${spec.min}-${spec.max}`);
    }
    return value;
  }
  if (spec.names !== undefined && /^[A-Z]+$/.test(token)) {
    const index = spec.names.indexOf(token);
    if (index < 0) {
      fail(
        spec,
        `'${token}' is not a ${spec === MONTH ? 'month' : 'day'} name (${spec.names[0]}-${spec.names.at(-1)})`,
      );
    }
    return spec.min + index;
  }
  fail(spec, `'${token}' is not a number${spec.names === undefined ? '' : ' or name'}`);
}

/** Expands a list of `*`, `a`, `a-b`, `a/s`, `a-b/s` items (and `*` with a step) into sorted values. */
function parseList(text: string, spec: FieldSpec): readonly number[] {
  if (text === '*') return allValues(spec);
  const span = spec.max - spec.min + 1;
  const seen = new Uint8Array(span);
  for (const item of text.split(',')) {
    if (item === '') fail(spec, 'a list item is empty');
    const slash = item.split('/');
    if (slash.length > 2) fail(spec, `'${item}' has more than one '/'`);
    const [rangeText, stepText] = slash as [string, string | undefined];
    let step = 1;
    if (stepText !== undefined) {
      if (!/^[0-9]+$/.test(stepText)) fail(spec, `step '${stepText}' in '${item}' is not a number`);
      step = stepText.length > 6 ? Infinity : Number(stepText);
      if (step < 1 || step > span) fail(spec, `step ${stepText} in '${item}' is outside 1-${span}`);
    }
    let start: number;
    let end: number;
    if (rangeText === '*') {
      start = spec.min;
      end = spec.max;
    } else {
      const dash = rangeText.split('-');
      if (dash.length > 2) fail(spec, `'${item}' is not a valid range`);
      start = parseValue(dash[0] as string, spec);
      if (dash.length === 2) {
        end = parseValue(dash[1] as string, spec);
        if (end < start && !spec.wraps) fail(spec, `range '${rangeText}' runs backwards`);
      } else {
        end = stepText === undefined ? start : spec.max;
      }
    }
    // Walk the cycle from start to end (wrapping past max when end < start), every step-th value.
    const length = ((end - start + span) % span) + 1;
    for (let i = 0; i < length; i += step) seen[(start - spec.min + i) % span] = 1;
  }
  const values: number[] = [];
  for (let i = 0; i < span; i++) if (seen[i] === 1) values.push(spec.min + i);
  return values.length === span ? allValues(spec) : values;
}

/** Every value of a field; one shared frozen array per field, so `*` costs nothing to compile. */
const ALL_VALUES = new Map<FieldSpec, readonly number[]>();
function allValues(spec: FieldSpec): readonly number[] {
  let values = ALL_VALUES.get(spec);
  if (values === undefined) {
    values = Object.freeze(Array.from({ length: spec.max - spec.min + 1 }, (_, i) => spec.min + i));
    ALL_VALUES.set(spec, values);
  }
  return values;
}

function checkCharacters(text: string, spec: FieldSpec, allowed: RegExp): void {
  const bad = [...text].find((ch) => !allowed.test(ch));
  if (bad !== undefined) fail(spec, `character '${bad}' is not allowed here`);
}

function parseDayOfMonth(text: string): DayRule {
  if (text === '?') return { type: 'any' };
  if (text === 'L') return { type: 'lastDay' };
  if (text === 'LW') return { type: 'lastWeekday' };
  const w = /^([0-9]+)W$/.exec(text);
  if (w !== null) return { type: 'nearestWeekday', day: parseValue(w[1] as string, DAY_OF_MONTH) };
  if (/[LW?]/.test(text)) {
    fail(DAY_OF_MONTH, "'?', 'L', 'LW' and 'nW' must stand alone (nW takes one day, e.g. 15W)");
  }
  checkCharacters(text, DAY_OF_MONTH, /[0-9,\-*/]/);
  return { type: 'days', days: parseList(text, DAY_OF_MONTH) };
}

function parseDayOfWeek(text: string): DayRule {
  if (text === '?') return { type: 'any' };
  if (text === 'L') return { type: 'weekdays', weekdays: [7] };
  const last = /^([0-9]+|[A-Z]{3})L$/.exec(text);
  if (last !== null) {
    return { type: 'lastOfWeekday', weekday: parseValue(last[1] as string, DAY_OF_WEEK) };
  }
  const nth = /^([0-9]+|[A-Z]{3})#([0-9]+)$/.exec(text);
  if (nth !== null) {
    const weekday = parseValue(nth[1] as string, DAY_OF_WEEK);
    const n = (nth[2] as string).length > 2 ? Infinity : Number(nth[2]);
    if (n < 1 || n > 5) fail(DAY_OF_WEEK, `'#${nth[2]}' must be #1 to #5`);
    return { type: 'nthWeekday', weekday, nth: n };
  }
  if (text.includes('#')) fail(DAY_OF_WEEK, "'d#n' must be the only value in the field, e.g. 6#3");
  // No day name contains an L, so any L left over is an `L`/`nL` mixed with other values.
  if (text.includes('L')) {
    fail(DAY_OF_WEEK, "'L' and 'nL' must be the only value in the field, e.g. 6L");
  }
  if (text.includes('?')) fail(DAY_OF_WEEK, "'?' must stand alone");
  checkCharacters(text, DAY_OF_WEEK, /[0-9A-Z,\-*/]/);
  return { type: 'weekdays', weekdays: parseList(text, DAY_OF_WEEK) };
}

function parseNumericField(text: string, spec: FieldSpec): readonly number[] {
  if (text.includes('?')) fail(spec, "'?' is only allowed in day-of-month or day-of-week");
  checkCharacters(text, spec, spec.names === undefined ? /[0-9,\-*/]/ : /[0-9A-Z,\-*/]/);
  return parseList(text, spec);
}

/**
 * `table[v]` = smallest allowed value ≥ v + offset (or -1), for v in 0..size-1. Tables of `*`
 * fields are built once and shared (they are never written after construction).
 */
function nextTable(size: number, values: readonly number[], offset = 0): readonly number[] {
  const full = FULL_TABLES.get(values);
  if (full !== undefined && full.length === size) return full;
  const table = new Array<number>(size).fill(-1);
  let i = values.length - 1;
  let next = -1;
  for (let v = size - 1; v >= 0; v--) {
    while (i >= 0 && (values[i] as number) > v + offset) i--;
    if (i >= 0 && values[i] === v + offset) next = v + offset;
    table[v] = next;
  }
  if (
    values === ALL_VALUES.get(MINUTES) ||
    values === ALL_VALUES.get(HOURS) ||
    values === ALL_VALUES.get(MONTH) ||
    values === ALL_VALUES.get(YEAR)
  ) {
    FULL_TABLES.set(values, Object.freeze(table));
  }
  return table;
}
const FULL_TABLES = new Map<readonly number[], readonly number[]>();

function compile(expression: string, fields: CronFieldsText): CronSchedule {
  const minutes = parseNumericField(fields.minutes, MINUTES);
  const hours = parseNumericField(fields.hours, HOURS);
  const dayOfMonth = parseDayOfMonth(fields.dayOfMonth.toUpperCase());
  const months = parseNumericField(fields.month.toUpperCase(), MONTH);
  const dayOfWeek = parseDayOfWeek(fields.dayOfWeek.toUpperCase());
  const years = parseNumericField(fields.year, YEAR);

  const domAny = dayOfMonth.type === 'any';
  const dowAny = dayOfWeek.type === 'any';
  if (domAny === dowAny) {
    throw new FieldError(
      `day-of-month and day-of-week: exactly one must be '?' (${domAny ? 'both are' : 'neither is'})`,
    );
  }
  const dayRule = (domAny ? dayOfWeek : dayOfMonth) as Exclude<DayRule, { type: 'any' }>;

  let dayMask = 0;
  let weekdayMask = 0;
  if (dayRule.type === 'days') for (const d of dayRule.days) dayMask |= 1 << (d - 1);
  if (dayRule.type === 'weekdays') for (const w of dayRule.weekdays) weekdayMask |= 1 << (w - 1);

  // A day-of-month rule can rule out every allowed month for good (`30 FEB`, `31 APR,JUN`).
  let longest = 0;
  for (const m of months) longest = Math.max(longest, maxDaysInMonth(m));
  let satisfiable = true;
  if (dayRule.type === 'days') satisfiable = (dayRule.days[0] as number) <= longest;
  if (dayRule.type === 'nearestWeekday') satisfiable = dayRule.day <= longest;

  return {
    kind: 'cron',
    expression,
    fields,
    minutes,
    hours,
    months,
    years,
    dayOfMonth,
    dayOfWeek,
    dayRule,
    nextMinute: nextTable(61, minutes),
    nextHour: nextTable(25, hours),
    nextMonth: nextTable(14, months),
    nextYear: nextTable(LAST_YEAR - FIRST_YEAR + 1, years, FIRST_YEAR),
    dayMask,
    weekdayMask,
    satisfiable,
  };
}

/** Parses `cron(...)` with exactly six fields separated by single spaces. */
export function parseCron(expression: string): CronParseResult {
  if (!expression.startsWith('cron(') || !expression.endsWith(')')) {
    return {
      ok: false,
      hint: "cron: expected 'cron(Minutes Hours Day-of-month Month Day-of-week Year)'",
    };
  }
  const inner = expression.slice('cron('.length, -1);
  const parts = inner.split(' ');
  if (inner !== '' && parts.includes('')) {
    return {
      ok: false,
      hint: 'cron: fields must be separated by exactly one space, with none before or after',
    };
  }
  if (parts.length !== 6) {
    const found = inner === '' ? 0 : parts.length;
    return {
      ok: false,
      hint: `cron: expected 6 fields separated by single spaces, found ${found}`,
    };
  }
  const [minutes, hours, dayOfMonth, month, dayOfWeek, year] = parts as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  try {
    return {
      ok: true,
      value: compile(expression, { minutes, hours, dayOfMonth, month, dayOfWeek, year }),
    };
  } catch (error) {
    if (error instanceof FieldError) return { ok: false, hint: error.message };
    throw error;
  }
}
