import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { LogLine } from './container-runtime.ts';
import {
  LogEntryParser,
  LogLineDecoder,
  nsToMs,
  parseEngineTimestampNs,
  sinceParameter,
} from './log-lines.ts';

const TS1 = '2026-05-04T10:00:00.123456789Z';
const TS2 = '2026-05-04T10:00:01.5Z';
const TS3 = '2026-05-04T10:00:02Z';
const MS1 = Date.parse('2026-05-04T10:00:00.123Z');
const MS2 = Date.parse('2026-05-04T10:00:01.500Z');
const MS3 = Date.parse('2026-05-04T10:00:02Z');

/** One multiplexed frame: 8-byte header then payload. */
function frame(stream: 1 | 2, payload: string | Buffer): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
}

function decodeInChunks(body: Buffer, chunkSize: number): LogLine[] {
  const decoder = new LogLineDecoder(() => -1);
  const lines: LogLine[] = [];
  for (let i = 0; i < body.length; i += chunkSize) {
    lines.push(...decoder.push(body.subarray(i, i + chunkSize)));
  }
  lines.push(...decoder.end());
  return lines;
}

describe('engine timestamps', () => {
  it('parses RFC 3339 with 0–9 fraction digits and offsets to epoch ns', () => {
    assert.equal(
      parseEngineTimestampNs(TS1),
      BigInt(Date.parse('2026-05-04T10:00:00Z')) * 1_000_000n + 123_456_789n,
    );
    assert.equal(parseEngineTimestampNs(TS2), BigInt(MS2) * 1_000_000n);
    assert.equal(parseEngineTimestampNs(TS3), BigInt(MS3) * 1_000_000n);
    assert.equal(
      parseEngineTimestampNs('2026-05-04T12:00:00.000000001+02:00'),
      BigInt(Date.parse('2026-05-04T10:00:00Z')) * 1_000_000n + 1n,
    );
    assert.equal(parseEngineTimestampNs('hello'), undefined);
    assert.equal(parseEngineTimestampNs('2026-05-04 10:00:00Z'), undefined);
    assert.equal(nsToMs(parseEngineTimestampNs(TS1)!), MS1);
  });

  it('formats `since` as seconds with nine fraction digits', () => {
    assert.equal(sinceParameter(1_700_000_000_000_000_001n), '1700000000.000000001');
    assert.equal(sinceParameter(BigInt(MS2) * 1_000_000n), `${Math.floor(MS2 / 1000)}.500000000`);
  });
});

describe('LogLineDecoder', () => {
  const body = Buffer.concat([
    frame(1, `${TS1} first line\n`),
    frame(2, `${TS2} an error\n`),
    frame(1, `${TS2} \n`),
    // Podman may pack several entries into one frame.
    frame(1, `${TS2} packed a\n${TS3} packed b\n`),
    // A long line split by the engine, each piece with its own timestamp; the cut falls inside
    // the two bytes of "é".
    frame(1, Buffer.concat([Buffer.from(`${TS2} caf`), Buffer.from('é').subarray(0, 1)])),
    frame(2, `${TS3} interleaved\n`),
    frame(
      1,
      Buffer.concat([
        Buffer.from(`${TS3} `),
        Buffer.from('é').subarray(1),
        Buffer.from(' au lait\n'),
      ]),
    ),
    frame(1, `${TS3} no newline at the end`),
  ]);
  const expected: LogLine[] = [
    { stream: 'stdout', line: 'first line', timestamp: MS1 },
    { stream: 'stderr', line: 'an error', timestamp: MS2 },
    { stream: 'stdout', line: '', timestamp: MS2 },
    { stream: 'stdout', line: 'packed a', timestamp: MS2 },
    { stream: 'stdout', line: 'packed b', timestamp: MS3 },
    { stream: 'stderr', line: 'interleaved', timestamp: MS3 },
    { stream: 'stdout', line: 'café au lait', timestamp: MS2 },
    { stream: 'stdout', line: 'no newline at the end', timestamp: MS3 },
  ];

  it('decodes frames into lines whatever the chunking', () => {
    for (const size of [1, 2, 3, 7, 8, 9, 13, 64, body.length]) {
      assert.deepEqual(decodeInChunks(body, size), expected, `chunk size ${size}`);
    }
  });

  it('uses the fallback clock for entries without a timestamp', () => {
    const decoder = new LogLineDecoder(() => 42);
    assert.deepEqual(decoder.push(frame(1, 'plain text\n')), [
      { stream: 'stdout', line: 'plain text', timestamp: 42 },
    ]);
  });

  it('keeps an incomplete frame until the rest arrives', () => {
    const parser = new LogEntryParser();
    const whole = frame(1, `${TS1} x\n`);
    assert.deepEqual(parser.push(whole.subarray(0, 10)), []);
    assert.equal(parser.pendingBytes, 10);
    const entries = parser.push(whole.subarray(10));
    assert.equal(entries.length, 1);
    assert.equal(entries[0]?.text.toString(), 'x');
    assert.equal(entries[0]?.endsLine, true);
    assert.equal(parser.pendingBytes, 0);
  });
});
