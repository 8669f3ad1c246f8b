/**
 * The awslogs log driver's half that talks to CloudWatch Logs, for one container: lines in,
 * batches out, in order, nothing dropped.
 *
 * Like Docker's driver it creates the stream at start (and the group when `awslogs-create-group`
 * is true), splits lines longer than 256 KiB minus the 26-byte event overhead at UTF-8
 * boundaries, and publishes a batch when it reaches 10,000 events or 1,048,576 bytes, or when
 * the flush interval passes (Docker's default: 5 s). Batches are written one after another
 * through {@link LogsService.ingest}, each in one store transaction.
 */
import type { Clock, Timer } from '../platform/clock.ts';
import { coerceError } from '../platform/errors.ts';
import type { AwsContext } from '../platform/ids.ts';
import { eventSize } from './logs.model.ts';
import type { LogsService } from './logs.service.ts';
import type { InputLogEvent } from './logs.types.ts';

/** Docker's limit per event: 256 KiB including the 26 bytes CloudWatch counts per event. */
export const MAX_EVENT_BYTES = 262_144 - 26;
export const DEFAULT_FLUSH_INTERVAL_MS = 5_000;
export const DEFAULT_MAX_BATCH_EVENTS = 10_000;
export const DEFAULT_MAX_BATCH_BYTES = 1_048_576;

export interface AwslogsWriterOptions {
  logs: LogsService;
  clock: Clock;
  /** Where the group lives: the `awslogs-region` option's region (the task's by default). */
  context: AwsContext;
  groupName: string;
  streamName: string;
  /** `awslogs-create-group`. @default false */
  createGroup?: boolean;
  /** @default 5000 */
  flushIntervalMs?: number;
  /** @default 10000 */
  maxBatchEvents?: number;
  /** @default 1048576 */
  maxBatchBytes?: number;
}

interface Batch {
  events: InputLogEvent[];
  bytes: number;
}

/** Splits `message` into pieces of at most `maxBytes` UTF-8 bytes without cutting a character. */
export function splitMessage(message: string, maxBytes = MAX_EVENT_BYTES): string[] {
  if (Buffer.byteLength(message, 'utf8') <= maxBytes) return [message];
  const bytes = Buffer.from(message, 'utf8');
  const parts: string[] = [];
  let start = 0;
  while (start < bytes.length) {
    let end = Math.min(start + maxBytes, bytes.length);
    // Step back over UTF-8 continuation bytes (10xxxxxx) so a character is never split.
    while (end < bytes.length && end > start && ((bytes[end] as number) & 0xc0) === 0x80) end--;
    parts.push(bytes.toString('utf8', start, end));
    start = end;
  }
  return parts;
}

export class AwslogsWriter {
  readonly #o: Required<Omit<AwslogsWriterOptions, 'createGroup'>>;
  #current: Batch = { events: [], bytes: 0 };
  readonly #ready: Batch[] = [];
  #timer: Timer | undefined;
  #chain: Promise<void> = Promise.resolve();
  #failure: Error | undefined;
  #lastTimestamp = -Infinity;
  #closed = false;
  #written = 0;

  private constructor(options: AwslogsWriterOptions) {
    this.#o = {
      logs: options.logs,
      clock: options.clock,
      context: options.context,
      groupName: options.groupName,
      streamName: options.streamName,
      flushIntervalMs: options.flushIntervalMs ?? DEFAULT_FLUSH_INTERVAL_MS,
      maxBatchEvents: options.maxBatchEvents ?? DEFAULT_MAX_BATCH_EVENTS,
      maxBatchBytes: options.maxBatchBytes ?? DEFAULT_MAX_BATCH_BYTES,
    };
  }

  /**
   * Creates the stream (and the group if allowed) and returns a writer. Rejects with
   * ResourceNotFoundException when the group is missing and `createGroup` is not set.
   */
  static async open(options: AwslogsWriterOptions): Promise<AwslogsWriter> {
    await options.logs.ensureStream(options.context, options.groupName, options.streamName, {
      createGroup: options.createGroup ?? false,
    });
    return new AwslogsWriter(options);
  }

  /**
   * Events accepted by {@link write} but not stored yet. `write` never blocks, so a producer that
   * can pause (a Docker log stream) should pause while this is large and await {@link flush}.
   */
  get pending(): number {
    let n = this.#current.events.length;
    for (const b of this.#ready) n += b.events.length;
    return n;
  }

  /** Events stored so far. */
  get written(): number {
    return this.#written;
  }

  /**
   * Queues one line (without its newline). `timestamp` defaults to the Clock's now, the moment
   * the driver read the line. Timestamps never go backwards within a writer: a clock stepping
   * back would otherwise reorder lines, since reads order by timestamp. Empty lines are skipped:
   * CloudWatch cannot store an empty message.
   */
  write(line: string, timestamp?: number): void {
    if (this.#closed) throw new Error('AwslogsWriter is closed');
    if (line.length === 0) return;
    const ts = Math.max(timestamp ?? this.#o.clock.now(), this.#lastTimestamp);
    this.#lastTimestamp = ts;
    for (const message of splitMessage(line)) this.#add({ timestamp: ts, message });
  }

  #add(event: InputLogEvent): void {
    const size = eventSize(event.message);
    const cur = this.#current;
    if (
      cur.events.length > 0 &&
      (cur.events.length >= this.#o.maxBatchEvents || cur.bytes + size > this.#o.maxBatchBytes)
    ) {
      this.#seal();
      this.#drain();
    }
    this.#current.events.push(event);
    this.#current.bytes += size;
    if (!this.#timer) {
      this.#timer = this.#o.clock.setTimer(this.#o.clock.now() + this.#o.flushIntervalMs, () => {
        this.#timer = undefined;
        void this.flush().catch(() => {
          // Kept in #failure and reported by the next flush() or close().
        });
      });
    }
  }

  /** Moves the filling batch to the ready queue. */
  #seal(): void {
    if (this.#current.events.length === 0) return;
    this.#ready.push(this.#current);
    this.#current = { events: [], bytes: 0 };
  }

  /** Chains one write pass over the ready queue after the previous one. */
  #drain(): Promise<void> {
    this.#chain = this.#chain.then(async () => {
      while (this.#ready.length > 0) {
        const batch = this.#ready[0] as Batch;
        try {
          await this.#o.logs.ingest(
            this.#o.context,
            this.#o.groupName,
            this.#o.streamName,
            batch.events,
          );
          this.#failure = undefined;
        } catch (err) {
          // The batch stays at the head of the queue, so a later flush retries it in order.
          this.#failure = coerceError(err);
          return;
        }
        this.#ready.shift();
        this.#written += batch.events.length;
      }
    });
    return this.#chain;
  }

  /** Writes everything queued so far; rejects if the store refused a batch (kept for retry). */
  async flush(): Promise<void> {
    this.#timer?.cancel();
    this.#timer = undefined;
    this.#seal();
    await this.#drain();
    if (this.#failure) throw this.#failure;
  }

  /** Flushes and stops accepting lines; idempotent. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.flush();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
