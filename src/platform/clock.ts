/**
 * The only source of time in cronbridge.
 *
 * Everything stateful (the firing loop, retry backoff, task timeouts, log timestamps) receives a
 * `Clock` through its constructor. Production uses {@link SystemClock}; tests drive a
 * {@link ManualClock} and never sleep. A lint rule bans `Date.now()`, `new Date()` and
 * `setTimeout` everywhere else, so this file is the one place that touches the real clock.
 */

/** A cancellable timer handle. */
export interface Timer {
  /** Stops the timer; idempotent, and harmless after it fired. */
  cancel(): void;
}

export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Calls `callback` once the clock reaches `atMs` (at once if it already has). */
  setTimer(atMs: number, callback: () => void): Timer;
  /**
   * Resolves when the clock reaches `atMs`; rejects with the signal's reason when aborted first.
   */
  sleepUntil(atMs: number, signal?: AbortSignal): Promise<void>;
  /** Resolves after `ms` milliseconds of this clock's time. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** Shared by both clocks: a promise around {@link Clock.setTimer} that honours an AbortSignal. */
function sleepWith(clock: Clock, atMs: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      timer.cancel();
      reject(signal?.reason);
    };
    const timer = clock.setTimer(atMs, () => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    });
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Node's timers overflow past 2^31-1 ms (~24.8 days); longer waits are chained in chunks. */
const MAX_TIMER_DELAY_MS = 2_147_483_647;

/** The real wall clock. */
export class SystemClock implements Clock {
  now(): number {
    return Date.now();
  }

  setTimer(atMs: number, callback: () => void): Timer {
    let handle: NodeJS.Timeout | undefined;
    let cancelled = false;
    const arm = () => {
      if (cancelled) return;
      const delay = atMs - Date.now();
      if (delay <= 0) {
        handle = undefined;
        callback();
        return;
      }
      handle = setTimeout(arm, Math.min(delay, MAX_TIMER_DELAY_MS));
    };
    arm();
    return {
      cancel: () => {
        cancelled = true;
        if (handle) clearTimeout(handle);
      },
    };
  }

  sleepUntil(atMs: number, signal?: AbortSignal): Promise<void> {
    return sleepWith(this, atMs, signal);
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return sleepWith(this, this.now() + ms, signal);
  }
}

interface PendingTimer {
  atMs: number;
  seq: number;
  callback: () => void;
  cancelled: boolean;
}

/** Lets promise continuations scheduled by fired timers run before the next timer fires. */
function drainMicrotasks(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * A clock that moves only when a test says so. Timers fire in due order (ties in creation order)
 * while {@link ManualClock.advance} or {@link ManualClock.set} walks time forward; `set` may also
 * move time backwards, which fires nothing, so tests can reproduce a wall clock stepping back.
 */
export class ManualClock implements Clock {
  #now: number;
  #seq = 0;
  #timers: PendingTimer[] = [];

  constructor(start: number | Date | string = 0) {
    this.#now = typeof start === 'number' ? start : new Date(start).getTime();
  }

  now(): number {
    return this.#now;
  }

  setTimer(atMs: number, callback: () => void): Timer {
    const timer: PendingTimer = { atMs, seq: this.#seq++, callback, cancelled: false };
    this.#timers.push(timer);
    return {
      cancel: () => {
        timer.cancelled = true;
      },
    };
  }

  sleepUntil(atMs: number, signal?: AbortSignal): Promise<void> {
    return sleepWith(this, atMs, signal);
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return sleepWith(this, this.#now + ms, signal);
  }

  /** Number of timers waiting to fire; lets tests wait until a component has gone to sleep. */
  pendingTimers(): number {
    return this.#timers.filter((t) => !t.cancelled).length;
  }

  /** Earliest pending due time, if any. */
  nextTimerAt(): number | undefined {
    const live = this.#timers.filter((t) => !t.cancelled);
    return live.length === 0 ? undefined : Math.min(...live.map((t) => t.atMs));
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way, in order. */
  async advance(ms: number): Promise<void> {
    await this.#runUntil(this.#now + ms);
  }

  /** Moves time to `instant`. Forward fires due timers on the way; backward fires nothing. */
  async set(instant: number | Date | string): Promise<void> {
    const target = typeof instant === 'number' ? instant : new Date(instant).getTime();
    if (target < this.#now) {
      this.#now = target;
      await drainMicrotasks();
      return;
    }
    await this.#runUntil(target);
  }

  async #runUntil(target: number): Promise<void> {
    await drainMicrotasks();
    for (;;) {
      this.#timers = this.#timers.filter((t) => !t.cancelled);
      const due = this.#timers
        .filter((t) => t.atMs <= target)
        .sort((a, b) => a.atMs - b.atMs || a.seq - b.seq)[0];
      if (!due) break;
      this.#timers.splice(this.#timers.indexOf(due), 1);
      this.#now = Math.max(this.#now, due.atMs);
      due.callback();
      await drainMicrotasks();
    }
    this.#now = Math.max(this.#now, target);
    await drainMicrotasks();
  }
}
