/**
 * The firing loop: keeps every enabled scheduled thing's ("rule"'s) next slot in a due-time heap, sleeps on
 * ONE Clock timer, claims due slots in the store, and hands them to the invoker without waiting
 * for delivery.
 *
 * Exactly once: a slot fires only after its `(rule ARN, nominal ms)` row is committed; a conflict
 * means the slot was claimed before (earlier run, other node) and it is skipped. Each rule's
 * *floor* is the latest slot already accounted for (fired, claimed, missed, or the rule's
 * anchor); only slots strictly after it are ever considered, so neither a restart nor a clock
 * stepping back can fire a slot twice.
 *
 * Claiming ahead (`claimAheadMs`, off by default): slots due within that window are claimed
 * early, in few larger transactions, and each is handed over when the clock reaches its nominal
 * time, which then costs no store work. Cron rules fall due together at the top of a minute
 * (thousands at once with a million rules); claimed ahead, they fire within milliseconds instead
 * of waiting for thousands of row writes. A slot claimed ahead and not yet handed over when the
 * loop stops stays FIRING in the store, and the invoker resumes it at the next start, not before
 * its nominal time.
 *
 * Lateness: a slot reached more than `maxLatenessMs` after its nominal time (engine down, clock
 * jumped forward, stalled event loop) is recorded MISSED and not fired — AWS does not catch up
 * either. Slots inside the window are each fired, late. The first `missedDetailLimit` missed slots
 * of a run get a row each; the rest of the run is one summary row (`slot_count` > 1, keyed at the
 * run's last slot), so a week of downtime of a `rate(1 minute)` rule writes 11 rows, not 10 080.
 *
 * All state changes (ticks, rule reloads) run one at a time on an internal queue, so a rule edit
 * can never interleave with a tick that is claiming that rule's slot. Handing over claimed slots
 * changes no rule state and runs straight from the timer, so a long claim never delays it by
 * more than one store transaction.
 */
import type { Clock, Timer } from '../platform/clock.ts';
import { coerceError } from '../platform/errors.ts';
import type { Store } from '../store/store.ts';
import { DueHeap } from './due-heap.ts';
import { ClaimedQueue } from './claimed-queue.ts';
import { claimSlots, forEachCursor, loadCursor, newSlotId } from './fire-records.store.ts';
import type {
  FiringEvent,
  FiringEventMap,
  FiringEventType,
  FiringEvents,
} from './firing.events.ts';
import { firingEvents } from './firing.events.ts';
import type { ScheduleSource, ScheduledThing } from './firing.ports.ts';
import type { CatchUpPolicy, ClaimedSlot, SlotInvoker } from './firing.types.ts';
import type { RulePlan } from './rule-plan.ts';
import { planRule } from './rule-plan.ts';
import { RuleTable } from './rule-table.ts';

export interface FiringLoopOptions {
  /** Slots later than this when reached are MISSED instead of fired. @default 120_000 (2 min) */
  maxLatenessMs?: number;
  /** What to do with slots beyond `maxLatenessMs` (hook for catch-up). @default 'none' */
  catchUp?: CatchUpPolicy;
  /** Missed slots per run recorded one row each before the summary row. @default 10 */
  missedDetailLimit?: number;
  /** A timer waking later than this past its due time emits `firing:overdue`. @default 1_000 */
  overdueThresholdMs?: number;
  /**
   * Slot rows written per store transaction (a rule's slots never split); more are written in
   * several, with the event loop free in between. The start-up backlog uses 16 times this.
   * @default 32
   */
  claimBatchSize?: number;
  /**
   * Slots due within this window are claimed ahead and handed over at their nominal time; the
   * loop wakes to claim when the earliest unclaimed slot is half the window away. 0 claims each
   * slot when it is due. @default 0
   */
  claimAheadMs?: number;
  /** After a store error, due rules are tried again this much later. @default 5_000 */
  errorRetryMs?: number;
}

export interface FiringLoopDeps {
  store: Store;
  clock: Clock;
  /**
   * Where scheduled things come from (EventBridge rules today, Scheduler schedules next), each
   * with its own dialect and zone. ARNs are unique across sources.
   */
  sources: readonly ScheduleSource[];
  invoker: SlotInvoker;
  /** Firing event hub, shared with the slot ledger and the metrics; a new one by default. */
  events?: FiringEvents;
  options?: FiringLoopOptions;
}

type CompiledOptions = Required<FiringLoopOptions>;

