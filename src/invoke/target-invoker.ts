/**
 * Delivers claimed slots to their rule's targets: builds the Scheduled Event once per slot, turns
 * each ECS target into a RunTask call, records every attempt, retries with backoff on the Clock,
 * and dead-letters what cannot be delivered. Nothing is dropped silently: an unsupported target
 * or an unusable input is a recorded, dead-lettered failure.
 *
 * Restart: invocations waiting for a retry live in the store with their next attempt time and are
 * resumed by {@link TargetInvoker.start}; so are slots claimed but never handed over. Start the
 * invoker before the loop. An attempt cut off by a crash (RunTask sent, result not recorded) is
 * made again with the same RunTask client token, so ECS hands back the tasks the first try
 * started instead of starting them twice: delivery stays exactly once across a crash as long as
 * the token lives (24 h; the maximum event age is at most as long).
 */
import { settleSlot } from '../firing/fire-records.store.ts';
import { FiringEvents } from '../firing/firing.events.ts';
import type {
  EcsTaskRunner,
  RuleSource,
  RuleTarget,
  ScheduledRule,
} from '../firing/firing.ports.ts';
import { isSlotOf } from '../firing/slot-range.ts';
import type { ClaimedSlot, SlotInvoker } from '../firing/firing.types.ts';
import type { Clock, Timer } from '../platform/clock.ts';
import { coerceError } from '../platform/errors.ts';
import type { AwsContext } from '../platform/ids.ts';
import { uuid } from '../platform/ids.ts';
import { parseScheduleExpression } from '../expressions/index.ts';
import type { Store } from '../store/store.ts';
import type { FiringInvocationRow } from '../store/tables/firing.tables.ts';
import { toRunTaskRequest } from './ecs-target.map.ts';
import {
  createInvocations,
  loadPendingInvocations,
  loadUnsettledSlots,
  recordAttempt,
} from './invocation.store.ts';
import type { AttemptWrite } from './invocation.store.ts';
import type { AttemptError, BackoffOptions, ExhaustedCondition } from './retry-policy.ts';
import { DEFAULT_BACKOFF, classifyError, compileRetryPolicy, decideRetry } from './retry-policy.ts';
import type { ScheduledEvent } from './scheduled-event.build.ts';
import { buildScheduledEvent, formatEventTime } from './scheduled-event.build.ts';

export interface TargetInvokerDeps {
  store: Store;
  clock: Clock;
  rules: RuleSource;
  ecs: EcsTaskRunner;
  context: AwsContext;
  /** Shared with the loop and the metrics; a new hub by default. */
  events?: FiringEvents;
  backoff?: Partial<BackoffOptions>;
  /**
   * Slots delivered at once; more wait in a queue, in hand-over order. Without a bound a burst
   * (the start-up backlog of a million rules) would start every delivery together, each holding
   * its queries and closures until the one store connection gets to them. @default 64
   */
  maxConcurrentSlots?: number;
}

const DEFAULT_MAX_CONCURRENT_SLOTS = 64;

/** What an invocation needs in memory between attempts. */
interface Delivery {
  id: string;
  slotId: string;
  ruleArn: string;
  nominalMs: number;
  target: RuleTarget;
  event: ScheduledEvent;
  eventJson: string;
  createdMs: number;
  attempts: number;
  remaining: number;
}

export class TargetInvoker implements SlotInvoker, AsyncDisposable {
  readonly events: FiringEvents;
  readonly #d: TargetInvokerDeps;
  readonly #backoff: BackoffOptions;
  readonly #timers = new Map<string, Timer>();
  readonly #inflight = new Set<Promise<void>>();
  readonly #maxConcurrentSlots: number;
  /** Slots handed over while every place was taken, oldest first from `#waitingHead`. */
  #waiting: ClaimedSlot[] = [];
  #waitingHead = 0;
  #activeSlots = 0;
  #running = false;
  #starting: Promise<void> | undefined;

  constructor(deps: TargetInvokerDeps) {
    this.#d = deps;
    this.#backoff = { ...DEFAULT_BACKOFF, ...deps.backoff };
    this.#maxConcurrentSlots = deps.maxConcurrentSlots ?? DEFAULT_MAX_CONCURRENT_SLOTS;
    this.events = deps.events ?? new FiringEvents();
  }

  /** Slots handed over and waiting for a delivery place. */
  get queuedSlots(): number {
    return this.#waiting.length - this.#waitingHead;
  }

  /** Invocations waiting for a retry timer. */
  get pendingRetries(): number {
    return this.#timers.size;
  }

