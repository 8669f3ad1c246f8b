/**
 * IANA time zones as offset tables built from `Intl`, so that wall-clock ↔ instant conversions in
 * the cron engine cost a couple of array reads instead of an `Intl` call each.
 *
 * For each UTC calendar year a zone is asked for, we sample its offset once per day and bisect
 * every change down to the second. This finds every transition unless two of them fall within the
 * same 24 hours, which no zone has done since 1970 in a way that matters for a minute scheduler.
 * The tables are cached per zone for the life of the process (at most 231 years × a few entries).
 */
import { DAY_MS, msFromCivil, civilFromMs } from './calendar.ts';
import { InvalidTimezoneError } from './schedule.errors.ts';

/** One offset change: from `before` to `after` (ms to add to an instant to get wall time) at `at`. */
export interface OffsetTransition {
  readonly at: number;
  readonly before: number;
  readonly after: number;
}

interface YearSegment {
  readonly start: number;
  readonly end: number;
  /** Instants (ascending) where the offset changes inside [start, end). */
  readonly transitions: number[];
  /** `offsets[i]` holds before `transitions[i]`; the last one holds until `end`. */
  readonly offsets: number[];
}

/** A time zone able to map instants to wall-clock time and back. */
export class TimeZone {
  /** Canonical IANA name as `Intl` reports it. */
  readonly name: string;
  /** True for UTC and its aliases: conversions are the identity. */
  readonly isUtc: boolean;
  private readonly format: Intl.DateTimeFormat;
  private readonly years = new Map<number, YearSegment>();
  private last: YearSegment | undefined;

  constructor(format: Intl.DateTimeFormat) {
    this.format = format;
    this.name = format.resolvedOptions().timeZone;
    this.isUtc = UTC_NAMES.has(this.name);
  }

  /** Milliseconds to add to `instant` to get its wall-clock time in this zone. */
  offsetAt(instant: number): number {
    if (this.isUtc) return 0;
    let seg = this.last;
    if (seg === undefined || instant < seg.start || instant >= seg.end) {
      seg = this.segmentFor(civilFromMs(instant).year);
      this.last = seg;
    }
    const { transitions, offsets } = seg;
    let i = 0;
    while (i < transitions.length && instant >= (transitions[i] as number)) i++;
    return offsets[i] as number;
  }

  /** Wall-clock time (as ms read as UTC) of an instant. */
  wallOf(instant: number): number {
    return instant + this.offsetAt(instant);
  }

  /**
   * The earliest instant whose wall-clock time is `wall`, or `null` when the wall time does not
   * exist (it falls into a spring-forward gap). A repeated wall time (fall-back) gives the first.
   */
  firstInstantOf(wall: number): number | null {
    if (this.isUtc) return wall;
    // Any solution lies within ±14 h of `wall`; the offsets a day either side cover the offsets
    // in force before and after any transition near it.
    const o1 = this.offsetAt(wall - DAY_MS);
    const o2 = this.offsetAt(wall + DAY_MS);
    let best: number | null = null;
    if (this.offsetAt(wall - o1) === o1) best = wall - o1;
    if (o2 !== o1 && this.offsetAt(wall - o2) === o2) {
      const t = wall - o2;
      if (best === null || t < best) best = t;
    }
    return best;
  }

  /**
   * The first instant at which this zone's wall clock reaches or passes `wall`: the instant itself
   * when it exists, else (inside a spring-forward gap) the moment the clock jumps over it.
   */
  instantReaching(wall: number): number {
    const exact = this.firstInstantOf(wall);
    if (exact !== null) return exact;
    for (const tr of this.transitionsBetween(wall - 2 * DAY_MS, wall + 2 * DAY_MS)) {
      if (tr.after > tr.before && tr.at + tr.before <= wall && wall < tr.at + tr.after) {
        return tr.at;
      }
    }
    // Unreachable for real zones; fall back to the later offset.
    return wall - this.offsetAt(wall + DAY_MS);
  }

