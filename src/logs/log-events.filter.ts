/**
 * FilterLogEvents: events of several streams of one group, in (timestamp, ingestion time) order,
 * that match a filter pattern.
 *
 * The scan is bounded per call (rows examined and response bytes) so a selective pattern over a
 * large group returns partial or empty pages with a `nextToken`, as AWS does; no `nextToken`
 * means the search is complete. Sort order is timestamp, ingestion time, then stream id and
 * sequence as a stable stand-in for AWS's "request id".
 */
import { sql } from 'kysely';

import type { LogEventRow, LogStreamRow } from '../store/tables/logs.tables.ts';
import { parseFilterPattern } from './filter-pattern.ts';
import { InvalidParameterException } from './logs.errors.ts';
import {
  checkIdentifierRegion,
  eventSize,
  getGroup,
  type LogsDeps,
  retentionCutoff,
} from './logs.model.ts';
import type {
  FilteredLogEvent,
  FilterLogEventsInput,
  FilterLogEventsOutput,
} from './logs.types.ts';
import { decodeCursor, encodeCursor } from './log-tokens.ts';
import {
  checkBoolean,
  checkInteger,
  checkList,
  checkStreamName,
  checkString,
  checkTimestamp,
  resolveGroupName,
  Violations,
} from './logs.validate.ts';
import { MAX_RESPONSE_BYTES } from './log-events.get.ts';
import { keyOf, type ScanKey, StreamMerge } from './log-events.scan.ts';

export const MAX_FILTER_EVENTS = 10_000;
/** Rows examined per call before returning a (possibly partial) page with a nextToken. */
export const MAX_SCANNED_PER_CALL = 100_000;

function isFilterCursor(value: unknown): ScanKey | null {
  const c = value as Partial<ScanKey> | null;
  return typeof c?.t === 'number' &&
    typeof c.i === 'number' &&
    typeof c.s === 'string' &&
    typeof c.q === 'number'
    ? { t: c.t, i: c.i, s: c.s, q: c.q }
    : null;
}

/** Opaque, digits-only event id, unique within the group: timestamp, sequence, stream. */
export function eventIdOf(streamId: string, timestamp: number, seq: number): string {
  return (
    String(timestamp).padStart(16, '0') +
    String(seq).padStart(20, '0') +
    BigInt(`0x${streamId}`).toString().padStart(20, '0')
  );
}

export async function filterLogEvents(
  deps: LogsDeps,
  input: FilterLogEventsInput,
): Promise<FilterLogEventsOutput> {
  const v = new Violations();
  const groupName = resolveGroupName(v, input.logGroupName, input.logGroupIdentifier);
  const names = checkList(v, input.logStreamNames, 'logStreamNames', { min: 1, max: 100 });
  const streamNames = names?.map(
    (n, i) => checkStreamName(v, n, `logStreamNames.${i + 1}.member`) ?? '',
  );
  const prefix = checkStreamName(v, input.logStreamNamePrefix, 'logStreamNamePrefix', false);
  const startTime = checkTimestamp(v, input.startTime, 'startTime');
  const endTime = checkTimestamp(v, input.endTime, 'endTime');
  const patternText = checkString(v, input.filterPattern, 'filterPattern', { max: 1024 });
  const token = checkString(v, input.nextToken, 'nextToken', { min: 1 });
  const limit = checkInteger(v, input.limit, 'limit', { min: 1, max: MAX_FILTER_EVENTS });
  checkBoolean(input.interleaved, 'interleaved');
  checkBoolean(input.unmask, 'unmask');
  v.throwIfAny();
  if (streamNames !== undefined && prefix !== undefined) {
    // AWS answers InvalidParameterException [model doc]; the text is unconfirmed.
    throw new InvalidParameterException(
      'logStreamNames and logStreamNamePrefix are mutually exclusive parameters.',
    );
  }
  const pattern = parseFilterPattern(patternText ?? '');
  const max = limit ?? MAX_FILTER_EVENTS;
  const cursor =
    token === undefined
      ? undefined
      : decodeCursor(deps.pageTokens, 'filter', token, isFilterCursor);

  const db = deps.store.db;
  checkIdentifierRegion(deps.context, input.logGroupIdentifier);
  const group = await getGroup(db, deps.context.region, groupName);
  let streamQuery = db
    .selectFrom('logs_streams')
    .where('region', '=', group.region)
    .where('group_name', '=', group.name);
  if (streamNames !== undefined) streamQuery = streamQuery.where('name', 'in', streamNames);
  if (prefix !== undefined) {
    streamQuery = streamQuery.where(
      sql<string>`substr(name, 1, ${[...prefix].length})`,
      '=',
      prefix,
    );
  }
  // Named streams that do not exist are skipped rather than failing the search (unconfirmed).
  const streams: LogStreamRow[] = await streamQuery.selectAll().orderBy('name').execute();
  const nameById = new Map(streams.map((st) => [st.id, st.name]));
  // endTime is inclusive for FilterLogEvents [model doc].
  const range = {
    low: Math.max(startTime ?? 0, retentionCutoff(group, deps.clock.now())),
    high: endTime === undefined ? Number.MAX_SAFE_INTEGER : endTime + 1,
  };
  const merge = await StreamMerge.open(
    db,
    streams.map((st) => st.id),
    range,
    cursor,
  );

  const events: FilteredLogEvent[] = [];
  let bytes = 0;
  let scanned = 0;
  let position: ScanKey | undefined = cursor;
  while (
    !merge.empty &&
    events.length < max &&
    scanned < MAX_SCANNED_PER_CALL &&
    bytes < MAX_RESPONSE_BYTES
  ) {
    const r = (await merge.shift()) as LogEventRow;
    scanned++;
    position = keyOf(r);
    if (pattern.matches(r.message)) {
      events.push({
        logStreamName: nameById.get(r.stream_id) ?? '',
        timestamp: Number(r.timestamp),
        message: r.message,
        ingestionTime: Number(r.ingestion_time),
        eventId: eventIdOf(r.stream_id, Number(r.timestamp), Number(r.seq)),
      });
      bytes += eventSize(r.message);
    }
  }
  const more = !merge.empty;

  const out: FilterLogEventsOutput = {
    events,
    searchedLogStreams: streams.map((s) => ({ logStreamName: s.name, searchedCompletely: !more })),
  };
  if (more && position) out.nextToken = encodeCursor(deps.pageTokens, 'filter', position);
  return out;
}
