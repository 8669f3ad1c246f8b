import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { Clock, ManualClock, Timer } from '../platform/clock.ts';
import { nextFires } from '../expressions/index.ts';
import { firingFixture } from './test-support/firing-fixture.ts';
import { ecsTarget } from './test-support/ecs-target.ts';

/**
 * Time moves 1 ms each time a timer is set, and a timer whose time has come by then is called
 * back at once, from inside setTimer, as SystemClock does.
 */
class SteppingClock implements Clock {
  #offsetMs = 0;
  /** Timers called back from inside setTimer. */
  calledInside = 0;
  constructor(readonly inner: ManualClock) {}
  now(): number {
    return this.inner.now() + this.#offsetMs;
  }
  setTimer(atMs: number, callback: () => void): Timer {
    this.#offsetMs += 1;
    if (atMs <= this.now()) {
      this.calledInside++;
      callback();
      return { cancel: () => {} };
    }
    return this.inner.setTimer(atMs - this.#offsetMs, callback);
  }
  sleepUntil(atMs: number, signal?: AbortSignal): Promise<void> {
    return this.inner.sleepUntil(atMs - this.#offsetMs, signal);
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return this.inner.sleep(ms, signal);
  }
}

const T0 = Date.parse('2026-03-02T10:00:00Z');
const SEC = 1000;
const MIN = 60 * SEC;
const AHEAD = 2 * SEC;

/** Store rows of one rule, as the exactly-once ledger holds them. */
async function rows(f: Awaited<ReturnType<typeof firingFixture>>, ruleArn: string) {
  return f.store.db
    .selectFrom('firing_slots')
    .select(['nominal_ms', 'status', 'fired_at_ms'])
    .where('rule_arn', '=', ruleArn)
    .orderBy('nominal_ms')
    .execute();
}

describe('FiringLoop claiming ahead', () => {
  it('commits a slot before its time and hands it over exactly at it', async () => {
    await using f = await firingFixture(T0, { claimAheadMs: AHEAD });
    const arn = f.rules.put('minutely', 'rate(1 minute)', T0);
    await f.start();
    // Half the window before the slot the row is committed, but nothing is handed over yet.
    await f.runUntil(T0 + MIN - AHEAD / 2);
    assert.deepEqual(
      (await rows(f, arn)).map((r) => [Number(r.nominal_ms), r.status]),
      [[T0 + MIN, 'FIRING']],
    );
    assert.equal(f.log.filter((e) => e.type === 'firing:slot').length, 0);
    assert.equal(f.loop.claimedAhead, 1);
    assert.equal(f.loop.nextSlotOf(arn), T0 + MIN);
    assert.equal(f.ecs.requests.length, 0);
    await f.runUntil(T0 + 5 * MIN);
    const slots = f.log.flatMap((e) => (e.type === 'firing:slot' ? [e] : []));
    assert.deepEqual(
      slots.map((e) => [(e.nominalMs - T0) / MIN, e.firedAtMs - e.nominalMs]),
      [
        [1, 0],
        [2, 0],
        [3, 0],
        [4, 0],
        [5, 0],
      ],
    );
    const history = await f.history.slots({ ruleArn: arn });
    assert.ok(history.every((s) => s.status === 'FIRED' && s.lagMs === 0));
    // At rest: the one timer, for the next claim (minute 6 is claimed at 5:59).
    assert.equal(f.clock.pendingTimers(), 1);
    assert.equal(f.clock.nextTimerAt(), T0 + 6 * MIN - AHEAD / 2);
  });

  it('a top-of-the-minute burst is claimed in many short transactions, all on time', async () => {
    await using f = await firingFixture(T0, { claimAheadMs: AHEAD, claimBatchSize: 8 });
    const arns = Array.from({ length: 100 }, (_, i) =>
      f.rules.put(`hourly-${i}`, 'cron(5 * * * ? *)', T0),
    );
    await f.start();
    await f.runUntil(T0 + 6 * MIN);
    const fired = f.log.flatMap((e) => (e.type === 'firing:slot' ? [e] : []));
    assert.equal(fired.length, 100);
    assert.ok(fired.every((e) => e.nominalMs === T0 + 5 * MIN && e.firedAtMs === e.nominalMs));
    assert.deepEqual(new Set(fired.map((e) => e.ruleArn)), new Set(arns));
  });

  it('matches nextFires over a day of mixed rules, each slot once', async () => {
    await using f = await firingFixture(T0, { claimAheadMs: AHEAD });
    const rules: [string, string, number][] = [
      ['a', 'rate(7 minutes)', T0 + 13 * SEC],
      ['b', 'cron(0/15 * * * ? *)', T0],
      ['c', 'rate(1 minute)', T0 + 500],
    ];
    for (const [name, expression, anchor] of rules) f.rules.put(name, expression, anchor);
    await f.start();
    const END = T0 + 24 * 60 * MIN;
    await f.runUntil(END);
    for (const [name, expression, anchor] of rules) {
      const want = nextFires(expression, { after: anchor, anchor, count: 10_000 })
        .map((d) => d.getTime())
        .filter((t) => t <= END);
      const got = f.log.flatMap((e) =>
        e.type === 'firing:slot' && e.ruleArn.endsWith(`/${name}`) ? [e.nominalMs] : [],
      );
      assert.deepEqual(got, want, name);
    }
    assert.ok(
      f.log.every((e) => e.type !== 'firing:slot' || e.firedAtMs === e.nominalMs),
      'every slot on time',
    );
  });

  it('a stop leaves a claimed slot FIRING; the next start hands it over at its time, not before', async () => {
    await using f = await firingFixture(T0, { claimAheadMs: AHEAD });
    const arn = f.rules.put('minutely', 'rate(1 minute)', T0);
    await f.start();
    await f.runUntil(T0 + MIN - AHEAD / 4); // claimed, 0.5 s before its time
    await f.restart();
    await f.start();
    await f.runUntil(T0 + MIN - 1);
    assert.equal(f.ecs.requests.length, 0, 'not handed over early');
    await f.runUntil(T0 + 3 * MIN);
    assert.equal(f.ecs.requests.length, 3);
    const history = await f.history.slots({ ruleArn: arn });
    assert.deepEqual(
      history.map((s) => [(s.nominalMs - T0) / MIN, s.status, s.lagMs]),
      [
        [1, 'FIRED', 0],
        [2, 'FIRED', 0],
        [3, 'FIRED', 0],
      ],
    );
  });

  it('a rule deleted after its slot was claimed: the slot is handed over and SKIPPED', async () => {
    await using f = await firingFixture(T0, { claimAheadMs: AHEAD });
    const arn = f.rules.put('job', 'rate(1 minute)', T0);
    await f.start();
    await f.runUntil(T0 + MIN - AHEAD / 4);
    f.rules.delete(arn);
    await f.runUntil(T0 + 5 * MIN);
    assert.deepEqual(
      (await f.history.slots({ ruleArn: arn })).map((s) => [s.status, s.reason]),
      [['SKIPPED', 'rule deleted before delivery']],
    );
    assert.equal(f.ecs.requests.length, 0);
  });

  it('a new expression after its slot was claimed: the slot is SKIPPED, the new one fires', async () => {
    await using f = await firingFixture(T0, { claimAheadMs: AHEAD });
    const arn = f.rules.put('job', 'rate(1 minute)', T0);
    await f.start();
    await f.runUntil(T0 + MIN - AHEAD / 4);
    assert.equal(f.loop.claimedAhead, 1);
    // PutRule with another expression restarts the phase at the edit (as the events domain does).
    const edited = T0 + MIN - AHEAD / 4;
    f.rules.update(arn, { expression: 'rate(5 minutes)', anchorMs: edited });
    await f.runUntil(edited + 5 * MIN);
    assert.deepEqual(
      (await f.history.slots({ ruleArn: arn })).map((s) => [s.nominalMs - T0, s.status, s.reason]),
      [
        [MIN, 'SKIPPED', 'schedule changed before delivery'],
        [edited + 5 * MIN - T0, 'FIRED', undefined],
      ],
    );
    assert.equal(f.ecs.requests.length, 1);
  });

  it('a claimed slot is still delivered when only the targets changed', async () => {
    await using f = await firingFixture(T0, { claimAheadMs: AHEAD });
    const arn = f.rules.put('job', 'cron(1 10 * * ? *)', T0);
    await f.start();
    await f.runUntil(T0 + MIN - AHEAD / 4);
    assert.equal(f.loop.claimedAhead, 1);
    f.rules.update(arn, { targets: [ecsTarget('other')] });
    await f.runUntil(T0 + 2 * MIN);
    assert.deepEqual(
      (await f.history.slots({ ruleArn: arn })).map((s) => [s.nominalMs - T0, s.status]),
      [[MIN, 'FIRED']],
    );
    assert.equal(f.ecs.requests.length, 1);
  });

  it('nextDue names the earliest slot not yet handed over, claimed ahead or not', async () => {
    await using f = await firingFixture(T0, { claimAheadMs: AHEAD });
    const minutely = f.rules.put('minutely', 'rate(1 minute)', T0);
    const hourly = f.rules.put('hourly', 'rate(1 hour)', T0);
    await f.start();
    assert.deepEqual(f.loop.nextDue(), { ruleArn: minutely, atMs: T0 + MIN });
    // Claimed but not yet handed over: still the next slot.
    await f.runUntil(T0 + MIN - AHEAD / 4);
    assert.equal(f.loop.claimedAhead, 1);
    assert.deepEqual(f.loop.nextDue(), { ruleArn: minutely, atMs: T0 + MIN });
    // A deleted rule's claimed slot is not next; the other rule's is.
    f.rules.delete(minutely);
    await f.loop.idle();
    assert.deepEqual(f.loop.nextDue(), { ruleArn: hourly, atMs: T0 + 60 * MIN });
    f.rules.delete(hourly);
    await f.loop.idle();
    assert.equal(f.loop.nextDue(), undefined);
  });

  it('late slots are handed over as soon as they are committed', async () => {
    await using f = await firingFixture(T0, { claimAheadMs: AHEAD, maxLatenessMs: 2 * MIN });
    const arn = f.rules.put('minutely', 'rate(1 minute)', T0);
    await f.start();
    await f.runUntil(T0 + 2 * MIN + 10 * SEC);
    await f.restart();
    // Down until 6:30: minutes 3 and 4 are beyond the 2-minute window, 5 and 6 inside it.
    await f.clock.set(T0 + 6 * MIN + 30 * SEC);
    await f.start();
    await f.runUntil(T0 + 7 * MIN);
    const history = await f.history.slots({ ruleArn: arn });
    assert.deepEqual(
      history.map((s) => [(s.nominalMs - T0) / MIN, s.status, s.lagMs]),
      [
        [1, 'FIRED', 0],
        [2, 'FIRED', 0],
        [3, 'MISSED', undefined],
        [4, 'MISSED', undefined],
        [5, 'FIRED', 90 * SEC],
        [6, 'FIRED', 30 * SEC],
        [7, 'FIRED', 0],
      ],
    );
  });

  it('a clock calling back from inside setTimer neither loses nor doubles a slot', async () => {
    let clock!: SteppingClock;
    const f = await firingFixture(
      T0,
      { claimAheadMs: AHEAD },
      undefined,
      (c) => (clock = new SteppingClock(c)),
    );
    await using _f = f;
    for (let i = 0; i < 20; i++) f.rules.put(`r${i}`, 'rate(1 minute)', T0 + i);
    await f.start();
    await f.runUntil(T0 + 10 * MIN + 100);
    const fired = f.log.flatMap((e) => (e.type === 'firing:slot' ? [e] : []));
    assert.equal(fired.length, 20 * 10);
    assert.equal(new Set(fired.map((e) => `${e.ruleArn} ${e.nominalMs}`)).size, 200);
    assert.ok(
      fired.every((e) => e.firedAtMs >= e.nominalMs),
      'never early',
    );
    assert.equal(f.clock.pendingTimers(), 1, 'no timer left behind');
    assert.ok(clock.calledInside > 0, 'the case under test happened');
  });
});
