import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ManualClock } from '../platform/clock.ts';
import { nextFires } from '../expressions/index.ts';
import { openStore } from '../store/open-store.ts';
import { FiringLoop } from './firing-loop.ts';
import type { ClaimedSlot, SlotInvoker } from './firing.types.ts';
import { MemoryScheduleSource, TEST_RULE_PREFIX } from './memory-schedule.source.ts';

const T0 = Date.parse('2026-03-02T00:00:00Z');
const HOUR = 3_600_000;

describe('FiringLoop scale check (not a timing assertion)', () => {
  it('indexes 100k rules and fires each one once in its first period', async () => {
    const N = 100_000;
    await using store = await openStore({ dataDir: ':memory:' });
    const clock = new ManualClock(T0);
    const rules = new MemoryScheduleSource();
    for (let i = 0; i < N; i++) {
      rules.seed({
        arn: `${TEST_RULE_PREFIX}r${i}`,
        name: `r${i}`,
        sourceName: 'default',
        dialect: 'rule',
        timezone: 'UTC',
        // Spread over the hour; every 10th one a cron to mix kinds.
        expression: i % 10 === 0 ? `cron(${i % 60} * * * ? *)` : 'rate(1 hour)',
        enabled: true,
        anchorMs: T0 + (i % 600) * 6000,
        targets: [],
      });
    }
    const END = T0 + HOUR + 599 * 6000;
    let want = 0;
    for (const rule of rules.all()) {
      want += nextFires(rule.expression, {
        after: rule.anchorMs,
        anchor: rule.anchorMs,
        count: 5,
      }).filter((d) => d.getTime() <= END).length;
    }
    const fired: ClaimedSlot[] = [];
    const invoker: SlotInvoker = { invokeSlot: async (s) => void fired.push(s) };
    global.gc?.();
    // The index lives in typed arrays and buffers (off the JS heap): count those.
    const before = process.memoryUsage().arrayBuffers;
    const loop = new FiringLoop({
      store,
      clock,
      sources: [rules],
      invoker,
    });
    await loop.start();
    global.gc?.();
    const bytesPerRule = (process.memoryUsage().arrayBuffers - before) / N;
    console.log(`scale: ${N} rules indexed, ~${Math.round(bytesPerRule)} bytes/rule of index`);
    assert.equal(loop.ruleCount, N);
    assert.equal(clock.pendingTimers(), 1);
    for (;;) {
      const next = clock.nextTimerAt();
      if (next === undefined || next > END) break;
      await clock.set(next);
      await loop.idle();
    }
    await loop.stop();
    // Every rate rule fires once (at anchor + 1 h); crons once or twice.
    const perRule = new Map<string, number>();
    for (const s of fired) perRule.set(s.ruleArn, (perRule.get(s.ruleArn) ?? 0) + 1);
    assert.equal(perRule.size, N);
    assert.equal(fired.length, want);
    assert.ok(want > N);
    assert.ok(fired.every((s) => s.firedAtMs === s.nominalMs));
  });
});
