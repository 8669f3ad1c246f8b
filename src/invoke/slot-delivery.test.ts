import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { nextFires } from '../expressions/index.ts';
import { firingFixture } from './test-support/firing-fixture.ts';

const T0 = Date.parse('2026-03-02T00:00:00Z'); // a Monday
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

function expected(expression: string, anchor: number, after: number, until: number): number[] {
  return nextFires(expression, { after, anchor, count: 10_000 })
    .map((d) => d.getTime())
    .filter((t) => t <= until);
}

describe('FiringLoop schedules', () => {
  it('fires a rate rule at exactly anchor + k·period over two simulated days', async () => {
    await using f = await firingFixture(T0);
    const anchor = T0 + 13_000;
    const arn = f.rules.put('every-7', 'rate(7 minutes)', anchor);
    await f.start();
    await f.runUntil(T0 + 2 * DAY);
    const fired = f.log.flatMap((e) => (e.type === 'firing:slot' ? [e.nominalMs] : []));
    const want = expected('rate(7 minutes)', anchor, anchor, T0 + 2 * DAY);
    assert.equal(want.length, 411);
    assert.deepEqual(fired, want);
    // Each fired on time: the ManualClock reaches each slot exactly.
    const lags = f.log.flatMap((e) =>
      e.type === 'firing:slot' ? [e.firedAtMs - e.nominalMs] : [],
    );
    assert.ok(lags.every((l) => l === 0));
    assert.equal(f.ecs.requests.length, 411);
    const history = await f.history.slots({ ruleArn: arn });
    assert.equal(history.length, 411);
    assert.ok(history.every((s) => s.status === 'FIRED' && s.lagMs === 0));
    assert.equal(f.metrics.get(arn, 'TriggeredRules'), 411);
    assert.equal(f.metrics.get(arn, 'Invocations'), 411);
  });

  it('fires cron rules over three simulated days exactly at nextFires', async () => {
    await using f = await firingFixture(T0);
    const a = f.rules.put('weekday-mornings', 'cron(0/30 8-10 ? * MON-FRI *)', T0);
    const b = f.rules.put('nightly', 'cron(15 3 * * ? *)', T0);
    await f.start();
    await f.runUntil(T0 + 3 * DAY);
    const firedOf = (arn: string) =>
      f.log.flatMap((e) => (e.type === 'firing:slot' && e.ruleArn === arn ? [e.nominalMs] : []));
    assert.deepEqual(firedOf(a), expected('cron(0/30 8-10 ? * MON-FRI *)', T0, T0, T0 + 3 * DAY));
    assert.equal(firedOf(a).length, 18);
    assert.deepEqual(firedOf(b), [
      Date.parse('2026-03-02T03:15:00Z'),
      Date.parse('2026-03-03T03:15:00Z'),
      Date.parse('2026-03-04T03:15:00Z'),
    ]);
  });

  it('keeps one live heap entry per rule and one timer', async () => {
    await using f = await firingFixture(T0);
    for (let i = 0; i < 50; i++) f.rules.put(`r${i}`, 'rate(1 minute)', T0 + i * 1000);
    await f.start();
    await f.runUntil(T0 + 10 * MIN + 49_000);
    assert.equal(f.loop.ruleCount, 50);
    assert.equal(f.clock.pendingTimers(), 1);
    assert.equal(f.log.filter((e) => e.type === 'firing:slot').length, 50 * 10);
  });
});

