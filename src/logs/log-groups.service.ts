/** Log group operations: create, describe, delete, retention. */
import { sql } from 'kysely';

import type { LogGroupRow } from '../store/tables/logs.tables.ts';
import {
  InvalidParameterException,
  ValidationException,
  ResourceAlreadyExistsException,
} from './logs.errors.ts';
import { isArnOf } from '../platform/ids.ts';
import { getGroup, logGroupArn, type LogsDeps, toLogGroup } from './logs.model.ts';
import {
  LOG_GROUP_CLASSES,
  type CreateLogGroupInput,
  type DescribeLogGroupsInput,
  type DescribeLogGroupsOutput,
  type LogGroupNameInput,
  type PutRetentionPolicyInput,
  RETENTION_DAYS,
} from './logs.types.ts';
import { decodeCursor, encodeCursor } from './log-tokens.ts';
import {
  checkBoolean,
  checkEnum,
  checkGroupName,
  checkInteger,
  checkList,
  checkString,
  checkTags,
  groupNameFromIdentifier,
  Violations,
} from './logs.validate.ts';

export async function createLogGroup(deps: LogsDeps, input: CreateLogGroupInput): Promise<void> {
  const v = new Violations();
  const name = checkGroupName(v, input.logGroupName) ?? '';
  const kmsKeyId = checkString(v, input.kmsKeyId, 'kmsKeyId', { max: 256 });
  const tags = checkTags(v, input.tags, 'tags');
  const cls = checkEnum(v, input.logGroupClass, 'logGroupClass', LOG_GROUP_CLASSES) ?? 'STANDARD';
  const protection = checkBoolean(input.deletionProtectionEnabled, 'deletionProtectionEnabled');
  v.throwIfAny();
  if (name.startsWith('aws/')) {
    // AWS reserves the prefix [doc]; the exact message is unconfirmed.
    throw new InvalidParameterException('Log group names cannot start with "aws/".');
  }
  const region = deps.context.region;
  const row: LogGroupRow = {
    region,
    name,
    arn: logGroupArn(deps.context, name),
    creation_time: deps.clock.now(),
    retention_in_days: null,
    kms_key_id: kmsKeyId ?? null,
    log_group_class: cls,
    tags: JSON.stringify(tags ?? {}),
    deletion_protection: protection ? 1 : 0,
  };
  await deps.store.transaction(async (trx) => {
    const existing = await trx
      .selectFrom('logs_groups')
      .select('name')
      .where('region', '=', region)
      .where('name', '=', name)
      .executeTakeFirst();
    // No trailing period: this is AWS's verified text.
    if (existing) {
      throw new ResourceAlreadyExistsException('The specified log group already exists');
    }
    await trx.insertInto('logs_groups').values(row).execute();
  });
}

interface GroupCursor {
  after: string;
}

function isGroupCursor(value: unknown): GroupCursor | null {
  const after = (value as { after?: unknown } | null)?.after;
  return typeof after === 'string' ? { after } : null;
}

/** Rows fetched per round while a name pattern filters in memory. */
const SCAN_BATCH = 500;