  /** Resumes what a previous process left: unsettled slots and pending retries. Idempotent. */
  start(): Promise<void> {
    if (this.#starting) return this.#starting;
    this.#running = true;
    this.#starting = this.#resume();
    return this.#starting;
  }

  /**
   * Cancels retry timers (they stay PENDING in the store), drops queued slots (they stay FIRING
   * in the store; the next start resumes them) and waits for running attempts.
   */
  async stop(): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    this.#starting = undefined;
    for (const timer of this.#timers.values()) timer.cancel();
    this.#timers.clear();
    this.#waiting = [];
    this.#waitingHead = 0;
    await Promise.allSettled([...this.#inflight]);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  /** Resolves when no attempt is running (retry timers may still be waiting). */
  async idle(): Promise<void> {
    while (this.#inflight.size > 0) await Promise.allSettled([...this.#inflight]);
  }

  /**
   * Delivers the slot, or queues it when `maxConcurrentSlots` deliveries are running (the
   * returned promise then resolves at once: the slot is accepted, and `idle()` covers it).
   */
  invokeSlot(slot: ClaimedSlot): Promise<void> {
    if (this.#activeSlots < this.#maxConcurrentSlots) return this.#deliver(slot);
    this.#waiting.push(slot);
    return Promise.resolve();
  }

  #deliver(slot: ClaimedSlot): Promise<void> {
    this.#activeSlots++;
    // The next queued slot starts inside this one's `finally`, before its tracked promise
    // settles, so `idle()` never sees an empty set while slots still wait.
    const work = this.#invokeSlot(slot).finally(() => {
      this.#activeSlots--;
      this.#startWaiting();
    });
    return this.#track(work);
  }

  #startWaiting(): void {
    while (this.#running && this.#activeSlots < this.#maxConcurrentSlots && this.queuedSlots > 0) {
      const slot = this.#waiting[this.#waitingHead]!;
      this.#waitingHead++;
      void this.#deliver(slot);
    }
    if (this.#waitingHead > 1024 && this.#waitingHead * 2 > this.#waiting.length) {
      this.#waiting = this.#waiting.slice(this.#waitingHead);
      this.#waitingHead = 0;
    }
  }

  async #resume(): Promise<void> {
    const { db } = this.#d.store;
    for (const s of await loadUnsettledSlots(db)) {
      const slot: ClaimedSlot = {
        slotId: s.id,
        ruleArn: s.rule_arn,
        nominalMs: s.nominal_ms,
        firedAtMs: s.fired_at_ms,
      };
      // A slot the loop claimed ahead of its time is still not handed over before it.
      if (s.nominal_ms > this.#d.clock.now()) {
        const timer = this.#d.clock.setTimer(s.nominal_ms, () => {
          this.#timers.delete(s.id);
          void this.invokeSlot(slot);
        });
        this.#timers.set(s.id, timer);
        continue;
      }
      void this.invokeSlot(slot);
    }
    for (const row of await loadPendingInvocations(db)) {
      const delivery = fromRow(row);
      this.#schedule(delivery, row.next_attempt_ms ?? this.#d.clock.now());
    }
  }

  async #invokeSlot(slot: ClaimedSlot): Promise<void> {
    try {
      const { clock, context, store } = this.#d;
      const rule = await this.#d.rules.getScheduledRule(slot.ruleArn);
      if (!rule || !rule.enabled || !slotStillScheduled(rule, slot.nominalMs)) {
        const reason = !rule
          ? 'rule deleted before delivery'
          : !rule.enabled
            ? 'rule disabled before delivery'
            : 'schedule changed before delivery';
        await settleSlot(store.db, slot.slotId, 'SKIPPED', { reason });
        this.events.emit('firing:skipped', {
          ruleArn: slot.ruleArn,
          nominalMs: slot.nominalMs,
          reason,
        });
        return;
      }
      // One event per slot, delivered to every target (as EventBridge does).
      const event = buildScheduledEvent({
        ruleArn: slot.ruleArn,
        nominalMs: slot.nominalMs,
        context,
        id: uuid(),
      });
      const eventJson = JSON.stringify(event);
      const now = clock.now();
      const deliveries: Delivery[] = rule.targets.map((target) => ({
        id: uuid(),
        slotId: slot.slotId,
        ruleArn: slot.ruleArn,
        nominalMs: slot.nominalMs,
        target,
        event,
        eventJson,
        // Event age counts from when the event was produced: the fire time.
        createdMs: slot.firedAtMs,
        attempts: 0,
        remaining: target.EcsParameters?.TaskCount ?? 1,
      }));
      const inserted = await createInvocations(
        store,
        slot.slotId,
        deliveries.map((d) => toRow(d, now)),
      );
      await Promise.all(deliveries.filter((d) => inserted.has(d.id)).map((d) => this.#attempt(d)));
    } catch (err) {
      this.events.emit('firing:error', { error: coerceError(err), ruleArn: slot.ruleArn });
    }
  }

  #track(work: Promise<void>): Promise<void> {
    const p = work.finally(() => this.#inflight.delete(p));
    this.#inflight.add(p);
    return p;
  }

  #schedule(delivery: Delivery, atMs: number): void {
    if (!this.#running) return;
    this.#timers.get(delivery.id)?.cancel();
    const run = () => {
      this.#timers.delete(delivery.id);
      const work = this.#attempt(delivery).catch((err: unknown) => {
        // The invocation stays PENDING in the store; the next start resumes it.
        this.events.emit('firing:error', { error: coerceError(err), ruleArn: delivery.ruleArn });
      });
      void this.#track(work);
    };
    if (atMs <= this.#d.clock.now()) {
      run();
      return;
    }
    this.#timers.set(delivery.id, this.#d.clock.setTimer(atMs, run));
  }

  async #attempt(d: Delivery): Promise<void> {
    if (!this.#running) return;
    const { clock } = this.#d;
    const policy = compileRetryPolicy(d.target.RetryPolicy);
    const startedMs = clock.now();
    if (d.attempts > 0 && startedMs > d.createdMs + policy.maxEventAgeMs) {
      // Resumed after the event grew too old (e.g. the engine was down): no further attempt.
      await this.#finishFailed(d, startedMs, undefined, 'MaximumEventAgeInSeconds');
      return;
    }
    const attemptNo = d.attempts + 1;
    const taskArns: string[] = [];
    let error: AttemptError | undefined;
    const mapping = toRunTaskRequest(d.ruleArn, d.target, d.event, formatEventTime(d.createdMs));
    if (!mapping.ok) {
      error = { code: mapping.code, message: mapping.message, retryable: false };
    } else {
      try {
        const result = await this.#d.ecs.runTask({
          ...mapping.request,
          count: d.remaining,
          clientToken: attemptToken(d.id, attemptNo),
        });
        for (const t of result.tasks) taskArns.push(t.taskArn);
        if (result.failures.length > 0) {
          // Counted as a failed attempt (AWS leaves this unconfirmed); retried for the tasks that
          // did not start, so a retry never starts more tasks than TaskCount asked for.
          error = {
            code: 'RunTaskFailure',
            message: result.failures
              .map((f) => [f.arn, f.reason, f.detail].filter(Boolean).join(': '))
              .join('; '),
            retryable: true,
          };
        }
      } catch (err) {
        error = classifyError(err);
      }
    }
    const finishedMs = clock.now();
    d.attempts = attemptNo;
    d.remaining = Math.max(0, d.remaining - taskArns.length);
    const attempt = {
      invocation_id: d.id,
      attempt_no: attemptNo,
      started_ms: startedMs,
      finished_ms: finishedMs,
      outcome: error ? 'FAILED' : 'SUCCEEDED',
      retryable: error?.retryable ? 1 : 0,
      error_code: error?.code ?? null,
      error_message: error?.message ?? null,
      task_arns: JSON.stringify(taskArns),
    };
    const tasks = taskArns.map((taskArn) => ({
      task_arn: taskArn,
      invocation_id: d.id,
      slot_id: d.slotId,
      rule_arn: d.ruleArn,
      nominal_ms: d.nominalMs,
      started_ms: finishedMs,
    }));
    this.events.emit('invoke:attempt', {
      ruleArn: d.ruleArn,
      invocationId: d.id,
      targetId: d.target.Id,
      attemptNo,
      outcome: error ? 'FAILED' : 'SUCCEEDED',
      ...(error ? { errorCode: error.code } : {}),
      taskArns,
    });

    if (!error) {
      await recordAttempt(this.#d.store, {
        attempt,
        tasks,
        invocation: {
          id: d.id,
          status: 'SUCCEEDED',
          attempts: attemptNo,
          nextAttemptMs: null,
          finishedMs,
          remainingCount: 0,
          errorCode: null,
          errorMessage: null,
        },
      });
      this.events.emit('invoke:succeeded', {
        ruleArn: d.ruleArn,
        invocationId: d.id,
        targetId: d.target.Id,
        attempts: attemptNo,
      });
      return;
    }
    const decision = error.retryable
      ? decideRetry({
          attemptsMade: attemptNo,
          createdMs: d.createdMs,
          nowMs: finishedMs,
          policy,
          backoff: this.#backoff,
        })
      : undefined;
    if (decision?.kind === 'retry') {
      await recordAttempt(this.#d.store, {
        attempt,
        tasks,
        invocation: {
          id: d.id,
          status: 'PENDING',
          attempts: attemptNo,
          nextAttemptMs: decision.atMs,
          finishedMs: null,
          remainingCount: d.remaining,
          errorCode: error.code,
          errorMessage: error.message,
        },
      });
      this.events.emit('invoke:retryScheduled', {
        ruleArn: d.ruleArn,
        invocationId: d.id,
        atMs: decision.atMs,
        attemptNo: attemptNo + 1,
      });
      this.#schedule(d, decision.atMs);
      return;
    }
    await this.#finishFailed(d, finishedMs, { attempt, tasks, error }, decision?.condition);
  }

  /** Ends an invocation with a dead letter (with or without a last attempt to record). */
  async #finishFailed(
    d: Delivery,
    nowMs: number,
    last:
      | { attempt: AttemptWrite['attempt']; tasks: AttemptWrite['tasks']; error: AttemptError }
      | undefined,
    condition: ExhaustedCondition | undefined,
  ): Promise<void> {
    const errorCode = last?.error.code ?? 'MaximumEventAgeExceeded';
    const errorMessage =
      last?.error.message ?? 'The event grew older than MaximumEventAgeInSeconds before delivery.';
    const dlqArn = d.target.DeadLetterConfig?.Arn;
    const deadLetter = {
      id: uuid(),
      invocation_id: d.id,
      rule_arn: d.ruleArn,
      target_id: d.target.Id,
      target_arn: d.target.Arn,
      dlq_arn: dlqArn ?? null,
      event_json: d.eventJson,
      error_code: errorCode,
      error_message: errorMessage,
      exhausted_condition: condition ?? null,
      attempts: d.attempts,
      created_ms: nowMs,
    };
    const invocation = {
      id: d.id,
      status: 'FAILED' as const,
      attempts: d.attempts,
      nextAttemptMs: null,
      finishedMs: nowMs,
      remainingCount: d.remaining,
      errorCode,
      errorMessage,
    };
    if (last) {
      await recordAttempt(this.#d.store, {
        attempt: last.attempt,
        tasks: last.tasks,
        invocation,
        deadLetter,
      });
    } else {
      await this.#d.store.transaction(async (trx) => {
        await trx
          .updateTable('firing_invocations')
          .set({
            status: 'FAILED',
            next_attempt_ms: null,
            finished_ms: nowMs,
            last_error_code: errorCode,
            last_error_message: errorMessage,
          })
          .where('id', '=', d.id)
          .execute();
        await trx.insertInto('firing_dead_letters').values(deadLetter).execute();
      });
    }
    this.events.emit('invoke:deadLettered', {
      ruleArn: d.ruleArn,
      invocationId: d.id,
      targetId: d.target.Id,
      attempts: d.attempts,
      dlqArn,
      errorCode,
      exhaustedCondition: condition,
    });
  }
}

