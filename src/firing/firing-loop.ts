/**
 * The firing loop: keeps every enabled scheduled rule's next slot in a due-time heap, sleeps on
 * ONE Clock timer until the earliest slot, claims due slots in the store, and hands them to the
 * invoker without waiting for delivery.
 *
 * Exactly once: a slot fires only after its `(rule ARN, nominal ms)` row is committed; a conflict
 * means the slot was claimed before (earlier run, other node) and it is skipped. Each rule's
 * *floor* is the latest slot already accounted for (fired, missed, or the rule's anchor); only
 * slots strictly after it are ever considered, so neither a restart nor a clock stepping back can
 * fire a slot twice.
 *
 * Lateness: a slot reached more than `maxLatenessMs` after its nominal time (engine down, clock
 * jumped forward, stalled event loop) is recorded MISSED and not fired — AWS does not catch up
 * either. Slots inside the window are each fired, late. The first `missedDetailLimit` missed slots
 * of a run get a row each; the rest of the run is one summary row (`slot_count` > 1, keyed at the
 * run's last slot), so a week of downtime of a `rate(1 minute)` rule writes 11 rows, not 10 080.
 *
 * All state changes (ticks, rule reloads) run one at a time on an internal queue, so a rule edit
 * can never interleave with a tick that is claiming that rule's slot.
 */
import type { Clock, Timer } from '../platform/clock.ts';
import { coerceError } from '../platform/errors.ts';
import type { AwsContext } from '../platform/ids.ts';
import { uuid } from '../platform/ids.ts';
import type { Store } from '../store/store.ts';
import { DueHeap } from './due-heap.ts';
import type { SlotRecord } from './fire-records.store.ts';
import { claimSlots, loadCursor, loadCursors } from './fire-records.store.ts';
import type { FiringEvent, FiringEventMap, FiringEventType } from './firing.events.ts';
import { FiringEvents } from './firing.events.ts';
import type { RuleSource, ScheduledRule } from './firing.ports.ts';
import type { CatchUpPolicy, ClaimedSlot, SlotInvoker } from './firing.types.ts';
import { RuleTable } from './rule-table.ts';
import { nextSlot, slotsBetween } from './slot-range.ts';

export interface FiringLoopOptions {
  /** Slots later than this when reached are MISSED instead of fired. @default 120_000 (2 min) */
  maxLatenessMs?: number;
  /** What to do with slots beyond `maxLatenessMs` (hook for catch-up). @default 'none' */
  catchUp?: CatchUpPolicy;
  /** Missed slots per run recorded one row each before the summary row. @default 10 */
  missedDetailLimit?: number;
  /** A timer waking later than this past its due time emits `firing:overdue`. @default 1_000 */
  overdueThresholdMs?: number;
  /** Rules whose slots are claimed per store transaction. @default 500 */
  claimBatchSize?: number;
  /** After a store error, due rules are tried again this much later. @default 5_000 */
  errorRetryMs?: number;
}

export interface FiringLoopDeps {
  store: Store;
  clock: Clock;
  rules: RuleSource;
  invoker: SlotInvoker;
  /** Region and account of this engine (kept for events and future cross-account checks). */
  context: AwsContext;
  /** Shared event hub (metrics and the invoker emit on the same one); a new one by default. */
  events?: FiringEvents;
  options?: FiringLoopOptions;
}

type CompiledOptions = Required<FiringLoopOptions>;

const DEFAULTS: CompiledOptions = {
  maxLatenessMs: 120_000,
  catchUp: 'none',
  missedDetailLimit: 10,
  overdueThresholdMs: 1_000,
  claimBatchSize: 500,
  errorRetryMs: 5_000,
};

/** Most slots of one rule fired in a single tick (a window of a few minutes holds far fewer). */
const MAX_FIRES_PER_TICK = 1_000;

interface RulePlan {
  slot: number;
  records: SlotRecord[];
  fired: number[];
  newFloor: number;
  missed: { firstMs: number; lastMs: number; count: number } | undefined;
}

export class FiringLoop implements AsyncDisposable {
  readonly events: FiringEvents;
  readonly #d: FiringLoopDeps;
  readonly #o: CompiledOptions;
  readonly #table = new RuleTable();
  readonly #heap = new DueHeap();
  readonly #inflight = new Set<Promise<void>>();
  #queue: Promise<void> = Promise.resolve();
  #running = false;
  #starting: Promise<void> | undefined;
  #unsubscribe: (() => void) | undefined;
  #timer: Timer | undefined;
  #armedAt: number | undefined;
  /** Highest clock reading seen, to notice the clock stepping back. */
  #highWaterMs = -Infinity;

  constructor(deps: FiringLoopDeps) {
    this.#d = deps;
    this.#o = { ...DEFAULTS, ...deps.options };
    this.events = deps.events ?? new FiringEvents();
  }

