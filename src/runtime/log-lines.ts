/**
 * Turns the Docker Engine's log stream (`GET /containers/{id}/logs?timestamps=1`, no TTY) into
 * complete lines, in two steps:
 *
 * 1. {@link LogEntryParser}: the body is multiplexed, frames of an 8-byte header (byte 0 =
 *    stream, 1 stdout / 2 stderr; bytes 4–7 = payload length, big-endian) and a payload. HTTP
 *    chunks cut frames anywhere, so bytes are buffered until a frame is whole. Each frame holds
 *    one log entry (Podman may pack several) shaped `<RFC 3339 nano timestamp> <text>`; `<text>`
 *    ends in `\n` unless the engine split a long line (Docker cuts at 16 KiB, each piece with its
 *    own timestamp) or the container's last output had no newline.
 * 2. {@link LineAssembler}: joins the pieces of a line per stream, keeping the first piece's
 *    timestamp; text is decoded only once a line is whole, so a multi-byte character cut between
 *    pieces survives. `end()` flushes unterminated lines.

 */
import type { LogLine, LogStream } from './container-runtime.ts';

const HEADER_BYTES = 8;
const NEWLINE = 0x0a;
const SPACE = 0x20;
const TIMESTAMP = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/;
const NS_PER_MS = 1_000_000n;

/**
 * Parses an engine timestamp (`2026-01-02T03:04:05.123456789Z`) to epoch nanoseconds, or
 * undefined when `text` is not one.
 */
export function parseEngineTimestampNs(text: string): bigint | undefined {
  const match = TIMESTAMP.exec(text);
  if (!match) return undefined;
  const seconds = Date.parse(`${match[1]}${match[3]}`);
  if (Number.isNaN(seconds)) return undefined;
  return BigInt(seconds) * NS_PER_MS + BigInt((match[2] ?? '').padEnd(9, '0'));
}

/** Epoch ns → epoch ms, truncated. */
export function nsToMs(ns: bigint): number {
  return Number(ns / NS_PER_MS);
}

/** Epoch ns → the Engine API's `since` form: seconds with a nanosecond fraction. */
export function sinceParameter(ns: bigint): string {
  const seconds = ns / 1_000_000_000n;
  return `${seconds}.${String(ns - seconds * 1_000_000_000n).padStart(9, '0')}`;
}

/** One stored log entry: a whole line or a piece of one. */
export interface LogEntry {
  readonly stream: LogStream;
  /** Engine receive time, epoch ns; undefined when the entry carried no timestamp. */
  readonly timestampNs: bigint | undefined;
  /** The text without the timestamp and without the newline. */
  readonly text: Buffer;
  /** True when the entry ended with a newline (the line is complete). */
  readonly endsLine: boolean;
}

/** Incremental frame and entry parser; feed it HTTP chunks in order. */
export class LogEntryParser {
  #buffer: Buffer = Buffer.alloc(0);

  /** Consumes a chunk; returns the entries it completed, in order. */
  push(chunk: Buffer): LogEntry[] {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    const entries: LogEntry[] = [];
    let offset = 0;
    while (this.#buffer.length - offset >= HEADER_BYTES) {
      const size = this.#buffer.readUInt32BE(offset + 4);
      if (this.#buffer.length - offset - HEADER_BYTES < size) break;
      const kind = this.#buffer[offset];
      const payload = this.#buffer.subarray(offset + HEADER_BYTES, offset + HEADER_BYTES + size);
      offset += HEADER_BYTES + size;
      // 0 would be stdin, which a log stream never carries; anything else but 2 is stdout.
      splitFrame(kind === 2 ? 'stderr' : 'stdout', payload, entries);
    }
    this.#buffer = offset === 0 ? this.#buffer : Buffer.from(this.#buffer.subarray(offset));
    return entries;
  }

  /** Bytes of an incomplete frame still waiting (non-zero at the end means a cut-off body). */
  get pendingBytes(): number {
    return this.#buffer.length;
  }
}

/** A frame's payload: one or more `timestamp text` entries, each up to and including a newline. */
function splitFrame(stream: LogStream, payload: Buffer, out: LogEntry[]): void {
  let pos = 0;
  while (pos < payload.length) {
    let timestampNs: bigint | undefined;
    const space = payload.indexOf(SPACE, pos);
    if (space > pos && space - pos <= 40) {
      timestampNs = parseEngineTimestampNs(payload.toString('latin1', pos, space));
    }
    const textStart = timestampNs === undefined ? pos : space + 1;
    const newline = payload.indexOf(NEWLINE, textStart);
    const textEnd = newline === -1 ? payload.length : newline;
    // Copy: the frame buffer is reused once the parser compacts.
    out.push({
      stream,
      timestampNs,
      text: Buffer.from(payload.subarray(textStart, textEnd)),
      endsLine: newline !== -1,
    });
    pos = textEnd + 1;
  }
}

interface PartialLine {
  readonly parts: Buffer[];
  readonly timestamp: number;
}

/** Joins entries into lines, per stream. */
export class LineAssembler {
  readonly #partial: Record<LogStream, PartialLine | undefined> = {
    stdout: undefined,
    stderr: undefined,
  };
  readonly #fallbackNow: () => number;

  /** @param fallbackNow timestamp for entries without one (not seen with `timestamps=1`). */
  constructor(fallbackNow: () => number) {
    this.#fallbackNow = fallbackNow;
  }

  /** Adds one entry; returns the line it completes, if any. */
  add(entry: LogEntry): LogLine | undefined {
    const partial = this.#partial[entry.stream];
    if (!entry.endsLine) {
      if (partial) partial.parts.push(entry.text);
      else this.#partial[entry.stream] = { parts: [entry.text], timestamp: this.#timestamp(entry) };
      return undefined;
    }
    this.#partial[entry.stream] = undefined;
    if (!partial) {
      return {
        stream: entry.stream,
        line: entry.text.toString('utf8'),
        timestamp: this.#timestamp(entry),
      };
    }
    return {
      stream: entry.stream,
      line: Buffer.concat([...partial.parts, entry.text]).toString('utf8'),
      timestamp: partial.timestamp,
    };
  }

  /** Flushes lines left without a final newline (stdout first, then stderr). */
  end(): LogLine[] {
    const lines: LogLine[] = [];
    for (const stream of ['stdout', 'stderr'] as const) {
      const partial = this.#partial[stream];
      if (partial) {
        lines.push({
          stream,
          line: Buffer.concat(partial.parts).toString('utf8'),
          timestamp: partial.timestamp,
        });
      }
      this.#partial[stream] = undefined;
    }
    return lines;
  }

  #timestamp(entry: LogEntry): number {
    return entry.timestampNs === undefined ? this.#fallbackNow() : nsToMs(entry.timestampNs);
  }
}

/** Convenience: bytes in, lines out (for bodies read whole). */
export class LogLineDecoder {
  readonly #parser = new LogEntryParser();
  readonly #lines: LineAssembler;

  constructor(fallbackNow: () => number) {
    this.#lines = new LineAssembler(fallbackNow);
  }

  push(chunk: Buffer): LogLine[] {
    const out: LogLine[] = [];
    for (const entry of this.#parser.push(chunk)) {
      const line = this.#lines.add(entry);
      if (line) out.push(line);
    }
    return out;
  }

  end(): LogLine[] {
    return this.#lines.end();
  }
}
