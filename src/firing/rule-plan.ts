/**
 * What one due rule writes in a tick: which of its slots up to `horizon` fire, which are recorded
 * MISSED (beyond the lateness window), and where its floor moves. `horizon` is `now` plus the
 * claim-ahead window: slots after `now` are claimed now and handed over at their nominal time.
 * Reads the rule table, changes nothing; the loop commits the records and then moves the floor.
 */
import type { SlotRecord } from './fire-records.store.ts';
import type { CatchUpPolicy } from './firing.types.ts';
import type { RuleTable } from './rule-table.ts';

/** Most slots of one rule fired in a single tick (a window of a few minutes holds far fewer). */
const MAX_FIRES_PER_TICK = 1_000;

export interface PlanPolicy {
  maxLatenessMs: number;
  catchUp: CatchUpPolicy;
  missedDetailLimit: number;
}

export interface RulePlan {
  slot: number;
  ruleArn: string;
  records: SlotRecord[];
  newFloor: number;
  /** The first slot after `newFloor` when the plan already knows it. */
  next?: { ms: number | undefined };
  missed: { firstMs: number; lastMs: number; count: number } | undefined;
}

function fireRecord(id: string, ruleArn: string, nominalMs: number, now: number): SlotRecord {
  return {
    id,
    ruleArn,
    nominalMs,
    firstNominalMs: nominalMs,
    slotCount: 1,
    status: 'FIRING',
    // When the loop hands the slot over: now, or its nominal time when claimed ahead.
    firedAtMs: Math.max(now, nominalMs),
    reason: null,
  };
}

/** A MISSED row: one slot, or (a summary) `count` slots from `firstMs` to `lastMs`. */
function missedRecord(
  id: string,
  ruleArn: string,
  firstMs: number,
  lastMs: number,
  count: number,
  reason: string,
): SlotRecord {
  return {
    id,
    ruleArn,
    nominalMs: lastMs,
    firstNominalMs: firstMs,
    slotCount: count,
    status: 'MISSED',
    firedAtMs: null,
    reason,
  };
}

export function planRule(
  table: RuleTable,
  slot: number,
  now: number,
  horizon: number,
  policy: PlanPolicy,
  newId: () => string,
): RulePlan {
  const ruleArn = table.arn(slot);
  const floor = table.floor(slot);
  // Slots strictly before `cutoff` are too late to fire.
  const cutoff = now - policy.maxLatenessMs;
  const due = table.next(slot);
  // The common case, one slot due and on time: a single lookup, which the re-push reuses.
  if (due !== undefined && due > floor && due > cutoff - 1 && due <= horizon) {
    const after = table.slotAfter(slot, due);
    if (after === undefined || after > horizon) {
      return {
        slot,
        ruleArn,
        records: [fireRecord(newId(), ruleArn, due, now)],
        newFloor: due,
        next: { ms: after },
        missed: undefined,
      };
    }
  }
  return planSlow(table, slot, ruleArn, now, horizon, cutoff, policy, newId);
}

/** Several slots due, or some beyond the lateness window (downtime, clock jumps, stalls). */
function planSlow(
  table: RuleTable,
  slot: number,
  ruleArn: string,
  now: number,
  horizon: number,
  cutoff: number,
  policy: PlanPolicy,
  newId: () => string,
): RulePlan {
  const floor = table.floor(slot);
  const limit = policy.missedDetailLimit;
  let late = table.slotsBetween(slot, floor, cutoff - 1, limit);
  let fire = table.slotsBetween(
    slot,
    Math.max(floor, cutoff - 1),
    horizon,
    MAX_FIRES_PER_TICK,
  ).first;
  const firesNow = fire.length > 0 && fire[0]! <= now;
  if (policy.catchUp === 'latest' && !firesNow && late.lastMs !== undefined) {
    // Catch up once: fire the most recent missed slot, record the older ones missed.
    fire = [late.lastMs, ...fire];
    late = table.slotsBetween(slot, floor, late.lastMs - 1, limit);
  }
  const records: SlotRecord[] = [];
  let firstMissedMs = late.first[0];
  for (const nominalMs of late.first) {
    records.push(missedRecord(newId(), ruleArn, nominalMs, nominalMs, 1, 'late'));
  }
  if (late.count > late.first.length && late.lastMs !== undefined) {
    const afterDetail = late.first.at(-1) ?? floor;
    const firstOfRest = table.slotAfter(slot, afterDetail) ?? late.lastMs;
    firstMissedMs ??= firstOfRest;
    const rest = late.count - late.first.length;
    records.push(missedRecord(newId(), ruleArn, firstOfRest, late.lastMs, rest, 'late (summary)'));
  }
  for (const nominalMs of fire) records.push(fireRecord(newId(), ruleArn, nominalMs, now));
  return {
    slot,
    ruleArn,
    records,
    newFloor: Math.max(floor, late.lastMs ?? -Infinity, fire.at(-1) ?? -Infinity),
    missed:
      late.count > 0 && firstMissedMs !== undefined && late.lastMs !== undefined
        ? { firstMs: firstMissedMs, lastMs: late.lastMs, count: late.count }
        : undefined,
  };
}
