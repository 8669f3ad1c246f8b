import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { GetLogEventsInput } from './logs.types.ts';
import { CTX, type LogsFixture, logsFixture, rejectsWith, T0 } from './logs.test-support.ts';

/** A stream with events m0..m(n-1), two per millisecond from T0. */
async function streamWith(n: number): Promise<LogsFixture> {
  const f = await logsFixture();
  await f.logs.createLogGroup(CTX, { logGroupName: 'g' });
  await f.logs.createLogStream(CTX, { logGroupName: 'g', logStreamName: 's' });
  if (n === 0) return f;
  await f.logs.putLogEvents(CTX, {
    logGroupName: 'g',
    logStreamName: 's',
    logEvents: Array.from({ length: n }, (_, i) => ({
      timestamp: T0 + Math.floor(i / 2),
      message: `m${i}`,
    })),
  });
  return f;
}

const base = { logGroupName: 'g', logStreamName: 's' };
const msgs = (out: { events: { message: string }[] }) => out.events.map((e) => e.message);

describe('GetLogEvents', () => {
  it('returns the latest page by default and the oldest with startFromHead', async () => {
    await using f = await streamWith(5);
    assert.deepEqual(msgs(await f.logs.getLogEvents(CTX, { ...base, limit: 2 })), ['m3', 'm4']);
    assert.deepEqual(
      msgs(await f.logs.getLogEvents(CTX, { ...base, limit: 2, startFromHead: true })),
      ['m0', 'm1'],
    );
    const all = await f.logs.getLogEvents(CTX, base);
    assert.deepEqual(msgs(all), ['m0', 'm1', 'm2', 'm3', 'm4']);
    assert.match(all.nextForwardToken, /^f\/\d{56}$/);
    assert.match(all.nextBackwardToken, /^b\/\d{56}$/);
  });

  it('walks forward to the end, where the same token comes back', async () => {
    await using f = await streamWith(7);
    const seen: string[] = [];
    let input: GetLogEventsInput = { ...base, limit: 3, startFromHead: true };
    let calls = 0;
    for (;;) {
      const out = await f.logs.getLogEvents(CTX, input);
      calls++;
      seen.push(...msgs(out));
      if (out.nextForwardToken === input.nextToken) {
        assert.deepEqual(out.events, []);
        break;
      }
      input = { ...base, limit: 3, startFromHead: true, nextToken: out.nextForwardToken };
    }
    assert.deepEqual(seen, ['m0', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6']);
    // Pages of 3, 3, 1, then the empty page that returns the token it was given.
    assert.equal(calls, 4);
  });

  it('walks backward to the start, where the same token comes back', async () => {
    await using f = await streamWith(7);
    const pages: string[][] = [];
    let input: GetLogEventsInput = { ...base, limit: 3 };
    for (;;) {
      const out = await f.logs.getLogEvents(CTX, input);
      if (out.nextBackwardToken === input.nextToken) {
        assert.deepEqual(out.events, []);
        break;
      }
      pages.push(msgs(out));
      input = { ...base, limit: 3, nextToken: out.nextBackwardToken };
    }
    assert.deepEqual(pages, [['m4', 'm5', 'm6'], ['m1', 'm2', 'm3'], ['m0']]);
  });

  it('goes back and forth between neighbouring pages without gaps or repeats', async () => {
    await using f = await streamWith(6);
    const first = await f.logs.getLogEvents(CTX, { ...base, limit: 2, startFromHead: true });
    const second = await f.logs.getLogEvents(CTX, {
      ...base,
      limit: 2,
      nextToken: first.nextForwardToken,
    });
    assert.deepEqual(msgs(second), ['m2', 'm3']);
    const back = await f.logs.getLogEvents(CTX, {
      ...base,
      limit: 2,
      nextToken: second.nextBackwardToken,
    });
    assert.deepEqual(msgs(back), ['m0', 'm1']);
    const startBack = await f.logs.getLogEvents(CTX, {
      ...base,
      nextToken: first.nextBackwardToken,
    });
    assert.deepEqual(startBack.events, []);
    assert.equal(startBack.nextBackwardToken, first.nextBackwardToken);
    // From the empty start the forward token leads to the first event again.
    const again = await f.logs.getLogEvents(CTX, {
      ...base,
      limit: 1,
      nextToken: startBack.nextForwardToken,
    });
    assert.deepEqual(msgs(again), ['m0']);
  });

  it('follows new events with the last forward token (tail)', async () => {
    await using f = await streamWith(2);
    const page = await f.logs.getLogEvents(CTX, { ...base, startFromHead: true });
    const idle = await f.logs.getLogEvents(CTX, { ...base, nextToken: page.nextForwardToken });
    assert.equal(idle.nextForwardToken, page.nextForwardToken);
    await f.logs.putLogEvents(CTX, {
      ...base,
      logEvents: [{ timestamp: T0 + 100, message: 'late' }],
    });
    const more = await f.logs.getLogEvents(CTX, { ...base, nextToken: page.nextForwardToken });
    assert.deepEqual(msgs(more), ['late']);
  });

  it('returns tokens for an empty stream that pick up later events', async () => {
    await using f = await streamWith(0);
    const out = await f.logs.getLogEvents(CTX, base);
    assert.deepEqual(out.events, []);
    await f.logs.putLogEvents(CTX, { ...base, logEvents: [{ timestamp: T0, message: 'first' }] });
    const next = await f.logs.getLogEvents(CTX, { ...base, nextToken: out.nextForwardToken });
    assert.deepEqual(msgs(next), ['first']);
  });

  it('treats startTime as inclusive and endTime as exclusive', async () => {
    await using f = await streamWith(8);
    // Timestamps: m0,m1 @T0; m2,m3 @T0+1; m4,m5 @T0+2; m6,m7 @T0+3.
    const out = await f.logs.getLogEvents(CTX, {
      ...base,
      startTime: T0 + 1,
      endTime: T0 + 3,
      startFromHead: true,
    });
    assert.deepEqual(msgs(out), ['m2', 'm3', 'm4', 'm5']);
    const tail = await f.logs.getLogEvents(CTX, {
      ...base,
      startTime: T0 + 1,
      endTime: T0 + 3,
      limit: 1,
    });
    assert.deepEqual(msgs(tail), ['m5']);
  });

  it('caps a default page at 1 MB', async () => {
    await using f = await logsFixture();
    await f.logs.createLogGroup(CTX, { logGroupName: 'g' });
    await f.logs.createLogStream(CTX, { logGroupName: 'g', logStreamName: 's' });
    const big = 'y'.repeat(200_000);
    for (let batch = 0; batch < 2; batch++) {
      await f.logs.putLogEvents(CTX, {
        ...base,
        logEvents: [0, 1, 2, 3].map((i) => ({ timestamp: T0 + batch * 4 + i, message: big })),
      });
    }
    // 200,026 bytes each: five fit in 1,048,576, six do not.
    const first = await f.logs.getLogEvents(CTX, { ...base, startFromHead: true });
    assert.equal(first.events.length, 5);
    const rest = await f.logs.getLogEvents(CTX, { ...base, nextToken: first.nextForwardToken });
    assert.equal(rest.events.length, 3);
    assert.equal(rest.events[0]?.timestamp, T0 + 5);
  });

  it('validates limit and tokens with the verified messages', async () => {
    await using f = await streamWith(1);
    await rejectsWith(
      f.logs.getLogEvents(CTX, { ...base, limit: 10_001 }),
      'InvalidParameterException',
      "1 validation error detected: Value '10001' at 'limit' failed to satisfy constraint: " +
        'Member must have value less than or equal to 10000',
    );
    for (const nextToken of ['x', 'f/123', `f/${'9'.repeat(56)}`]) {
      await rejectsWith(
        f.logs.getLogEvents(CTX, { ...base, nextToken }),
        'InvalidParameterException',
        'The specified nextToken is invalid.',
      );
    }
    // A token minted for another stream is rejected too.
    await f.logs.createLogStream(CTX, { logGroupName: 'g', logStreamName: 't' });
    const other = await f.logs.getLogEvents(CTX, { logGroupName: 'g', logStreamName: 't' });
    await rejectsWith(
      f.logs.getLogEvents(CTX, { ...base, nextToken: other.nextForwardToken }),
      'InvalidParameterException',
      'The specified nextToken is invalid.',
    );
    await rejectsWith(
      f.logs.getLogEvents(CTX, { logGroupName: 'g', logStreamName: 'nope' }),
      'ResourceNotFoundException',
      'The specified log stream does not exist.',
    );
  });
});