export async function describeLogGroups(
  deps: LogsDeps,
  input: DescribeLogGroupsInput,
): Promise<DescribeLogGroupsOutput> {
  const v = new Violations();
  const prefix = checkGroupName(v, input.logGroupNamePrefix, 'logGroupNamePrefix', false);
  const pattern = checkString(v, input.logGroupNamePattern, 'logGroupNamePattern', {
    max: 512,
    pattern: '[\\.\\-_/#A-Za-z0-9]*',
  });
  const limit = checkInteger(v, input.limit, 'limit', { min: 1, max: 50 }) ?? 50;
  const token = checkString(v, input.nextToken, 'nextToken', { min: 1 });
  const cls = checkEnum(v, input.logGroupClass, 'logGroupClass', LOG_GROUP_CLASSES);
  const ids = checkList(v, input.logGroupIdentifiers, 'logGroupIdentifiers', { min: 1, max: 50 });
  v.throwIfAny();
  if (prefix !== undefined && pattern !== undefined) {
    throw new InvalidParameterException(
      'LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.',
    );
  }
  // An identifier ARN of another region or account names no group of this region.
  const names = ids
    ?.filter((id) => !String(id).startsWith('arn:') || isArnOf(deps.context, String(id)))
    .map((id) => groupNameFromIdentifier(String(id)));
  let after =
    token === undefined
      ? undefined
      : decodeCursor(deps.pageTokens, 'groups', token, isGroupCursor).after;

  // Sorted by name in binary (ASCII) order: SQLite's default collation. PostgreSQL will need
  // `COLLATE "C"` on this column to keep the same order.
  const out: LogGroupRow[] = [];
  while (out.length <= limit) {
    let q = deps.store.db
      .selectFrom('logs_groups')
      .selectAll()
      .where('region', '=', deps.context.region)
      .orderBy('name')
      .limit(SCAN_BATCH);
    if (after !== undefined) q = q.where('name', '>', after);
    if (prefix !== undefined) {
      q = q.where(sql<string>`substr(name, 1, ${[...prefix].length})`, '=', prefix);
    }
    if (cls !== undefined) q = q.where('log_group_class', '=', cls);
    if (names !== undefined) q = q.where('name', 'in', names);
    const rows = await q.execute();
    for (const row of rows) {
      // The pattern is a case-sensitive substring [aws-verified doc].
      if (pattern === undefined || row.name.includes(pattern)) out.push(row);
    }
    if (rows.length < SCAN_BATCH) break;
    after = rows[rows.length - 1]?.name;
  }
  const page = out.slice(0, limit);
  const result: DescribeLogGroupsOutput = { logGroups: page.map(toLogGroup) };
  const last = page[page.length - 1];
  if (out.length > limit && last) {
    result.nextToken = encodeCursor(deps.pageTokens, 'groups', { after: last.name });
  }
  return result;
}

export async function deleteLogGroup(deps: LogsDeps, input: LogGroupNameInput): Promise<void> {
  const v = new Violations();
  const name = checkGroupName(v, input.logGroupName) ?? '';
  v.throwIfAny();
  await deps.store.transaction(async (trx) => {
    const region = deps.context.region;
    const group = await getGroup(trx, region, name);
    if (group.deletion_protection === 1) {
      // Exact AWS text for a protected group is unconfirmed.
      throw new ValidationException(
        'Log group deletion is not allowed while deletion protection is enabled.',
      );
    }
    const streamIds = trx
      .selectFrom('logs_streams')
      .select('id')
      .where('region', '=', region)
      .where('group_name', '=', name);
    await trx.deleteFrom('logs_events').where('stream_id', 'in', streamIds).execute();
    await trx
      .deleteFrom('logs_streams')
      .where('region', '=', region)
      .where('group_name', '=', name)
      .execute();
    await trx
      .deleteFrom('logs_groups')
      .where('region', '=', region)
      .where('name', '=', name)
      .execute();
  });
}

export async function putRetentionPolicy(
  deps: LogsDeps,
  input: PutRetentionPolicyInput,
): Promise<void> {
  const v = new Violations();
  const name = checkGroupName(v, input.logGroupName) ?? '';
  const days = checkEnum(v, input.retentionInDays, 'retentionInDays', RETENTION_DAYS, true);
  v.throwIfAny();
  await setRetention(deps, name, days ?? null);
}

export async function deleteRetentionPolicy(
  deps: LogsDeps,
  input: LogGroupNameInput,
): Promise<void> {
  const v = new Violations();
  const name = checkGroupName(v, input.logGroupName) ?? '';
  v.throwIfAny();
  await setRetention(deps, name, null);
}

async function setRetention(deps: LogsDeps, name: string, days: number | null): Promise<void> {
  await deps.store.transaction(async (trx) => {
    await getGroup(trx, deps.context.region, name);
    await trx
      .updateTable('logs_groups')
      .set({ retention_in_days: days })
      .where('region', '=', deps.context.region)
      .where('name', '=', name)
      .execute();
  });
}
