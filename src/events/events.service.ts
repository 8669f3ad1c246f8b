/**
 * The EventBridge rules service: every `AWSEvents.*` operation cronbridge supports, with AWS wire
 * shapes in and out, plus the {@link ScheduleSource} the firing loop reads scheduled rules from.
 *
 * EventBridge is regional: every operation takes the request's {@link AwsContext} first and sees
 * only its region's buses and rules (each region has its own `default` bus); the ARNs it writes
 * name that region. The schedule source spans every region: each rule fires in its own.
 *
 * Listeners hear about a rule after the transaction that changed it has committed (never from
 * inside it), once per operation and rule; a listener that throws cannot fail the operation.
 */
import type { ScheduleSource, ScheduledThing, ScheduledThingWithTargets } from '../firing/index.ts';
import { SCHEDULE_PAGE_SIZE } from '../firing/index.ts';
import type { Clock } from '../platform/clock.ts';
import type { AwsContext } from '../platform/ids.ts';
import { PageTokens } from '../platform/page-token.ts';
import type { Store } from '../store/store.ts';
import * as buses from './buses.ops.ts';
import { type EventsDeps } from './events.model.ts';
import { toScheduledRule, toScheduledThing } from './rule-schedule.source.ts';
import type { RuleTarget } from './target.types.ts';
import type {
  CreateEventBusInput,
  CreateEventBusOutput,
  DeleteEventBusInput,
  DeleteRuleInput,
  DescribeEventBusInput,
  DescribeRuleOutput,
  EmptyOutput,
  EventBusSummary,
  ListEventBusesInput,
  ListEventBusesOutput,
  ListRuleNamesByTargetInput,
  ListRuleNamesByTargetOutput,
  ListRulesInput,
  ListRulesOutput,
  ListTagsForResourceInput,
  ListTagsForResourceOutput,
  ListTargetsByRuleInput,
  ListTargetsByRuleOutput,
  PutRuleInput,
  PutRuleOutput,
  PutTargetsInput,
  RemoveTargetsInput,
  RuleNameInput,
  TagResourceInput,
  TargetsResultOutput,
  UntagResourceInput,
} from './events.types.ts';
import * as rules from './rules.ops.ts';
import * as tags from './tags.ops.ts';
import * as targets from './targets.ops.ts';

export interface EventsServiceOptions {
  store: Store;
  clock: Clock;
  /** Signs page tokens; without it the service uses a random key of its own. */
  pageTokens?: PageTokens;
}

type RuleListener = (ruleArn: string) => void;

export class EventsService implements ScheduleSource<RuleTarget> {
  readonly #base: Omit<EventsDeps, 'context'>;
  readonly #listeners = new Set<RuleListener>();

