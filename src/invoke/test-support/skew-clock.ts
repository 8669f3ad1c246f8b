/**
 * A wall clock that can step while timers keep running on a monotonic ManualClock underneath —
 * what a real host does when NTP or an operator steps the time: a timer armed for wall time W
 * fires after the same *elapsed* time, so it wakes early after a step back and late after a step
 * forward. Optionally fires the next timer early once (a jittery OS timer).
 */
import type { Clock, ManualClock, Timer } from '../../platform/clock.ts';

export class SkewClock implements Clock {
  offsetMs = 0;
  #earlyOnceMs = 0;

  constructor(readonly inner: ManualClock) {}

  /** Steps the wall clock by `ms` (negative = backwards); armed timers are not moved. */
  step(ms: number): void {
    this.offsetMs += ms;
  }

  /** The next timer armed fires `ms` early. */
  fireNextTimerEarly(ms: number): void {
    this.#earlyOnceMs = ms;
  }

  now(): number {
    return this.inner.now() + this.offsetMs;
  }

  setTimer(atMs: number, callback: () => void): Timer {
    const early = this.#earlyOnceMs;
    this.#earlyOnceMs = 0;
    return this.inner.setTimer(atMs - this.offsetMs - early, callback);
  }

  sleepUntil(atMs: number, signal?: AbortSignal): Promise<void> {
    return this.inner.sleepUntil(atMs - this.offsetMs, signal);
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return this.inner.sleep(ms, signal);
  }
}
