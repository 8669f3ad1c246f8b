/**
 * The CloudWatch Logs service: every API operation as a plain async method taking and returning
 * AWS wire shapes, plus the ingestion entry points the awslogs pipe uses. The HTTP layer, the CLI
 * and the console all call these same methods.
 *
 * CloudWatch Logs is regional: every operation takes the request's {@link AwsContext} first, and
 * sees only the groups and streams of its region; the ARNs it writes name that region.
 */
import type { Clock } from '../platform/clock.ts';
import type { AwsContext } from '../platform/ids.ts';
import { PageTokens } from '../platform/page-token.ts';
import type { Store } from '../store/store.ts';
import { appendEvents } from './log-events.append.ts';
import { filterLogEvents } from './log-events.filter.ts';
import { getLogEvents } from './log-events.get.ts';
import { putLogEvents } from './log-events.put.ts';
import {
  createLogGroup,
  deleteLogGroup,
  deleteRetentionPolicy,
  describeLogGroups,
  putRetentionPolicy,
} from './log-groups.service.ts';
import {
  createLogStream,
  deleteLogStream,
  describeLogStreams,
  insertStream,
} from './log-streams.service.ts';
import {
  listTagsForResource,
  listTagsLogGroup,
  tagLogGroup,
  tagResource,
  untagLogGroup,
  untagResource,
} from './log-tags.service.ts';
import { logGroupNotFound } from './logs.errors.ts';
import { DAY_MS, getStream, logGroupArn, type LogsDeps } from './logs.model.ts';
import type {
  CreateLogGroupInput,
  DescribeLogGroupsInput,
  DescribeLogGroupsOutput,
  DescribeLogStreamsInput,
  DescribeLogStreamsOutput,
  FilterLogEventsInput,
  FilterLogEventsOutput,
  GetLogEventsInput,
  GetLogEventsOutput,
  InputLogEvent,
  LogGroupNameInput,
  LogStreamNameInput,
  PutLogEventsInput,
  PutLogEventsOutput,
  PutRetentionPolicyInput,
  TagLogGroupInput,
  TagResourceInput,
  TagsOutput,
  UntagLogGroupInput,
  UntagResourceInput,
} from './logs.types.ts';
import { checkGroupName, checkStreamName, Violations } from './logs.validate.ts';

export interface LogsServiceOptions {
  store: Store;
  clock: Clock;
  /** Signs page tokens; without it the service uses a random key of its own. */
  pageTokens?: PageTokens;
}

/** Options of {@link LogsService.ensureStream}. */
export interface EnsureStreamOptions {
  /** `awslogs-create-group: "true"`: create the group when it is missing. */
  createGroup?: boolean;
}

export class LogsService {
  readonly #base: Omit<LogsDeps, 'context'>;