  constructor(options: EventsServiceOptions) {
    this.#base = {
      store: options.store,
      clock: options.clock,
      pageTokens: options.pageTokens ?? new PageTokens({ clock: options.clock }),
    };
  }

  /** The dependencies of one call, in the caller's region. */
  #in(ctx: AwsContext): EventsDeps {
    return { ...this.#base, context: ctx };
  }

  /** Runs a mutating operation, then tells listeners which rules it changed. */
  async #mutate<T>(
    ctx: AwsContext,
    op: (deps: EventsDeps, changes: string[]) => Promise<T>,
  ): Promise<T> {
    const changes: string[] = [];
    const result = await op(this.#in(ctx), changes);
    // The operation returned, so its transaction committed; listeners may now read the store.
    for (const arn of new Set(changes)) this.#notify(arn);
    return result;
  }

  #notify(ruleArn: string): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(ruleArn);
      } catch {
        // A broken listener must not turn a committed change into an error for the caller.
      }
    }
  }

  putRule(ctx: AwsContext, input: PutRuleInput): Promise<PutRuleOutput> {
    return this.#mutate(ctx, (d, c) => rules.putRule(d, input, c));
  }

  describeRule(ctx: AwsContext, input: RuleNameInput): Promise<DescribeRuleOutput> {
    return rules.describeRule(this.#in(ctx), input);
  }

  listRules(ctx: AwsContext, input: ListRulesInput = {}): Promise<ListRulesOutput> {
    return rules.listRules(this.#in(ctx), input);
  }

  enableRule(ctx: AwsContext, input: RuleNameInput): Promise<EmptyOutput> {
    return this.#mutate(ctx, (d, c) => rules.enableRule(d, input, c));
  }

  disableRule(ctx: AwsContext, input: RuleNameInput): Promise<EmptyOutput> {
    return this.#mutate(ctx, (d, c) => rules.disableRule(d, input, c));
  }

  deleteRule(ctx: AwsContext, input: DeleteRuleInput): Promise<EmptyOutput> {
    return this.#mutate(ctx, (d, c) => rules.deleteRule(d, input, c));
  }

  putTargets(ctx: AwsContext, input: PutTargetsInput): Promise<TargetsResultOutput> {
    return this.#mutate(ctx, (d, c) => targets.putTargets(d, input, c));
  }

  removeTargets(ctx: AwsContext, input: RemoveTargetsInput): Promise<TargetsResultOutput> {
    return this.#mutate(ctx, (d, c) => targets.removeTargets(d, input, c));
  }

  listTargetsByRule(
    ctx: AwsContext,
    input: ListTargetsByRuleInput,
  ): Promise<ListTargetsByRuleOutput> {
    return targets.listTargetsByRule(this.#in(ctx), input);
  }

  listRuleNamesByTarget(
    ctx: AwsContext,
    input: ListRuleNamesByTargetInput,
  ): Promise<ListRuleNamesByTargetOutput> {
    return targets.listRuleNamesByTarget(this.#in(ctx), input);
  }

  tagResource(ctx: AwsContext, input: TagResourceInput): Promise<EmptyOutput> {
    return tags.tagResource(this.#in(ctx), input);
  }

  untagResource(ctx: AwsContext, input: UntagResourceInput): Promise<EmptyOutput> {
    return tags.untagResource(this.#in(ctx), input);
  }

  listTagsForResource(
    ctx: AwsContext,
    input: ListTagsForResourceInput,
  ): Promise<ListTagsForResourceOutput> {
    return tags.listTagsForResource(this.#in(ctx), input);
  }

  createEventBus(ctx: AwsContext, input: CreateEventBusInput): Promise<CreateEventBusOutput> {
    return buses.createEventBus(this.#in(ctx), input);
  }

  describeEventBus(ctx: AwsContext, input: DescribeEventBusInput = {}): Promise<EventBusSummary> {
    return buses.describeEventBus(this.#in(ctx), input);
  }

  deleteEventBus(ctx: AwsContext, input: DeleteEventBusInput): Promise<EmptyOutput> {
    return this.#mutate(ctx, (d, c) => buses.deleteEventBus(d, input, c));
  }

  listEventBuses(ctx: AwsContext, input: ListEventBusesInput = {}): Promise<ListEventBusesOutput> {
    return buses.listEventBuses(this.#in(ctx), input);
  }

  // ---- ScheduleSource ----

  /**
   * Keyset pages in ARN order, one query each, rule columns only (the loop reads targets when a
   * slot fires). Each page is read when asked for, so a caller that stops early reads no more.
   */
  async *scheduledPages(pageSize = SCHEDULE_PAGE_SIZE): AsyncGenerator<ScheduledThing[]> {
    const db = this.#base.store.db;
    let after: string | undefined;
    for (;;) {
      let query = db
        .selectFrom('events_rules')
        .select(['arn', 'name', 'bus_name', 'schedule_expression', 'state', 'anchor_ms'])
        .where('schedule_expression', 'is not', null)
        .orderBy('arn')
        .limit(pageSize);
      if (after !== undefined) query = query.where('arn', '>', after);
      const rows = await query.execute();
      if (rows.length === 0) return;
      yield rows.flatMap((row) => toScheduledThing(row) ?? []);
      if (rows.length < pageSize) return;
      after = rows[rows.length - 1]!.arn;
    }
  }

  async getScheduled(ruleArn: string): Promise<ScheduledThingWithTargets<RuleTarget> | undefined> {
    const db = this.#base.store.db;
    const row = await db
      .selectFrom('events_rules')
      .selectAll()
      .where('arn', '=', ruleArn)
      .executeTakeFirst();
    if (!row) return undefined;
    const targetRows = await db
      .selectFrom('events_targets')
      .selectAll()
      .where('rule_arn', '=', ruleArn)
      .orderBy('seq')
      .execute();
    return toScheduledRule(row, targetRows);
  }

  subscribe(listener: RuleListener): () => void {
    // Wrapped so that subscribing the same function twice yields two independent subscriptions.
    const entry: RuleListener = (arn) => listener(arn);
    this.#listeners.add(entry);
    return () => {
      this.#listeners.delete(entry);
    };
  }
}
