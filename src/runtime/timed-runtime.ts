/**
 * A {@link ContainerRuntime} that bounds every call the supervisor makes to the engine.
 *
 * A hung engine (a wedged dockerd, a Podman service stuck on storage) answers nothing and fails
 * nothing: without a bound, a task waits in ACTIVATING forever and nobody is told. Wrapped here,
 * each call gives up after its bound (driven by the injected Clock) with an
 * {@link EngineTimeoutError}, which the supervisor turns into ECS's stop reason like any other
 * engine failure. Calls that take a signal are aborted too, so the request to the engine closes.
 *
 * Only the two calls that legitimately last as long as a container lives are not bounded: the
 * exit wait and a following log stream. The wrapper also keeps what `/metrics` and `up` show:
 * whether the engine answers, and how many calls timed out.
 */
import type { Clock } from '../platform/clock.ts';
import type {
  CancellableOptions,
  ContainerExit,
  ContainerInfo,
  ContainerRuntime,
  ContainerSpec,
  ContainerStatsSample,
  ContainerSummary,
  EnsureImageOptions,
  ImageInfo,
  ListContainersOptions,
  LogLine,
  RuntimeVersion,
  StreamLogsOptions,
} from './container-runtime.ts';
import { EngineTimeoutError, RuntimeUnavailableError } from './runtime.errors.ts';

/** The engine calls that are bounded. */
export const ENGINE_CALLS = [
  'ping',
  'version',
  'pull',
  'create',
  'start',
  'stop',
  'kill',
  'remove',
  'inspect',
  'list',
  'stats',
] as const;
export type EngineCall = (typeof ENGINE_CALLS)[number];

export interface EngineCallTimeouts {
  /** Bound on every short call: create, start, inspect, list, kill, remove, stats, … @default 60000 */
  readonly callMs: number;
  /** Bound on a pull when the caller names none; the whole `ensureImage` gets `callMs` more. @default 600000 */
  readonly pullMs: number;
}

export const DEFAULT_ENGINE_CALL_TIMEOUTS: EngineCallTimeouts = { callMs: 60_000, pullMs: 600_000 };

/** A change in whether the engine answers: announced once per change, never per call. */
export type EngineHealthEvent =
  | { type: 'engine:unresponsive'; operation: EngineCall; error: Error }
  | { type: 'engine:responsive' };

export interface TimedRuntimeOptions {
  readonly runtime: ContainerRuntime;
  readonly clock: Clock;
  readonly timeouts?: Partial<EngineCallTimeouts>;
}

export class TimedRuntime implements ContainerRuntime {
  readonly #inner: ContainerRuntime;
  readonly #clock: Clock;
  readonly #t: EngineCallTimeouts;
  readonly #timeouts = new Map<EngineCall, number>(ENGINE_CALLS.map((c) => [c, 0]));
  readonly #listeners = new Set<(event: EngineHealthEvent) => void>();
  #up = true;

  constructor(options: TimedRuntimeOptions) {
    this.#inner = options.runtime;
    this.#clock = options.clock;
    this.#t = { ...DEFAULT_ENGINE_CALL_TIMEOUTS, ...options.timeouts };
  }

  /** False from a call that timed out or found no engine until the next call is answered. */
  get up(): boolean {
    return this.#up;
  }

  /** Calls given up so far, by call. */
  timeouts(): ReadonlyMap<EngineCall, number> {
    return this.#timeouts;
  }

