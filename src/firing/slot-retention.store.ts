/**
 * Slot retention: slots whose nominal time is older than the cutoff are deleted in small
 * transactions, together with what other domains hang off them (asked through
 * {@link SlotDependents}). Without it the ledger only grows: a million rules write a couple of
 * thousand slot rows a second.
 *
 * Exactly-once does not need the old rows: a thing's floor comes from `firing_cursors` (one row
 * per thing, kept), so a purged slot can never be claimed again, whatever the clock does. Kept
 * whatever their age: slots still FIRING (claimed, not yet handed over or settled) and slots the
 * dependents must keep (the invoker: an invocation still waits for a retry), since both are
 * resumed after a restart.
 */
import type { Db, Store } from '../store/store.ts';
import type { SlotDependents } from './firing.ports.ts';

/** Rows deleted per transaction: short enough that firing never waits long for the store. */
export const PURGE_BATCH_SLOTS = 500;

export async function purgeSlotsBefore(
  store: Store,
  cutoffMs: number,
  dependents: SlotDependents,
  batchSize = PURGE_BATCH_SLOTS,
): Promise<number> {
  return inBatches(store, batchSize, (trx) => purgeSlotBatch(trx, cutoffMs, batchSize, dependents));
}

/** Runs `batch` in its own transaction until one deletes fewer than `batchSize` rows; the total. */
export async function inBatches(
  store: Store,
  batchSize: number,
  batch: (trx: Db) => Promise<number>,
): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await store.transaction(batch);
    total += deleted;
    if (deleted < batchSize) return total;
  }
}

/** Deletes up to `limit` settled slots older than the cutoff with everything hanging off them. */
async function purgeSlotBatch(
  trx: Db,
  cutoffMs: number,
  limit: number,
  dependents: SlotDependents,
): Promise<number> {
  const slotIds = (
    await trx
      .selectFrom('firing_slots as s')
      .select('s.id')
      .where('s.nominal_ms', '<', cutoffMs)
      .where('s.status', '!=', 'FIRING')
      .where((eb) => eb.not(dependents.mustKeep(eb)))
      .orderBy('s.nominal_ms')
      .limit(limit)
      .execute()
  ).map((r) => r.id);
  if (slotIds.length === 0) return 0;
  await dependents.purge(trx, slotIds);
  await trx.deleteFrom('firing_slots').where('id', 'in', slotIds).execute();
  return slotIds.length;
}
