import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { classifyEvents } from './log-events.put.ts';
import { CTX, logsFixture, rejectsWith, T0 } from './logs.test-support.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

async function withStream() {
  const f = await logsFixture();
  await f.logs.createLogGroup(CTX, { logGroupName: 'g' });
  await f.logs.createLogStream(CTX, { logGroupName: 'g', logStreamName: 's' });
  return f;
}

async function stored(f: Awaited<ReturnType<typeof withStream>>): Promise<string[]> {
  const out = await f.logs.getLogEvents(CTX, {
    logGroupName: 'g',
    logStreamName: 's',
    startFromHead: true,
  });
  return out.events.map((e) => e.message);
}

describe('PutLogEvents', () => {
  it('stores events with the Clock ingestion time and returns a sequence token', async () => {
    await using f = await withStream();
    await f.clock.advance(5000);
    const first = await f.logs.putLogEvents(CTX, {
      logGroupName: 'g',
      logStreamName: 's',
      logEvents: [
        { timestamp: T0, message: 'one' },
        { timestamp: T0, message: 'two' },
      ],
      sequenceToken: 'ignored',
    });
    assert.deepEqual(first, { nextSequenceToken: '2'.padStart(56, '0') });
    const second = await f.logs.putLogEvents(CTX, {
      logGroupName: 'g',
      logStreamName: 's',
      logEvents: [{ timestamp: T0 + 1, message: 'three' }],
    });
    assert.equal(second.nextSequenceToken, '3'.padStart(56, '0'));
    const got = await f.logs.getLogEvents(CTX, {
      logGroupName: 'g',
      logStreamName: 's',
      startFromHead: true,
    });
    assert.deepEqual(got.events, [
      { timestamp: T0, message: 'one', ingestionTime: T0 + 5000 },
      { timestamp: T0, message: 'two', ingestionTime: T0 + 5000 },
      { timestamp: T0 + 1, message: 'three', ingestionTime: T0 + 5000 },
    ]);
  });

  it('rejects too-old, expired and too-new events individually with AWS indices', async () => {
    await using f = await withStream();
    await f.logs.putRetentionPolicy(CTX, { logGroupName: 'g', retentionInDays: 1 });
    // Sorted batch: 20 d old (too old + expired), 2 d old (expired), 1 h old (ok), now (ok),
    // +2 h exactly (ok), +2 h 1 ms (too new), +1 d (too new).
    const out = await f.logs.putLogEvents(CTX, {
      logGroupName: 'g',
      logStreamName: 's',
      logEvents: [
        { timestamp: T0 - 20 * DAY, message: 'ancient' },
        { timestamp: T0 - 2 * DAY, message: 'expired' },
        { timestamp: T0 - HOUR, message: 'ok1' },
        { timestamp: T0, message: 'ok2' },
        { timestamp: T0 + 2 * HOUR, message: 'ok3' },
        { timestamp: T0 + 2 * HOUR + 1, message: 'future1' },
        { timestamp: T0 + DAY, message: 'future2' },
      ],
    });
    assert.deepEqual(out.rejectedLogEventsInfo, {
      tooNewLogEventStartIndex: 5,
      tooOldLogEventEndIndex: 1,
      expiredLogEventEndIndex: 2,
    });
    assert.deepEqual(await stored(f), ['ok1', 'ok2', 'ok3']);
  });

  it('answers 200 with tooOldLogEventEndIndex for a 30-day-old event (aws-verified case)', async () => {
    await using f = await withStream();
    const out = await f.logs.putLogEvents(CTX, {
      logGroupName: 'g',
      logStreamName: 's',
      logEvents: [{ timestamp: T0 - 30 * DAY, message: 'old' }],
    });
    assert.deepEqual(out, {
      nextSequenceToken: '0'.padStart(56, '0'),
      rejectedLogEventsInfo: { tooOldLogEventEndIndex: 1 },
    });
    const ahead = await f.logs.putLogEvents(CTX, {
      logGroupName: 'g',
      logStreamName: 's',
      logEvents: [{ timestamp: T0 + DAY, message: 'ahead' }],
    });
    assert.deepEqual(ahead.rejectedLogEventsInfo, { tooNewLogEventStartIndex: 0 });
    assert.deepEqual(await stored(f), []);
  });

  it('classifies the 14-day boundary: exactly 14 days old is accepted', () => {
    const now = T0;
    const r = classifyEvents(
      [
        { timestamp: now - 14 * DAY - 1, message: 'a' },
        { timestamp: now - 14 * DAY, message: 'b' },
      ],
      now,
      0,
    );
    assert.deepEqual(r.rejected, { tooOldLogEventEndIndex: 1 });
    assert.deepEqual(
      r.accepted.map((e) => e.message),
      ['b'],
    );
  });

  it('fails the whole call for out-of-order events, leaving the stream unchanged', async () => {
    await using f = await withStream();
    await rejectsWith(
      f.logs.putLogEvents(CTX, {
        logGroupName: 'g',
        logStreamName: 's',
        logEvents: [
          { timestamp: T0 + 1, message: 'b' },
          { timestamp: T0, message: 'a' },
        ],
      }),
      'InvalidParameterException',
      'Log events in a single PutLogEvents request must be in chronological order.',
    );
    assert.deepEqual(await stored(f), []);
  });

  it('fails when the accepted events span more than 24 hours', async () => {
    await using f = await withStream();
    await rejectsWith(
      f.logs.putLogEvents(CTX, {
        logGroupName: 'g',
        logStreamName: 's',
        logEvents: [
          { timestamp: T0 - DAY - 1, message: 'a' },
          { timestamp: T0, message: 'b' },
        ],
      }),
      'InvalidParameterException',
      'The batch of log events in a single PutLogEvents request cannot span more than 24 hours.',
    );
    // Exactly 24 hours is fine, and rejected events do not count towards the span.
    const ok = await f.logs.putLogEvents(CTX, {
      logGroupName: 'g',
      logStreamName: 's',
      logEvents: [
        { timestamp: T0 - 20 * DAY, message: 'dropped' },
        { timestamp: T0 - DAY, message: 'a' },
        { timestamp: T0, message: 'b' },
      ],
    });
    assert.deepEqual(ok.rejectedLogEventsInfo, { tooOldLogEventEndIndex: 1 });
    assert.deepEqual(await stored(f), ['a', 'b']);
  });

  it('enforces the byte limit with 26 bytes per event', async () => {
    await using f = await withStream();
    // 4 events of 262,118 bytes + 26 = 1,048,576 bytes exactly: accepted.
    const big = 'x'.repeat(262_118);
    const ok = await f.logs.putLogEvents(CTX, {
      logGroupName: 'g',
      logStreamName: 's',
      logEvents: [0, 1, 2, 3].map((i) => ({ timestamp: T0 + i, message: big })),
    });
    assert.equal(ok.rejectedLogEventsInfo, undefined);
    // One more byte (a 2-byte character replacing one ASCII byte) is over the limit.
    await rejectsWith(
      f.logs.putLogEvents(CTX, {
        logGroupName: 'g',
        logStreamName: 's',
        logEvents: [0, 1, 2, 3].map((i) => ({
          timestamp: T0 + i,
          message: i === 3 ? `é${big.slice(1)}` : big,
        })),
      }),
      'InvalidParameterException',
      'Upload too large: 1048577 bytes exceeds limit of 1048576',
    );
  });

  it('enforces the event count and member constraints', async () => {
    await using f = await withStream();
    const tooMany = Array.from({ length: 10_001 }, (_, i) => ({ timestamp: T0, message: `m${i}` }));
    await assert.rejects(
      f.logs.putLogEvents(CTX, { logGroupName: 'g', logStreamName: 's', logEvents: tooMany }),
      (err: Error & { code?: string }) =>
        err.code === 'InvalidParameterException' &&
        err.message.startsWith("1 validation error detected: Value '[{timestamp=") &&
        err.message.endsWith(
          "...' at 'logEvents' failed to satisfy constraint: Member must have length less than or equal to 10000",
        ),
    );
    await rejectsWith(
      f.logs.putLogEvents(CTX, { logGroupName: 'g', logStreamName: 's', logEvents: [] }),
      'InvalidParameterException',
      "1 validation error detected: Value '[]' at 'logEvents' failed to satisfy constraint: " +
        'Member must have length greater than or equal to 1',
    );
    await rejectsWith(
      f.logs.putLogEvents(CTX, {
        logGroupName: 'g',
        logStreamName: 's',
        logEvents: [{ timestamp: T0, message: 'ok' }, { message: '' } as never],
      }),
      'InvalidParameterException',
      "2 validation errors detected: Value null at 'logEvents.2.member.timestamp' failed to " +
        "satisfy constraint: Member must not be null; Value '' at 'logEvents.2.member.message' " +
        'failed to satisfy constraint: Member must have length greater than or equal to 1',
    );
    assert.deepEqual(await stored(f), []);
  });

  it('does not create missing streams or groups', async () => {
    await using f = await withStream();
    await rejectsWith(
      f.logs.putLogEvents(CTX, {
        logGroupName: 'g',
        logStreamName: 'other',
        logEvents: [{ timestamp: T0, message: 'x' }],
      }),
      'ResourceNotFoundException',
      'The specified log stream does not exist.',
    );
    await rejectsWith(
      f.logs.putLogEvents(CTX, {
        logGroupName: 'h',
        logStreamName: 's',
        logEvents: [{ timestamp: T0, message: 'x' }],
      }),
      'ResourceNotFoundException',
      'The specified log group does not exist.',
    );
  });
});