  /** Offset changes with `from <= at < to`, ascending. */
  transitionsBetween(from: number, to: number): OffsetTransition[] {
    const out: OffsetTransition[] = [];
    if (this.isUtc) return out;
    const firstYear = civilFromMs(from).year;
    const lastYear = civilFromMs(to).year;
    for (let y = firstYear; y <= lastYear; y++) {
      const seg = this.segmentFor(y);
      seg.transitions.forEach((at, i) => {
        if (at >= from && at < to) {
          out.push({ at, before: seg.offsets[i] as number, after: seg.offsets[i + 1] as number });
        }
      });
    }
    return out;
  }

  private segmentFor(year: number): YearSegment {
    const cached = this.years.get(year);
    if (cached !== undefined) return cached;
    const start = msFromCivil(year, 1, 1, 0, 0);
    const end = msFromCivil(year + 1, 1, 1, 0, 0);
    const transitions: number[] = [];
    const offsets: number[] = [];
    let prevT = start;
    let prevO = this.intlOffset(start);
    offsets.push(prevO);
    for (let t = start + DAY_MS; t <= end; t += DAY_MS) {
      const o = this.intlOffset(t);
      if (o === prevO) {
        prevT = t;
        continue;
      }
      // Bisect (prevT, t] to the first whole second with the new offset.
      let lo = prevT;
      let hi = t;
      while (hi - lo > 1000) {
        const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
        if (this.intlOffset(mid) === prevO) lo = mid;
        else hi = mid;
      }
      const at = hi;
      const after = this.intlOffset(at);
      if (at < end) {
        transitions.push(at);
        offsets.push(after);
      }
      prevT = t;
      prevO = o;
    }
    const seg: YearSegment = { start, end, transitions, offsets };
    this.years.set(year, seg);
    return seg;
  }

  /** The zone's offset at an instant, straight from `Intl` (second precision). */
  private intlOffset(instant: number): number {
    const t = Math.floor(instant / 1000) * 1000;
    let y = 0;
    let mo = 0;
    let d = 0;
    let h = 0;
    let mi = 0;
    let s = 0;
    let bc = false;
    for (const part of this.format.formatToParts(t)) {
      switch (part.type) {
        case 'year':
          y = Number(part.value);
          break;
        case 'month':
          mo = Number(part.value);
          break;
        case 'day':
          d = Number(part.value);
          break;
        case 'hour':
          h = Number(part.value);
          break;
        case 'minute':
          mi = Number(part.value);
          break;
        case 'second':
          s = Number(part.value);
          break;
        case 'era':
          bc = part.value.startsWith('B');
          break;
        default:
          break;
      }
    }
    // Intl counts years before 1 AD as 1 BC, 2 BC, …; astronomical years are 0, -1, ….
    return msFromCivil(bc ? 1 - y : y, mo, d, h, mi, s) - t;
  }
}

const UTC_NAMES = new Set([
  'UTC',
  'Etc/UTC',
  'Etc/GMT',
  'GMT',
  'Etc/Universal',
  'Etc/Zulu',
  'Etc/UCT',
]);

/** What an IANA name can look like; keeps `Intl` from accepting offsets such as `+01:00`. */
const IANA_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+)*$/;

const zones = new Map<string, TimeZone>();

function makeFormat(name: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('en-US', {
    timeZone: name,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
    era: 'short',
  });
}

/**
 * The {@link TimeZone} for an IANA name (cached). Throws {@link InvalidTimezoneError} for names
 * that are not zones. `ScheduleExpressionTimezone` is limited to 1–50 characters by AWS's model.
 */
export function getTimeZone(name: string): TimeZone {
  const cached = zones.get(name);
  if (cached !== undefined) return cached;
  if (typeof name !== 'string' || name.length < 1 || name.length > 50) {
    throw new InvalidTimezoneError(String(name), 'a time zone name has 1 to 50 characters');
  }
  if (!IANA_NAME.test(name)) {
    throw new InvalidTimezoneError(
      name,
      `'${name}' is not an IANA time zone name such as Europe/Berlin`,
    );
  }
  let format: Intl.DateTimeFormat;
  try {
    format = makeFormat(name);
  } catch {
    throw new InvalidTimezoneError(name, `'${name}' is not a known IANA time zone`);
  }
  const zone = new TimeZone(format);
  zones.set(name, zone);
  return zone;
}

/** True when {@link getTimeZone} accepts the name. */
export function isValidTimezone(name: string): boolean {
  try {
    getTimeZone(name);
    return true;
  } catch {
    return false;
  }
}
