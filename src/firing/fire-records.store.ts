/**
 * The fire-record ledger: claiming slots exactly once and reading the per-rule cursors back.
 * Dialect-neutral Kysely only (`ON CONFLICT` works on SQLite and PostgreSQL alike).
 */
import type { Db, Store } from '../store/store.ts';
import type { SlotStatus } from './firing.types.ts';
import { ruleNameOf } from './firing.types.ts';

/** Rows per multi-row statement (11 parameters each, far below SQLite's limit). */
const ROWS_PER_STATEMENT = 200;

/** One slot row to write. */
export interface SlotRecord {
  id: string;
  ruleArn: string;
  nominalMs: number;
  /** Differs from `nominalMs` on a MISSED summary row only. */
  firstNominalMs: number;
  slotCount: number;
  status: Extract<SlotStatus, 'FIRING' | 'MISSED'>;
  firedAtMs: number | null;
  reason: string | null;
}

/** Latest recorded slot of every rule that has one. */
export async function loadCursors(db: Db): Promise<Map<string, number>> {
  const rows = await db.selectFrom('firing_cursors').selectAll().execute();
  return new Map(rows.map((r) => [r.rule_arn, Number(r.last_slot_ms)]));
}

export async function loadCursor(db: Db, ruleArn: string): Promise<number | undefined> {
  const row = await db
    .selectFrom('firing_cursors')
    .select('last_slot_ms')
    .where('rule_arn', '=', ruleArn)
    .executeTakeFirst();
  return row ? Number(row.last_slot_ms) : undefined;
}

/**
 * Writes the records in one transaction. A record whose (rule, nominal slot) is already stored is
 * not written: its slot was claimed before (by an earlier run or another node). Returns, per
 * record, whether this call wrote it. Each rule's cursor moves up to its highest record.
 */
export async function claimSlots(
  store: Store,
  records: readonly SlotRecord[],
  nowMs: number,
): Promise<boolean[]> {
  return store.transaction(async (trx) => {
    const insertedIds = new Set<string>();
    // Multi-row statements (RETURNING lists only the rows actually inserted): a tick that claims
    // thousands of slots costs a few statements, not thousands.
    for (let i = 0; i < records.length; i += ROWS_PER_STATEMENT) {
      const chunk = records.slice(i, i + ROWS_PER_STATEMENT);
      const rows = await trx
        .insertInto('firing_slots')
        .values(
          chunk.map((r) => ({
            id: r.id,
            rule_arn: r.ruleArn,
            rule_name: ruleNameOf(r.ruleArn),
            nominal_ms: r.nominalMs,
            first_nominal_ms: r.firstNominalMs,
            slot_count: r.slotCount,
            status: r.status,
            fired_at_ms: r.firedAtMs,
            recorded_ms: nowMs,
            target_count: null,
            reason: r.reason,
          })),
        )
        .onConflict((oc) => oc.columns(['rule_arn', 'nominal_ms']).doNothing())
        .returning('id')
        .execute();
      for (const row of rows) insertedIds.add(row.id);
    }
    const highest = new Map<string, number>();
    for (const r of records) {
      highest.set(r.ruleArn, Math.max(highest.get(r.ruleArn) ?? -Infinity, r.nominalMs));
    }
    const cursors = [...highest].map(([rule_arn, last_slot_ms]) => ({ rule_arn, last_slot_ms }));
    for (let i = 0; i < cursors.length; i += ROWS_PER_STATEMENT) {
      await trx
        .insertInto('firing_cursors')
        .values(cursors.slice(i, i + ROWS_PER_STATEMENT))
        .onConflict((oc) =>
          oc
            .column('rule_arn')
            .doUpdateSet((eb) => ({ last_slot_ms: eb.ref('excluded.last_slot_ms') }))
            // Never move a cursor backwards (a clock stepped back, or a slower node).
            .where((eb) => eb('firing_cursors.last_slot_ms', '<', eb.ref('excluded.last_slot_ms'))),
        )
        .execute();
    }
    return records.map((r) => insertedIds.has(r.id));
  });
}

/** Sets a claimed slot's final status (FIRED with its target count, or SKIPPED with a reason). */
export async function settleSlot(
  db: Db,
  slotId: string,
  status: Extract<SlotStatus, 'FIRED' | 'SKIPPED'>,
  fields: { targetCount?: number; reason?: string },
): Promise<void> {
  await db
    .updateTable('firing_slots')
    .set({
      status,
      target_count: fields.targetCount ?? null,
      reason: fields.reason ?? null,
    })
    .where('id', '=', slotId)
    .execute();
}
