/**
 * The EventBridge rules service: every `AWSEvents.*` operation cronbridge supports, with AWS wire
 * shapes in and out, plus the {@link ScheduleSource} the firing loop reads scheduled rules from.
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
  context: AwsContext;
  /** Signs page tokens; without it the service uses a random key of its own. */
  pageTokens?: PageTokens;
}

type RuleListener = (ruleArn: string) => void;

export class EventsService implements ScheduleSource<RuleTarget> {
  readonly #deps: EventsDeps;
  readonly #listeners = new Set<RuleListener>();

  constructor(options: EventsServiceOptions) {
    this.#deps = {
      store: options.store,
      clock: options.clock,
      context: options.context,
      pageTokens: options.pageTokens ?? new PageTokens({ clock: options.clock }),
    };
  }

  /** Runs a mutating operation, then tells listeners which rules it changed. */
  async #mutate<T>(op: (deps: EventsDeps, changes: string[]) => Promise<T>): Promise<T> {
    const changes: string[] = [];
    const result = await op(this.#deps, changes);
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

  putRule(input: PutRuleInput): Promise<PutRuleOutput> {
    return this.#mutate((d, c) => rules.putRule(d, input, c));
  }

  describeRule(input: RuleNameInput): Promise<DescribeRuleOutput> {
    return rules.describeRule(this.#deps, input);
  }

  listRules(input: ListRulesInput = {}): Promise<ListRulesOutput> {
    return rules.listRules(this.#deps, input);
  }

  enableRule(input: RuleNameInput): Promise<EmptyOutput> {
    return this.#mutate((d, c) => rules.enableRule(d, input, c));
  }

  disableRule(input: RuleNameInput): Promise<EmptyOutput> {
    return this.#mutate((d, c) => rules.disableRule(d, input, c));
  }

  deleteRule(input: DeleteRuleInput): Promise<EmptyOutput> {
    return this.#mutate((d, c) => rules.deleteRule(d, input, c));
  }

  putTargets(input: PutTargetsInput): Promise<TargetsResultOutput> {
    return this.#mutate((d, c) => targets.putTargets(d, input, c));
  }

  removeTargets(input: RemoveTargetsInput): Promise<TargetsResultOutput> {
    return this.#mutate((d, c) => targets.removeTargets(d, input, c));
  }

  listTargetsByRule(input: ListTargetsByRuleInput): Promise<ListTargetsByRuleOutput> {
    return targets.listTargetsByRule(this.#deps, input);
  }

  listRuleNamesByTarget(input: ListRuleNamesByTargetInput): Promise<ListRuleNamesByTargetOutput> {
    return targets.listRuleNamesByTarget(this.#deps, input);
  }

  tagResource(input: TagResourceInput): Promise<EmptyOutput> {
    return tags.tagResource(this.#deps, input);
  }

  untagResource(input: UntagResourceInput): Promise<EmptyOutput> {
    return tags.untagResource(this.#deps, input);
  }

  listTagsForResource(input: ListTagsForResourceInput): Promise<ListTagsForResourceOutput> {
    return tags.listTagsForResource(this.#deps, input);
  }

  createEventBus(input: CreateEventBusInput): Promise<CreateEventBusOutput> {
    return buses.createEventBus(this.#deps, input);
  }

  describeEventBus(input: DescribeEventBusInput = {}): Promise<EventBusSummary> {
    return buses.describeEventBus(this.#deps, input);
  }

  deleteEventBus(input: DeleteEventBusInput): Promise<EmptyOutput> {
    return this.#mutate((d, c) => buses.deleteEventBus(d, input, c));
  }

  listEventBuses(input: ListEventBusesInput = {}): Promise<ListEventBusesOutput> {
    return buses.listEventBuses(this.#deps, input);
  }

  // ---- ScheduleSource ----

  /**
   * Keyset pages in ARN order, one query each, rule columns only (the loop reads targets when a
   * slot fires). Each page is read when asked for, so a caller that stops early reads no more.
   */
  async *scheduledPages(pageSize = SCHEDULE_PAGE_SIZE): AsyncGenerator<ScheduledThing[]> {
    const db = this.#deps.store.db;
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
    const db = this.#deps.store.db;
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
