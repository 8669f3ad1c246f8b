/**
 * Delivers claimed slots to their targets: builds the Scheduled Event once per slot, creates one
 * invocation per target (settling the slot FIRED through firing's ledger in the same
 * transaction), makes attempts (`attempt.ts`), and retries with backoff on the Clock or
 * dead-letters (`invocation-outcome.ts`). Nothing is dropped silently: an unsupported target or
 * an unusable input is a recorded, dead-lettered failure.
 *
 * Restart: invocations waiting for a retry live in the store with their next attempt time and are
 * resumed by {@link TargetInvoker.start}; so are slots claimed but never settled (read through the
 * ledger). Start the invoker before the loop. An attempt cut off by a crash (RunTask sent, result
 * not recorded) is made again with the same RunTask client token, so ECS hands back the tasks the
 * first try started instead of starting them twice: delivery stays exactly once across a crash as
 * long as the token lives (24 h; the maximum event age is at most as long).
 */
import type { EcsTaskRunner } from '../ecs/run-task.ports.ts';
import type { RuleTarget } from '../events/target.types.ts';
import type { ClaimedSlot, ScheduleSource, SlotInvoker, SlotLedger } from '../firing/index.ts';
import { isScheduledSlot } from '../firing/index.ts';
import type { Clock, Timer } from '../platform/clock.ts';
import { coerceError } from '../platform/errors.ts';
import { uuid } from '../platform/ids.ts';
import type { Store } from '../store/store.ts';
import { makeAttempt } from './attempt.ts';
import type { Delivery } from './delivery.ts';
import { fromRow, ruleContext, toRow } from './delivery.ts';
import { DeliveryQueue } from './delivery-queue.ts';
import type { InvokeEvents } from './invoke.events.ts';
import { invokeEvents } from './invoke.events.ts';
import { createInvocations, loadPendingInvocations } from './invocation.store.ts';
import type { OutcomeDeps } from './invocation-outcome.ts';
import { deadLetter, settleAttempt } from './invocation-outcome.ts';
import type { BackoffOptions } from './retry-policy.ts';
import { DEFAULT_BACKOFF, compileRetryPolicy } from './retry-policy.ts';
import { buildScheduledEvent } from './scheduled-event.build.ts';
import type { TargetAuthorization } from './target-authorization.ports.ts';

export { attemptToken } from './delivery.ts';

export interface TargetInvokerDeps {
  store: Store;
  clock: Clock;
  /** Where the things with EventBridge targets come from (the events domain's rules). */
  rules: ScheduleSource<RuleTarget>;
  /** Firing's slot ledger: how each slot settled, and which slots a restart resumes. */
  slots: SlotLedger;
  ecs: EcsTaskRunner;
  /** Decides, before each attempt, whether the target's role may make the RunTask call. */
  authorization: TargetAuthorization;
  /** Shared with the metrics (and, in the engine, with the loop); a new hub by default. */
  events?: InvokeEvents;
  backoff?: Partial<BackoffOptions>;
  /** Slots delivered at once; more wait in a queue, in hand-over order. @default 64 */
  maxConcurrentSlots?: number;
}

const DEFAULT_MAX_CONCURRENT_SLOTS = 64;

export class TargetInvoker implements SlotInvoker, AsyncDisposable {
  readonly events: InvokeEvents;
  readonly #d: TargetInvokerDeps;
  readonly #outcome: OutcomeDeps;
  readonly #timers = new Map<string, Timer>();
  readonly #inflight = new Set<Promise<void>>();
  readonly #queue: DeliveryQueue<ClaimedSlot>;
  #running = false;
  #starting: Promise<void> | undefined;

