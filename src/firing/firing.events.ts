/**
 * Typed lifecycle events of the firing loop and its slot ledger. They serve monitoring (slot
 * counters are counted from them) and tests, which wait for the next matching event instead of
 * sleeping. The invoker declares its own (`src/invoke/invoke.events.ts`).
 */
import { EventHub, type EventOf } from '../platform/event-hub.ts';

/** Every firing event, keyed by its `type`. */
export interface FiringEventMap {
  /** The loop started: how many enabled scheduled things it indexed. */
  'firing:started': { rules: number };
  'firing:stopped': Record<string, never>;
  /** A slot was claimed (committed FIRING) and handed to the invoker. */
  'firing:slot': { ruleArn: string; slotId: string; nominalMs: number; firedAtMs: number };
  /** Slots recorded MISSED; `count` may exceed the rows written (see the summary row). */
  'firing:missed': { ruleArn: string; firstMs: number; lastMs: number; count: number };
  /** A claimed slot was not invoked after all (deleted or disabled in between). */
  'firing:skipped': { ruleArn: string; nominalMs: number; reason: string };
  /** The slot was already in the store (an earlier run or another node fired it). */
  'firing:duplicate': { ruleArn: string; nominalMs: number };
  /** The wall clock went backwards: no slot at or before a recorded one fires again. */
  'firing:clockBackwards': { fromMs: number; toMs: number };
  /** The timer woke before its due time; the loop re-armed it. */
  'firing:timerEarly': { dueMs: number; nowMs: number };
  /** The timer woke late by more than the overdue threshold (clock jump or stalled loop). */
  'firing:overdue': { dueMs: number; nowMs: number };
  /** A thing's index entry changed: `next` is its next slot, undefined when it left the index. */
  'firing:ruleUpdated': { ruleArn: string; nextMs: number | undefined };
  /** The loop hit an error it survives (store down, bad expression); it retries later. */
  'firing:error': { error: Error; ruleArn?: string };
}

export type FiringEventType = keyof FiringEventMap;
/** One firing event: its `type` plus that type's fields. */
export type FiringEvent = EventOf<FiringEventMap>;

/** The hub the loop and the ledger emit on (a hub of a wider map serves as well). */
export type FiringEvents = EventHub<FiringEventMap>;

/** A hub for firing events only (tests; the engine shares one hub between domains). */
export function firingEvents(): FiringEvents {
  return new EventHub<FiringEventMap>();
}
