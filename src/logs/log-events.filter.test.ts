import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { FilterLogEventsInput, FilterLogEventsOutput } from './logs.types.ts';
import { CTX, type LogsFixture, logsFixture, rejectsWith, T0 } from './logs.test-support.ts';

/** Group `g` with streams a, b, c; event timestamps interleave across streams. */
async function fixture(): Promise<LogsFixture> {
  const f = await logsFixture();
  await f.logs.createLogGroup(CTX, { logGroupName: 'g' });
  const plan: Record<string, [number, string][]> = {
    a: [
      [0, 'a0 ERROR x'],
      [3, 'a3 info'],
      [6, 'a6 ERROR y'],
    ],
    b: [
      [1, 'b1 info'],
      [3, 'b3 ERROR z'],
      [7, 'b7 info'],
    ],
    c: [[2, 'c2 ERROR w']],
  };
  for (const [stream, events] of Object.entries(plan)) {
    await f.logs.createLogStream(CTX, { logGroupName: 'g', logStreamName: stream });
    await f.clock.advance(1);
    await f.logs.putLogEvents(CTX, {
      logGroupName: 'g',
      logStreamName: stream,
      logEvents: events.map(([t, message]) => ({ timestamp: T0 + t, message })),
    });
  }
  return f;
}

async function walk(
  f: LogsFixture,
  input: Omit<FilterLogEventsInput, 'nextToken'>,
): Promise<{ messages: string[]; pages: FilterLogEventsOutput[] }> {
  const pages: FilterLogEventsOutput[] = [];
  let nextToken: string | undefined;
  do {
    const page = await f.logs.filterLogEvents(CTX, { ...input, nextToken });
    pages.push(page);
    nextToken = page.nextToken;
  } while (nextToken);
  return { messages: pages.flatMap((p) => p.events.map((e) => e.message)), pages };
}

