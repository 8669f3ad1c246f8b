import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { Store } from '../store/store.ts';
import { purgeRunHistoryBefore } from './run-history.service.ts';
import { firingFixture } from './test-support/firing-fixture.ts';

const T0 = Date.parse('2026-03-02T10:00:00Z');
const MIN = 60_000;

async function count(
  store: Store,
  table:
    | 'firing_slots'
    | 'firing_invocations'
    | 'firing_attempts'
    | 'firing_tasks'
    | 'firing_dead_letters',
) {
  const row = await store.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A slot row as another process left it (claimed, or delivered with a retry still due). */
async function insertSlot(store: Store, id: string, nominalMs: number, status: string) {
  await store.db
    .insertInto('firing_slots')
    .values({
      id,
      rule_arn: `arn:aws:events:us-east-1:123456789012:rule/${id}`,
      rule_name: id,
      nominal_ms: nominalMs,
      first_nominal_ms: nominalMs,
      slot_count: 1,
      status,
      fired_at_ms: nominalMs,
      recorded_ms: nominalMs,
      target_count: status === 'FIRING' ? null : 1,
      reason: null,
    })
    .execute();
}

async function insertDeadLetter(store: Store, id: string, createdMs: number) {
  await store.db
    .insertInto('firing_dead_letters')
    .values({
      id,
      invocation_id: `inv-${id}`,
      rule_arn: 'arn:aws:events:us-east-1:123456789012:rule/gone',
      target_id: 't',
      target_arn: 'arn:aws:ecs:us-east-1:123456789012:cluster/jobs',
      dlq_arn: null,
      event_json: '{}',
      error_code: 'ClientException',
      error_message: 'no',
      exhausted_condition: null,
      attempts: 1,
      created_ms: createdMs,
    })
    .execute();
}

describe('history retention', () => {
  it('deletes settled slots before the cutoff with their invocations, attempts and tasks', async () => {
    await using f = await firingFixture(T0);
    const arn = f.rules.put('minutely', 'rate(1 minute)', T0);
    await f.start();
    await f.runUntil(T0 + 10 * MIN);
    assert.equal(await count(f.store, 'firing_slots'), 10);
    assert.equal(await count(f.store, 'firing_tasks'), 10);
    // Old rows another process left behind: one still claimed, one with a retry still due.
    await insertSlot(f.store, 'claimed', T0 - 60 * MIN, 'FIRING');
    await insertSlot(f.store, 'retrying', T0 - 60 * MIN, 'FIRED');
    await f.store.db
      .insertInto('firing_invocations')
      .values({
        id: 'inv-retrying',
        slot_id: 'retrying',
        rule_arn: 'arn:aws:events:us-east-1:123456789012:rule/retrying',
        target_id: 't',
        target_arn: 'arn:aws:ecs:us-east-1:123456789012:cluster/jobs',
        target_json: '{}',
        event_json: '{}',
        status: 'PENDING',
        attempts: 1,
        next_attempt_ms: T0 + 11 * MIN,
        created_ms: T0 - 60 * MIN,
        finished_ms: null,
        remaining_count: 1,
        last_error_code: 'ServerException',
        last_error_message: 'down',
      })
      .execute();
    await insertDeadLetter(f.store, 'old', T0 + 2 * MIN);
    await insertDeadLetter(f.store, 'new', T0 + 8 * MIN);

    // A batch size of 2 makes several rounds of the loop run.
    const result = await purgeRunHistoryBefore(f.store, T0 + 5 * MIN + 30_000, 2);
    assert.deepEqual(result, { slots: 5, deadLetters: 1 });
    const left = await f.history.slots({ ruleArn: arn });
    assert.deepEqual(
      left.map((s) => (s.nominalMs - T0) / MIN),
      [6, 7, 8, 9, 10],
    );
    assert.ok(
      left.every((s) => s.invocations.length === 1 && s.invocations[0]!.attempts.length === 1),
    );
    assert.equal(await count(f.store, 'firing_invocations'), 5 + 1);
    assert.equal(await count(f.store, 'firing_attempts'), 5);
    assert.equal(await count(f.store, 'firing_tasks'), 5);
    const kept = await f.store.db
      .selectFrom('firing_slots')
      .select('id')
      .where('id', 'in', ['claimed', 'retrying'])
      .execute();
    assert.equal(kept.length, 2, 'a claimed slot and a slot with a retry due outlive the cutoff');
    assert.deepEqual(
      (await f.store.db.selectFrom('firing_dead_letters').select('id').execute()).map((r) => r.id),
      ['new'],
    );
  });

  it('a purged slot never fires again: the floor comes from the rule cursor', async () => {
    await using f = await firingFixture(T0);
    f.rules.put('minutely', 'rate(1 minute)', T0);
    await f.start();
    await f.runUntil(T0 + 5 * MIN + 30_000);
    assert.deepEqual(await purgeRunHistoryBefore(f.store, f.clock.now()), {
      slots: 5,
      deadLetters: 0,
    });
    // A restart with the clock stepped back over the purged slots.
    await f.restart();
    await f.clock.set(T0 + 2 * MIN + 30_000);
    await f.start();
    await f.runUntil(T0 + 8 * MIN);
    assert.equal(f.ecs.requests.length, 8, 'slots 1–5 once before the purge, 6–8 after');
    const slots = await f.store.db
      .selectFrom('firing_slots')
      .select('nominal_ms')
      .orderBy('nominal_ms')
      .execute();
    assert.deepEqual(
      slots.map((s) => (Number(s.nominal_ms) - T0) / MIN),
      [6, 7, 8],
    );
  });
});
