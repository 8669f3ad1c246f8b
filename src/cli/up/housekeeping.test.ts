import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ManualClock } from '../../platform/clock.ts';
import { Housekeeping, type PurgeResult } from './housekeeping.ts';

const NOTHING: PurgeResult = { tasks: 0, events: 0, slots: 0, deadLetters: 0 };
const DAY = 86_400_000;

function setup(results: (Partial<PurgeResult> | Error)[]) {
  const clock = new ManualClock(1_000_000);
  const calls: number[] = [];
  const cutoffs: number[] = [];
  const purged: PurgeResult[] = [];
  const errors: string[] = [];
  let round = 0;
  let current: PurgeResult | Error = NOTHING;
  const housekeeping = new Housekeeping({
    clock,
    intervalMs: 60_000,
    tasks: {
      purgeExpiredTasks: async (now) => {
        calls.push(now ?? -1);
        const next = results[round++] ?? {};
        current = next instanceof Error ? next : { ...NOTHING, ...next };
        if (current instanceof Error) throw current;
        return current.tasks;
      },
    },
    logs: {
      purgeExpiredEvents: async () => (current instanceof Error ? 0 : current.events),
    },
    history: {
      purgeBefore: async (cutoffMs) => {
        cutoffs.push(cutoffMs);
        return current instanceof Error ? NOTHING : current;
      },
    },
    historyRetentionMs: 30 * DAY,
    onPurged: (r) => purged.push(r),
    onError: (e) => errors.push(e.message),
  });
  return { clock, calls, cutoffs, purged, errors, housekeeping };
}

describe('up housekeeping', () => {
  it('purges at start and then every interval of the clock, reporting only real work', async () => {
    const fx = setup([{ tasks: 2, events: 5 }, {}, { events: 1 }, { slots: 3, deadLetters: 1 }]);
    fx.housekeeping.start();
    await fx.clock.advance(0);
    assert.deepEqual(fx.calls, [1_000_000]);
    await fx.clock.advance(59_999);
    assert.equal(fx.calls.length, 1);
    await fx.clock.advance(1);
    await fx.clock.advance(60_000);
    await fx.clock.advance(60_000);
    assert.deepEqual(fx.calls, [1_000_000, 1_060_000, 1_120_000, 1_180_000]);
    // History older than the retention, measured from each round's clock reading.
    assert.deepEqual(
      fx.cutoffs,
      fx.calls.map((now) => now - 30 * DAY),
    );
    assert.deepEqual(fx.purged, [
      { ...NOTHING, tasks: 2, events: 5 },
      { ...NOTHING, events: 1 },
      { ...NOTHING, slots: 3, deadLetters: 1 },
    ]);
    await fx.housekeeping.stop();
    await fx.clock.advance(600_000);
    assert.equal(fx.calls.length, 4);
    assert.equal(fx.clock.pendingTimers(), 0);
  });

  it('reports a failed round and keeps going', async () => {
    const fx = setup([new Error('database is locked'), { tasks: 1 }]);
    fx.housekeeping.start();
    await fx.clock.advance(60_000);
    assert.deepEqual(fx.errors, ['database is locked']);
    assert.deepEqual(fx.purged, [{ ...NOTHING, tasks: 1 }]);
    await fx.housekeeping.stop();
  });
});
