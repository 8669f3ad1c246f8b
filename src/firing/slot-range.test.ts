import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { nextFires, parseScheduleExpression } from '../expressions/index.ts';
import { isSlotOf, NextSlotMemo, nextSlot } from './slot-range.ts';

const T0 = Date.parse('2026-03-02T00:00:00Z');

/** A small deterministic generator, so a failure names a reproducible case. */
function lcg(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
}

describe('nextSlot', () => {
  it('rate(): the arithmetic equals nextFires with an anchor, before and after it', () => {
    const random = lcg(1);
    for (const expression of [
      'rate(1 minute)',
      'rate(7 minutes)',
      'rate(5 hours)',
      'rate(3 days)',
    ]) {
      const schedule = parseScheduleExpression(expression, 'rule');
      for (let i = 0; i < 2000; i++) {
        const anchor = T0 + Math.floor(random() * 86_400_000);
        const after = anchor + Math.floor((random() - 0.2) * 30 * 86_400_000);
        const want = nextFires(schedule, { after, anchor })[0]?.getTime();
        assert.equal(nextSlot(schedule, anchor, after), want, `${expression} ${anchor} ${after}`);
      }
    }
  });

  it('cron(): memoised answers equal nextFires, whatever order the instants come in', () => {
    const random = lcg(2);
    for (const expression of [
      'cron(5 * * * ? *)',
      'cron(0/15 8-17 ? * MON-FRI *)',
      'cron(30 3 L * ? *)',
      'cron(0 12 29 2 ? 2028)',
    ]) {
      const schedule = parseScheduleExpression(expression, 'rule');
      const memo = new NextSlotMemo();
      for (let i = 0; i < 3000; i++) {
        // Clustered instants (as rules sharing an expression ask) and scattered ones.
        const after =
          i % 3 === 0
            ? T0 + Math.floor(random() * 5 * 366 * 86_400_000)
            : T0 + Math.floor(random() * 3 * 3_600_000);
        const want = nextFires(schedule, { after })[0]?.getTime();
        assert.equal(nextSlot(schedule, 0, after, memo), want, `${expression} after ${after}`);
      }
    }
  });
});

describe('isSlotOf', () => {
  const rule = (expression: string) => parseScheduleExpression(expression, 'rule');
  it('rate(): anchor + k·period for k ≥ 1 only', () => {
    const every5 = rule('rate(5 minutes)');
    const anchor = T0 + 1234;
    assert.equal(isSlotOf(every5, anchor, anchor + 5 * 60_000), true);
    assert.equal(isSlotOf(every5, anchor, anchor + 15 * 60_000), true);
    assert.equal(isSlotOf(every5, anchor, anchor + 5 * 60_000 + 1), false);
    assert.equal(isSlotOf(every5, anchor, anchor), false, 'the anchor itself never fires');
    assert.equal(isSlotOf(every5, anchor, anchor - 5 * 60_000), false);
  });

  it('cron(): its minutes after the anchor, whatever the anchor’s phase', () => {
    const at0305 = rule('cron(5 3 * * ? *)');
    assert.equal(isSlotOf(at0305, T0, T0 + (3 * 60 + 5) * 60_000), true);
    assert.equal(isSlotOf(at0305, T0 + 7, T0 + 86_400_000 + (3 * 60 + 5) * 60_000), true);
    assert.equal(isSlotOf(at0305, T0, T0 + (3 * 60 + 6) * 60_000), false);
    assert.equal(isSlotOf(at0305, T0 + 4 * 3_600_000, T0 + (3 * 60 + 5) * 60_000), false);
  });
});
