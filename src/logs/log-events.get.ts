/**
 * GetLogEvents: one stream, read forwards or backwards from a token (see log-tokens.ts for the
 * gap model). The loop-termination contract clients rely on: when nothing lies beyond the token
 * in the requested direction, the response carries the very token that was passed in.
 */
import type { LogEventRow } from '../store/tables/logs.tables.ts';
import {
  checkIdentifierRegion,
  eventSize,
  getStream,
  type LogsDeps,
  retentionCutoff,
} from './logs.model.ts';
import { readFromGap } from './log-events.scan.ts';
import type { GetLogEventsInput, GetLogEventsOutput } from './logs.types.ts';
import { decodeStreamToken, encodeStreamToken, type StreamGap } from './log-tokens.ts';
import {
  checkBoolean,
  checkInteger,
  checkStreamName,
  checkString,
  checkTimestamp,
  resolveGroupName,
  Violations,
} from './logs.validate.ts';

export const MAX_GET_EVENTS = 10_000;
/** A response carries at most this many bytes of events (same per-event accounting as writes). */
export const MAX_RESPONSE_BYTES = 1_048_576;

type EventPick = Pick<LogEventRow, 'seq' | 'timestamp' | 'ingestion_time' | 'message'>;

/** Keeps the leading rows that fit in one response (always at least one). */
function fitBytes(rows: EventPick[]): EventPick[] {
  let bytes = 0;
  for (let i = 0; i < rows.length; i++) {
    bytes += eventSize((rows[i] as EventPick).message);
    if (bytes > MAX_RESPONSE_BYTES && i > 0) return rows.slice(0, i);
  }
  return rows;
}

export async function getLogEvents(
  deps: LogsDeps,
  input: GetLogEventsInput,
): Promise<GetLogEventsOutput> {
  const v = new Violations();
  const groupName = resolveGroupName(v, input.logGroupName, input.logGroupIdentifier);
  const streamName = checkStreamName(v, input.logStreamName) ?? '';
  const startTime = checkTimestamp(v, input.startTime, 'startTime');
  const endTime = checkTimestamp(v, input.endTime, 'endTime');
  const token = checkString(v, input.nextToken, 'nextToken', { min: 1 });
  const limit = checkInteger(v, input.limit, 'limit', { min: 1, max: MAX_GET_EVENTS });
  const startFromHead = checkBoolean(input.startFromHead, 'startFromHead') ?? false;
  checkBoolean(input.unmask, 'unmask');
  v.throwIfAny();

  const db = deps.store.db;
  checkIdentifierRegion(deps.context, input.logGroupIdentifier);
  const { group, stream } = await getStream(db, deps.context.region, groupName, streamName);
  const low = Math.max(startTime ?? 0, retentionCutoff(group, deps.clock.now()));
  // The token's own direction decides; AWS asks callers to pass startFromHead=true with a
  // forward token, and we do not punish those who forget.
  const decoded =
    token === undefined ? undefined : decodeStreamToken(deps.pageTokens, stream.id, token);
  const forward = decoded ? decoded.direction === 'f' : startFromHead;
  const gap: StreamGap = decoded ?? {
    timestamp: forward ? low : (endTime ?? Number.MAX_SAFE_INTEGER),
    seq: 0,
  };

  // endTime is exclusive for GetLogEvents [model doc].
  const range = { low, high: endTime ?? Number.MAX_SAFE_INTEGER };
  let rows = fitBytes(
    await readFromGap(db, stream.id, gap, forward, range, limit ?? MAX_GET_EVENTS),
  );
  if (!forward) rows = rows.reverse();

  const first = rows[0];
  const last = rows[rows.length - 1];
  let before: StreamGap;
  let after: StreamGap;
  if (first && last) {
    before = { timestamp: Number(first.timestamp), seq: Number(first.seq) };
    after = { timestamp: Number(last.timestamp), seq: Number(last.seq) + 1 };
  } else if (decoded) {
    // Nothing beyond the token: both tokens stay at its gap, so the caller gets its own back.
    before = gap;
    after = gap;
  } else {
    // Nothing in range at all: park both tokens at the start of the range, so following the
    // forward token later picks up events that arrive after this call.
    before = { timestamp: low, seq: 0 };
    after = before;
  }
  return {
    events: rows.map((r) => ({
      timestamp: Number(r.timestamp),
      message: r.message,
      ingestionTime: Number(r.ingestion_time),
    })),
    nextForwardToken: encodeStreamToken(deps.pageTokens, stream.id, { ...after, direction: 'f' }),
    nextBackwardToken: encodeStreamToken(deps.pageTokens, stream.id, { ...before, direction: 'b' }),
  };
}
