import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { firingFixture } from './test-support/firing-fixture.ts';
import { SkewClock } from './test-support/skew-clock.ts';

const T0 = Date.parse('2026-03-02T10:00:00Z');
const MIN = 60_000;

async function skewed(options = {}) {
  let skew!: SkewClock;
  const f = await firingFixture(T0, options, undefined, (inner) => (skew = new SkewClock(inner)));
  return { f, skew };
}

function firedMinutes(f: Awaited<ReturnType<typeof firingFixture>>): number[] {
  return f.log.flatMap((e) => (e.type === 'firing:slot' ? [(e.nominalMs - T0) / MIN] : []));
}

describe('FiringLoop clock pathologies', () => {
  it('clock steps back: the early timer re-arms and no slot fires twice', async () => {
    const { f, skew } = await skewed();
    await using _f = f;
    f.rules.put('minutely', 'rate(1 minute)', T0);
    await f.start();
    await f.runUntil(T0 + 5 * MIN + 30_000); // fired 1..5; timer armed for wall 10:06
    skew.step(-5 * MIN); // wall clock now 10:00:30
    // The monotonic timer wakes after the same elapsed time: at wall 10:01, early for 10:06.
    await f.runUntil(T0 + 6 * MIN);
    const back = f.log.find((e) => e.type === 'firing:clockBackwards');
    assert.deepEqual(back, { type: 'firing:clockBackwards', fromMs: T0 + 5 * MIN, toMs: T0 + MIN });
    const early = f.log.find((e) => e.type === 'firing:timerEarly');
    assert.deepEqual(early, { type: 'firing:timerEarly', dueMs: T0 + 6 * MIN, nowMs: T0 + MIN });
    // Wall time reaches 10:07 again: only 10:06 and 10:07 are new.
    await f.runUntil(T0 + 12 * MIN);
    assert.deepEqual(firedMinutes(f), [1, 2, 3, 4, 5, 6, 7]);
  });

  it('clock steps back and the engine restarts: the store cursor still prevents repeats', async () => {
    await using f = await firingFixture(T0);
    const arn = f.rules.put('minutely', 'rate(1 minute)', T0);
    await f.start();
    await f.runUntil(T0 + 5 * MIN + 30_000);
    await f.restart();
    await f.clock.set(T0 + 30_000); // backwards: ManualClock fires nothing
    await f.start();
    await f.runUntil(T0 + 7 * MIN);
    const slots = await f.history.slots({ ruleArn: arn });
    assert.deepEqual(
      slots.map((s) => (s.nominalMs - T0) / MIN),
      [1, 2, 3, 4, 5, 6, 7],
    );
    assert.equal(f.ecs.requests.length, 7);
  });

  it('clock jumps forward: slots beyond maxLateness are MISSED, the rest fire late', async () => {
    const { f, skew } = await skewed({ maxLatenessMs: 2 * MIN });
    await using _f = f;
    const arn = f.rules.put('minutely', 'rate(1 minute)', T0);
    await f.start();
    await f.runUntil(T0 + 30_000);
    skew.step(10 * MIN); // wall 10:10:30; the timer for 10:01 wakes at wall 10:11:00
    await f.runUntil(T0 + MIN);
    const overdue = f.log.find((e) => e.type === 'firing:overdue');
    assert.deepEqual(overdue, { type: 'firing:overdue', dueMs: T0 + MIN, nowMs: T0 + 11 * MIN });
    const slots = await f.history.slots({ ruleArn: arn });
    assert.deepEqual(
      slots.map((s) => [(s.nominalMs - T0) / MIN, s.status, s.lagMs]),
      [
        [1, 'MISSED', undefined],
        [2, 'MISSED', undefined],
        [3, 'MISSED', undefined],
        [4, 'MISSED', undefined],
        [5, 'MISSED', undefined],
        [6, 'MISSED', undefined],
        [7, 'MISSED', undefined],
        [8, 'MISSED', undefined],
        [9, 'FIRED', 2 * MIN],
        [10, 'FIRED', MIN],
        [11, 'FIRED', 0],
      ],
    );
  });

  it('a timer firing early is re-armed and the slot fires on time', async () => {
    const { f, skew } = await skewed();
    await using _f = f;
    f.rules.put('hourly', 'rate(1 hour)', T0);
    skew.fireNextTimerEarly(10_000);
    await f.start();
    await f.runUntil(T0 + 2 * 60 * MIN);
    const early = f.log.find((e) => e.type === 'firing:timerEarly');
    assert.deepEqual(early, {
      type: 'firing:timerEarly',
      dueMs: T0 + 60 * MIN,
      nowMs: T0 + 60 * MIN - 10_000,
    });
    const slots = f.log.flatMap((e) => (e.type === 'firing:slot' ? [e] : []));
    assert.deepEqual(
      slots.map((e) => [e.nominalMs, e.firedAtMs]),
      [
        [T0 + 60 * MIN, T0 + 60 * MIN],
        [T0 + 120 * MIN, T0 + 120 * MIN],
      ],
    );
  });
});