  /** Rules currently in the index. */
  get ruleCount(): number {
    return this.#table.size;
  }

  /** Heap entries, stale ones included (for the scale check). */
  get heapSize(): number {
    return this.#heap.size;
  }

  /** Next slot of a rule in the index, for status displays and tests. */
  nextSlotOf(ruleArn: string): number | undefined {
    const slot = this.#table.slotOf(ruleArn);
    if (slot === undefined) return undefined;
    return nextSlot(
      this.#table.schedule(this.#table.expression(slot)),
      this.#table.anchor(slot),
      this.#table.floor(slot),
    );
  }

  /** Loads the rules, records what was missed while down, and arms the timer. Idempotent. */
  start(): Promise<void> {
    if (this.#starting) return this.#starting;
    this.#running = true;
    // Subscribe before loading: a change that lands during the load is queued behind it.
    this.#unsubscribe = this.#d.rules.subscribe((ruleArn) => {
      this.#enqueue(() => this.#reload(ruleArn));
    });
    this.#starting = this.#enqueueAndWait(() => this.#load());
    return this.#starting;
  }

  /** Stops the timer and waits for queued work and in-flight invocations. Idempotent. */
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
    const [rules, cursors] = await Promise.all([
      this.#d.rules.listScheduledRules(),
      loadCursors(this.#d.store.db),
    ]);
    let indexed = 0;
    for (const rule of rules) {
      if (!rule.enabled) continue;
      if (this.#index(rule, cursors.get(rule.ruleArn))) indexed++;
    }
    this.#emit('firing:started', { rules: indexed });
    // Slots due (or missed) while the engine was down are settled by the first tick.
    await this.#tick(false);
  }

  async #reload(ruleArn: string): Promise<void> {
    const rule = await this.#d.rules.getScheduledRule(ruleArn);
    const slot = this.#table.slotOf(ruleArn);
    if (!rule || !rule.enabled) {
      if (this.#table.remove(ruleArn)) {
        this.#emit('firing:ruleUpdated', { ruleArn, nextMs: undefined });
      }
      this.#maybeCompact();
      return;
    }
    if (
      slot !== undefined &&
      this.#table.expression(slot) === rule.scheduleExpression &&
      this.#table.anchor(slot) === rule.anchorMs
    ) {
      // Only targets (or other members) changed: the invoker reads them when the slot fires.
      return;
    }
    const cursor =
      slot !== undefined ? this.#table.floor(slot) : await loadCursor(this.#d.store.db, ruleArn);
    this.#index(rule, cursor);
    this.#maybeCompact();
    await this.#tick(false);
  }

  /** Puts a rule into the table and heap; false when its expression is unusable or exhausted. */
  #index(rule: ScheduledRule, recordedMs: number | undefined): boolean {
    // Slots at or before the anchor never belonged to this rule's current schedule, and slots at
    // or before the last recorded one were already fired or recorded missed.
    const floor = Math.max(rule.anchorMs, recordedMs ?? -Infinity);
    let slot: number;
    try {
      slot = this.#table.upsert(rule.ruleArn, rule.scheduleExpression, rule.anchorMs, floor);
    } catch (err) {
      this.#table.remove(rule.ruleArn);
      this.#emit('firing:error', { error: coerceError(err), ruleArn: rule.ruleArn });
      return false;
    }
    const next = this.#push(slot);
    this.#emit('firing:ruleUpdated', { ruleArn: rule.ruleArn, nextMs: next });
    return next !== undefined;
  }

  /** Pushes the rule's next slot after its floor; removes the rule when it has none left. */
  #push(slot: number): number | undefined {
    const t = this.#table;
    const next = nextSlot(t.schedule(t.expression(slot)), t.anchor(slot), t.floor(slot));
    if (next === undefined) {
      t.remove(t.arn(slot));
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
  }

  #arm(): void {
    this.#disarm();
    if (!this.#running) return;
    // Drop stale entries at the top so the timer is set for a live rule.
    while (
      this.#heap.size > 0 &&
      !this.#table.isCurrent(this.#heap.peekSlot(), this.#heap.peekGen())
    ) {
      this.#heap.pop();
    }
    const due = this.#heap.peekTime();
    if (due === undefined) return;
    this.#armedAt = due;
    if (due <= this.#d.clock.now()) {
      this.#enqueue(() => this.#tick(false));
      return;
    }
    this.#timer = this.#d.clock.setTimer(due, () => this.#enqueue(() => this.#tick(true)));
  }

  // ---- ticks ----

  async #tick(fromTimer: boolean): Promise<void> {
    const now = this.#d.clock.now();
    if (now < this.#highWaterMs) {
      this.#emit('firing:clockBackwards', { fromMs: this.#highWaterMs, toMs: now });
    }
    this.#highWaterMs = Math.max(this.#highWaterMs, now);
    const armedAt = this.#armedAt;
    if (fromTimer && armedAt !== undefined) {
      if (now < armedAt) {
        this.#emit('firing:timerEarly', { dueMs: armedAt, nowMs: now });
        this.#arm();
        return;
      }
      if (now - armedAt > this.#o.overdueThresholdMs) {
        this.#emit('firing:overdue', { dueMs: armedAt, nowMs: now });
      }
    }
    this.#disarm();

    const due: number[] = [];
    while (this.#heap.size > 0 && this.#heap.peekTime()! <= now) {
      const slot = this.#heap.peekSlot();
      const gen = this.#heap.peekGen();
      this.#heap.pop();
      if (this.#table.isCurrent(slot, gen)) due.push(slot);
    }
    for (let i = 0; i < due.length; i += this.#o.claimBatchSize) {
      await this.#claim(due.slice(i, i + this.#o.claimBatchSize), now);
    }
    this.#arm();
  }

  /** Plans, claims and dispatches the due slots of a batch of rules. */
  async #claim(slots: number[], now: number): Promise<void> {
    const plans = slots.map((slot) => this.#plan(slot, now));
    const records = plans.flatMap((p) => p.records);
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
      const ruleArn = this.#table.arn(plan.slot);
      for (const record of plan.records) {
        const ok = written[k++]!;
        if (!ok) {
          this.#emit('firing:duplicate', { ruleArn, nominalMs: record.nominalMs });
          continue;
        }
        if (record.status === 'FIRING') {
          this.#dispatch({
            slotId: record.id,
            ruleArn,
            nominalMs: record.nominalMs,
            firedAtMs: now,
          });
        }
      }
      if (plan.missed) this.#emit('firing:missed', { ruleArn, ...plan.missed });
      this.#table.setFloor(plan.slot, plan.newFloor);
      const next = this.#push(plan.slot);
      if (next === undefined) this.#emit('firing:ruleUpdated', { ruleArn, nextMs: undefined });
    }
  }

  /** Which of a rule's slots up to `now` are missed and which fire. Pure apart from reading state. */
  #plan(slot: number, now: number): RulePlan {
    const t = this.#table;
    const ruleArn = t.arn(slot);
    const schedule = t.schedule(t.expression(slot));
    const anchor = t.anchor(slot);
    const floor = t.floor(slot);
    const limit = this.#o.missedDetailLimit;
    // Slots strictly before `cutoff` are too late to fire.
    const cutoff = now - this.#o.maxLatenessMs;
    let late = slotsBetween(schedule, anchor, floor, cutoff - 1, limit);
    let fire = slotsBetween(
      schedule,
      anchor,
      Math.max(floor, cutoff - 1),
      now,
      MAX_FIRES_PER_TICK,
    ).first;
    if (this.#o.catchUp === 'latest' && fire.length === 0 && late.lastMs !== undefined) {
      // Catch up once: fire the most recent missed slot, record the older ones missed.
      fire = [late.lastMs];
      late = slotsBetween(schedule, anchor, floor, late.lastMs - 1, limit);
    }
    const records: SlotRecord[] = [];
    let firstMissedMs = late.first[0];
    for (const nominalMs of late.first) {
      records.push({
        id: uuid(),
        ruleArn,
        nominalMs,
        firstNominalMs: nominalMs,
        slotCount: 1,
        status: 'MISSED',
        firedAtMs: null,
        reason: 'late',
      });
    }
    if (late.count > late.first.length && late.lastMs !== undefined) {
      const afterDetail = late.first.at(-1) ?? floor;
      const firstOfRest = nextSlot(schedule, anchor, afterDetail) ?? late.lastMs;
      firstMissedMs ??= firstOfRest;
      records.push({
        id: uuid(),
        ruleArn,
        nominalMs: late.lastMs,
        firstNominalMs: firstOfRest,
        slotCount: late.count - late.first.length,
        status: 'MISSED',
        firedAtMs: null,
        reason: 'late (summary)',
      });
    }
    for (const nominalMs of fire) {
      records.push({
        id: uuid(),
        ruleArn,
        nominalMs,
        firstNominalMs: nominalMs,
        slotCount: 1,
        status: 'FIRING',
        firedAtMs: now,
        reason: null,
      });
    }
    const newFloor = Math.max(floor, late.lastMs ?? -Infinity, fire.at(-1) ?? -Infinity);
    return {
      slot,
      records,
      fired: fire,
      newFloor,
      missed:
        late.count > 0 && firstMissedMs !== undefined && late.lastMs !== undefined
          ? { firstMs: firstMissedMs, lastMs: late.lastMs, count: late.count }
          : undefined,
    };
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
