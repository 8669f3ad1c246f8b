/**
 * The fire-record ledger: claiming slots exactly once and reading the per-rule cursors back.
 *
 * Claims sit on the firing loop's timer path, so where the store offers synchronous prepared
 * statements (`store.sync`, SQLite) they use them: one short transaction per tick, with no query
 * building and no async round trips. Elsewhere the same SQL goes through dialect-neutral Kysely
 * (`ON CONFLICT` works on SQLite and PostgreSQL alike); a test keeps the two paths equivalent.
 */
import { randomUUID } from 'node:crypto';

import type { Db, Store, SyncSql } from '../store/store.ts';
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

const INSERT_SLOT =
  'INSERT INTO firing_slots (id, rule_arn, rule_name, nominal_ms, first_nominal_ms, slot_count,' +
  ' status, fired_at_ms, recorded_ms, target_count, reason)' +
  ' VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)' +
  ' ON CONFLICT (rule_arn, nominal_ms) DO NOTHING';
// Never moves a cursor backwards (a clock stepped back, or a slower node).
const UPSERT_CURSOR =
  'INSERT INTO firing_cursors (rule_arn, last_slot_ms) VALUES (?, ?)' +
  ' ON CONFLICT (rule_arn) DO UPDATE SET last_slot_ms = excluded.last_slot_ms' +
  ' WHERE firing_cursors.last_slot_ms < excluded.last_slot_ms';
const SELECT_CURSORS = 'SELECT rule_arn, last_slot_ms FROM firing_cursors';

/**
 * A slot row id: a UUID version 7 (milliseconds first, then 74 random bits), so rows written
 * together sit together in the primary-key index instead of touching a random page each.
 */
export function newSlotId(nowMs: number): string {
  const time = Math.max(0, Math.floor(nowMs)).toString(16).padStart(12, '0').slice(-12);
  // `xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx`: keep the random tail, variant bits included.
  const random = randomUUID();
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${random.slice(15)}`;
}

/**
 * Calls `visit` with the latest recorded slot of every rule that has one. Rows stream one at a
 * time where the store allows it, so a million cursors never sit in memory together.
 */
export async function forEachCursor(
  store: Store,
  visit: (ruleArn: string, lastSlotMs: number) => void,
): Promise<void> {
  if (store.sync) {
    for (const [ruleArn, lastMs] of store.sync.prepare(SELECT_CURSORS).rows()) {
      visit(ruleArn as string, Number(lastMs));
    }
    return;
  }
  const rows = await store.db.selectFrom('firing_cursors').selectAll().execute();
  for (const r of rows) visit(r.rule_arn, Number(r.last_slot_ms));
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
  if (store.sync) return claimSlotsSync(store.sync, records, nowMs);
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

function claimSlotsSync(
  sync: SyncSql,
  records: readonly SlotRecord[],
  nowMs: number,
): Promise<boolean[]> {
  const insert = sync.prepare(INSERT_SLOT);
  const cursor = sync.prepare(UPSERT_CURSOR);
  return sync.transaction(() => {
    const written = new Array<boolean>(records.length);
    for (let i = 0; i < records.length; i++) {
      const r = records[i]!;
      const { changes } = insert.run(
        r.id,
        r.ruleArn,
        ruleNameOf(r.ruleArn),
        r.nominalMs,
        r.firstNominalMs,
        r.slotCount,
        r.status,
        r.firedAtMs,
        nowMs,
        r.reason,
      );
      written[i] = changes > 0;
      // One cursor write per run of records of the same rule (the loop groups them), at its
      // highest slot; a rule seen again later is written again, and the guard keeps the max.
      const next = records[i + 1];
      if (next === undefined || next.ruleArn !== r.ruleArn) {
        let highest = r.nominalMs;
        for (let j = i - 1; j >= 0 && records[j]!.ruleArn === r.ruleArn; j--) {
          highest = Math.max(highest, records[j]!.nominalMs);
        }
        cursor.run(r.ruleArn, highest);
      }
    }
    return written;
  });
}