const DEFAULTS: CompiledOptions = {
  maxLatenessMs: 120_000,
  catchUp: 'none',
  missedDetailLimit: 10,
  overdueThresholdMs: 1_000,
  claimBatchSize: 32,
  claimAheadMs: 0,
  errorRetryMs: 5_000,
};

/** Start-up settles the backlog at most this many times before going live regardless. */
const CATCH_UP_ROUNDS = 8;
/** How much larger start-up transactions are than steady-state ones. */
const STARTUP_BATCH_FACTOR = 16;

/** Lets timers and I/O run between the batches of a large tick. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export class FiringLoop implements AsyncDisposable {
  readonly events: FiringEvents;
  readonly #d: FiringLoopDeps;
  readonly #o: CompiledOptions;
  readonly #table = new RuleTable();
  readonly #heap = new DueHeap();
  /** Slots claimed ahead, waiting for their nominal time. */
  readonly #claimed = new ClaimedQueue();
  readonly #inflight = new Set<Promise<void>>();
  #queue: Promise<void> = Promise.resolve();
  #running = false;
  #starting: Promise<void> | undefined;
  #unsubscribe: (() => void) | undefined;
  #timer: Timer | undefined;
  #armedAt: number | undefined;
  /** A tick is queued or running; it re-arms the timer when it ends. */
  #ticking = false;
  /** Bumped whenever the timer is replaced, so a stale callback knows to do nothing. */
  #armGen = 0;
  /** Highest clock reading seen, to notice the clock stepping back. */
  #highWaterMs = -Infinity;

  constructor(deps: FiringLoopDeps) {
    this.#d = deps;
    this.#o = { ...DEFAULTS, ...deps.options };
    this.events = deps.events ?? firingEvents();
  }

  /** Rules currently in the index. */
  get ruleCount(): number {
    return this.#table.size;
  }

  /** Heap entries, stale ones included (for the scale check). */
  get heapSize(): number {
    return this.#heap.size;
  }

  /** Next slot of a rule in the index (claimed or not), for status displays and tests. */
  nextSlotOf(ruleArn: string): number | undefined {
    const slot = this.#table.slotOf(ruleArn);
    if (slot === undefined) return undefined;
    return (
      this.#claimed.earliestOf(ruleArn) ?? this.#table.slotAfter(slot, this.#table.floor(slot))
    );
  }

  /**
   * The earliest slot not yet handed over, over every rule in the index: the heap's live top or a
   * slot claimed ahead, whichever is first. Reads the index only, so a status display costs the
   * same at a million rules as at one.
   */
  nextDue(): { ruleArn: string; atMs: number } | undefined {
    let best: { ruleArn: string; atMs: number } | undefined;
    const consider = (ruleArn: string) => {
      const atMs = this.nextSlotOf(ruleArn);
      if (atMs !== undefined && (best === undefined || atMs < best.atMs)) best = { ruleArn, atMs };
    };
    // Claimed slots of a rule deleted meanwhile are skipped at hand-over; nextSlotOf ignores them.
    for (const waiting of this.#claimed.all()) consider(waiting.ruleArn);
    this.#dropStaleTop();
    if (this.#heap.size > 0) consider(this.#table.arn(this.#heap.peekSlot()));
    return best;
  }

  /** Slots claimed ahead and not yet handed over. */
  get claimedAhead(): number {
    return this.#claimed.size;
  }

  /** Loads the rules, records what was missed while down, and arms the timer. Idempotent. */
  start(): Promise<void> {
    if (this.#starting) return this.#starting;
    this.#running = true;
    // Subscribe before loading: a change that lands during the load is queued behind it.
    const offs = this.#d.sources.map((source) =>
      source.subscribe((arn) => this.#enqueue(() => this.#reload(source, arn))),
    );
    this.#unsubscribe = () => {
      for (const off of offs) off();
    };
    this.#starting = this.#enqueueAndWait(() => this.#load());
    return this.#starting;
  }

  /**
   * Stops the timer and waits for queued work and in-flight invocations. Idempotent. Slots
   * claimed ahead and not yet due stay FIRING in the store for the invoker to resume.
   */
  async stop(): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    this.#starting = undefined;
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#disarm();
    await this.#queue;
    await Promise.allSettled([...this.#inflight]);
    this.#table.clear();
    this.#heap.clear();
    this.#claimed.clear();
    this.#ticking = false;
    this.#emit('firing:stopped', {});
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  /** Resolves when no tick, reload or handed-off invocation is pending. */
  async idle(): Promise<void> {
    for (;;) {
      const queue = this.#queue;
      await queue;
      await Promise.allSettled([...this.#inflight]);
      if (queue === this.#queue && this.#inflight.size === 0) return;
    }
  }

  on(listener: (event: FiringEvent) => void): () => void {
    return this.events.on(listener);
  }

  next<K extends FiringEventType>(
    type: K,
    predicate?: (event: { type: K } & FiringEventMap[K]) => boolean,
  ): Promise<{ type: K } & FiringEventMap[K]> {
    return this.events.next(type, predicate);
  }

  // ---- queue ----

  #enqueue(work: () => Promise<void>): void {
    void this.#enqueueAndWait(work);
  }

  #enqueueAndWait(work: () => Promise<void>): Promise<void> {
    const run = this.#queue.then(async () => {
      if (!this.#running) return;
      try {
        await work();
      } catch (err) {
        this.#emit('firing:error', { error: coerceError(err) });
      }
    });
    this.#queue = run;
    return run;
  }

  #emit<K extends FiringEventType>(type: K, fields: FiringEventMap[K]): void {
    this.events.emit(type, fields);
  }

  // ---- index maintenance ----

  async #load(): Promise<void> {
    const indexed = await this.#indexAll();
    this.#emit('firing:started', { rules: indexed });
    // Settle what came due (or was missed) while the engine was down, then what came due while
    // doing that, so the loop goes live with no backlog ahead of the first on-time slot.
    for (let round = 0; round < CATCH_UP_ROUNDS && this.#dueBy(this.#d.clock.now()); round++) {
      this.#ticking = true;
      // Nothing is due sooner than the backlog itself: larger transactions, fewer commits.
      await this.#tick(false, STARTUP_BATCH_FACTOR * this.#o.claimBatchSize);
    }
    this.#arm();
  }

  /**
   * Indexes every enabled rule; returns how many have a slot ahead. Three passes, so no map of a
   * million cursors is ever built: rules in at their anchor, floors raised to the recorded slots
   * as the cursor rows stream by, then each rule's next slot queued. Rules arrive a page at a
   * time, so only one page of rule objects is ever alive: the peak memory of a start at a million
   * rules is the index, not the rules. A rule changed while the pages stream is reloaded right
   * after (the subscription queues it behind the load).
   */
  async #indexAll(): Promise<number> {
    const t = this.#table;
    for (const source of this.#d.sources) {
      for await (const page of source.scheduledPages()) {
        for (const rule of page) if (rule.enabled) this.#upsert(rule, rule.anchorMs);
      }
    }
    await forEachCursor(this.#d.store, (ruleArn, lastMs) => {
      const slot = t.slotOf(ruleArn);
      if (slot !== undefined) t.raiseFloor(slot, lastMs);
    });
    let indexed = 0;
    t.forEachSlot((slot) => {
      const floor = t.floor(slot);
      if (this.#push(slot, floor, t.slotAfter(slot, floor)) !== undefined) indexed++;
    });
    return indexed;
  }

  async #reload(source: ScheduleSource, ruleArn: string): Promise<void> {
    const rule = await source.getScheduled(ruleArn);
    const slot = this.#table.slotOf(ruleArn);
    if (!rule || !rule.enabled) {
      if (this.#table.remove(ruleArn)) {
        this.#emit('firing:ruleUpdated', { ruleArn, nextMs: undefined });
      }
      this.#maybeCompact();
      this.#arm();
      return;
    }
    if (slot !== undefined && this.#table.sameSchedule(slot, rule)) {
      // Only targets (or other members) changed: the invoker reads them when the slot fires.
      return;
    }
    const cursor =
      slot !== undefined ? this.#table.floor(slot) : await loadCursor(this.#d.store.db, ruleArn);
    this.#index(rule, cursor);
    this.#maybeCompact();
    this.#arm();
  }

  /** Puts a rule into the table and heap; false when its expression is unusable or exhausted. */
  #index(rule: ScheduledThing, recordedMs: number | undefined): boolean {
    // Slots at or before the anchor never belonged to this rule's current schedule, and slots at
    // or before the last recorded one were already fired or recorded missed.
    const floor = Math.max(rule.anchorMs, recordedMs ?? -Infinity);
    const slot = this.#upsert(rule, floor);
    if (slot === undefined) return false;
    const next = this.#push(slot, floor, this.#table.slotAfter(slot, floor));
    this.#emit('firing:ruleUpdated', { ruleArn: rule.arn, nextMs: next });
    return next !== undefined;
  }

  /**
   * Puts the rule into the table at `floor`; undefined (and an error event, the rule out of the
   * table) when its expression cannot be used.
   */
  #upsert(rule: ScheduledThing, floor: number): number | undefined {
    try {
      return this.#table.upsert(rule, floor);
    } catch (err) {
      this.#table.remove(rule.arn);
      this.#emit('firing:error', { error: coerceError(err), ruleArn: rule.arn });
      return undefined;
    }
  }

  /**
   * Moves the rule's floor and queues its next slot; removes the rule when it has none left.
   * `next` must be the rule's first slot after `floor`.
   */
  #push(slot: number, floor: number, next: number | undefined): number | undefined {
    const t = this.#table;
    t.advance(slot, floor, next);
    if (next === undefined) {
      t.removeSlot(slot);
      return undefined;
    }
    this.#heap.push(next, slot, t.gen(slot));
    return next;
  }

  #maybeCompact(): void {
    if (this.#heap.size > 2 * this.#table.size + 1024) {
      this.#heap.compact((slot, gen) => this.#table.isCurrent(slot, gen));
    }
  }

  // ---- timer ----

  #disarm(): void {
    this.#timer?.cancel();
    this.#timer = undefined;
    this.#armedAt = undefined;
    this.#armGen++;
  }

  /** Drops stale entries at the top; then whether a live rule is due for claiming at `now`. */
  #dueBy(now: number): boolean {
    this.#dropStaleTop();
    const due = this.#heap.peekTime();
    return due !== undefined && this.#claimAt(due) <= now;
  }

  /** Pops heap entries left behind by rule edits until a live one (or nothing) is on top. */
  #dropStaleTop(): void {
    while (
      this.#heap.size > 0 &&
      !this.#table.isCurrent(this.#heap.peekSlot(), this.#heap.peekGen())
    ) {
      this.#heap.pop();
    }
  }

  /** When the loop claims a slot due at `dueMs`: half the claim-ahead window before it. */
  #claimAt(dueMs: number): number {
    return dueMs - this.#o.claimAheadMs / 2;
  }

  /** Arms the one timer for the earlier of: the next hand-over, the next claim. */
  #arm(): void {
    this.#disarm();
    if (!this.#running) return;
    const now = this.#d.clock.now();
    // A running tick re-arms when it ends; until then only hand-overs need the timer.
    let claimAt = Infinity;
    if (!this.#ticking) {
      if (this.#dueBy(now)) {
        this.#requestTick();
      } else {
        const due = this.#heap.peekTime();
        if (due !== undefined) claimAt = this.#claimAt(due);
      }
    }
    let handOverAt = this.#claimed.peekTime() ?? Infinity;
    if (handOverAt <= now) {
      this.#handOverDue(now);
      handOverAt = this.#claimed.peekTime() ?? Infinity;
    }
    const at = Math.min(claimAt, handOverAt);
    if (at === Infinity) return;
    this.#armedAt = at;
    // A clock may call back at once, from inside setTimer, when `at` has just passed: defer
    // that call until the handle is stored. A call for a timer since replaced is dropped.
    const gen = this.#armGen;
    let inside = true;
    this.#timer = this.#d.clock.setTimer(at, () => {
      if (!inside) {
        if (gen === this.#armGen) this.#onTimer();
        return;
      }
      queueMicrotask(() => {
        if (gen === this.#armGen) this.#onTimer();
      });
    });
    inside = false;
  }

  /** Notes the clock stepping back (which never fires a slot twice: floors only move up). */
  #observeClock(now: number): void {
    if (now < this.#highWaterMs) {
      this.#emit('firing:clockBackwards', { fromMs: this.#highWaterMs, toMs: now });
    }
    this.#highWaterMs = Math.max(this.#highWaterMs, now);
  }

  #onTimer(): void {
    this.#timer = undefined;
    const armedAt = this.#armedAt;
    const now = this.#d.clock.now();
    this.#observeClock(now);
    if (armedAt !== undefined) {
      if (now < armedAt) {
        this.#emit('firing:timerEarly', { dueMs: armedAt, nowMs: now });
        this.#arm();
        return;
      }
      if (now - armedAt > this.#o.overdueThresholdMs) {
        this.#emit('firing:overdue', { dueMs: armedAt, nowMs: now });
      }
    }
    // Hand-overs first: they are due now; claims are for later slots (or late ones, which the
    // tick hands over as soon as they are committed).
    this.#handOverDue(now);
    this.#arm();
  }

  #requestTick(): void {
    if (this.#ticking) return;
    this.#ticking = true;
    this.#enqueue(() => this.#tick());
  }

  // ---- ticks ----

  /** Claims every slot due within the claim-ahead window, in batches; then re-arms. */
  async #tick(rearm = true, batchRecords = this.#o.claimBatchSize): Promise<void> {
    try {
      let now = this.#d.clock.now();
      this.#observeClock(now);
      const horizon = now + this.#o.claimAheadMs;
      const due: number[] = [];
      while (this.#heap.size > 0 && this.#heap.peekTime()! <= horizon) {
        const slot = this.#heap.peekSlot();
        const gen = this.#heap.peekGen();
        this.#heap.pop();
        if (this.#table.isCurrent(slot, gen)) due.push(slot);
      }
      // Usually one batch. A larger one (a start-up backlog, a top-of-the-minute burst) is
      // split into short transactions, and between them the timer (hand-overs), other timers
      // and I/O get the event loop.
      let i = 0;
      while (i < due.length) {
        if (i > 0) {
          this.#arm();
          await yieldToEventLoop();
          if (!this.#running) return;
          now = Math.max(now, this.#d.clock.now());
        }
        const plans: RulePlan[] = [];
        let records = 0;
        const newId = () => newSlotId(now);
        while (i < due.length && records < batchRecords) {
          const plan = planRule(
            this.#table,
            due[i++]!,
            now,
            now + this.#o.claimAheadMs,
            this.#o,
            newId,
          );
          plans.push(plan);
          records += plan.records.length;
        }
        await this.#claim(plans, now);
      }
    } finally {
      this.#ticking = false;
    }
    if (rearm) this.#arm();
  }

  /** Claims the planned slots of a batch of rules; dispatches or queues the ones written. */
  async #claim(plans: RulePlan[], now: number): Promise<void> {
    const records = plans.length === 1 ? plans[0]!.records : plans.flatMap((p) => p.records);
    let written: boolean[];
    try {
      written = await claimSlots(this.#d.store, records, now);
    } catch (err) {
      this.#emit('firing:error', { error: coerceError(err) });
      // Nothing was committed: try these rules again later, from their unchanged floors.
      for (const p of plans) {
        this.#heap.push(now + this.#o.errorRetryMs, p.slot, this.#table.gen(p.slot));
      }
      return;
    }
    let k = 0;
    for (const plan of plans) {
      const ruleArn = plan.ruleArn;
      for (const record of plan.records) {
        const ok = written[k++]!;
        if (!ok) {
          this.#emit('firing:duplicate', { ruleArn, nominalMs: record.nominalMs });
          continue;
        }
        if (record.status !== 'FIRING') continue;
        if (record.nominalMs <= now) {
          this.#dispatch({
            slotId: record.id,
            ruleArn,
            nominalMs: record.nominalMs,
            firedAtMs: now,
          });
        } else {
          this.#claimed.push({ slotId: record.id, ruleArn, nominalMs: record.nominalMs });
        }
      }
      if (plan.missed) this.#emit('firing:missed', { ruleArn, ...plan.missed });
      const next = plan.next ? plan.next.ms : this.#table.slotAfter(plan.slot, plan.newFloor);
      if (this.#push(plan.slot, plan.newFloor, next) === undefined) {
        this.#emit('firing:ruleUpdated', { ruleArn, nextMs: undefined });
      }
    }
  }

  /** Hands over every claimed-ahead slot whose nominal time has come. */
  #handOverDue(now: number): void {
    for (;;) {
      const at = this.#claimed.peekTime();
      if (at === undefined || at > now) return;
      const s = this.#claimed.pop()!;
      this.#dispatch({
        slotId: s.slotId,
        ruleArn: s.ruleArn,
        nominalMs: s.nominalMs,
        firedAtMs: now,
      });
    }
  }

  #dispatch(slot: ClaimedSlot): void {
    this.#emit('firing:slot', { ...slot });
    // Not awaited: a slow target must never hold up the next slot of any rule.
    const delivery = this.#d.invoker
      .invokeSlot(slot)
      .catch((err: unknown) =>
        this.#emit('firing:error', { error: coerceError(err), ruleArn: slot.ruleArn }),
      )
      .finally(() => this.#inflight.delete(delivery));
    this.#inflight.add(delivery);
  }
}
