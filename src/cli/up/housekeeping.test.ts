import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ManualClock } from '../../platform/clock.ts';
import { Housekeeping, type PurgeResult } from './housekeeping.ts';

function setup(results: (PurgeResult | Error)[]) {
  const clock = new ManualClock(1_000_000);
  const calls: number[] = [];
  const purged: PurgeResult[] = [];
  const errors: string[] = [];
  let round = 0;
  let current: PurgeResult | Error = { tasks: 0, events: 0 };
  const housekeeping = new Housekeeping({
    clock,
    intervalMs: 60_000,
    tasks: {
      purgeExpiredTasks: async (now) => {
        calls.push(now ?? -1);
        current = results[round++] ?? { tasks: 0, events: 0 };
        if (current instanceof Error) throw current;
        return current.tasks;
      },
    },
    logs: {
      purgeExpiredEvents: async () => (current instanceof Error ? 0 : current.events),
    },
    onPurged: (r) => purged.push(r),
    onError: (e) => errors.push(e.message),
  });
  return { clock, calls, purged, errors, housekeeping };
}

describe('up housekeeping', () => {
  it('purges at start and then every interval of the clock, reporting only real work', async () => {
    const fx = setup([
      { tasks: 2, events: 5 },
      { tasks: 0, events: 0 },
      { tasks: 0, events: 1 },
    ]);
    fx.housekeeping.start();
    await fx.clock.advance(0);
    assert.deepEqual(fx.calls, [1_000_000]);
    await fx.clock.advance(59_999);
    assert.equal(fx.calls.length, 1);
    await fx.clock.advance(1);
    await fx.clock.advance(60_000);
    assert.deepEqual(fx.calls, [1_000_000, 1_060_000, 1_120_000]);
    assert.deepEqual(fx.purged, [
      { tasks: 2, events: 5 },
      { tasks: 0, events: 1 },
    ]);
    await fx.housekeeping.stop();
    await fx.clock.advance(600_000);
    assert.equal(fx.calls.length, 3);
    assert.equal(fx.clock.pendingTimers(), 0);
  });

  it('reports a failed round and keeps going', async () => {
    const fx = setup([new Error('database is locked'), { tasks: 1, events: 0 }]);
    fx.housekeeping.start();
    await fx.clock.advance(60_000);
    assert.deepEqual(fx.errors, ['database is locked']);
    assert.deepEqual(fx.purged, [{ tasks: 1, events: 0 }]);
    await fx.housekeeping.stop();
  });
});
