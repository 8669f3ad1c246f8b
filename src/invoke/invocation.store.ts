/**
 * Store operations of the invoker: creating a slot's invocations (and settling the slot through
 * firing's ledger in the same transaction), recording each attempt (with the tasks it started
 * and, at the end, the dead letter) in one transaction, and reading back what a restart must
 * resume.
 */
import type { ClaimedSlot, SlotLedger } from '../firing/index.ts';
import type { Db, Store } from '../store/store.ts';
import type {
  AttemptRow,
  DeadLetterRow,
  InvocationRow,
  InvocationTaskRow,
} from '../store/tables/invoke.tables.ts';

/** Status of an invocation row. */
export const INVOCATION_STATUSES = ['PENDING', 'SUCCEEDED', 'FAILED'] as const;
export type InvocationStatus = (typeof INVOCATION_STATUSES)[number];

/**
 * Inserts the invocations and settles the slot FIRED in one transaction. An invocation that
 * already exists for (slot, target) is left alone (a restart resuming a slot another path already
 * took); returns the ids actually inserted.
 */
export async function createInvocations(
  store: Store,
  ledger: SlotLedger,
  slot: ClaimedSlot,
  rows: readonly InvocationRow[],
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
    await ledger.settle(trx, slot, { status: 'FIRED', targetCount: rows.length });
    return inserted;
  });
}

/** Everything one finished attempt changes. */
export interface AttemptWrite {
  attempt: AttemptRow;
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
  tasks: InvocationTaskRow[];
  deadLetter?: DeadLetterRow;
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

/** Ends an invocation FAILED with a dead letter and no attempt to record (it grew too old). */
export async function recordExpired(
  store: Store,
  invocation: { id: string; finishedMs: number; errorCode: string; errorMessage: string },
  deadLetter: DeadLetterRow,
): Promise<void> {
  await store.transaction(async (trx) => {
    await trx
      .updateTable('firing_invocations')
      .set({
        status: 'FAILED',
        next_attempt_ms: null,
        finished_ms: invocation.finishedMs,
        last_error_code: invocation.errorCode,
        last_error_message: invocation.errorMessage,
      })
      .where('id', '=', invocation.id)
      .execute();
    await trx.insertInto('firing_dead_letters').values(deadLetter).execute();
  });
}

/** Invocations waiting for an attempt, earliest first. */
export async function loadPendingInvocations(db: Db): Promise<InvocationRow[]> {
  return db
    .selectFrom('firing_invocations')
    .selectAll()
    .where('status', '=', 'PENDING')
    .orderBy('next_attempt_ms')
    .execute();
}
