/**
 * Run history: slot → invocations → attempts → task ARNs, composed from firing's slot history
 * and the invoker's own tables; the slot behind a task; dead letters; and retention of the whole.
 * This is what `GetRuleHistory`, `ListDeadLetters` and the CLI read.
 */
import { PURGE_BATCH_SLOTS, SlotHistory } from '../firing/index.ts';
import type { SlotView } from '../firing/index.ts';
import type { Store } from '../store/store.ts';
import type {
  DeadLetterPosition,
  DeadLetterView,
  InvocationView,
} from './invocation-history.store.ts';
import {
  deadLetterPage,
  deadLettersByDlq,
  invocationsOfSlots,
  slotOfTask,
  taskArnsOf,
} from './invocation-history.store.ts';
import { invocationDependents, purgeDeadLettersBefore } from './invocation-retention.store.ts';

/** A slot with what the invoker did with it. */
export interface RunSlotView extends SlotView {
  invocations: InvocationView[];
}

export interface HistoryPurgeResult {
  /** Slot rows deleted (a MISSED summary row counts once). */
  slots: number;
  deadLetters: number;
}

/**
 * Deletes the run history older than `cutoffMs`: slots (with their invocations, attempts and task
 * links; never FIRING slots or slots with a retry still due) and dead letters, `batchSize` rows
 * per transaction.
 */
export async function purgeRunHistoryBefore(
  store: Store,
  cutoffMs: number,
  batchSize = PURGE_BATCH_SLOTS,
): Promise<HistoryPurgeResult> {
  const slots = await new SlotHistory({ store }).purgeBefore(
    cutoffMs,
    invocationDependents,
    batchSize,
  );
  const deadLetters = await purgeDeadLettersBefore(store, cutoffMs, batchSize);
  return { slots, deadLetters };
}

export class RunHistory {
  readonly #store: Store;
  readonly #slots: SlotHistory;

  constructor(deps: { store: Store }) {
    this.#store = deps.store;
    this.#slots = new SlotHistory(deps);
  }

  /** Slots of one rule with `fromMs ≤ nominal < toMs`, oldest first, at most `limit`. */
  async slots(query: {
    ruleArn: string;
    fromMs?: number;
    toMs?: number;
    limit?: number;
  }): Promise<RunSlotView[]> {
    const slots = await this.#slots.slots(query);
    const invocations = await invocationsOfSlots(
      this.#store.db,
      slots.map((s) => s.id),
    );
    return slots.map((s) => ({ ...s, invocations: invocations.get(s.id) ?? [] }));
  }

  /** The rule and slot that started a task, if a rule started it. */
  slotOfTask(
    taskArn: string,
  ): Promise<
    { ruleArn: string; slotId: string; nominalMs: number; invocationId: string } | undefined
  > {
    return slotOfTask(this.#store.db, taskArn);
  }

  /** Task ARNs a rule started with `fromMs ≤ nominal < toMs`, oldest slot first. */
  taskArns(query: { ruleArn: string; fromMs?: number; toMs?: number }): Promise<string[]> {
    return taskArnsOf(this.#store.db, query);
  }

  /** Deletes the history older than `cutoffMs` (see {@link purgeRunHistoryBefore}). */
  purgeBefore(cutoffMs: number): Promise<HistoryPurgeResult> {
    return purgeRunHistoryBefore(this.#store, cutoffMs);
  }

  /** Dead letters grouped by the target's DLQ ARN (`'none'` when it has no DeadLetterConfig). */
  deadLetters(): Promise<Record<string, DeadLetterView[]>> {
    return deadLettersByDlq(this.#store.db);
  }

  /**
   * Dead letters oldest first, one keyset page after `after`, optionally of one rule or of the
   * rules under one ARN prefix (a region's).
   */
  deadLetterPage(options: {
    ruleArn?: string;
    ruleArnPrefix?: string;
    after?: DeadLetterPosition;
    limit: number;
  }): Promise<{ letters: (DeadLetterView & { dlqArn?: string })[]; more: boolean }> {
    return deadLetterPage(this.#store.db, options);
  }
}
