/**
 * Run history retention: slots (with their invocations, attempts and task links) whose nominal
 * time is older than the cutoff, and dead letters created before it, are deleted in small
 * transactions. Without it the ledger only grows: a million rules write a couple of thousand slot
 * rows a second.
 *
 * Exactly-once does not need the old rows: a rule's floor comes from `firing_cursors` (one row
 * per rule, kept), so a purged slot can never be claimed again, whatever the clock does. Kept
 * whatever their age: slots still FIRING (claimed, not yet handed over or settled) and slots with
 * an invocation still PENDING (a retry is due), since the invoker resumes both after a restart.
 */
import type { Db, Store } from '../store/store.ts';

/** Slots deleted per transaction: short enough that firing never waits long for the store. */
export const PURGE_BATCH_SLOTS = 500;

export interface HistoryPurgeResult {
  /** Slot rows deleted (a MISSED summary row counts once). */
  slots: number;
  deadLetters: number;
}

export async function purgeHistoryBefore(
  store: Store,
  cutoffMs: number,
  batchSize = PURGE_BATCH_SLOTS,
): Promise<HistoryPurgeResult> {
  const slots = await inBatches(store, batchSize, (trx) =>
    purgeSlotBatch(trx, cutoffMs, batchSize),
  );
  const deadLetters = await inBatches(store, batchSize, async (trx) => {
    const ids = await trx
      .selectFrom('firing_dead_letters')
      .select('id')
      .where('created_ms', '<', cutoffMs)
      .orderBy('created_ms')
      .limit(batchSize)
      .execute();
    if (ids.length === 0) return 0;
    await trx
      .deleteFrom('firing_dead_letters')
      .where(
        'id',
        'in',
        ids.map((r) => r.id),
      )
      .execute();
    return ids.length;
  });
  return { slots, deadLetters };
}

/** Runs `batch` in its own transaction until one deletes fewer than `batchSize` rows; the total. */
async function inBatches(
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
async function purgeSlotBatch(trx: Db, cutoffMs: number, limit: number): Promise<number> {
  const slotIds = (
    await trx
      .selectFrom('firing_slots as s')
      .select('s.id')
      .where('s.nominal_ms', '<', cutoffMs)
      .where('s.status', '!=', 'FIRING')
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('firing_invocations as i')
              .select('i.id')
              .whereRef('i.slot_id', '=', 's.id')
              .where('i.status', '=', 'PENDING'),
          ),
        ),
      )
      .orderBy('s.nominal_ms')
      .limit(limit)
      .execute()
  ).map((r) => r.id);
  if (slotIds.length === 0) return 0;
  const invocationIds = (
    await trx
      .selectFrom('firing_invocations')
      .select('id')
      .where('slot_id', 'in', slotIds)
      .execute()
  ).map((r) => r.id);
  if (invocationIds.length > 0) {
    await trx.deleteFrom('firing_attempts').where('invocation_id', 'in', invocationIds).execute();
    await trx.deleteFrom('firing_invocations').where('id', 'in', invocationIds).execute();
  }
  await trx.deleteFrom('firing_tasks').where('slot_id', 'in', slotIds).execute();
  await trx.deleteFrom('firing_slots').where('id', 'in', slotIds).execute();
  return slotIds.length;
}
