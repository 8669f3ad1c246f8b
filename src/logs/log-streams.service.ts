/** Log stream operations: create, describe, delete. */
import { sql } from 'kysely';

import { randomHex } from '../platform/ids.ts';
import type { Db } from '../store/store.ts';
import type { LogStreamRow } from '../store/tables/logs.tables.ts';
import { InvalidParameterException, ResourceAlreadyExistsException } from './logs.errors.ts';
import {
  checkIdentifierRegion,
  getGroup,
  getStream,
  type LogsDeps,
  toLogStream,
} from './logs.model.ts';
import {
  type DescribeLogStreamsInput,
  type DescribeLogStreamsOutput,
  type LogStreamNameInput,
  ORDER_BY_VALUES,
} from './logs.types.ts';
import { decodeCursor, encodeCursor } from './log-tokens.ts';
import {
  checkBoolean,
  checkEnum,
  checkGroupName,
  checkInteger,
  checkStreamName,
  checkString,
  resolveGroupName,
  Violations,
} from './logs.validate.ts';

/**
 * Inserts a stream row; the caller has checked the group. Returns null when the stream exists
 * already (callers decide whether that is an error).
 */
export async function insertStream(
  db: Db,
  region: string,
  groupName: string,
  streamName: string,
  now: number,
): Promise<LogStreamRow | null> {
  const existing = await db
    .selectFrom('logs_streams')
    .select('id')
    .where('region', '=', region)
    .where('group_name', '=', groupName)
    .where('name', '=', streamName)
    .executeTakeFirst();
  if (existing) return null;
  const row: LogStreamRow = {
    id: randomHex(16),
    region,
    group_name: groupName,
    name: streamName,
    creation_time: now,
    first_event_timestamp: null,
    last_event_timestamp: null,
    last_ingestion_time: null,
    last_seq: 0,
  };
  await db.insertInto('logs_streams').values(row).execute();
  return row;
}

export async function createLogStream(deps: LogsDeps, input: LogStreamNameInput): Promise<void> {
  const v = new Violations();
  const groupName = checkGroupName(v, input.logGroupName) ?? '';
  const streamName = checkStreamName(v, input.logStreamName) ?? '';
  v.throwIfAny();
  await deps.store.transaction(async (trx) => {
    const region = deps.context.region;
    await getGroup(trx, region, groupName);
    const row = await insertStream(trx, region, groupName, streamName, deps.clock.now());
    if (!row) throw new ResourceAlreadyExistsException('The specified log stream already exists');
  });
}

export async function deleteLogStream(deps: LogsDeps, input: LogStreamNameInput): Promise<void> {
  const v = new Violations();
  const groupName = checkGroupName(v, input.logGroupName) ?? '';
  const streamName = checkStreamName(v, input.logStreamName) ?? '';
  v.throwIfAny();
  await deps.store.transaction(async (trx) => {
    const { stream } = await getStream(trx, deps.context.region, groupName, streamName);
    await trx.deleteFrom('logs_events').where('stream_id', '=', stream.id).execute();
    await trx.deleteFrom('logs_streams').where('id', '=', stream.id).execute();
  });
}

/** Keyset cursor: the sort key of the last stream returned. */
interface StreamCursor {
  time: number;
  name: string;
}

function isStreamCursor(value: unknown): StreamCursor | null {
  const c = value as { time?: unknown; name?: unknown } | null;
  return typeof c?.time === 'number' && typeof c.name === 'string'
    ? { time: c.time, name: c.name }
    : null;
}

export async function describeLogStreams(
  deps: LogsDeps,
  input: DescribeLogStreamsInput,
): Promise<DescribeLogStreamsOutput> {
  const v = new Violations();
  const groupName = resolveGroupName(v, input.logGroupName, input.logGroupIdentifier);
  const prefix = checkStreamName(v, input.logStreamNamePrefix, 'logStreamNamePrefix', false);
  const orderBy = checkEnum(v, input.orderBy, 'orderBy', ORDER_BY_VALUES) ?? 'LogStreamName';
  const descending = checkBoolean(input.descending, 'descending') ?? false;
  const token = checkString(v, input.nextToken, 'nextToken', { min: 1 });
  const limit = checkInteger(v, input.limit, 'limit', { min: 1, max: 50 }) ?? 50;
  v.throwIfAny();
  if (prefix !== undefined && orderBy === 'LastEventTime') {
    // Type and text follow what AWS SDK users report; unconfirmed against AWS itself.
    throw new InvalidParameterException(
      'Cannot order by LastEventTime with a logStreamNamePrefix.',
    );
  }
  checkIdentifierRegion(deps.context, input.logGroupIdentifier);
  const group = await getGroup(deps.store.db, deps.context.region, groupName);
  const cursor =
    token === undefined
      ? undefined
      : decodeCursor(deps.pageTokens, 'streams', token, isStreamCursor);

  // Streams without events sort as if their last event were at time 0, so the keyset
  // (time, name) is total. Name order uses the name alone.
  const byTime = orderBy === 'LastEventTime';
  const timeKey = sql<number>`coalesce(last_event_timestamp, 0)`;
  const dir = descending ? 'desc' : 'asc';
  let q = deps.store.db
    .selectFrom('logs_streams')
    .selectAll()
    .where('region', '=', group.region)
    .where('group_name', '=', group.name)
    .limit(limit + 1);
  q = byTime ? q.orderBy(timeKey, dir).orderBy('name', dir) : q.orderBy('name', dir);
  if (prefix !== undefined) {
    q = q.where(sql<string>`substr(name, 1, ${[...prefix].length})`, '=', prefix);
  }
  if (cursor) {
    const op = descending ? sql.raw('<') : sql.raw('>');
    q = byTime
      ? q.where(sql<boolean>`(${timeKey}, name) ${op} (${cursor.time}, ${cursor.name})`)
      : q.where(sql<boolean>`name ${op} ${cursor.name}`);
  }
  const rows = await q.execute();
  const page = rows.slice(0, limit);
  const out: DescribeLogStreamsOutput = {
    logStreams: page.map((r) => toLogStream(group.arn, r)),
  };
  const last = page[page.length - 1];
  if (rows.length > limit && last) {
    const time = byTime ? Number(last.last_event_timestamp ?? 0) : 0;
    out.nextToken = encodeCursor(deps.pageTokens, 'streams', { time, name: last.name });
  }
  return out;
}
