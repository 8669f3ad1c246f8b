/**
 * SIGINT/SIGTERM handling of `cronbridge up`. The first signal stops gracefully (API, firing,
 * supervision, store; containers keep running for the next start); a second signal, or a graceful
 * stop that overruns its grace period, forces the process out with exit code 1. The watchdog runs
 * on the injected Clock and is cancelled once the stop ends, so it never keeps the process alive.
 */
import type { Clock, Timer } from '../../platform/clock.ts';
import { coerceError } from '../../platform/errors.ts';

/** The part of `process` this needs; tests pass an EventEmitter. */
export interface SignalSource {
  on(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
  off(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
}

export const SHUTDOWN_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

/** Longest graceful stop before the watchdog forces the exit. @default 30000 */
export const DEFAULT_GRACE_MS = 30_000;

export interface ShutdownOptions {
  signals: SignalSource;
  clock: Clock;
  /** The graceful stop. */
  stop: () => Promise<void>;
  /** Ends the process now (`process.exit`); only for the forced paths. */
  exit: (code: number) => void;
  /** Operator messages, one line per call. */
  say: (line: string) => void;
  /** Running tasks, named in the shutdown message. */
  runningTasks?: () => number;
  graceMs?: number;
}

export interface ShutdownHandle {
  /** Resolves with the exit code once a signal-initiated graceful stop has finished. */
  readonly done: Promise<number>;
  /** Starts the graceful stop as a signal would (tests, or an internal fatal error). */
  trigger(signal: NodeJS.Signals): void;
  /** Removes the signal handlers without stopping anything. */
  dispose(): void;
}

/** Installs the handlers; nothing happens until the first signal. */
export function handleShutdownSignals(options: ShutdownOptions): ShutdownHandle {
  const graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
  let first: NodeJS.Signals | undefined;
  let watchdog: Timer | undefined;
  let resolveDone!: (code: number) => void;
  const done = new Promise<number>((resolve) => (resolveDone = resolve));

  const dispose = () => {
    for (const signal of SHUTDOWN_SIGNALS) options.signals.off(signal, onSignal);
  };

  const force = (why: string) => {
    options.say(`${why}: forcing exit; task containers keep running`);
    options.exit(1);
  };

  function onSignal(signal: NodeJS.Signals): void {
    if (first !== undefined) {
      force(`${signal} received again`);
      return;
    }
    first = signal;
    const running = options.runningTasks?.() ?? 0;
    options.say(
      `${signal} received: shutting down` +
        (running > 0
          ? ` (${running} running task${running === 1 ? '' : 's'} keep running and are ` +
            're-attached by the next `cronbridge up`)'
          : '') +
        '; send it again to force',
    );
    watchdog = options.clock.setTimer(options.clock.now() + graceMs, () =>
      force(`shutdown did not finish within ${Math.round(graceMs / 1000)}s`),
    );
    options.stop().then(
      () => finish(0, 'cronbridge stopped'),
      (error: unknown) => finish(1, `shutdown failed: ${coerceError(error).message}`),
    );
  }

  const finish = (code: number, message: string) => {
    watchdog?.cancel();
    // The handlers go once the stop is over: from then on a signal has Node's default effect.
    dispose();
    options.say(message);
    resolveDone(code);
  };

  for (const signal of SHUTDOWN_SIGNALS) options.signals.on(signal, onSignal);
  return { done, trigger: onSignal, dispose };
}