  /** Subscribes to changes of {@link up}; returns the unsubscribe function. */
  on(listener: (event: EngineHealthEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  ping(): Promise<void> {
    return this.#bounded('ping', this.#t.callMs, () => this.#inner.ping());
  }

  version(): Promise<RuntimeVersion> {
    return this.#bounded('version', this.#t.callMs, () => this.#inner.version());
  }

  ensureImage(image: string, options: EnsureImageOptions = {}): Promise<ImageInfo> {
    const pullMs = options.timeoutMs ?? this.#t.pullMs;
    return this.#bounded(
      'pull',
      pullMs + this.#t.callMs,
      (signal) => this.#inner.ensureImage(image, { ...options, timeoutMs: pullMs, signal }),
      options.signal,
    );
  }

  createContainer(spec: ContainerSpec): Promise<string> {
    return this.#bounded('create', this.#t.callMs, () => this.#inner.createContainer(spec), {
      // Created after all, once nobody waits for it: remove it, or it would be left behind.
      late: (id) => void this.#inner.removeContainer(id).catch(() => undefined),
    });
  }

  startContainer(id: string): Promise<void> {
    return this.#bounded('start', this.#t.callMs, () => this.#inner.startContainer(id));
  }

  waitContainer(id: string, options?: CancellableOptions): Promise<ContainerExit> {
    return this.#inner.waitContainer(id, options);
  }

  stopContainer(id: string, timeoutSeconds: number): Promise<void> {
    // The engine answers once the container is down, which may take the whole grace period.
    const ms = this.#t.callMs + Math.max(0, timeoutSeconds) * 1000;
    return this.#bounded('stop', ms, () => this.#inner.stopContainer(id, timeoutSeconds));
  }

  killContainer(id: string, signal: string): Promise<void> {
    return this.#bounded('kill', this.#t.callMs, () => this.#inner.killContainer(id, signal));
  }

  removeContainer(id: string): Promise<void> {
    return this.#bounded('remove', this.#t.callMs, () => this.#inner.removeContainer(id));
  }

  inspectContainer(id: string, options: CancellableOptions = {}): Promise<ContainerInfo> {
    return this.#bounded(
      'inspect',
      this.#t.callMs,
      (signal) => this.#inner.inspectContainer(id, { signal }),
      options.signal,
    );
  }

  listContainers(options?: ListContainersOptions): Promise<ContainerSummary[]> {
    return this.#bounded('list', this.#t.callMs, () => this.#inner.listContainers(options));
  }

  streamLogs(id: string, options: StreamLogsOptions): AsyncIterable<LogLine> {
    return this.#inner.streamLogs(id, options);
  }

  stats(id: string, options: CancellableOptions = {}): Promise<ContainerStatsSample> {
    return this.#bounded(
      'stats',
      this.#t.callMs,
      (signal) => this.#inner.stats(id, { signal }),
      options.signal,
    );
  }

  /**
   * Runs `call` with a signal that aborts at the bound or when `outer` does. At the bound the
   * promise rejects with an {@link EngineTimeoutError} whatever the inner call does later.
   */
  #bounded<T>(
    operation: EngineCall,
    timeoutMs: number,
    call: (signal: AbortSignal) => Promise<T>,
    outerOrHooks?: AbortSignal | { late: (value: T) => void },
  ): Promise<T> {
    const outer = outerOrHooks instanceof AbortSignal ? outerOrHooks : undefined;
    const late = outerOrHooks instanceof AbortSignal ? undefined : outerOrHooks?.late;
    const controller = new AbortController();
    const signal = outer ? AbortSignal.any([outer, controller.signal]) : controller.signal;
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const timer = this.#clock.setTimer(this.#clock.now() + timeoutMs, () => {
        if (settled) return;
        settled = true;
        const error = new EngineTimeoutError(operation, timeoutMs);
        controller.abort(error);
        this.#timeouts.set(operation, (this.#timeouts.get(operation) ?? 0) + 1);
        this.#setUp(false, operation, error);
        reject(error);
      });
      let running: Promise<T>;
      try {
        running = call(signal);
      } catch (error) {
        running = Promise.reject(error);
      }
      running.then(
        (value) => {
          timer.cancel();
          if (settled) {
            late?.(value);
            return;
          }
          settled = true;
          this.#setUp(true, operation);
          resolve(value);
        },
        (error: unknown) => {
          timer.cancel();
          if (settled) return;
          settled = true;
          // Any answer, even a refusal, shows the engine alive; "nobody listens" does not.
          if (error instanceof RuntimeUnavailableError) this.#setUp(false, operation, error);
          else if (!outer?.aborted) this.#setUp(true, operation);
          reject(error);
        },
      );
    });
  }

  #setUp(up: boolean, operation: EngineCall, error?: Error): void {
    if (up === this.#up) return;
    this.#up = up;
    const event: EngineHealthEvent = up
      ? { type: 'engine:responsive' }
      : { type: 'engine:unresponsive', operation, error: error as Error };
    for (const listener of [...this.#listeners]) {
      try {
        listener(event);
      } catch {
        // A listener's failure must never break a call to the engine.
      }
    }
  }
}
