/**
 * Pure slot arithmetic for the loop: the next slot after an instant, and the slots inside a range
 * (for missed-slot bookkeeping), without ever materialising more than a bounded list.
 */
import { MAX_FIRES, nextFires } from '../schedules/index.ts';
import type { ParsedSchedule } from '../schedules/index.ts';

/** The first slot strictly after `afterMs`, or undefined when the schedule has no more. */
export function nextSlot(
  schedule: ParsedSchedule,
  anchorMs: number,
  afterMs: number,
): number | undefined {
  const [next] = nextFires(schedule, { after: afterMs, anchor: anchorMs });
  return next?.getTime();
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
  afterMs: number,
  untilMs: number,
  limit: number,
): SlotRange {
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
    const batch = nextFires(schedule, { after: cursor, anchor: anchorMs, count: size });
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
