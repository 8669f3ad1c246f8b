import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { AwslogsWriter, MAX_EVENT_BYTES, splitMessage } from './awslogs-writer.ts';
import type { GetLogEventsInput, OutputLogEvent } from './logs.types.ts';
import { CTX, type LogsFixture, logsFixture, rejectsWith, T0 } from './logs.test-support.ts';

const base = { logGroupName: '/ecs/job', logStreamName: 'ecs/app/0123' };

/** Reads the whole stream from the head, following nextForwardToken until it repeats. */
async function readAll(f: LogsFixture): Promise<{ events: OutputLogEvent[]; calls: number }> {
  const events: OutputLogEvent[] = [];
  let input: GetLogEventsInput = { ...base, startFromHead: true };
  let calls = 0;
  for (;;) {
    const out = await f.logs.getLogEvents(CTX, input);
    calls++;
    events.push(...out.events);
    if (out.nextForwardToken === input.nextToken) return { events, calls };
    input = { ...base, startFromHead: true, nextToken: out.nextForwardToken };
  }
}

async function open(f: LogsFixture, extra: Partial<Parameters<typeof AwslogsWriter.open>[0]> = {}) {
  return AwslogsWriter.open({
    logs: f.logs,
    clock: f.clock,
    context: CTX,
    groupName: base.logGroupName,
    streamName: base.logStreamName,
    ...extra,
  });
}

describe('splitMessage', () => {
  it('leaves short lines alone and splits long ones at UTF-8 boundaries', () => {
    assert.deepEqual(splitMessage('hello'), ['hello']);
    const line = 'a'.repeat(MAX_EVENT_BYTES) + 'b';
    assert.deepEqual(splitMessage(line), ['a'.repeat(MAX_EVENT_BYTES), 'b']);
    // 'é' is 2 bytes: with a 5-byte limit 'aéé' (5 bytes) fits, 'aééé' splits before a char.
    assert.deepEqual(splitMessage('aééé', 5), ['aéé', 'é']);
    assert.deepEqual(splitMessage('€€€', 4), ['€', '€', '€']);
    const pieces = splitMessage('x€'.repeat(200_000));
    assert.equal(pieces.join(''), 'x€'.repeat(200_000));
    assert.ok(pieces.every((p) => Buffer.byteLength(p) <= MAX_EVENT_BYTES));
  });
});

describe('AwslogsWriter', () => {
  it('fails to open when the group is missing and create-group is off', async () => {
    await using f = await logsFixture();
    await rejectsWith(
      open(f),
      'ResourceNotFoundException',
      'The specified log group does not exist.',
    );
  });

  it('creates the group when allowed and the stream in any case', async () => {
    await using f = await logsFixture();
    const w = await open(f, { createGroup: true });
    await w.close();
    const streams = await f.logs.describeLogStreams(CTX, { logGroupName: base.logGroupName });
    assert.deepEqual(
      streams.logStreams.map((s) => s.logStreamName),
      [base.logStreamName],
    );
    // Opening again (a restarted container) reuses both.
    await (await open(f)).close();
  });

  it('publishes on the Clock timer, on full batches, and on flush', async () => {
    await using f = await logsFixture();
    await f.logs.createLogGroup(CTX, { logGroupName: base.logGroupName });
    const w = await open(f, { flushIntervalMs: 5000, maxBatchEvents: 3 });
    w.write('one');
    w.write('two');
    assert.equal(w.pending, 2);
    await f.clock.advance(4999);
    assert.equal((await readAll(f)).events.length, 0);
    await f.clock.advance(1);
    assert.equal(w.pending, 0);
    assert.deepEqual(
      (await readAll(f)).events.map((e) => e.message),
      ['one', 'two'],
    );
    for (const line of ['3', '4', '5', '6']) w.write(line);
    // The fourth line sealed a full batch of three, which is written without waiting.
    await f.clock.advance(0);
    assert.equal(w.written, 5);
    await w.flush();
    assert.equal(w.written, 6);
    const all = await readAll(f);
    assert.deepEqual(
      all.events.map((e) => [e.message, e.timestamp, e.ingestionTime]),
      [
        ['one', T0, T0 + 5000],
        ['two', T0, T0 + 5000],
        ['3', T0 + 5000, T0 + 5000],
        ['4', T0 + 5000, T0 + 5000],
        ['5', T0 + 5000, T0 + 5000],
        ['6', T0 + 5000, T0 + 5000],
      ],
    );
    await w.close();
    assert.throws(() => w.write('late'), /closed/);
  });

  it('keeps line order when the clock steps backwards and skips empty lines', async () => {
    await using f = await logsFixture();
    await f.logs.createLogGroup(CTX, { logGroupName: base.logGroupName });
    const w = await open(f);
    w.write('first');
    await f.clock.set(T0 - 60_000);
    w.write('');
    w.write('second');
    await w.close();
    const { events } = await readAll(f);
    assert.deepEqual(
      events.map((e) => [e.message, e.timestamp]),
      [
        ['first', T0],
        ['second', T0],
      ],
    );
  });

  it('splits a long line into consecutive events', async () => {
    await using f = await logsFixture();
    await f.logs.createLogGroup(CTX, { logGroupName: base.logGroupName });
    const w = await open(f);
    w.write('z'.repeat(MAX_EVENT_BYTES * 2 + 10));
    await w.close();
    const { events } = await readAll(f);
    assert.deepEqual(
      events.map((e) => e.message.length),
      [MAX_EVENT_BYTES, MAX_EVENT_BYTES, 10],
    );
  });

  it('keeps a refused batch and retries it in order on the next flush', async () => {
    await using f = await logsFixture();
    await f.logs.createLogGroup(CTX, { logGroupName: base.logGroupName });
    const w = await open(f);
    w.write('kept-1');
    await f.logs.deleteLogStream(CTX, base);
    await rejectsWith(
      w.flush(),
      'ResourceNotFoundException',
      'The specified log stream does not exist.',
    );
    w.write('kept-2');
    await f.logs.createLogStream(CTX, base);
    await w.flush();
    assert.deepEqual(
      (await readAll(f)).events.map((e) => e.message),
      ['kept-1', 'kept-2'],
    );
  });

  it('stores 100,000 lines in order, readable through GetLogEvents pagination', async () => {
    await using f = await logsFixture();
    await f.logs.createLogGroup(CTX, { logGroupName: base.logGroupName });
    const w = await open(f);
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      w.write(`line ${i} ${'x'.repeat(i % 50)}`);
      if (i % 1000 === 999) await f.clock.advance(1);
    }
    await w.close();
    assert.equal(w.written, n);
    const { events, calls } = await readAll(f);
    assert.equal(events.length, n);
    for (let i = 0; i < n; i++) {
      const e = events[i];
      if (e?.message !== `line ${i} ${'x'.repeat(i % 50)}`) {
        assert.fail(`event ${i} is ${JSON.stringify(e?.message)}`);
      }
    }
    // 10 full pages of 10,000 events, then the empty page that repeats the token.
    assert.equal(calls, 11);
  });
});
