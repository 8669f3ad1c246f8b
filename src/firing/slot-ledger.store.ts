/**
 * Firing's side of the hand-over: the {@link SlotLedger} through which the invoker reports how a
 * claimed slot settled, and reads back the slots a restart must resume. Only firing writes
 * `firing_slots`; the invoker passes its own transaction so its invocations and the FIRED mark
 * commit together.
 */
import type { Db, Store } from '../store/store.ts';
import type { FiringEvents } from './firing.events.ts';
import type { SlotLedger, SlotSettlement } from './firing.ports.ts';
import type { ClaimedSlot } from './firing.types.ts';

export class StoreSlotLedger implements SlotLedger {
  readonly #store: Store;
  readonly #events: FiringEvents;

  constructor(deps: { store: Store; events: FiringEvents }) {
    this.#store = deps.store;
    this.#events = deps.events;
  }

  async settle(db: Db, slot: ClaimedSlot, settlement: SlotSettlement): Promise<void> {
    await db
      .updateTable('firing_slots')
      .set({
        status: settlement.status,
        target_count: settlement.status === 'FIRED' ? settlement.targetCount : null,
        reason: settlement.status === 'SKIPPED' ? settlement.reason : null,
      })
      .where('id', '=', slot.slotId)
      .execute();
    if (settlement.status === 'SKIPPED') {
      this.#events.emit('firing:skipped', {
        ruleArn: slot.ruleArn,
        nominalMs: slot.nominalMs,
        reason: settlement.reason,
      });
    }
  }

  async unsettledSlots(): Promise<ClaimedSlot[]> {
    const rows = await this.#store.db
      .selectFrom('firing_slots')
      .select(['id', 'rule_arn', 'nominal_ms', 'fired_at_ms'])
      .where('status', '=', 'FIRING')
      .orderBy('nominal_ms')
      .execute();
    return rows.map((r) => ({
      slotId: r.id,
      ruleArn: r.rule_arn,
      nominalMs: Number(r.nominal_ms),
      firedAtMs: Number(r.fired_at_ms ?? r.nominal_ms),
    }));
  }

  async nominalTimes(slotIds: readonly string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    // Chunked: a restart may resume many retries, and statements have a parameter limit.
    for (let i = 0; i < slotIds.length; i += 500) {
      const rows = await this.#store.db
        .selectFrom('firing_slots')
        .select(['id', 'nominal_ms'])
        .where('id', 'in', slotIds.slice(i, i + 500))
        .execute();
      for (const r of rows) out.set(r.id, Number(r.nominal_ms));
    }
    return out;
  }
}