describe('FiringLoop rule changes', () => {
  it('a new expression, disable, enable and delete take effect at once', async () => {
    await using f = await firingFixture(T0);
    const arn = f.rules.put('job', 'rate(5 minutes)', T0);
    await f.start();
    await f.runUntil(T0 + 6 * MIN); // fired 10:05
    f.rules.update(arn, { expression: 'rate(2 minutes)', anchorMs: T0 + 6 * MIN });
    await f.loop.idle();
    assert.equal(f.loop.nextSlotOf(arn), T0 + 8 * MIN);
    await f.runUntil(T0 + 11 * MIN); // 10:08, 10:10
    f.rules.update(arn, { enabled: false });
    await f.loop.idle();
    assert.equal(f.loop.nextSlotOf(arn), undefined);
    await f.runUntil(T0 + 20 * MIN); // nothing
    f.rules.update(arn, { enabled: true, anchorMs: T0 + 20 * MIN });
    await f.runUntil(T0 + 24 * MIN); // 10:22, 10:24
    f.rules.delete(arn);
    await f.runUntil(T0 + 40 * MIN); // nothing
    assert.deepEqual(firedMinutes(f), [5, 8, 10, 22, 24]);
    assert.equal(f.loop.ruleCount, 0);
    // Slots while disabled are not MISSED: the rule was not supposed to fire.
    const slots = await f.history.slots({ ruleArn: arn });
    assert.ok(slots.every((s) => s.status === 'FIRED'));
  });

  it('a cron rule switched to another cron fires only the new schedule', async () => {
    await using f = await firingFixture(T0);
    const arn = f.rules.put('job', 'cron(0 * * * ? *)', T0);
    await f.start();
    await f.runUntil(T0 + 90 * MIN); // 11:00
    f.rules.update(arn, { expression: 'cron(45 * * * ? *)', anchorMs: T0 + 90 * MIN });
    await f.runUntil(T0 + 4 * 60 * MIN);
    assert.deepEqual(firedMinutes(f), [60, 105, 165, 225]);
  });

  it('target changes are read when the slot fires', async () => {
    await using f = await firingFixture(T0);
    const arn = f.rules.put('job', 'rate(1 minute)', T0);
    await f.start();
    await f.runUntil(T0 + MIN);
    f.rules.update(arn, { targets: [] });
    await f.runUntil(T0 + 2 * MIN);
    assert.equal(f.ecs.requests.length, 1);
    const slots = await f.history.slots({ ruleArn: arn });
    assert.deepEqual(
      slots.map((s) => [s.status, s.invocations.length]),
      [
        ['FIRED', 1],
        ['FIRED', 0],
      ],
    );
  });

  it('a rule deleted between claim and delivery leaves a SKIPPED slot', async () => {
    await using f = await firingFixture(T0);
    const arn = f.rules.put('job', 'rate(1 minute)', T0);
    await f.start();
    // Gone from the source, but the loop has not heard yet (the notification is in flight).
    const rule = await f.rules.getScheduled(arn);
    f.rules.seed({ ...rule!, arn: `${arn}-other` });
    const original = f.rules.getScheduled.bind(f.rules);
    f.rules.getScheduled = async (a) => (a === arn ? undefined : original(a));
    await f.runUntil(T0 + MIN);
    const slots = await f.history.slots({ ruleArn: arn });
    assert.deepEqual(
      slots.map((s) => [s.status, s.reason]),
      [['SKIPPED', 'rule deleted before delivery']],
    );
    assert.equal(f.ecs.requests.length, 0);
  });
});
