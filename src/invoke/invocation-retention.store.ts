/**
 * The invoker's part of history retention: as firing's {@link SlotDependents}, it keeps slots
 * with an invocation still waiting for a retry and deletes the invocations, attempts and task
 * links of the slots firing purges (in firing's transaction); and it deletes dead letters past the
 * cutoff on its own, in small transactions.
 */
import type { SlotDependents } from '../firing/index.ts';
import type { Db, Store } from '../store/store.ts';

export const invocationDependents: SlotDependents = {
  mustKeep: ({ exists, selectFrom }) =>
    exists(
      selectFrom('firing_invocations as i')
        .select('i.id')
        .whereRef('i.slot_id', '=', 's.id')
        .where('i.status', '=', 'PENDING'),
    ),
  async purge(trx: Db, slotIds: readonly string[]): Promise<void> {
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
  },
};

/** Deletes dead letters created before `cutoffMs`, `batchSize` per transaction; the total. */
export async function purgeDeadLettersBefore(
  store: Store,
  cutoffMs: number,
  batchSize: number,
): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await store.transaction(async (trx) => {
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
    total += deleted;
    if (deleted < batchSize) return total;
  }
}