function toRow(d: Delivery, nowMs: number): FiringInvocationRow {
  return {
    id: d.id,
    slot_id: d.slotId,
    rule_arn: d.ruleArn,
    target_id: d.target.Id,
    target_arn: d.target.Arn,
    target_json: JSON.stringify(d.target),
    event_json: d.eventJson,
    status: 'PENDING',
    attempts: 0,
    next_attempt_ms: nowMs,
    created_ms: d.createdMs,
    finished_ms: null,
    remaining_count: d.remaining,
    last_error_code: null,
    last_error_message: null,
  };
}

function fromRow(row: FiringInvocationRow & { nominal_ms: number }): Delivery {
  return {
    id: row.id,
    slotId: row.slot_id,
    ruleArn: row.rule_arn,
    nominalMs: row.nominal_ms,
    target: JSON.parse(row.target_json) as RuleTarget,
    event: JSON.parse(row.event_json) as ScheduledEvent,
    eventJson: row.event_json,
    createdMs: Number(row.created_ms),
    attempts: Number(row.attempts),
    remaining: Number(row.remaining_count),
  };
}

/**
 * The RunTask client token of one attempt of one invocation: the same when an attempt cut off by
 * a crash is made again (the attempt count is only stored once an attempt ends), a new one for
 * each retry after a recorded failure. At most 41 of the 64 characters ECS allows.
 */
export function attemptToken(invocationId: string, attemptNo: number): string {
  return `${invocationId}/${attemptNo}`;
}

/**
 * Whether the rule's schedule, as it is now, still has this slot. A slot claimed ahead (or before
 * a restart) and then overtaken by a PutRule with another expression is not delivered: the edit
 * takes effect at once, as AWS promises for rule changes.
 */
function slotStillScheduled(rule: ScheduledRule, nominalMs: number): boolean {
  try {
    const schedule = parseScheduleExpression(rule.scheduleExpression, 'rule');
    return isSlotOf(schedule, rule.anchorMs, nominalMs);
  } catch {
    // A stored expression the parser refuses (a future grammar change): nothing to deliver.
    return false;
  }
}
