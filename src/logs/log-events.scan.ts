/**
 * Index-friendly reads of one stream's events in (timestamp, seq) order from a gap (see
 * log-tokens.ts), and a k-way merge of several streams for FilterLogEvents.
 *
 * A row-value predicate `(timestamp, seq) >= (t, s)` only seeks on `timestamp` in SQLite, so a
 * burst of lines in one millisecond would be rescanned on every page. Each read is therefore two
 * exact range queries on the (stream_id, timestamp, seq) index: the rest of timestamp `t` from
 * `seq s`, then the timestamps after `t`. Both are plain SQL that PostgreSQL runs the same way.
 */
import type { Db } from '../store/store.ts';
import type { LogEventRow } from '../store/tables/logs.tables.ts';
import type { StreamGap } from './log-tokens.ts';

/** Inclusive lower and exclusive upper timestamp bound of a read. */
export interface TimeRange {
  low: number;
  high: number;
}

/**
 * Up to `limit` events of a stream next to `gap`: forward returns keys ≥ gap in ascending order,
 * backward returns keys < gap in descending order (nearest first).
 */
export async function readFromGap(
  db: Db,
  streamId: string,
  gap: StreamGap,
  forward: boolean,
  range: TimeRange,
  limit: number,
): Promise<LogEventRow[]> {
  const rows: LogEventRow[] = [];
  const dir = forward ? 'asc' : 'desc';
  if (gap.timestamp >= range.low && gap.timestamp < range.high) {
    const same = await db
      .selectFrom('logs_events')
      .selectAll()
      .where('stream_id', '=', streamId)
      .where('timestamp', '=', gap.timestamp)
      .where('seq', forward ? '>=' : '<', gap.seq)
      .orderBy('seq', dir)
      .limit(limit)
      .execute();
    rows.push(...same);
  }
  if (rows.length >= limit) return rows;
  let q = db
    .selectFrom('logs_events')
    .selectAll()
    .where('stream_id', '=', streamId)
    .orderBy('timestamp', dir)
    .orderBy('seq', dir)
    .limit(limit - rows.length);
  q = forward
    ? q
        .where('timestamp', '>', Math.max(gap.timestamp, range.low - 1))
        .where('timestamp', '<', range.high)
    : q
        .where('timestamp', '<', Math.min(gap.timestamp, range.high))
        .where('timestamp', '>=', range.low);
  rows.push(...(await q.execute()));
  return rows;
}

/** FilterLogEvents' global order: timestamp, ingestion time, stream id, sequence. */
export interface ScanKey {
  t: number;
  i: number;
  s: string;
  q: number;
}

export function keyOf(row: LogEventRow): ScanKey {
  return {
    t: Number(row.timestamp),
    i: Number(row.ingestion_time),
    s: row.stream_id,
    q: Number(row.seq),
  };
}

export function compareKeys(a: ScanKey, b: ScanKey): number {
  return a.t - b.t || a.i - b.i || (a.s < b.s ? -1 : a.s > b.s ? 1 : 0) || a.q - b.q;
}

/**
 * Reads one stream forward in chunks. Within a stream, seq order equals ingestion order (the
 * sequence is handed out at ingestion), so (timestamp, seq) order agrees with the global order
 * as long as the Clock does not step back between two writes to the stream.
 */
class StreamCursor {
  #buffer: LogEventRow[] = [];
  #at = 0;
  #more = true;
  #gap: StreamGap;
  readonly #after: ScanKey | undefined;

  constructor(
    private readonly db: Db,
    readonly streamId: string,
    private readonly range: TimeRange,
    private readonly chunk: number,
    after: ScanKey | undefined,
  ) {
    this.#after = after;
    // Start at the cursor's millisecond and drop what the cursor already covered.
    this.#gap = { timestamp: after ? Math.max(after.t, range.low) : range.low, seq: 0 };
  }

  get head(): LogEventRow | undefined {
    return this.#buffer[this.#at];
  }

  /** Loads rows until a head exists or the stream is done. */
  async fill(): Promise<void> {
    while (this.#at >= this.#buffer.length && this.#more) {
      const rows = await readFromGap(
        this.db,
        this.streamId,
        this.#gap,
        true,
        this.range,
        this.chunk,
      );
      this.#more = rows.length === this.chunk;
      const last = rows[rows.length - 1];
      if (last) this.#gap = { timestamp: Number(last.timestamp), seq: Number(last.seq) + 1 };
      const after = this.#after;
      this.#buffer = after ? rows.filter((r) => compareKeys(keyOf(r), after) > 0) : rows;
      this.#at = 0;
    }
  }

  async next(): Promise<void> {
    this.#at++;
    await this.fill();
  }
}

/** A min-heap of stream cursors ordered by their head's global key. */
export class StreamMerge {
  readonly #heap: StreamCursor[] = [];

  static async open(
    db: Db,
    streamIds: readonly string[],
    range: TimeRange,
    after: ScanKey | undefined,
  ): Promise<StreamMerge> {
    const merge = new StreamMerge();
    // Fewer rows per stream when many streams are merged keeps memory bounded.
    const chunk = Math.max(100, Math.min(2_000, Math.ceil(8_000 / Math.max(1, streamIds.length))));
    for (const id of streamIds) {
      const c = new StreamCursor(db, id, range, chunk, after);
      await c.fill();
      if (c.head) merge.#push(c);
    }
    return merge;
  }

  get empty(): boolean {
    return this.#heap.length === 0;
  }

  /** Removes and returns the next event in global order. */
  async shift(): Promise<LogEventRow | undefined> {
    const top = this.#heap[0];
    if (!top) return undefined;
    const row = top.head as LogEventRow;
    const last = this.#heap.pop() as StreamCursor;
    if (this.#heap.length > 0 && last !== top) {
      this.#heap[0] = last;
      this.#down(0);
    }
    await top.next();
    if (top.head) this.#push(top);
    return row;
  }

  #less(a: number, b: number): boolean {
    const x = this.#heap[a]?.head as LogEventRow;
    const y = this.#heap[b]?.head as LogEventRow;
    return compareKeys(keyOf(x), keyOf(y)) < 0;
  }

  #swap(a: number, b: number): void {
    const t = this.#heap[a] as StreamCursor;
    this.#heap[a] = this.#heap[b] as StreamCursor;
    this.#heap[b] = t;
  }

  #push(c: StreamCursor): void {
    this.#heap.push(c);
    let i = this.#heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#less(i, parent)) break;
      this.#swap(i, parent);
      i = parent;
    }
  }

  #down(i: number): void {
    const n = this.#heap.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && this.#less(l, m)) m = l;
      if (r < n && this.#less(r, m)) m = r;
      if (m === i) return;
      this.#swap(i, m);
      i = m;
    }
  }
}
