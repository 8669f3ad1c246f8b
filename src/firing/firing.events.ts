/**
 * Typed lifecycle events of the firing loop and the invoker. They serve monitoring (metrics are
 * counted from them) and tests, which wait for the next matching event instead of sleeping.
 */

/** Every event, keyed by its `type`. */
export interface FiringEventMap {
  /** The loop started: how many enabled scheduled rules it indexed. */
  'firing:started': { rules: number };
  'firing:stopped': Record<string, never>;
  /** A slot was claimed (committed FIRING) and handed to the invoker. */
  'firing:slot': { ruleArn: string; slotId: string; nominalMs: number; firedAtMs: number };
  /** Slots recorded MISSED; `count` may exceed the rows written (see the summary row). */
  'firing:missed': { ruleArn: string; firstMs: number; lastMs: number; count: number };
  /** A claimed slot was not invoked after all (rule deleted or disabled in between). */
  'firing:skipped': { ruleArn: string; nominalMs: number; reason: string };
  /** The slot was already in the store (an earlier run or another node fired it). */
  'firing:duplicate': { ruleArn: string; nominalMs: number };
  /** The wall clock went backwards: no slot at or before a recorded one fires again. */
  'firing:clockBackwards': { fromMs: number; toMs: number };
  /** The timer woke before its due time; the loop re-armed it. */
  'firing:timerEarly': { dueMs: number; nowMs: number };
  /** The timer woke late by more than the overdue threshold (clock jump or stalled loop). */
  'firing:overdue': { dueMs: number; nowMs: number };
  /** A rule's index entry changed: `next` is its next slot, undefined when it left the index. */
  'firing:ruleUpdated': { ruleArn: string; nextMs: number | undefined };
  /** The loop hit an error it survives (store down, bad expression); it retries later. */
  'firing:error': { error: Error; ruleArn?: string };
  /** One attempt of an invocation finished. */
  'invoke:attempt': {
    ruleArn: string;
    invocationId: string;
    targetId: string;
    attemptNo: number;
    outcome: 'SUCCEEDED' | 'FAILED';
    errorCode?: string;
    taskArns: string[];
  };
  /** An invocation succeeded for good. */
  'invoke:succeeded': { ruleArn: string; invocationId: string; targetId: string; attempts: number };
  /** An invocation failed for good and was dead-lettered. */
  'invoke:deadLettered': {
    ruleArn: string;
    invocationId: string;
    targetId: string;
    attempts: number;
    dlqArn: string | undefined;
    errorCode: string;
    exhaustedCondition: string | undefined;
  };
  /** A retry was scheduled. */
  'invoke:retryScheduled': {
    ruleArn: string;
    invocationId: string;
    atMs: number;
    attemptNo: number;
  };
}

export type FiringEventType = keyof FiringEventMap;
/** One event: its `type` plus that type's fields. */
export type FiringEvent = {
  [K in FiringEventType]: { type: K } & FiringEventMap[K];
}[FiringEventType];

type Listener = (event: FiringEvent) => void;

/** A small event hub; `emit` never throws, whatever the listeners do. */
export class FiringEvents {
  readonly #listeners = new Set<Listener>();

  emit<K extends FiringEventType>(type: K, fields: FiringEventMap[K]): void {
    const event = { type, ...fields } as FiringEvent;
    for (const listener of [...this.#listeners]) {
      try {
        listener(event);
      } catch {
        // A listener's failure must never break firing.
      }
    }
  }

  /** Subscribes; returns the unsubscribe function. */
  on(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Resolves at the first event of `type` that satisfies `predicate`. */
  next<K extends FiringEventType>(
    type: K,
    predicate: (event: { type: K } & FiringEventMap[K]) => boolean = () => true,
  ): Promise<{ type: K } & FiringEventMap[K]> {
    return new Promise((resolve) => {
      const off = this.on((event) => {
        if (event.type !== type) return;
        const typed = event as { type: K } & FiringEventMap[K];
        if (!predicate(typed)) return;
        off();
        resolve(typed);
      });
    });
  }
}
