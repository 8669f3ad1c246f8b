/**
 * Slot arithmetic for the loop: the next slot after an instant, and the slots inside a range
 * (for missed-slot bookkeeping), without ever materialising more than a bounded list.
 *
 * `nextSlot` runs once per rule at start-up and once per fired slot, so it avoids `nextFires`'
 * option checks and `Date` objects: `rate()` is plain arithmetic (the same as `nextFires` with an
 * anchor, checked against it by the tests), and `cron()` answers come from a small memo per
 * schedule ({@link NextSlotMemo}), because many rules share one expression and ask about the
 * same instants (all of them fired at 10:05, all want the slot after 10:05).
 */
import { MAX_FIRES, nextFires, parseScheduleExpression } from '../expressions/index.ts';
import type { ParsedSchedule } from '../expressions/index.ts';
import type { ScheduledThing } from './firing.ports.ts';

/** Latest instant a JavaScript `Date` can hold; `nextFires` never returns a later one. */
const MAX_INSTANT = 8.64e15;

/**
 * The first slot strictly after `afterMs`, or undefined when the schedule has no more. `cron()`
 * and `at()` run on the wall clock of `timezone`; no slot lies before `startMs` or after `endMs`
 * (both inclusive bounds; a memo is only shared between rules of the same zone).
 */
export function nextSlot(
  schedule: ParsedSchedule,
  anchorMs: number,
  afterMs: number,
  memo?: NextSlotMemo,
  timezone = 'UTC',
  startMs = -Infinity,
  endMs = Infinity,
): number | undefined {
  // Nothing before the start: ask from just before it (the start itself may be a slot).
  const from = Math.max(afterMs, startMs - 1);
  const t = unboundedNextSlot(schedule, anchorMs, from, memo, timezone);
  return t === undefined || t > endMs ? undefined : t;
}

function unboundedNextSlot(
  schedule: ParsedSchedule,
  anchorMs: number,
  afterMs: number,
  memo: NextSlotMemo | undefined,
  timezone: string,
): number | undefined {
  if (schedule.kind === 'rate') {
    // anchor + k·period with k ≥ 1, as nextFires computes it for an explicit anchor.
    const p = schedule.periodMs;
    const k = Math.max(1, Math.floor((afterMs - anchorMs) / p) + 1);
    const t = anchorMs + k * p;
    return t > MAX_INSTANT ? undefined : t;
  }
  // cron() and at() do not depend on the anchor, so answers can be shared between rules.
  const known = memo?.lookup(afterMs);
  if (known !== undefined) return known === NONE ? undefined : known;
  const [next] = nextFires(schedule, { after: afterMs, anchor: anchorMs, timezone });
  const t = next?.getTime();
  memo?.remember(afterMs, t ?? NONE);
  return t;
}

/**
 * Whether `nominalMs` is a slot of the schedule anchored at `anchorMs` (slots at or before the
 * anchor never belonged to it). A slot claimed ahead, or claimed before a restart, is checked
 * against the rule as it is at delivery: an expression changed meanwhile voids it.
 */
export function isSlotOf(
  schedule: ParsedSchedule,
  anchorMs: number,
  nominalMs: number,
  timezone = 'UTC',
  startMs = -Infinity,
  endMs = Infinity,
): boolean {
  return (
    nominalMs > anchorMs &&
    nextSlot(schedule, anchorMs, nominalMs - 1, undefined, timezone, startMs, endMs) === nominalMs
  );
}

/**
 * Whether the thing, as it is now, still has this slot: its expression read in its own dialect,
 * zone and start/end. A slot claimed ahead (or before a restart) and then overtaken by an edit
 * with another expression is not delivered: the edit takes effect at once.
 */
export function isScheduledSlot(thing: ScheduledThing, nominalMs: number): boolean {
  try {
    const schedule = parseScheduleExpression(thing.expression, thing.dialect);
    return isSlotOf(
      schedule,
      thing.anchorMs,
      nominalMs,
      thing.timezone,
      thing.startMs ?? -Infinity,
      thing.endMs ?? Infinity,
    );
  } catch {
    // A stored expression the parser refuses (a future grammar change, a zone gone): no slot.
    return false;
  }
}

/** Stands for "no slot after this" inside the memo. */
const NONE = Infinity;
const MEMO_ENTRIES = 4;

/**
 * Remembers a few answers of one anchor-free schedule: "the first slot after `a` is `r`". Any
 * instant `q` with `a ≤ q < r` has the same answer, since no slot lies in `(a, r)`.
 */
export class NextSlotMemo {
  readonly #after = new Float64Array(MEMO_ENTRIES).fill(NaN);
  readonly #next = new Float64Array(MEMO_ENTRIES).fill(NaN);
  #victim = 0;

  /** The remembered answer for `afterMs` (Infinity: none), or undefined when unknown. */
  lookup(afterMs: number): number | undefined {
    for (let i = 0; i < MEMO_ENTRIES; i++) {
      if (this.#after[i]! <= afterMs && afterMs < this.#next[i]!) return this.#next[i];
    }
    return undefined;
  }

  remember(afterMs: number, nextMs: number): void {
    this.#after[this.#victim] = afterMs;
    this.#next[this.#victim] = nextMs;
    this.#victim = (this.#victim + 1) % MEMO_ENTRIES;
  }
}

/** Slots in `(afterMs, untilMs]`: the first `limit` of them, how many in all, and the last. */
export interface SlotRange {
  first: number[];
  count: number;
  lastMs: number | undefined;
}

export function slotsBetween(
  schedule: ParsedSchedule,
  anchorMs: number,
  rangeAfterMs: number,
  rangeUntilMs: number,
  limit: number,
  timezone = 'UTC',
  startMs = -Infinity,
  endMs = Infinity,
): SlotRange {
  // The schedule's own start and end narrow the range (both bounds inclusive).
  const afterMs = Math.max(rangeAfterMs, startMs - 1);
  const untilMs = Math.min(rangeUntilMs, endMs);
  if (untilMs <= afterMs) return { first: [], count: 0, lastMs: undefined };
  if (schedule.kind === 'rate') {
    // anchor + k·period with k ≥ 1: counted in O(1), however long the range.
    const p = schedule.periodMs;
    const k0 = Math.max(1, Math.floor((afterMs - anchorMs) / p) + 1);
    const k1 = Math.floor((untilMs - anchorMs) / p);
    const count = Math.max(0, k1 - k0 + 1);
    const first: number[] = [];
    for (let k = k0; k <= k1 && first.length < limit; k++) first.push(anchorMs + k * p);
    return { first, count, lastMs: count > 0 ? anchorMs + k1 * p : undefined };
  }
  // cron/at: walk forward in batches (a cron fires at most once a minute, so a year is ~500k).
  const first: number[] = [];
  let count = 0;
  let lastMs: number | undefined;
  let cursor = afterMs;
  // Small first batch (ranges are usually a slot or two), doubling for long outages.
  let size = 4;
  for (;;) {
    const batch = nextFires(schedule, { after: cursor, anchor: anchorMs, count: size, timezone });
    let done = batch.length < size;
    size = Math.min(MAX_FIRES, size * 2);
    for (const d of batch) {
      const t = d.getTime();
      if (t > untilMs) {
        done = true;
        break;
      }
      if (first.length < limit) first.push(t);
      count++;
      lastMs = t;
      cursor = t;
    }
    if (done) break;
  }
  return { first, count, lastMs };
}