  constructor(deps: TargetInvokerDeps) {
    this.#d = deps;
    this.events = deps.events ?? invokeEvents();
    const backoff: BackoffOptions = { ...DEFAULT_BACKOFF, ...deps.backoff };
    this.#outcome = { store: deps.store, events: this.events, backoff };
    this.#queue = new DeliveryQueue(
      deps.maxConcurrentSlots ?? DEFAULT_MAX_CONCURRENT_SLOTS,
      (slot) => this.#invokeSlot(slot),
      (work) => this.#track(work),
    );
  }

  /** Slots handed over and waiting for a delivery place. */
  get queuedSlots(): number {
    return this.#queue.queued;
  }

  /** Invocations waiting for a retry timer. */
  get pendingRetries(): number {
    return this.#timers.size;
  }

  /** Resumes what a previous process left: unsettled slots and pending retries. Idempotent. */
  start(): Promise<void> {
    if (this.#starting) return this.#starting;
    this.#running = true;
    this.#queue.open();
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
    this.#queue.close();
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
    return this.#queue.push(slot);
  }

  async #resume(): Promise<void> {
    for (const slot of await this.#d.slots.unsettledSlots()) {
      // A slot the loop claimed ahead of its time is still not handed over before it.
      if (slot.nominalMs > this.#d.clock.now()) {
        const timer = this.#d.clock.setTimer(slot.nominalMs, () => {
          this.#timers.delete(slot.slotId);
          void this.invokeSlot(slot);
        });
        this.#timers.set(slot.slotId, timer);
        continue;
      }
      void this.invokeSlot(slot);
    }
    const pending = await loadPendingInvocations(this.#d.store.db);
    const nominal = await this.#d.slots.nominalTimes([...new Set(pending.map((r) => r.slot_id))]);
    for (const row of pending) {
      const nominalMs = nominal.get(row.slot_id);
      // An invocation whose slot is gone has no history to attach to; it is not resumed.
      if (nominalMs === undefined) continue;
      this.#schedule(fromRow(row, nominalMs), row.next_attempt_ms ?? this.#d.clock.now());
    }
  }

  async #invokeSlot(slot: ClaimedSlot): Promise<void> {
    try {
      const { clock, store } = this.#d;
      const rule = await this.#d.rules.getScheduled(slot.ruleArn);
      if (!rule || !rule.enabled || !isScheduledSlot(rule, slot.nominalMs)) {
        const reason = !rule
          ? 'rule deleted before delivery'
          : !rule.enabled
            ? 'rule disabled before delivery'
            : 'schedule changed before delivery';
        await this.#d.slots.settle(store.db, slot, { status: 'SKIPPED', reason });
        return;
      }
      // One event per slot, delivered to every target (as EventBridge does), from the rule's own
      // region and account.
      const context = ruleContext(slot.ruleArn);
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
        context,
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
        this.#d.slots,
        slot,
        deliveries.map((d) => toRow(d, now)),
      );
      await Promise.all(deliveries.filter((d) => inserted.has(d.id)).map((d) => this.#attempt(d)));
    } catch (err) {
      this.events.emit('invoke:error', { error: coerceError(err), ruleArn: slot.ruleArn });
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
        this.events.emit('invoke:error', { error: coerceError(err), ruleArn: delivery.ruleArn });
      });
      void this.#track(work);
    };
    if (atMs <= this.#d.clock.now()) {
      run();
      return;
    }
    this.#timers.set(delivery.id, this.#d.clock.setTimer(atMs, run));
  }

  /** One attempt, its record, and what follows: done, a retry timer, or a dead letter. */
  async #attempt(d: Delivery): Promise<void> {
    if (!this.#running) return;
    const policy = compileRetryPolicy(d.target.RetryPolicy);
    const nowMs = this.#d.clock.now();
    if (d.attempts > 0 && nowMs > d.createdMs + policy.maxEventAgeMs) {
      // Resumed after the event grew too old (e.g. the engine was down): no further attempt.
      await deadLetter(this.#outcome, d, nowMs, undefined, 'MaximumEventAgeInSeconds');
      return;
    }
    const outcome = await makeAttempt(d, this.#d.ecs, this.#d.clock, this.#d.authorization);
    d.attempts = outcome.attemptNo;
    d.remaining = Math.max(0, d.remaining - outcome.taskArns.length);
    this.events.emit('invoke:attempt', {
      ruleArn: d.ruleArn,
      invocationId: d.id,
      targetId: d.target.Id,
      attemptNo: outcome.attemptNo,
      outcome: outcome.error ? 'FAILED' : 'SUCCEEDED',
      ...(outcome.error ? { errorCode: outcome.error.code } : {}),
      taskArns: outcome.taskArns,
    });
    const retryAtMs = await settleAttempt(this.#outcome, d, outcome, policy);
    if (retryAtMs !== undefined) this.#schedule(d, retryAtMs);
  }
}