describe('FilterLogEvents', () => {
  it('interleaves all streams by timestamp, then ingestion time', async () => {
    await using f = await fixture();
    const out = await f.logs.filterLogEvents(CTX, { logGroupName: 'g' });
    // a3 and b3 share a timestamp; stream a was ingested first.
    assert.deepEqual(
      out.events.map((e) => e.message),
      ['a0 ERROR x', 'b1 info', 'c2 ERROR w', 'a3 info', 'b3 ERROR z', 'a6 ERROR y', 'b7 info'],
    );
    assert.equal(out.nextToken, undefined);
    assert.deepEqual(out.searchedLogStreams, [
      { logStreamName: 'a', searchedCompletely: true },
      { logStreamName: 'b', searchedCompletely: true },
      { logStreamName: 'c', searchedCompletely: true },
    ]);
    const first = out.events[0];
    assert.equal(first?.logStreamName, 'a');
    assert.equal(first?.timestamp, T0);
    assert.equal(first?.ingestionTime, T0 + 1);
    assert.match(first?.eventId ?? '', /^\d{56}$/);
    assert.equal(new Set(out.events.map((e) => e.eventId)).size, 7);
  });

  it('applies the filter pattern, stream selection and inclusive time bounds', async () => {
    await using f = await fixture();
    const msgs = async (input: Omit<FilterLogEventsInput, 'logGroupName'>) =>
      (await f.logs.filterLogEvents(CTX, { logGroupName: 'g', ...input })).events.map(
        (e) => e.message,
      );
    assert.deepEqual(await msgs({ filterPattern: 'ERROR' }), [
      'a0 ERROR x',
      'c2 ERROR w',
      'b3 ERROR z',
      'a6 ERROR y',
    ]);
    assert.deepEqual(await msgs({ logStreamNames: ['b', 'c'], filterPattern: 'ERROR' }), [
      'c2 ERROR w',
      'b3 ERROR z',
    ]);
    assert.deepEqual(await msgs({ logStreamNames: ['b'] }), ['b1 info', 'b3 ERROR z', 'b7 info']);
    assert.deepEqual(await msgs({ logStreamNamePrefix: 'c' }), ['c2 ERROR w']);
    assert.deepEqual(await msgs({ startTime: T0 + 2, endTime: T0 + 6 }), [
      'c2 ERROR w',
      'a3 info',
      'b3 ERROR z',
      'a6 ERROR y',
    ]);
    assert.deepEqual(await msgs({ logStreamNames: ['missing'] }), []);
  });

  it('paginates across streams with nextToken and no repeats', async () => {
    await using f = await fixture();
    const { messages, pages } = await walk(f, { logGroupName: 'g', limit: 2 });
    assert.deepEqual(messages, [
      'a0 ERROR x',
      'b1 info',
      'c2 ERROR w',
      'a3 info',
      'b3 ERROR z',
      'a6 ERROR y',
      'b7 info',
    ]);
    assert.deepEqual(
      pages.map((p) => p.events.length),
      [2, 2, 2, 1],
    );
    assert.equal(pages[0]?.searchedLogStreams[0]?.searchedCompletely, false);
    const filtered = await walk(f, { logGroupName: 'g', limit: 1, filterPattern: 'ERROR' });
    assert.deepEqual(filtered.messages, ['a0 ERROR x', 'c2 ERROR w', 'b3 ERROR z', 'a6 ERROR y']);
    const single = await walk(f, { logGroupName: 'g', limit: 1, logStreamNames: ['a'] });
    assert.deepEqual(single.messages, ['a0 ERROR x', 'a3 info', 'a6 ERROR y']);
  });

  it('rejects bad parameters', async () => {
    await using f = await fixture();
    await rejectsWith(
      f.logs.filterLogEvents(CTX, {
        logGroupName: 'g',
        logStreamNames: ['a'],
        logStreamNamePrefix: 'a',
      }),
      'InvalidParameterException',
      'logStreamNames and logStreamNamePrefix are mutually exclusive parameters.',
    );
    await rejectsWith(
      f.logs.filterLogEvents(CTX, { logGroupName: 'g', limit: 10_001 }),
      'InvalidParameterException',
      "1 validation error detected: Value '10001' at 'limit' failed to satisfy constraint: " +
        'Member must have value less than or equal to 10000',
    );
    await rejectsWith(
      f.logs.filterLogEvents(CTX, { logGroupName: 'g', nextToken: 'nope' }),
      'InvalidParameterException',
      'The specified nextToken is invalid.',
    );
    await rejectsWith(
      f.logs.filterLogEvents(CTX, { logGroupName: 'g', filterPattern: '{ $.a = ' }),
      'InvalidParameterException',
      'Invalid filter pattern: expected a value at position 8',
    );
    await rejectsWith(
      f.logs.filterLogEvents(CTX, { logGroupName: 'zz' }),
      'ResourceNotFoundException',
      'The specified log group does not exist.',
    );
  });

  it('returns partial pages when a selective pattern scans many events', async () => {
    await using f = await logsFixture();
    await f.logs.createLogGroup(CTX, { logGroupName: 'g' });
    await f.logs.createLogStream(CTX, { logGroupName: 'g', logStreamName: 's' });
    // 120,000 events, one match at the very end: the first call stops at the scan budget.
    await f.logs.ingest(
      CTX,
      'g',
      's',
      Array.from({ length: 120_000 }, (_, i) => ({
        timestamp: T0,
        message: i === 119_999 ? 'NEEDLE' : `hay ${i}`,
      })),
    );
    const first = await f.logs.filterLogEvents(CTX, { logGroupName: 'g', filterPattern: 'NEEDLE' });
    assert.deepEqual(first.events, []);
    assert.ok(first.nextToken);
    const second = await f.logs.filterLogEvents(CTX, {
      logGroupName: 'g',
      filterPattern: 'NEEDLE',
      nextToken: first.nextToken,
    });
    assert.deepEqual(
      second.events.map((e) => e.message),
      ['NEEDLE'],
    );
    assert.equal(second.nextToken, undefined);
  });
});
