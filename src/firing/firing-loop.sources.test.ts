/**
 * What a scheduled thing carries besides its expression: a time zone, start and end instants, and
 * a source of its own. Run on the in-memory source with a recording invoker (no ECS involved).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ManualClock } from '../platform/clock.ts';
import { openStore } from '../store/open-store.ts';
import { FiringLoop } from './firing-loop.ts';
import type { ClaimedSlot, SlotInvoker } from './firing.types.ts';
import { MemoryScheduleSource } from './memory-schedule.source.ts';

const T0 = Date.parse('2026-03-02T00:00:00Z');
const HOUR = 3_600_000;
const SCHEDULES = 'arn:aws:scheduler:us-east-1:123456789012:schedule/default/';

/** Runs a loop over the sources until `endMs`, timer by timer; returns the slots handed over. */
async function fire(sources: MemoryScheduleSource[], endMs: number): Promise<ClaimedSlot[]> {
  await using store = await openStore({ dataDir: ':memory:' });
  const clock = new ManualClock(T0);
  const fired: ClaimedSlot[] = [];
  const invoker: SlotInvoker = { invokeSlot: async (s) => void fired.push(s) };
  const loop = new FiringLoop({ store, clock, sources, invoker });
  await loop.start();
  for (;;) {
    const next = clock.nextTimerAt();
    if (next === undefined || next > endMs) break;
    await clock.set(Math.max(next, clock.now()));
    await loop.idle();
  }
  await loop.stop();
  return fired;
}

const iso = (slots: ClaimedSlot[]) => slots.map((s) => new Date(s.nominalMs).toISOString());

describe('FiringLoop over scheduled things', () => {
  it('reads cron() on the wall clock of the thing’s time zone', async () => {
    const scheduler = new MemoryScheduleSource({ prefix: SCHEDULES });
    // 09:00 in Tokyo (UTC+9, no DST) is 00:00 UTC.
    scheduler.put('tokyo', 'cron(0 9 * * ? *)', T0, {
      dialect: 'scheduler',
      timezone: 'Asia/Tokyo',
    });
    const rules = new MemoryScheduleSource();
    rules.put('utc', 'cron(0 9 * * ? *)', T0);
    const fired = await fire([rules, scheduler], T0 + 48 * HOUR);
    assert.deepEqual(
      fired.map((s) => [s.ruleArn.split('/').at(-1), new Date(s.nominalMs).toISOString()]),
      [
        ['utc', '2026-03-02T09:00:00.000Z'],
        ['tokyo', '2026-03-03T00:00:00.000Z'],
        ['utc', '2026-03-03T09:00:00.000Z'],
        ['tokyo', '2026-03-04T00:00:00.000Z'],
      ],
    );
  });

  it('fires no slot before the start or after the end (both inclusive)', async () => {
    const scheduler = new MemoryScheduleSource({ prefix: SCHEDULES });
    scheduler.put('window', 'rate(1 hour)', T0, {
      dialect: 'scheduler',
      startMs: T0 + 3 * HOUR,
      endMs: T0 + 5 * HOUR,
    });
    scheduler.put('cron-window', 'cron(30 * * * ? *)', T0, {
      dialect: 'scheduler',
      startMs: T0 + 2 * HOUR + 30 * 60_000,
      endMs: T0 + 4 * HOUR,
    });
    const fired = await fire([scheduler], T0 + 10 * HOUR);
    assert.deepEqual(iso(fired.filter((s) => s.ruleArn.endsWith('/window'))), [
      '2026-03-02T03:00:00.000Z',
      '2026-03-02T04:00:00.000Z',
      '2026-03-02T05:00:00.000Z',
    ]);
    assert.deepEqual(iso(fired.filter((s) => s.ruleArn.endsWith('/cron-window'))), [
      '2026-03-02T02:30:00.000Z',
      '2026-03-02T03:30:00.000Z',
    ]);
  });
});