describe('FiringLoop restart', () => {
  it('a new loop on the same store fires no slot twice and records the downtime MISSED', async () => {
    await using f = await firingFixture(T0, { maxLatenessMs: 2 * MIN, missedDetailLimit: 10 });
    const arn = f.rules.put('minutely', 'rate(1 minute)', T0);
    await f.start();
    await f.runUntil(T0 + 10 * MIN + 30_000); // fires minutes 1..10
    await f.restart();
    // Down for 30 minutes: nothing runs.
    await f.clock.set(T0 + 40 * MIN + 30_000);
    await f.start();
    await f.runUntil(T0 + 45 * MIN + 30_000);

    const slots = await f.history.slots({ ruleArn: arn });
    const byStatus = (s: string) => slots.filter((x) => x.status === s);
    const fired = byStatus('FIRED').map((s) => (s.nominalMs - T0) / MIN);
    // 1..10 before the stop; 39 and 40 within 2 minutes of the restart at 40:30; then 41..45.
    assert.deepEqual(fired, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 39, 40, 41, 42, 43, 44, 45]);
    const missed = byStatus('MISSED');
    assert.deepEqual(
      missed.map((s) => [(s.firstNominalMs - T0) / MIN, (s.nominalMs - T0) / MIN, s.slotCount]),
      [
        [11, 11, 1],
        [12, 12, 1],
        [13, 13, 1],
        [14, 14, 1],
        [15, 15, 1],
        [16, 16, 1],
        [17, 17, 1],
        [18, 18, 1],
        [19, 19, 1],
        [20, 20, 1],
        [21, 38, 18],
      ],
    );
    // Every minute 1..45 is accounted for exactly once.
    const covered = slots.reduce((n, s) => n + s.slotCount, 0);
    assert.equal(covered, 45);
    assert.equal(f.ecs.requests.length, 17);
    const late = byStatus('FIRED').filter((s) => (s.lagMs ?? 0) > 0);
    assert.deepEqual(
      late.map((s) => s.lagMs),
      [90_000, 30_000],
    );
    assert.equal(f.metrics.get(arn, 'MissedSlots'), 28);
  });

  it('a week down with rate(1 minute) writes 11 MISSED rows, not 10 080', async () => {
    await using f = await firingFixture(T0, { maxLatenessMs: 0 });
    const arn = f.rules.put('minutely', 'rate(1 minute)', T0);
    await f.start();
    await f.runUntil(T0 + MIN);
    await f.restart();
    await f.clock.set(T0 + 7 * DAY + MIN + 1);
    await f.start();
    const slots = await f.history.slots({ ruleArn: arn, limit: 100 });
    assert.equal(slots.length, 12);
    const summary = slots.at(-1)!;
    assert.equal(summary.status, 'MISSED');
    assert.equal(summary.slotCount, 7 * 24 * 60 - 10);
    assert.equal(summary.nominalMs, T0 + 7 * DAY + MIN);
    const missedEvent = f.log.find((e) => e.type === 'firing:missed');
    assert.deepEqual(missedEvent, {
      type: 'firing:missed',
      ruleArn: arn,
      firstMs: T0 + 2 * MIN,
      lastMs: T0 + 7 * DAY + MIN,
      count: 7 * 24 * 60,
    });
  });

  it('catchUp "latest" fires the most recent missed slot once', async () => {
    await using f = await firingFixture(T0, { maxLatenessMs: 0, catchUp: 'latest' });
    const arn = f.rules.put('hourly', 'rate(1 hour)', T0);
    await f.start();
    await f.runUntil(T0 + HOUR);
    await f.restart();
    await f.clock.set(T0 + 5 * HOUR + 10 * MIN);
    await f.start();
    const slots = await f.history.slots({ ruleArn: arn });
    assert.deepEqual(
      slots.map((s) => [(s.nominalMs - T0) / HOUR, s.status]),
      [
        [1, 'FIRED'],
        [2, 'MISSED'],
        [3, 'MISSED'],
        [4, 'MISSED'],
        [5, 'FIRED'],
      ],
    );
  });

  it('two loops on one store: each slot is fired by one of them only', async () => {
    await using a = await firingFixture(T0);
    const b = await firingFixture(
      T0,
      {},
      { store: a.store, clock: a.clock, rules: a.rules, ecs: a.ecs },
    );
    try {
      a.rules.put('shared', 'rate(1 minute)', T0);
      await a.start();
      await b.start();
      await a.runUntil(T0 + 5 * MIN);
      await b.loop.idle();
      await b.invoker.idle();
      const firedA = a.log.filter((e) => e.type === 'firing:slot').length;
      const firedB = b.log.filter((e) => e.type === 'firing:slot').length;
      const dupA = a.log.filter((e) => e.type === 'firing:duplicate').length;
      const dupB = b.log.filter((e) => e.type === 'firing:duplicate').length;
      assert.equal(firedA + firedB, 5);
      assert.equal(dupA + dupB, 5);
      assert.equal(a.ecs.requests.length, 5);
    } finally {
      await b.loop.stop();
      await b.invoker.stop();
    }
  });
});
