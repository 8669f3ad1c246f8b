/**
 * Read side of the slot ledger: a thing's slots in a time range (fired, missed, skipped, still
 * firing) with their lag, and retention of old slots. What the invoker did with a slot is its own
 * history (`src/invoke/run-history.service.ts` joins the two).
 */
import type { Store } from '../store/store.ts';
import type { SlotDependents } from './firing.ports.ts';
import type { SlotStatus } from './firing.types.ts';
import { PURGE_BATCH_SLOTS, purgeSlotsBefore } from './slot-retention.store.ts';

export interface SlotView {
  id: string;
  ruleArn: string;
  nominalMs: number;
  /** Equals `nominalMs` except on a MISSED summary row. */
  firstNominalMs: number;
  slotCount: number;
  status: SlotStatus;
  firedAtMs?: number;
  /** firedAt − nominal. */
  lagMs?: number;
  reason?: string;
}

export class SlotHistory {
  readonly #store: Store;

  constructor(deps: { store: Store }) {
    this.#store = deps.store;
  }

  /** Slots of one thing with `fromMs ≤ nominal < toMs`, oldest first, at most `limit`. */
  async slots(query: {
    ruleArn: string;
    fromMs?: number;
    toMs?: number;
    limit?: number;
  }): Promise<SlotView[]> {
    let q = this.#store.db
      .selectFrom('firing_slots')
      .selectAll()
      .where('rule_arn', '=', query.ruleArn);
    if (query.fromMs !== undefined) q = q.where('nominal_ms', '>=', query.fromMs);
    if (query.toMs !== undefined) q = q.where('nominal_ms', '<', query.toMs);
    const slots = await q
      .orderBy('nominal_ms')
      .limit(query.limit ?? 1000)
      .execute();
    return slots.map((s) => {
      const nominalMs = Number(s.nominal_ms);
      const firedAtMs = s.fired_at_ms === null ? undefined : Number(s.fired_at_ms);
      return {
        id: s.id,
        ruleArn: s.rule_arn,
        nominalMs,
        firstNominalMs: Number(s.first_nominal_ms),
        slotCount: Number(s.slot_count),
        status: s.status as SlotStatus,
        ...(firedAtMs !== undefined ? { firedAtMs, lagMs: firedAtMs - nominalMs } : {}),
        ...(s.reason !== null ? { reason: s.reason } : {}),
      };
    });
  }

  /**
   * Deletes settled slots older than `cutoffMs`, with their dependents, except those the
   * dependents must keep (see `slot-retention.store.ts`); returns how many slot rows went.
   */
  purgeBefore(
    cutoffMs: number,
    dependents: SlotDependents,
    batchSize = PURGE_BATCH_SLOTS,
  ): Promise<number> {
    return purgeSlotsBefore(this.#store, cutoffMs, dependents, batchSize);
  }
}
