/**
 * Shared pieces of the Logs services: their dependencies, row ↔ wire mapping, lookups, and the
 * retention cut-off that hides expired events.
 */
import type { Clock } from '../platform/clock.ts';
import { arn, type AwsContext, isArnOf } from '../platform/ids.ts';
import type { PageTokens } from '../platform/page-token.ts';
import type { Db, Store } from '../store/store.ts';
import type { LogGroupRow, LogStreamRow } from '../store/tables/logs.tables.ts';
import { logGroupNotFound, logStreamNotFound } from './logs.errors.ts';
import type { LogGroup, LogGroupClass, LogStream } from './logs.types.ts';

/** What every Logs operation needs. */
export interface LogsDeps {
  readonly store: Store;
  readonly clock: Clock;
  /** The request's partition, region and account: groups and streams are scoped to its region. */
  readonly context: AwsContext;
  /** Signs page tokens and GetLogEvents' stream positions. */
  readonly pageTokens: PageTokens;
}

export const DAY_MS = 86_400_000;

/** `arn:…:log-group:<name>` — the tagging ARN, without AWS's trailing `:*`. */
export function logGroupArn(ctx: AwsContext, name: string): string {
  return arn(ctx, 'logs', `log-group:${name}`);
}

/** Wire form of a group. `storedBytes` stays 0 (we do not meter storage). */
export function toLogGroup(row: LogGroupRow): LogGroup {
  const group: LogGroup = {
    logGroupName: row.name,
    creationTime: Number(row.creation_time),
    metricFilterCount: 0,
    arn: `${row.arn}:*`,
    storedBytes: 0,
    logGroupClass: row.log_group_class as LogGroupClass,
    logGroupArn: row.arn,
    deletionProtectionEnabled: row.deletion_protection === 1,
  };
  if (row.retention_in_days != null) group.retentionInDays = row.retention_in_days;
  if (row.kms_key_id != null) group.kmsKeyId = row.kms_key_id;
  return group;
}

/** AWS-looking 56-digit sequence token derived from the stream's last sequence number. */
export function sequenceToken(lastSeq: number): string {
  return String(lastSeq).padStart(56, '0');
}

/** Wire form of a stream; event members appear only once the stream has events. */
export function toLogStream(groupArn: string, row: LogStreamRow): LogStream {
  const stream: LogStream = {
    logStreamName: row.name,
    creationTime: Number(row.creation_time),
    arn: `${groupArn}:log-stream:${row.name}`,
    storedBytes: 0,
  };
  if (row.first_event_timestamp != null) {
    stream.firstEventTimestamp = Number(row.first_event_timestamp);
  }
  if (row.last_event_timestamp != null) {
    stream.lastEventTimestamp = Number(row.last_event_timestamp);
  }
  if (row.last_ingestion_time != null) stream.lastIngestionTime = Number(row.last_ingestion_time);
  if (Number(row.last_seq) > 0) stream.uploadSequenceToken = sequenceToken(Number(row.last_seq));
  return stream;
}

/**
 * Refuses a `logGroupIdentifier` ARN of another region or account: requests are regional, so
 * such a group is not found here (a plain name passes).
 */
export function checkIdentifierRegion(ctx: AwsContext, identifier: unknown): void {
  if (typeof identifier === 'string' && identifier.startsWith('arn:')) {
    if (!isArnOf(ctx, identifier)) throw logGroupNotFound();
  }
}

/** The group row of `region`, or AWS's ResourceNotFoundException. */
export async function getGroup(db: Db, region: string, name: string): Promise<LogGroupRow> {
  const row = await db
    .selectFrom('logs_groups')
    .selectAll()
    .where('region', '=', region)
    .where('name', '=', name)
    .executeTakeFirst();
  if (!row) throw logGroupNotFound();
  return row;
}

/** The stream row (checking its group first, as AWS reports the group before the stream). */
export async function getStream(
  db: Db,
  region: string,
  groupName: string,
  streamName: string,
): Promise<{ group: LogGroupRow; stream: LogStreamRow }> {
  const group = await getGroup(db, region, groupName);
  const stream = await db
    .selectFrom('logs_streams')
    .selectAll()
    .where('region', '=', region)
    .where('group_name', '=', groupName)
    .where('name', '=', streamName)
    .executeTakeFirst();
  if (!stream) throw logStreamNotFound();
  return { group, stream };
}

/**
 * Oldest event timestamp still visible under the group's retention (0 when it never expires).
 * Expired events are deleted lazily (AWS also takes up to 72 h); every read applies this cut-off
 * so they are never returned in the meantime.
 */
export function retentionCutoff(group: LogGroupRow, now: number): number {
  return group.retention_in_days == null ? 0 : now - group.retention_in_days * DAY_MS;
}

/** UTF-8 size of a message plus AWS's 26 bytes of per-event overhead. */
export function eventSize(message: string): number {
  return Buffer.byteLength(message, 'utf8') + 26;
}
