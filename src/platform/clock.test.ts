import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ManualClock, SystemClock } from './clock.ts';

describe('ManualClock', () => {
  it('fires timers in due order while advancing, and only those that fall due', async () => {
    const clock = new ManualClock('2026-01-01T00:00:00Z');
    const fired: string[] = [];
    const t0 = clock.now();
    clock.setTimer(t0 + 3000, () => fired.push(`c@${clock.now() - t0}`));
    clock.setTimer(t0 + 1000, () => fired.push(`a@${clock.now() - t0}`));
    clock.setTimer(t0 + 1000, () => fired.push(`b@${clock.now() - t0}`));
    clock.setTimer(t0 + 9000, () => fired.push('late'));
    await clock.advance(5000);
    assert.deepEqual(fired, ['a@1000', 'b@1000', 'c@3000']);
    assert.equal(clock.now() - t0, 5000);
    assert.equal(clock.pendingTimers(), 1);
  });

  it('resumes sleepers and lets their continuations schedule further timers', async () => {
    const clock = new ManualClock(0);
    const log: number[] = [];
    const loop = (async () => {
      for (let i = 0; i < 3; i++) {
        await clock.sleep(100);
        log.push(clock.now());
      }
    })();
    await clock.advance(1000);
    await loop;
    assert.deepEqual(log, [100, 200, 300]);
  });

  it('cancels timers and rejects aborted sleeps', async () => {
    const clock = new ManualClock(0);
    let fired = false;
    clock.setTimer(10, () => (fired = true)).cancel();
    const controller = new AbortController();
    const sleeping = clock.sleepUntil(50, controller.signal);
    controller.abort(new Error('stop'));
    await assert.rejects(sleeping, /stop/);
    await clock.advance(100);
    assert.equal(fired, false);
  });

  it('moves backwards without firing anything', async () => {
    const clock = new ManualClock(1000);
    let fired = 0;
    clock.setTimer(1500, () => fired++);
    await clock.set(500);
    assert.equal(clock.now(), 500);
    assert.equal(fired, 0);
    await clock.set(1500);
    assert.equal(fired, 1);
  });
});

describe('SystemClock', () => {
  it('fires a timer that is already due at once, and reads the real time', async () => {
    const clock = new SystemClock();
    const before = clock.now();
    await clock.sleepUntil(before - 1);
    assert.ok(Math.abs(clock.now() - before) < 60_000);
  });
});
