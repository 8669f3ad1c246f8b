/**
 * An in-memory {@link ContainerRuntime} for fast, deterministic tests of the task supervisor.
 *
 * Containers follow scripts instead of running programs: lines to print at given offsets, an
 * exit code after a delay, an OOM kill, ignoring SIGTERM. All time comes from the injected Clock,
 * so a test drives a whole task lifecycle with `ManualClock.advance()` and never sleeps. Images
 * can be present, pullable (after a delay) or failing to pull. The engine can be "switched off"
 * to exercise {@link RuntimeUnavailableError} paths.
 *
 * Behaviour mirrors DockerRuntime's contract, with one deliberate strictness: waiting on a
 * container that was never started rejects (Docker would answer at once with exit 0, which would
 * hide a supervisor bug).
 */
import { createHash } from 'node:crypto';

import type Docker from 'dockerode';

import type { Clock, Timer } from '../platform/clock.ts';
import type {
  CancellableOptions,
  ContainerExit,
  ContainerHealth,
  ContainerInfo,
  ContainerRuntime,
  ContainerSpec,
  ContainerStatsSample,
  ContainerSummary,
  EnsureImageOptions,
  ImageInfo,
  ListContainersOptions,
  LogLine,
  LogStream,
  RuntimeVersion,
  StreamLogsOptions,
} from './container-runtime.ts';
import { toCreateOptions } from './docker-spec.ts';
import type { EngineCall } from './timed-runtime.ts';
import {
  ContainerConflictError,
  ContainerNotFoundError,
  ContainerStartError,
  ImagePullError,
  RuntimeUnavailableError,
} from './runtime.errors.ts';

/** One line a scripted container prints, `afterMs` after it started. */
export interface ScriptedLine {
  readonly afterMs: number;
  readonly line: string;
  /** @default 'stdout' */
  readonly stream?: LogStream;
}

/** What a scripted container does once started. */
export interface ContainerScript {
  /** Lines to print; those due after the container ended are never printed. */
  readonly lines?: readonly ScriptedLine[];
  /** When it exits on its own, ms after start; absent: runs until stopped or killed. */
  readonly exitAfterMs?: number;
  /** Exit code when it exits on its own. @default 0 */
  readonly exitCode?: number;
  /** Exits at `exitAfterMs` as a memory-limit kill: exit 137 with `oomKilled`. */
  readonly oomKilled?: boolean;
  /** SIGTERM does nothing; only SIGKILL (or a stop's timeout) ends it. */
  readonly ignoreSigterm?: boolean;
  /** Exit code on SIGTERM when not ignored (a shell exits 143). @default 143 */
  readonly sigtermExitCode?: number;
  /** `startContainer` fails with this engine message (CannotStartContainerError). */
  readonly startError?: string;
  /**
   * With a health check in the spec: ms after start at which it turns healthy (absent: stays
   * `starting`); `unhealthyAfterMs` turns it unhealthy instead.
   */
  readonly healthyAfterMs?: number;
  readonly unhealthyAfterMs?: number;
  /** Reported by `stats`. @default 0 */
  readonly memoryBytes?: number;
  /** CPU use reported by `stats`, 100 = one core. @default 0 */
  readonly cpuPercent?: number;
  /** The address `inspectContainer` reports while it runs (absent: none, as network `none`). */
  readonly ipAddress?: string;
}

export interface MemoryRuntimeOptions {
  readonly clock: Clock;
  /** Images present from the start (as if built locally: no repo digest). */
  readonly localImages?: readonly string[];
  /** Images whose pull fails, with the engine message to report. */
  readonly pullFailures?: Readonly<Record<string, string>>;
  /** How long a successful or failing pull takes. @default 0 */
  readonly pullDelayMs?: number;
  /** Script per image name; images without one exit 0 at once. */
  readonly scripts?: Readonly<Record<string, ContainerScript>>;
  /** Script per container; wins over `scripts`. */
  readonly scriptFor?: (spec: ContainerSpec) => ContainerScript | undefined;
}

const SIGNALS: Readonly<Record<string, number>> = {
  SIGHUP: 1,
  SIGINT: 2,
  SIGQUIT: 3,
  SIGKILL: 9,
  SIGUSR1: 10,
  SIGUSR2: 12,
  SIGTERM: 15,
};

type State = 'created' | 'running' | 'exited';

