import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { openStore } from '../store/open-store.ts';
import type { Store } from '../store/store.ts';
import type { SlotRecord } from './fire-records.store.ts';
import { claimSlots, forEachCursor, newSlotId } from './fire-records.store.ts';

const T0 = Date.parse('2026-03-02T00:00:00Z');
const MIN = 60_000;
const A = 'arn:aws:events:us-east-1:123456789012:rule/a';
const B = 'arn:aws:events:us-east-1:123456789012:rule/ops/b';

function fire(ruleArn: string, nominalMs: number): SlotRecord {
  return {
    id: newSlotId(T0),
    ruleArn,
    nominalMs,
    firstNominalMs: nominalMs,
    slotCount: 1,
    status: 'FIRING',
    firedAtMs: nominalMs,
    reason: null,
  };
}

function missed(ruleArn: string, firstMs: number, lastMs: number, count: number): SlotRecord {
  return {
    id: newSlotId(T0),
    ruleArn,
    nominalMs: lastMs,
    firstNominalMs: firstMs,
    slotCount: count,
    status: 'MISSED',
    firedAtMs: null,
    reason: count > 1 ? 'late (summary)' : 'late',
  };
}

/** What a claim left in the store, ids aside (they differ between runs). */
async function contents(store: Store) {
  const slots = await store.db
    .selectFrom('firing_slots')
    .selectAll()
    .orderBy('rule_arn')
    .orderBy('nominal_ms')
    .execute();
  return {
    slots: slots.map(({ id: _id, ...rest }) => rest),
    cursors: await cursorsOf(store),
  };
}

async function cursorsOf(store: Store): Promise<[string, number][]> {
  const out: [string, number][] = [];
  await forEachCursor(store, (ruleArn, lastMs) => out.push([ruleArn, lastMs]));
  return out.sort();
}

/** Runs the same claims on the prepared-statement path and on the Kysely path. */
async function bothPaths(script: (store: Store) => Promise<boolean[][]>) {
  await using sync = await openStore({ dataDir: ':memory:' });
  await using plain = await openStore({ dataDir: ':memory:' });
  assert.ok(sync.sync, 'the SQLite store offers prepared statements');
  const kyselyOnly: Store = { ...plain, sync: undefined };
  const a = await script(sync);
  const b = await script(kyselyOnly);
  assert.deepEqual(a, b, 'same rows written');
  assert.deepEqual(await contents(sync), await contents(kyselyOnly), 'same store contents');
  return { written: a, contents: await contents(sync) };
}

describe('claimSlots', () => {
  it('writes each (rule, slot) once, moves cursors up only, on both store paths', async () => {
    const { written, contents: after } = await bothPaths(async (store) => [
      await claimSlots(
        store,
        [
          missed(A, T0 + MIN, T0 + MIN, 1),
          missed(A, T0 + 2 * MIN, T0 + 9 * MIN, 8),
          fire(A, T0 + 10 * MIN),
          fire(B, T0 + 10 * MIN),
        ],
        T0 + 10 * MIN,
      ),
      // Claimed before (another node, an earlier run): not written again.
      await claimSlots(store, [fire(A, T0 + 10 * MIN), fire(B, T0 + 11 * MIN)], T0 + 11 * MIN),
      // A slower node still writing an older slot: written, but the cursor stays.
      await claimSlots(store, [fire(B, T0 + 5 * MIN)], T0 + 11 * MIN),
    ]);
    assert.deepEqual(written, [[true, true, true, true], [false, true], [true]]);
    assert.deepEqual(after.cursors, [
      [A, T0 + 10 * MIN],
      [B, T0 + 11 * MIN],
    ]);
    assert.equal(after.slots.length, 6);
    const summary = after.slots.find((s) => s.slot_count === 8)!;
    assert.deepEqual(
      [summary.first_nominal_ms, summary.nominal_ms, summary.status, summary.rule_name],
      [T0 + 2 * MIN, T0 + 9 * MIN, 'MISSED', 'a'],
    );
    assert.equal(after.slots.find((s) => s.rule_arn === B)!.rule_name, 'b');
  });
});

describe('newSlotId', () => {
  it('is a version-7 UUID whose first 48 bits are the time, so ids sort by time', () => {
    const a = newSlotId(T0);
    const b = newSlotId(T0 + 1);
    assert.match(a, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(parseInt(a.slice(0, 8) + a.slice(9, 13), 16), T0);
    assert.ok(a < b);
    assert.notEqual(newSlotId(T0), newSlotId(T0));
  });
});