  constructor(options: LogsServiceOptions) {
    this.#base = {
      store: options.store,
      clock: options.clock,
      pageTokens: options.pageTokens ?? new PageTokens({ clock: options.clock }),
    };
  }

  /** The dependencies of one call, in the caller's region. */
  #in(ctx: AwsContext): LogsDeps {
    return { ...this.#base, context: ctx };
  }

  createLogGroup(ctx: AwsContext, input: CreateLogGroupInput): Promise<Record<string, never>> {
    return empty(createLogGroup(this.#in(ctx), input));
  }

  describeLogGroups(
    ctx: AwsContext,
    input: DescribeLogGroupsInput = {},
  ): Promise<DescribeLogGroupsOutput> {
    return describeLogGroups(this.#in(ctx), input);
  }

  deleteLogGroup(ctx: AwsContext, input: LogGroupNameInput): Promise<Record<string, never>> {
    return empty(deleteLogGroup(this.#in(ctx), input));
  }

  putRetentionPolicy(
    ctx: AwsContext,
    input: PutRetentionPolicyInput,
  ): Promise<Record<string, never>> {
    return empty(putRetentionPolicy(this.#in(ctx), input));
  }

  deleteRetentionPolicy(ctx: AwsContext, input: LogGroupNameInput): Promise<Record<string, never>> {
    return empty(deleteRetentionPolicy(this.#in(ctx), input));
  }

  createLogStream(ctx: AwsContext, input: LogStreamNameInput): Promise<Record<string, never>> {
    return empty(createLogStream(this.#in(ctx), input));
  }

  describeLogStreams(
    ctx: AwsContext,
    input: DescribeLogStreamsInput,
  ): Promise<DescribeLogStreamsOutput> {
    return describeLogStreams(this.#in(ctx), input);
  }

  deleteLogStream(ctx: AwsContext, input: LogStreamNameInput): Promise<Record<string, never>> {
    return empty(deleteLogStream(this.#in(ctx), input));
  }

  putLogEvents(ctx: AwsContext, input: PutLogEventsInput): Promise<PutLogEventsOutput> {
    return putLogEvents(this.#in(ctx), input);
  }

  getLogEvents(ctx: AwsContext, input: GetLogEventsInput): Promise<GetLogEventsOutput> {
    return getLogEvents(this.#in(ctx), input);
  }

  filterLogEvents(ctx: AwsContext, input: FilterLogEventsInput): Promise<FilterLogEventsOutput> {
    return filterLogEvents(this.#in(ctx), input);
  }

  tagLogGroup(ctx: AwsContext, input: TagLogGroupInput): Promise<Record<string, never>> {
    return empty(tagLogGroup(this.#in(ctx), input));
  }

  untagLogGroup(ctx: AwsContext, input: UntagLogGroupInput): Promise<Record<string, never>> {
    return empty(untagLogGroup(this.#in(ctx), input));
  }

  listTagsLogGroup(ctx: AwsContext, input: LogGroupNameInput): Promise<TagsOutput> {
    return listTagsLogGroup(this.#in(ctx), input);
  }

  tagResource(ctx: AwsContext, input: TagResourceInput): Promise<Record<string, never>> {
    return empty(tagResource(this.#in(ctx), input));
  }

  untagResource(ctx: AwsContext, input: UntagResourceInput): Promise<Record<string, never>> {
    return empty(untagResource(this.#in(ctx), input));
  }

  listTagsForResource(ctx: AwsContext, input: { resourceArn: string }): Promise<TagsOutput> {
    return listTagsForResource(this.#in(ctx), input);
  }

  /** The tagging ARN of a log group (no `:*`), for callers that build references. */
  logGroupArn(ctx: AwsContext, name: string): string {
    return logGroupArn(ctx, name);
  }

  /**
   * What the awslogs driver does when a container starts, in the region of `awslogs-region`
   * (`ctx`): create the group if allowed (else
   * ResourceNotFoundException `The specified log group does not exist.`, which the task
   * supervisor turns into a container start failure), then create the stream if missing.
   */
  async ensureStream(
    ctx: AwsContext,
    groupName: string,
    streamName: string,
    options: EnsureStreamOptions = {},
  ): Promise<void> {
    const v = new Violations();
    checkGroupName(v, groupName);
    checkStreamName(v, streamName);
    v.throwIfAny();
    const now = this.#base.clock.now();
    await this.#base.store.transaction(async (trx) => {
      const group = await trx
        .selectFrom('logs_groups')
        .select('name')
        .where('region', '=', ctx.region)
        .where('name', '=', groupName)
        .executeTakeFirst();
      if (!group) {
        if (!options.createGroup) throw logGroupNotFound();
        await trx
          .insertInto('logs_groups')
          .values({
            region: ctx.region,
            name: groupName,
            arn: logGroupArn(ctx, groupName),
            creation_time: now,
            retention_in_days: null,
            kms_key_id: null,
            log_group_class: 'STANDARD',
            tags: '{}',
            deletion_protection: 0,
          })
          .execute();
      }
      await insertStream(trx, ctx.region, groupName, streamName, now);
    });
  }

  /**
   * Stores events for the awslogs pipe in one transaction, stamped with the Clock's ingestion
   * time. Unlike PutLogEvents it rejects nothing: the driver stamps lines with the current time,
   * sorts and sizes its batches itself, and must never lose a line. The stream must exist
   * ({@link ensureStream}).
   */
  async ingest(
    ctx: AwsContext,
    groupName: string,
    streamName: string,
    events: readonly InputLogEvent[],
  ): Promise<void> {
    if (events.length === 0) return;
    await this.#base.store.transaction(async (trx) => {
      const { stream } = await getStream(trx, ctx.region, groupName, streamName);
      await appendEvents(trx, stream.id, events, this.#base.clock.now());
    });
  }

  /**
   * How many events a stream holds, for the task supervisor: after a restart it replays a
   * container's output from the engine and skips what is already stored, so logs stay whole
   * without duplicates. A missing stream counts as empty.
   */
  async countStreamEvents(ctx: AwsContext, groupName: string, streamName: string): Promise<number> {
    const row = await this.#base.store.db
      .selectFrom('logs_events')
      .innerJoin('logs_streams', 'logs_streams.id', 'logs_events.stream_id')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('logs_streams.region', '=', ctx.region)
      .where('logs_streams.group_name', '=', groupName)
      .where('logs_streams.name', '=', streamName)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /**
   * Deletes events that fell out of their group's retention. Reads already hide them, so this is
   * housekeeping only; AWS likewise deletes lazily (up to 72 hours late). Returns rows deleted.
   */
  async purgeExpiredEvents(): Promise<number> {
    const now = this.#base.clock.now();
    const db = this.#base.store.db;
    // Every region's groups: housekeeping is the server's, not a request's.
    const groups = await db
      .selectFrom('logs_groups')
      .select(['region', 'name', 'retention_in_days'])
      .where('retention_in_days', 'is not', null)
      .execute();
    let deleted = 0;
    for (const g of groups) {
      const cutoff = now - Number(g.retention_in_days) * DAY_MS;
      const result = await db
        .deleteFrom('logs_events')
        .where('timestamp', '<', cutoff)
        .where(
          'stream_id',
          'in',
          db
            .selectFrom('logs_streams')
            .select('id')
            .where('region', '=', g.region)
            .where('group_name', '=', g.name),
        )
        .executeTakeFirst();
      deleted += Number(result.numDeletedRows);
    }
    return deleted;
  }
}

async function empty(op: Promise<void>): Promise<Record<string, never>> {
  await op;
  return {};
}
