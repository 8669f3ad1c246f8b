/**
 * A brute-force reference for cron evaluation, written straight from the documented semantics and
 * sharing no code with the engine: it expands the fields with its own little parser (valid input
 * only), then walks UTC minutes one by one, reads each minute's wall-clock time in the zone through
 * `Intl`, checks every field, and drops a wall time that already occurred (the second pass of a
 * fall-back hour). Slow on purpose; keep its windows short.
 */

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

function value(token: string, names: string[] | undefined, min: number): number {
  const i = names === undefined ? -1 : names.indexOf(token.toUpperCase());
  return i >= 0 ? i + min : parseInt(token, 10);
}

/** All values of a list field (assumed valid). */
function expand(text: string, min: number, max: number, names?: string[]): Set<number> {
  const out = new Set<number>();
  for (const item of text.split(',')) {
    const [range = '', stepText] = item.split('/');
    const step = stepText === undefined ? 1 : parseInt(stepText, 10);
    let lo: number;
    let hi: number;
    if (range === '*') {
      lo = min;
      hi = max;
    } else if (range.includes('-')) {
      const [a = '', b = ''] = range.split('-');
      lo = value(a, names, min);
      hi = value(b, names, min);
    } else {
      lo = value(range, names, min);
      hi = stepText === undefined ? lo : max;
    }
    // Walk forward from lo, wrapping past max back to min, until hi is reached.
    let v = lo;
    let i = 0;
    for (;;) {
      if (i % step === 0) out.add(v);
      if (v === hi) break;
      v = v === max ? min : v + 1;
      i++;
    }
  }
  return out;
}

export interface OracleCron {
  matches(year: number, month: number, day: number, hour: number, minute: number): boolean;
  dayMatches(year: number, month: number, day: number): boolean;
  hours: Set<number>;
}