interface FakeContainer {
  readonly id: string;
  readonly spec: ContainerSpec;
  readonly script: ContainerScript;
  state: State;
  exit?: ContainerExit;
  startedAt?: number;
  finishedAt?: number;
  readonly logs: LogLine[];
  timers: Timer[];
  /** Resolved and replaced whenever logs grow or the state changes. */
  changed: Promise<void>;
  notify: () => void;
}

function memoryHealth(c: FakeContainer, now: number): ContainerHealth {
  if (!c.spec.healthCheck) return 'none';
  if (c.startedAt === undefined || c.state !== 'running') return 'starting';
  const age = now - c.startedAt;
  if (c.script.unhealthyAfterMs !== undefined && age >= c.script.unhealthyAfterMs) {
    return 'unhealthy';
  }
  if (c.script.healthyAfterMs !== undefined && age >= c.script.healthyAfterMs) return 'healthy';
  return 'starting';
}

function sha256(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

export class MemoryRuntime implements ContainerRuntime {
  readonly #clock: Clock;
  readonly #options: MemoryRuntimeOptions;
  readonly #images = new Map<string, ImageInfo>();
  readonly #containers = new Map<string, FakeContainer>();
  #serial = 0;
  #available = true;
  #openCalls = 0;
  #hanging: ReadonlySet<EngineCall> = new Set();
  #hung = 0;

  constructor(options: MemoryRuntimeOptions) {
    this.#clock = options.clock;
    this.#options = options;
    for (const image of options.localImages ?? []) {
      this.#images.set(image, { imageId: sha256(image), pulled: false });
    }
  }

  /**
   * Calls still holding a request open: waits and follow log streams not yet ended. Docker keeps
   * a connection open for each; tests check that a detached supervisor leaves none.
   */
  openCalls(): number {
    return this.#openCalls;
  }

  /** Switches the fake engine off (every call throws RuntimeUnavailableError) or back on. */
  setAvailable(available: boolean): void {
    this.#available = available;
  }

  /**
   * What a container (by id or name) was created with: the spec, and the Docker create body
   * DockerRuntime would send for it, so tests assert the limits and confinement a task gets.
   */
  created(idOrName: string): { spec: ContainerSpec; createOptions: Docker.ContainerCreateOptions } {
    const c = this.#get(idOrName);
    return { spec: c.spec, createOptions: toCreateOptions(c.spec) };
  }

  /**
   * Makes the named calls hang, as a wedged engine does: they never answer and never fail, only
   * an abort of their signal ends them. `[]` makes the engine answer again.
   */
  setHanging(calls: readonly EngineCall[]): void {
    this.#hanging = new Set(calls);
  }

  /** Calls that have hung so far (see {@link setHanging}). */
  hungCalls(): number {
    return this.#hung;
  }

  async #hang(call: EngineCall, signal?: AbortSignal): Promise<void> {
    if (!this.#hanging.has(call)) return;
    this.#hung += 1;
    await new Promise<never>((_, reject) => {
      if (signal?.aborted) reject(signal.reason);
      signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
  }

  /** Images pulled or present, for assertions. */
  images(): string[] {
    return [...this.#images.keys()];
  }

  #check(): void {
    if (!this.#available) {
      throw new RuntimeUnavailableError('memory://', 'switched off by the test');
    }
  }

  #get(id: string): FakeContainer {
    this.#check();
    const container =
      this.#containers.get(id) ?? [...this.#containers.values()].find((c) => c.spec.name === id);
    if (!container) throw new ContainerNotFoundError(id, `No such container: ${id}`);
    return container;
  }

  async ping(): Promise<void> {
    await this.#hang('ping');
    this.#check();
  }

  async version(): Promise<RuntimeVersion> {
    await this.#hang('version');
    this.#check();
    return { engine: 'memory', version: '1.0.0' };
  }

  async ensureImage(image: string, options: EnsureImageOptions = {}): Promise<ImageInfo> {
    await this.#hang('pull', options.signal);
    this.#check();
    const present = this.#images.get(image);
    if (present) return { ...present, pulled: false };
    const delay = this.#options.pullDelayMs ?? 0;
    if (delay > 0) await this.#clock.sleep(delay, options.signal);
    const failure = this.#options.pullFailures?.[image];
    if (failure !== undefined) throw new ImagePullError(image, failure);
    options.onProgress?.({ status: `Pulling from ${image}` });
    options.onProgress?.({ status: `Status: Downloaded newer image for ${image}` });
    const info: ImageInfo = {
      imageId: sha256(image),
      repoDigest: sha256(`${image}@registry`),
      pulled: true,
    };
    this.#images.set(image, info);
    return info;
  }

  async createContainer(spec: ContainerSpec): Promise<string> {
    await this.#hang('create');
    this.#check();
    const taken = [...this.#containers.values()].find((c) => c.spec.name === spec.name);
    if (taken) {
      throw new ContainerConflictError(
        `Conflict. The container name "/${spec.name}" is already in use by container "${taken.id}". ` +
          'You have to remove (or rename) that container to be able to reuse that name.',
      );
    }
    if (!this.#images.has(spec.image)) {
      throw new ContainerStartError(`No such image: ${spec.image}`);
    }
    this.#serial += 1;
    const id = createHash('sha256').update(`container-${this.#serial}-${spec.name}`).digest('hex');
    const script = this.#options.scriptFor?.(spec) ??
      this.#options.scripts?.[spec.image] ?? { exitAfterMs: 0 };
    const container: FakeContainer = {
      id,
      spec,
      script,
      state: 'created',
      logs: [],
      timers: [],
      changed: Promise.resolve(),
      notify: () => undefined,
    };
    this.#renewSignal(container);
    this.#containers.set(id, container);
    return id;
  }

  #renewSignal(container: FakeContainer): void {
    let resolve!: () => void;
    container.changed = new Promise<void>((r) => (resolve = r));
    container.notify = () => {
      resolve();
      this.#renewSignal(container);
    };
  }

  async startContainer(id: string): Promise<void> {
    await this.#hang('start');
    const container = this.#get(id);
    if (container.state !== 'created') return; // Docker: starting a started container is a no-op.
    const { script } = container;
    if (script.startError !== undefined) throw new ContainerStartError(script.startError);
    const start = this.#clock.now();
    container.state = 'running';
    container.startedAt = start;
    // Line timers first: a line due at the same instant as the exit is printed before it.
    for (const scripted of script.lines ?? []) {
      container.timers.push(
        this.#clock.setTimer(start + scripted.afterMs, () => {
          if (container.state !== 'running') return;
          container.logs.push({
            stream: scripted.stream ?? 'stdout',
            line: scripted.line,
            timestamp: this.#clock.now(),
          });
          container.notify();
        }),
      );
    }
    if (script.exitAfterMs !== undefined) {
      const oom = script.oomKilled === true;
      container.timers.push(
        this.#clock.setTimer(start + script.exitAfterMs, () =>
          this.#exit(container, oom ? 137 : (script.exitCode ?? 0), oom),
        ),
      );
    }
    container.notify();
  }

  #exit(container: FakeContainer, exitCode: number, oomKilled: boolean): void {
    if (container.state !== 'running') return;
    for (const timer of container.timers) timer.cancel();
    container.timers = [];
    container.state = 'exited';
    container.exit = { exitCode, oomKilled };
    container.finishedAt = this.#clock.now();
    container.notify();
  }

  /** Delivers a signal; returns true when the container ended because of it. */
  #signal(container: FakeContainer, signal: string): boolean {
    const number = SIGNALS[signal.toUpperCase()] ?? SIGNALS[`SIG${signal.toUpperCase()}`];
    if (number === undefined) throw new ContainerConflictError(`Invalid signal: ${signal}`);
    if (container.state !== 'running') return false;
    if (number === 9) {
      this.#exit(container, 137, false);
      return true;
    }
    if (number === 15) {
      if (container.script.ignoreSigterm === true) return false;
      this.#exit(container, container.script.sigtermExitCode ?? 143, false);
      return true;
    }
    // Other signals: a shell's default action ends it with 128 + the signal number.
    this.#exit(container, 128 + number, false);
    return true;
  }

  async waitContainer(id: string, options: CancellableOptions = {}): Promise<ContainerExit> {
    const { signal } = options;
    signal?.throwIfAborted();
    const container = this.#get(id);
    if (container.state === 'created') {
      throw new ContainerConflictError(
        `container ${id} was never started; wait after startContainer`,
      );
    }
    this.#openCalls += 1;
    try {
      await untilExitedOrAborted(container, signal);
    } finally {
      this.#openCalls -= 1;
    }
    return container.exit ?? { exitCode: 0, oomKilled: false };
  }

  async stopContainer(id: string, timeoutSeconds: number): Promise<void> {
    await this.#hang('stop');
    const container = this.#get(id);
    if (container.state !== 'running') return;
    if (this.#signal(container, 'SIGTERM')) return;
    const killAt = this.#clock.now() + Math.max(0, timeoutSeconds) * 1000;
    container.timers.push(this.#clock.setTimer(killAt, () => this.#exit(container, 137, false)));
    await untilExited(container);
  }

  async killContainer(id: string, signal: string): Promise<void> {
    await this.#hang('kill');
    this.#signal(this.#get(id), signal);
  }

  async removeContainer(id: string): Promise<void> {
    await this.#hang('remove');
    this.#check();
    const container =
      this.#containers.get(id) ?? [...this.#containers.values()].find((c) => c.spec.name === id);
    if (!container) return;
    this.#exit(container, 137, false);
    this.#containers.delete(container.id);
    container.notify();
  }

  async inspectContainer(id: string, options: CancellableOptions = {}): Promise<ContainerInfo> {
    await this.#hang('inspect', options.signal);
    options.signal?.throwIfAborted();
    const c = this.#get(id);
    const image = this.#images.get(c.spec.image);
    return {
      id: c.id,
      name: c.spec.name,
      status: c.state,
      running: c.state === 'running',
      oomKilled: c.exit?.oomKilled ?? false,
      labels: { ...(c.spec.labels ?? {}) },
      image: c.spec.image,
      imageId: image?.imageId ?? sha256(c.spec.image),
      health: memoryHealth(c, this.#clock.now()),
      ...(c.exit ? { exitCode: c.exit.exitCode } : {}),
      ...(c.startedAt === undefined ? {} : { startedAt: c.startedAt }),
      ...(c.finishedAt === undefined ? {} : { finishedAt: c.finishedAt }),
      ...(image?.repoDigest === undefined ? {} : { imageDigest: image.repoDigest }),
      ...(c.state === 'running' && c.script.ipAddress ? { ipAddress: c.script.ipAddress } : {}),
    };
  }

  async listContainers(options: ListContainersOptions = {}): Promise<ContainerSummary[]> {
    await this.#hang('list');
    this.#check();
    const wanted = Object.entries(options.labels ?? {});
    return [...this.#containers.values()]
      .filter((c) => wanted.every(([k, v]) => c.spec.labels?.[k] === v))
      .map((c) => ({
        id: c.id,
        name: c.spec.name,
        status: c.state,
        running: c.state === 'running',
        labels: { ...(c.spec.labels ?? {}) },
      }));
  }

  async *streamLogs(id: string, options: StreamLogsOptions): AsyncIterable<LogLine> {
    const container = this.#get(id);
    let index = 0;
    const aborted = abortPromise(options.signal);
    if (options.follow) this.#openCalls += 1;
    try {
      for (;;) {
        while (index < container.logs.length) {
          const line = container.logs[index++]!;
          if (options.since === undefined || line.timestamp >= options.since) yield line;
          if (options.signal?.aborted) return;
        }
        const removed = !this.#containers.has(container.id);
        if (!options.follow || container.state === 'exited' || removed || options.signal?.aborted) {
          return;
        }
        // Created or running: wait for the next line or state change (or the caller's abort).
        await Promise.race([container.changed, aborted]);
      }
    } finally {
      if (options.follow) this.#openCalls -= 1;
    }
  }

  async stats(id: string, options: CancellableOptions = {}): Promise<ContainerStatsSample> {
    await this.#hang('stats', options.signal);
    options.signal?.throwIfAborted();
    const c = this.#get(id);
    const now = this.#clock.now();
    const ranMs = c.startedAt === undefined ? 0 : (c.finishedAt ?? now) - c.startedAt;
    const cpuPercent = c.state === 'running' ? (c.script.cpuPercent ?? 0) : 0;
    return {
      timestamp: now,
      cpuUsageNs: Math.round(ranMs * 1_000_000 * ((c.script.cpuPercent ?? 0) / 100)),
      cpuPercent,
      memoryBytes: c.state === 'running' ? (c.script.memoryBytes ?? 0) : 0,
      ...(c.spec.memoryMiB === undefined
        ? {}
        : { memoryLimitBytes: c.spec.memoryMiB * 1024 * 1024 }),
    };
  }
}

async function untilExited(container: FakeContainer): Promise<void> {
  while (container.state !== 'exited') await container.changed;
}

/** Settles at the exit, or rejects with the signal's reason at its abort if that comes first. */
function untilExitedOrAborted(container: FakeContainer, signal?: AbortSignal): Promise<void> {
  if (!signal) return untilExited(container);
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    void untilExited(container).then(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
  });
}

/** Resolves when `signal` aborts (never, without one). */
function abortPromise(signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return new Promise<void>(() => undefined);
  if (signal.aborted) return Promise.resolve();
  return new Promise<void>((resolve) =>
    signal.addEventListener('abort', () => resolve(), { once: true }),
  );
}
