/**
 * A burst of slots (every cron rule due in the same minute, or the start-up backlog) is delivered
 * a bounded number at a time: the rest wait in hand-over order, and a stop leaves them FIRING in
 * the store for the next start.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { EcsTaskRunner, RunTaskRequest, RunTaskResult } from '../ecs/run-task.ports.ts';
import type { AwsContext } from '../platform/ids.ts';
import { FiringLoop, StoreSlotLedger, TEST_RULE_PREFIX, firingEvents } from '../firing/index.ts';
import { RunHistory } from './run-history.service.ts';
import type { MemoryRuleSource } from './test-support/firing-fixture.ts';
import { memoryRuleSource } from './test-support/firing-fixture.ts';
import { ManualClock } from '../platform/clock.ts';
import { openStore } from '../store/open-store.ts';
import type { Store } from '../store/store.ts';
import { TargetInvoker } from './target-invoker.ts';
import { ScriptedTargetAuthorization } from './test-support/target-authorization.ts';

const T0 = Date.parse('2026-03-02T10:00:00Z');
const MIN = 60_000;

/** RunTask calls stay open until released, so the test sees how many run at once. */
class GatedRunner implements EcsTaskRunner {
  readonly open: { request: RunTaskRequest; release: () => void }[] = [];
  readonly order: string[] = [];
  #seq = 0;

  runTask(_ctx: AwsContext, request: RunTaskRequest): Promise<RunTaskResult> {
    this.order.push(request.startedBy ?? '');
    return new Promise((resolve) => {
      const taskArn = `arn:aws:ecs:us-east-1:123456789012:task/jobs/${(++this.#seq).toString(16).padStart(32, '0')}`;
      this.open.push({ request, release: () => resolve({ tasks: [{ taskArn }], failures: [] }) });
    });
  }

  releaseAll(): void {
    for (const call of this.open.splice(0)) call.release();
  }
}

async function setup(
  store: Store,
  clock: ManualClock,
  rules: MemoryRuleSource,
  ecs: EcsTaskRunner,
) {
  const invoker = new TargetInvoker({
    store,
    clock,
    rules,
    slots: new StoreSlotLedger({ store, events: firingEvents() }),
    ecs,
    authorization: new ScriptedTargetAuthorization(),
    maxConcurrentSlots: 2,
  });
  const loop = new FiringLoop({ store, clock, sources: [rules], invoker });
  const handedOver: string[] = [];
  loop.on((e) => {
    if (e.type === 'firing:slot') handedOver.push(`events-rule/${e.ruleArn.split('/').at(-1)}`);
  });
  await invoker.start();
  await loop.start();
  return { invoker, loop, handedOver };
}

/** Lets queued promise work run (the store is in memory; nothing here waits on a timer). */
async function settle(): Promise<void> {
  for (let i = 0; i < 50; i++) await new Promise((resolve) => setImmediate(resolve));
}

describe('TargetInvoker under a burst', () => {
  it('delivers at most maxConcurrentSlots slots at once, the rest in hand-over order', async () => {
    await using store = await openStore({ dataDir: ':memory:' });
    const clock = new ManualClock(T0);
    const rules = memoryRuleSource();
    for (const name of ['a', 'b', 'c', 'd', 'e']) rules.put(name, 'cron(1 10 * * ? *)', T0);
    const ecs = new GatedRunner();
    const { invoker, loop, handedOver } = await setup(store, clock, rules, ecs);
    await clock.set(T0 + MIN);
    // Not loop.idle(): it would wait for the gated deliveries.
    await settle();
    assert.equal(ecs.open.length, 2, 'two deliveries running');
    assert.equal(invoker.queuedSlots, 3, 'three waiting');
    while (ecs.open.length > 0) {
      ecs.releaseAll();
      await settle();
    }
    await invoker.idle();
    assert.equal(invoker.queuedSlots, 0);
    assert.equal(handedOver.length, 5);
    assert.deepEqual(ecs.order, handedOver, 'delivered in hand-over order');
    const history = new RunHistory({ store });
    for (const name of ['a', 'b', 'c', 'd', 'e']) {
      const [slot] = await history.slots({ ruleArn: TEST_RULE_PREFIX + name });
      assert.equal(slot?.invocations[0]?.status, 'SUCCEEDED', name);
    }
    await loop.stop();
    await invoker.stop();
  });

  it('a stop leaves queued slots FIRING; the next start delivers them once', async () => {
    await using store = await openStore({ dataDir: ':memory:' });
    const clock = new ManualClock(T0);
    const rules = memoryRuleSource();
    for (const name of ['a', 'b', 'c', 'd']) rules.put(name, 'cron(1 10 * * ? *)', T0);
    const gated = new GatedRunner();
    const first = await setup(store, clock, rules, gated);
    await clock.set(T0 + MIN);
    await settle();
    assert.equal(first.invoker.queuedSlots, 2);
    // Stop while two deliveries run and two wait; the running ones finish, the waiting stay.
    const stopping = Promise.all([first.loop.stop(), first.invoker.stop()]);
    await settle();
    gated.releaseAll();
    await stopping;
    const firing = await store.db
      .selectFrom('firing_slots')
      .select('rule_name')
      .where('status', '=', 'FIRING')
      .orderBy('rule_name')
      .execute();
    const queued = first.handedOver.slice(2).map((s) => s.replace('events-rule/', ''));
    assert.deepEqual(
      firing.map((r) => r.rule_name),
      queued.sort(),
    );

    const open = new GatedRunner();
    const second = await setup(store, clock, rules, open);
    await settle();
    while (open.open.length > 0) {
      open.releaseAll();
      await settle();
    }
    await second.invoker.idle();
    assert.deepEqual(open.order.sort(), queued.map((n) => `events-rule/${n}`).sort());
    assert.deepEqual(gated.order, first.handedOver.slice(0, 2), 'the first two, once each');
    await second.loop.stop();
    await second.invoker.stop();
  });
});
