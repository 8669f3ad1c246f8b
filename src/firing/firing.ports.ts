/**
 * The seams of the firing domain, all in firing's own neutral terms.
 *
 * In: {@link ScheduleSource}s hand over "scheduled things" (an EventBridge rule today, a Scheduler
 * schedule next), each with its own expression dialect and time zone; firing never reads their
 * targets. Out: the loop hands claimed slots to a {@link SlotInvoker}, which reports how each slot
 * settled through the {@link SlotLedger} firing implements, and history retention asks the
 * {@link SlotDependents} (the invoker's tables) which old slots must stay and what to delete with
 * the rest. The domains on either side import these types through `src/firing/index.ts` only.
 */
import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';

import type { ScheduleDialect } from '../expressions/index.ts';
import type { Db } from '../store/store.ts';
import type { Database } from '../store/tables/index.ts';
import type { FiringSlotRow } from '../store/tables/firing.tables.ts';
import type { ClaimedSlot } from './firing.types.ts';

export type { ScheduleDialect };

/**
 * One scheduled thing as the firing index needs it. Everything firing computes slots from is
 * here; the targets stay opaque (see {@link ScheduledThingWithTargets}).
 */
export interface ScheduledThing {
  /** Unique across every source: the thing's ARN. */
  arn: string;
  /** Where it lives in its service: an event bus for a rule, a schedule group for a schedule. */
  sourceName: string;
  name: string;
  /** `rate(...)`, `cron(...)` or (Scheduler only) `at(...)`. */
  expression: string;
  /** Which service's expression grammar applies. */
  dialect: ScheduleDialect;
  /** IANA zone for `cron()`/`at()`; rules always run in `UTC`. */
  timezone: string;
  /** No slot before this instant (inclusive), epoch ms. */
  startMs?: number;
  /** No slot after this instant (inclusive), epoch ms. */
  endMs?: number;
  /** Scheduler's flexible time window, carried for the invoker; firing fires at the slot. */
  flexibleWindowMs?: number;
  enabled: boolean;
  /**
   * Phase of a `rate()` schedule, epoch ms: when it was created, re-enabled, or given a new
   * expression. Fires are anchor + k·period, k ≥ 1.
   */
  anchorMs: number;
}

/** A scheduled thing with its targets, which only the invoker reads (firing passes them on). */
export interface ScheduledThingWithTargets<T = unknown> extends ScheduledThing {
  targets: T[];
}

/** Things a source hands over per page unless asked otherwise. */
export const SCHEDULE_PAGE_SIZE = 1000;

/** Where scheduled things come from (the events domain implements it for its rules). */
export interface ScheduleSource<T = unknown> {
  /**
   * Every thing that has a schedule expression, enabled or not, a page of at most `pageSize` at a
   * time. Paged so that loading a million things never holds a million objects at once: the
   * index keeps a few bytes per thing, and each page is garbage once read.
   */
  scheduledPages(pageSize?: number): AsyncIterable<readonly ScheduledThing[]>;
  /** One thing by ARN, with its targets; undefined when deleted or without a schedule. */
  getScheduled(arn: string): Promise<ScheduledThingWithTargets<T> | undefined>;
  /**
   * Called after any committed change to a thing or its targets (put, enable, disable, delete,
   * put/remove targets), with its ARN. Returns the unsubscribe function.
   */
  subscribe(listener: (arn: string) => void): () => void;
}

/** How a claimed slot ended: delivered to its targets, or not delivered after all. */
export type SlotSettlement =
  { status: 'FIRED'; targetCount: number } | { status: 'SKIPPED'; reason: string };

/**
 * The slot ledger as the invoker sees it (firing implements it). `db` may be a transaction, so
 * "create the invocations and mark the slot FIRED" stays one atomic write.
 */
export interface SlotLedger {
  /** Records the settlement of a claimed slot (a SKIPPED one also emits `firing:skipped`). */
  settle(db: Db, slot: ClaimedSlot, settlement: SlotSettlement): Promise<void>;
  /** Slots claimed and never settled (the process stopped in between), oldest first. */
  unsettledSlots(): Promise<ClaimedSlot[]>;
  /** The nominal time of each slot id that still exists. */
  nominalTimes(slotIds: readonly string[]): Promise<Map<string, number>>;
}

/** The slot table under the alias `s`, as {@link SlotDependents.mustKeep} filters it. */
export type SlotScope = Database & { s: FiringSlotRow };

/**
 * What hangs off a slot in other domains' tables (the invoker's invocations), as history
 * retention needs to know it.
 */
export interface SlotDependents {
  /** True for a slot (alias `s`) that must outlive its retention, e.g. a retry is still due. */
  mustKeep(eb: ExpressionBuilder<SlotScope, 's'>): Expression<SqlBool>;
  /** Deletes the dependents of these slots, in the transaction that deletes the slots. */
  purge(trx: Db, slotIds: readonly string[]): Promise<void>;
}
