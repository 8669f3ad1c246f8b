/**
 * Store operations of the invoker: creating a slot's invocations, recording each attempt (with
 * the tasks it started and, at the end, the dead letter) in one transaction, and reading back
 * what a restart must resume.
 */
import type { Db, Store } from '../store/store.ts';
import type {
  FiringAttemptRow,
  FiringDeadLetterRow,
  FiringInvocationRow,
  FiringTaskRow,
} from '../store/tables/firing.tables.ts';

/** Status of an invocation row. */
export const INVOCATION_STATUSES = ['PENDING', 'SUCCEEDED', 'FAILED'] as const;
export type InvocationStatus = (typeof INVOCATION_STATUSES)[number];

/**
 * Inserts the invocations and marks the slot FIRED in one transaction. An invocation that already
 * exists for (slot, target) is left alone (a restart resuming a slot another path already took);
 * returns the ids actually inserted.
 */
export async function createInvocations(
  store: Store,
  slotId: string,
  rows: readonly FiringInvocationRow[],
): Promise<Set<string>> {
  return store.transaction(async (trx) => {
    const inserted = new Set<string>();
    for (const row of rows) {
      const r = await trx
        .insertInto('firing_invocations')
        .values(row)
        .onConflict((oc) => oc.columns(['slot_id', 'target_id']).doNothing())
        .executeTakeFirst();
      if (Number(r.numInsertedOrUpdatedRows ?? 0) > 0) inserted.add(row.id);
    }
    await trx
      .updateTable('firing_slots')
      .set({ status: 'FIRED', target_count: rows.length, reason: null })
      .where('id', '=', slotId)
      .execute();
    return inserted;
  });
}

/** Everything one finished attempt changes. */
export interface AttemptWrite {
  attempt: FiringAttemptRow;
  invocation: {
    id: string;
    status: InvocationStatus;
    attempts: number;
    nextAttemptMs: number | null;
    finishedMs: number | null;
    remainingCount: number;
    errorCode: string | null;
    errorMessage: string | null;
  };
  tasks: FiringTaskRow[];
  deadLetter?: FiringDeadLetterRow;
}

export async function recordAttempt(store: Store, write: AttemptWrite): Promise<void> {
  await store.transaction(async (trx) => {
    await trx.insertInto('firing_attempts').values(write.attempt).execute();
    const inv = write.invocation;
    await trx
      .updateTable('firing_invocations')
      .set({
        status: inv.status,
        attempts: inv.attempts,
        next_attempt_ms: inv.nextAttemptMs,
        finished_ms: inv.finishedMs,
        remaining_count: inv.remainingCount,
        last_error_code: inv.errorCode,
        last_error_message: inv.errorMessage,
      })
      .where('id', '=', inv.id)
      .execute();
    for (const task of write.tasks) {
      await trx
        .insertInto('firing_tasks')
        .values(task)
        .onConflict((oc) => oc.column('task_arn').doNothing())
        .execute();
    }
    if (write.deadLetter) {
      await trx.insertInto('firing_dead_letters').values(write.deadLetter).execute();
    }
  });
}

/** Invocations waiting for an attempt, with their slot's nominal time. */
export async function loadPendingInvocations(
  db: Db,
): Promise<(FiringInvocationRow & { nominal_ms: number })[]> {
  const rows = await db
    .selectFrom('firing_invocations')
    .innerJoin('firing_slots', 'firing_slots.id', 'firing_invocations.slot_id')
    .selectAll('firing_invocations')
    .select('firing_slots.nominal_ms')
    .where('firing_invocations.status', '=', 'PENDING')
    .orderBy('firing_invocations.next_attempt_ms')
    .execute();
  return rows.map((r) => ({ ...r, nominal_ms: Number(r.nominal_ms) }));
}

/** Slots claimed (FIRING) whose invocations were never created: the process died in between. */
export async function loadUnsettledSlots(
  db: Db,
): Promise<{ id: string; rule_arn: string; nominal_ms: number; fired_at_ms: number }[]> {
  const rows = await db
    .selectFrom('firing_slots')
    .select(['id', 'rule_arn', 'nominal_ms', 'fired_at_ms'])
    .where('status', '=', 'FIRING')
    .orderBy('nominal_ms')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    rule_arn: r.rule_arn,
    nominal_ms: Number(r.nominal_ms),
    fired_at_ms: Number(r.fired_at_ms ?? r.nominal_ms),
  }));
}