function lastDayOf(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Weekday 1 = Sunday … 7 = Saturday. */
function weekdayOf(year: number, month: number, day: number): number {
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 1;
}

function isWorkday(year: number, month: number, day: number): boolean {
  const w = weekdayOf(year, month, day);
  return w >= 2 && w <= 6;
}

/** Builds a matcher for a valid AWS cron expression. */
export function oracleCron(expression: string): OracleCron {
  const fields = expression.slice(5, -1).split(' ');
  const [mi = '', ho = '', dom = '', mo = '', dow = '', yr = ''] = fields;
  const minutes = expand(mi, 0, 59);
  const hours = expand(ho, 0, 23);
  const months = expand(mo, 1, 12, MONTHS);
  const years = expand(yr, 1970, 2199);
  const domU = dom.toUpperCase();
  const dowU = dow.toUpperCase();
  let dayMatches: (y: number, m: number, d: number) => boolean;
  if (dowU === '?') {
    if (domU === 'L') dayMatches = (y, m, d) => d === lastDayOf(y, m);
    else if (domU === 'LW') {
      dayMatches = (y, m, d) => {
        if (!isWorkday(y, m, d)) return false;
        for (let e = d + 1; e <= lastDayOf(y, m); e++) if (isWorkday(y, m, e)) return false;
        return true;
      };
    } else if (domU.endsWith('W')) {
      const target = parseInt(domU, 10);
      dayMatches = (y, m, d) => {
        const last = lastDayOf(y, m);
        if (target > last || !isWorkday(y, m, d)) return false;
        // The workday of the month closest to the target day.
        let best = -1;
        for (let e = 1; e <= last; e++) {
          if (isWorkday(y, m, e) && (best < 0 || Math.abs(e - target) < Math.abs(best - target))) {
            best = e;
          }
        }
        return d === best;
      };
    } else {
      const days = expand(domU, 1, 31);
      dayMatches = (_y, _m, d) => days.has(d);
    }
  } else if (dowU === 'L') {
    dayMatches = (y, m, d) => weekdayOf(y, m, d) === 7;
  } else if (dowU.endsWith('L')) {
    const w = value(dowU.slice(0, -1), DAYS, 1);
    dayMatches = (y, m, d) => weekdayOf(y, m, d) === w && d + 7 > lastDayOf(y, m);
  } else if (dowU.includes('#')) {
    const [a = '', b = ''] = dowU.split('#');
    const w = value(a, DAYS, 1);
    const n = parseInt(b, 10);
    dayMatches = (y, m, d) => weekdayOf(y, m, d) === w && Math.ceil(d / 7) === n;
  } else {
    const weekdays = expand(dowU, 1, 7, DAYS);
    dayMatches = (y, m, d) => weekdays.has(weekdayOf(y, m, d));
  }
  const dayOk = (y: number, m: number, d: number): boolean =>
    years.has(y) && months.has(m) && dayMatches(y, m, d);
  return {
    hours,
    dayMatches: dayOk,
    matches: (y, m, d, h, min) => minutes.has(min) && hours.has(h) && dayOk(y, m, d),
  };
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** Offset (ms) of a zone at an instant, read directly from Intl. */
export function oracleOffset(zone: string, instant: number): number {
  if (zone === 'UTC') return 0;
  let f = formats.get(zone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formats.set(zone, f);
  }
  const t = Math.floor(instant / 1000) * 1000;
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(t)) p[part.type] = Number(part.value);
  const wall = Date.UTC(
    p.year ?? 0,
    (p.month ?? 1) - 1,
    p.day ?? 1,
    p.hour ?? 0,
    p.minute ?? 0,
    p.second ?? 0,
  );
  return wall - t;
}

const MIN = 60_000;
const HOUR = 3_600_000;

/**
 * Fire instants in (after, until], at most `count`, found by checking every UTC minute (hours
 * whose wall-clock days and hours cannot match are passed over in one go).
 */
export function oracleFires(
  expression: string,
  zone: string,
  after: number,
  until: number,
  count: number,
): number[] {
  const cron = oracleCron(expression);
  const out: number[] = [];
  let t = Math.floor(after / MIN) * MIN + MIN;
  while (t <= until && out.length < count) {
    const blockEnd = Math.min(until, t - (t % HOUR) + HOUR - MIN);
    const oStart = oracleOffset(zone, t);
    const oEnd = oracleOffset(zone, blockEnd);
    if (oStart === oEnd) {
      const a = new Date(t + oStart);
      const b = new Date(blockEnd + oStart);
      const could = (d: Date): boolean =>
        cron.hours.has(d.getUTCHours()) &&
        cron.dayMatches(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
      if (!could(a) && !could(b)) {
        t = blockEnd + MIN;
        continue;
      }
    }
    for (; t <= blockEnd && out.length < count; t += MIN) {
      const off = oStart === oEnd ? oStart : oracleOffset(zone, t);
      const w = new Date(t + off);
      if (
        !cron.matches(
          w.getUTCFullYear(),
          w.getUTCMonth() + 1,
          w.getUTCDate(),
          w.getUTCHours(),
          w.getUTCMinutes(),
        )
      ) {
        continue;
      }
      if (t + off - ((t + off) % MIN) !== t + off) continue; // only whole wall minutes fire
      // A repeat: the same wall time existed earlier under a larger offset (fall-back).
      const earlierOffset = oracleOffset(zone, t - 3 * HOUR);
      if (earlierOffset > off && oracleOffset(zone, t + off - earlierOffset) === earlierOffset) {
        continue;
      }
      out.push(t);
    }
  }
  return out;
}

const transitionCache = new Map<string, number[]>();

/**
 * Instants in a year at which the zone's offset changes, found by scanning Intl offsets every
 * six hours and bisecting to the minute. Used to aim random instants at DST changes.
 */
export function oracleTransitions(zone: string, year: number): number[] {
  const key = `${zone} ${year}`;
  const cached = transitionCache.get(key);
  if (cached !== undefined) return cached;
  const out: number[] = [];
  const end = Date.UTC(year + 1, 0, 1);
  let prev = Date.UTC(year, 0, 1);
  let prevOffset = oracleOffset(zone, prev);
  for (let t = prev + 6 * HOUR; t <= end; t += 6 * HOUR) {
    const o = oracleOffset(zone, t);
    if (o !== prevOffset) {
      let lo = prev;
      let hi = t;
      while (hi - lo > MIN) {
        const mid = lo + Math.floor((hi - lo) / (2 * MIN)) * MIN;
        if (oracleOffset(zone, mid) === prevOffset) lo = mid;
        else hi = mid;
      }
      out.push(hi);
    }
    prev = t;
    prevOffset = o;
  }
  transitionCache.set(key, out);
  return out;
}
