/**
 * The one write path for log events, shared by PutLogEvents and the awslogs ingestion path.
 *
 * Events are inserted with multi-row INSERTs in chunks. Each row binds 5 parameters; 1,000 rows
 * (5,000 parameters) stays far below SQLite's 32,766-variable limit and PostgreSQL's 65,535, while
 * being large enough that statement overhead vanishes next to the row work.
 */
import type { Db } from '../store/store.ts';
import type { LogEventRow, LogStreamRow } from '../store/tables/logs.tables.ts';
import type { InputLogEvent } from './logs.types.ts';

export const INSERT_CHUNK_ROWS = 1_000;

/**
 * Appends `events` (already validated and in the order they should be stored) to `stream` with
 * one ingestion time, and advances the stream's sequence and event bounds. Must run inside a
 * transaction: the stream row is re-read so concurrent appenders get distinct sequence numbers.
 * Returns the stream's new last sequence number.
 */
export async function appendEvents(
  trx: Db,
  streamId: string,
  events: readonly InputLogEvent[],
  ingestionTime: number,
): Promise<number> {
  const stream = await trx
    .selectFrom('logs_streams')
    .selectAll()
    .where('id', '=', streamId)
    .executeTakeFirstOrThrow();
  let seq = Number(stream.last_seq);
  if (events.length === 0) return seq;

  let minTs = Infinity;
  let maxTs = -Infinity;
  for (let start = 0; start < events.length; start += INSERT_CHUNK_ROWS) {
    const end = Math.min(start + INSERT_CHUNK_ROWS, events.length);
    const rows: LogEventRow[] = new Array<LogEventRow>(end - start);
    for (let i = start; i < end; i++) {
      const e = events[i] as InputLogEvent;
      if (e.timestamp < minTs) minTs = e.timestamp;
      if (e.timestamp > maxTs) maxTs = e.timestamp;
      rows[i - start] = {
        stream_id: streamId,
        seq: ++seq,
        timestamp: e.timestamp,
        ingestion_time: ingestionTime,
        message: e.message,
      };
    }
    await trx.insertInto('logs_events').values(rows).execute();
  }

  const update: Partial<LogStreamRow> = {
    last_seq: seq,
    last_ingestion_time: ingestionTime,
    first_event_timestamp:
      stream.first_event_timestamp == null
        ? minTs
        : Math.min(Number(stream.first_event_timestamp), minTs),
    last_event_timestamp:
      stream.last_event_timestamp == null
        ? maxTs
        : Math.max(Number(stream.last_event_timestamp), maxTs),
  };
  await trx.updateTable('logs_streams').set(update).where('id', '=', streamId).execute();
  return seq;
}
