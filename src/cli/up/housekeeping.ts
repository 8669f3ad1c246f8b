/**
 * Periodic clean-up while `cronbridge up` runs: STOPPED tasks past their retention, log events
 * past their group's retention, and run history past `historyRetentionMs` are deleted. Reads
 * already hide expired tasks and events, so this bounds the store's size; a failed round is
 * reported and simply tried again next time. Runs on the injected Clock's timers, so tests drive
 * it with a ManualClock.
 */
import type { Clock, Timer } from '../../platform/clock.ts';
import { coerceError } from '../../platform/errors.ts';

export interface HousekeepingDeps {
  clock: Clock;
  tasks: { purgeExpiredTasks(now?: number): Promise<number> };
  logs: { purgeExpiredEvents(): Promise<number> };
  history: { purgeBefore(cutoffMs: number): Promise<{ slots: number; deadLetters: number }> };
  /** How long run history is kept (config `historyRetention`). */
  historyRetentionMs: number;
  /** Called after each round that deleted something. */
  onPurged?: (result: PurgeResult) => void;
  /** Called when a round fails. */
  onError?: (error: Error) => void;
  /** Time between rounds. @default 300000 (5 minutes) */
  intervalMs?: number;
}

export interface PurgeResult {
  tasks: number;
  events: number;
  /** History slots (with their invocations and attempts) and dead letters. */
  slots: number;
  deadLetters: number;
}

export const DEFAULT_HOUSEKEEPING_INTERVAL_MS = 300_000;

export class Housekeeping implements AsyncDisposable {
  readonly #d: HousekeepingDeps;
  readonly #intervalMs: number;
  #timer: Timer | undefined;
  #running = false;
  #round: Promise<void> = Promise.resolve();

  constructor(deps: HousekeepingDeps) {
    this.#d = deps;
    this.#intervalMs = deps.intervalMs ?? DEFAULT_HOUSEKEEPING_INTERVAL_MS;
  }

  /** Runs a first round now, then one every interval. Idempotent. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#tick();
  }

  /** Cancels the timer and waits for a round in progress. Idempotent. */
  async stop(): Promise<void> {
    this.#running = false;
    this.#timer?.cancel();
    this.#timer = undefined;
    await this.#round;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  /** One round; resolves to what it deleted. Failures reach `onError`, never the caller. */
  async runOnce(): Promise<PurgeResult | undefined> {
    try {
      const now = this.#d.clock.now();
      const tasks = await this.#d.tasks.purgeExpiredTasks(now);
      const events = await this.#d.logs.purgeExpiredEvents();
      const history = await this.#d.history.purgeBefore(now - this.#d.historyRetentionMs);
      const result = { tasks, events, ...history };
      if (tasks + events + history.slots + history.deadLetters > 0) this.#d.onPurged?.(result);
      return result;
    } catch (error) {
      this.#d.onError?.(coerceError(error));
      return undefined;
    }
  }

  #tick(): void {
    if (!this.#running) return;
    this.#round = this.runOnce().then(() => {
      // Armed only after the round ends: a slow round never overlaps the next one.
      if (!this.#running) return;
      this.#timer = this.#d.clock.setTimer(this.#d.clock.now() + this.#intervalMs, () =>
        this.#tick(),
      );
    });
  }
}
