/**
 * Property tests: whatever the interleaving of streams, timestamps and page sizes, paging through
 * GetLogEvents and FilterLogEvents yields exactly the stored events, in order, once each.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import fc from 'fast-check';

import { FilterPatternError, parseFilterPattern } from './filter-pattern.ts';
import type { GetLogEventsInput } from './logs.types.ts';
import { CTX, logsFixture, T0 } from './logs.test-support.ts';

/** Batches of (stream, timestamp offsets) written in order; each batch is one PutLogEvents. */
const batchesArb = fc.array(
  fc.record({
    stream: fc.constantFrom('a', 'b', 'c'),
    offsets: fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 6 }),
    advance: fc.integer({ min: 0, max: 2 }),
  }),
  { minLength: 1, maxLength: 12 },
);

describe('paging properties', () => {
  it('GetLogEvents forward and backward walks return every event once, in order', async () => {
    await fc.assert(
      fc.asyncProperty(batchesArb, fc.integer({ min: 1, max: 4 }), async (batches, limit) => {
        await using f = await logsFixture();
        await f.logs.createLogGroup(CTX, { logGroupName: 'g' });
        await f.logs.createLogStream(CTX, { logGroupName: 'g', logStreamName: 's' });
        const expected: { t: number; m: string }[] = [];
        let n = 0;
        for (const b of batches) {
          const events = [...b.offsets]
            .sort((x, y) => x - y)
            .map((o) => ({ timestamp: T0 + o, message: `e${n++}` }));
          await f.logs.putLogEvents(CTX, {
            logGroupName: 'g',
            logStreamName: 's',
            logEvents: events,
          });
          expected.push(...events.map((e) => ({ t: e.timestamp, m: e.message })));
        }
        // Stable sort by timestamp = (timestamp, seq) order.
        const want = [...expected].sort((x, y) => x.t - y.t).map((e) => e.m);

        const base = { logGroupName: 'g', logStreamName: 's', limit };
        const forward: string[] = [];
        let input: GetLogEventsInput = { ...base, startFromHead: true };
        for (;;) {
          const out = await f.logs.getLogEvents(CTX, input);
          forward.push(...out.events.map((e) => e.message));
          if (out.nextForwardToken === input.nextToken) break;
          input = { ...base, nextToken: out.nextForwardToken };
        }
        assert.deepEqual(forward, want);

        const backwardPages: string[][] = [];
        input = { ...base };
        for (;;) {
          const out = await f.logs.getLogEvents(CTX, input);
          if (out.nextBackwardToken === input.nextToken) break;
          backwardPages.push(out.events.map((e) => e.message));
          input = { ...base, nextToken: out.nextBackwardToken };
        }
        assert.deepEqual(backwardPages.reverse().flat(), want);
      }),
      { numRuns: 30 },
    );
  });

  it('FilterLogEvents pages across streams equal one sorted scan', async () => {
    await fc.assert(
      fc.asyncProperty(batchesArb, fc.integer({ min: 1, max: 5 }), async (batches, limit) => {
        await using f = await logsFixture();
        await f.logs.createLogGroup(CTX, { logGroupName: 'g' });
        for (const s of ['a', 'b', 'c']) {
          await f.logs.createLogStream(CTX, { logGroupName: 'g', logStreamName: s });
        }
        const expected: { t: number; i: number; s: string; k: number; m: string }[] = [];
        let n = 0;
        for (const b of batches) {
          await f.clock.advance(b.advance);
          const events = [...b.offsets]
            .sort((x, y) => x - y)
            .map((o) => ({ timestamp: T0 + o, message: `e${n++}` }));
          await f.logs.putLogEvents(CTX, {
            logGroupName: 'g',
            logStreamName: b.stream,
            logEvents: events,
          });
          for (const e of events) {
            expected.push({
              t: e.timestamp,
              i: f.clock.now(),
              s: b.stream,
              k: expected.length,
              m: e.message,
            });
          }
        }
        // Reference order: timestamp, ingestion time; ties between streams only need to be
        // consistent, so compare per (timestamp, ingestion time) group as multisets and the
        // within-stream order exactly.
        const got: { m: string; s: string; t: number; i: number }[] = [];
        let nextToken: string | undefined;
        do {
          const page = await f.logs.filterLogEvents(CTX, { logGroupName: 'g', limit, nextToken });
          got.push(
            ...page.events.map((e) => ({
              m: e.message,
              s: e.logStreamName,
              t: e.timestamp,
              i: e.ingestionTime,
            })),
          );
          nextToken = page.nextToken;
        } while (nextToken);
        assert.equal(got.length, expected.length);
        assert.deepEqual(new Set(got.map((e) => e.m)).size, expected.length);
        for (let j = 1; j < got.length; j++) {
          const [p, c] = [got[j - 1], got[j]] as [(typeof got)[0], (typeof got)[0]];
          assert.ok(p.t < c.t || (p.t === c.t && p.i <= c.i), `order broken at ${j}`);
        }
        for (const s of ['a', 'b', 'c']) {
          const mine = expected.filter((e) => e.s === s).sort((x, y) => x.t - y.t || x.k - y.k);
          assert.deepEqual(
            got.filter((e) => e.s === s).map((e) => e.m),
            mine.map((e) => e.m),
          );
        }
      }),
      { numRuns: 30 },
    );
  });

  it('filter-pattern parsing either succeeds or throws FilterPatternError', () => {
    const alphabet = fc.constantFrom(...'{}[]()$.=!<>&|"%?-*, aZ09\\_'.split(''));
    fc.assert(
      fc.property(
        fc.array(alphabet, { maxLength: 40 }).map((cs) => cs.join('')),
        fc.string(),
        (pattern, message) => {
          try {
            const p = parseFilterPattern(pattern);
            assert.equal(typeof p.matches(message), 'boolean');
          } catch (err) {
            assert.ok(
              err instanceof FilterPatternError,
              `unexpected ${String(err)} for ${pattern}`,
            );
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
