/**
 * One ECS task, driven from PENDING to STOPPED on a container runtime.
 *
 * The run pulls images, opens the awslogs streams, creates every container, starts them as their
 * `dependsOn` conditions allow, pumps their output into CloudWatch Logs, and stops the task the
 * way ECS does: when an essential container exits, on StopTask, or when it cannot start. Every
 * transition is stored through the {@link TaskProgressSink} before the run acts on it.
 *
 * A run can also *adopt* containers that already exist (after cronbridge restarted while the task
 * ran): it then skips creation, re-attaches to their output after what is already stored, and goes
 * on from there.
 */
import type { LogsService } from '../logs/logs.service.ts';
import { AwslogsWriter, splitMessage } from '../logs/awslogs-writer.ts';
import type { Clock } from '../platform/clock.ts';
import { coerceError } from '../platform/errors.ts';
import type { ContainerRuntime, ContainerSpec } from '../runtime/container-runtime.ts';
import { ContainerRuntimeError } from '../runtime/runtime.errors.ts';
import {
  type ContainerProgress,
  dependencyVerdict,
  shutdownOrder,
} from './container-dependencies.ts';
import { awslogsStreamName, type ContainerPlan, LABELS, type TaskLaunchPlan } from './task-plan.ts';
import type { StopCode, TaskProgressSink, TaskStatus } from './task-progress.ts';

/** What the supervisor hands every run. */
export interface TaskRunDeps {
  runtime: ContainerRuntime;
  logs: LogsService;
  clock: Clock;
  progress: TaskProgressSink;
  /** Bound on one image pull. */
  pullTimeoutMs: number;
  /** Interval of Container Insights samples. */
  statsIntervalMs: number;
  /** How often log batches are published while a container runs (Docker's default is 5 s). */
  logFlushIntervalMs: number;
  /** Called for lifecycle events; tests wait on these instead of sleeping. */
  emit: (event: TaskRunEvent) => void;
  /** Owner label value: several cronbridge instances may share one engine. */
  instanceId: string;
}

export type TaskRunEvent =
  | { type: 'task:status'; taskArn: string; status: TaskStatus }
  | { type: 'container:started'; taskArn: string; container: string; runtimeId: string }
  | { type: 'container:exited'; taskArn: string; container: string; exitCode: number | null }
  | { type: 'task:stopped'; taskArn: string; stopCode: StopCode; reason: string };

/** Containers that already exist on the engine, by container name (for adoption). */
export type AdoptedContainers = ReadonlyMap<string, string>;

interface ContainerState {
  plan: ContainerPlan;
  progress: ContainerProgress;
  runtimeId?: string;
  imageDigest?: string;
  writer?: AwslogsWriter;
  /** Resolves when the log pump has drained the container's output. */
  pumped?: Promise<void>;
  exitedAt?: number;
}

interface StopRequest {
  stopCode: StopCode;
  reason: string;
}

/** A plain Error carrying an ECS-style reason; thrown inside the run to abort start-up. */
class StartFailure extends Error {}

const OOM_REASON = 'OutOfMemoryError: Container killed due to memory usage';
const ESSENTIAL_EXITED = 'Essential container in task exited';
/** Pause the log pump while this many lines wait to be stored (bounded memory). */
const LOG_BACKPRESSURE_LINES = 20_000;
const HEALTH_POLL_MS = 1000;

export class TaskRun {
  readonly plan: TaskLaunchPlan;
  readonly #deps: TaskRunDeps;
  readonly #containers = new Map<string, ContainerState>();
  #status: TaskStatus = 'PROVISIONING';
  #stop: StopRequest | undefined;
  #stopping = false;
  #wake: (() => void) | undefined;
  /** Set by every poke; the supervision loop re-checks instead of sleeping while it is set. */
  #dirty = false;
  #detached = false;
  #failure: Error | undefined;
  /** Aborts an image pull in progress (StopTask while PENDING). */
  readonly #pullAbort = new AbortController();
  /**
   * Lets go of the engine: ends log follows and exit waits. Only when detaching or crashing,
   * never on a normal stop, where both must see the container's end.
   */
  readonly #release = new AbortController();
  /** Ends health polls and stats samples: at the stop, at the end, and when detaching. */
  readonly #sampling = new AbortController();
  /** Exit waiters, health polls and the sampler still going; detach waits for them to end. */
  readonly #background = new Set<Promise<void>>();
  /** Resolves when the task is STOPPED (or the run was detached). */
  readonly done: Promise<void>;

  constructor(plan: TaskLaunchPlan, deps: TaskRunDeps, adopted?: AdoptedContainers) {
    this.plan = plan;
    this.#deps = deps;
    for (const c of plan.containers) {
      this.#containers.set(c.name, { plan: c, progress: { status: 'PENDING', started: false } });
    }
    this.done = (adopted ? this.#adopt(adopted) : this.#run())
      .catch((error: unknown) => this.#crash(error))
      .finally(() => this.#sampling.abort());
  }

  get status(): TaskStatus {
    return this.#status;
  }

  /** StopTask, or any other reason to end the task early. The first request wins. */
  requestStop(stopCode: StopCode, reason: string): void {
    if (this.#stop) return;
    this.#stop = { stopCode, reason };
    if (this.#status === 'PENDING' || this.#status === 'PROVISIONING') this.#pullAbort.abort();
    this.#poke();
  }

  /**
   * Stops watching without touching the containers, as a crash would; used when cronbridge shuts
   * down so that tasks keep running and are adopted on the next start. Records nothing: the
   * store keeps the task as it was. Resolves once no request to the engine is left open (an
   * exit wait or a log follow would otherwise keep the process alive until the container ends).
   */
  async detach(): Promise<void> {
    this.#detached = true;
    this.#pullAbort.abort();
    this.#release.abort();
    this.#sampling.abort();
    this.#poke();
    await this.done;
    // Each of these ends promptly once aborted; a log pump flushes what it had read first.
    const pumps = [...this.#containers.values()].map((c) => c.pumped);
    await Promise.allSettled([...this.#background, ...pumps]);
  }

  // ---- the main line ------------------------------------------------------------------------

  async #run(): Promise<void> {
    const { clock } = this.#deps;
    try {
      await this.#setStatus('PENDING', { pullStartedAt: clock.now() });
      await this.#pullImages();
      await this.#openLogs();
      this.#checkStillWanted();
      await this.#createContainers();
      this.#checkStillWanted();
      await this.#setStatus('ACTIVATING');
    } catch (error) {
      if (this.#detached) return;
      await this.#failStart(error);
      return;
    }
    await this.#supervise();
  }

  async #adopt(adopted: AdoptedContainers): Promise<void> {
    await this.#openLogs();
    for (const [name, state] of this.#containers) {
      const runtimeId = adopted.get(name);
      if (!runtimeId) continue;
      state.runtimeId = runtimeId;
      const info = await this.#deps.runtime.inspectContainer(runtimeId).catch(() => undefined);
      if (!info) continue;
      state.imageDigest = info.imageDigest;
      if (info.startedAt !== undefined) {
        state.progress = { status: 'RUNNING', started: true };
        await this.#attachLogs(state, true);
        this.#watchExit(state);
      }
    }
    this.#status = 'RUNNING';
    await this.#supervise();
  }

  /** Starts what may start, reacts to exits and stop requests, until every container is done. */
  async #supervise(): Promise<void> {
    let announcedRunning = this.#status === 'RUNNING';
    if (announcedRunning) this.#startSampling();
    for (;;) {
      this.#dirty = false;
      if (this.#detached) return;
      if (this.#failure) throw this.#failure;
      if (this.#stop && !this.#stopping) await this.#beginStopping();
      if (!this.#stopping) {
        await this.#startReadyContainers();
        if (!announcedRunning && [...this.#containers.values()].some((c) => c.progress.started)) {
          announcedRunning = true;
          await this.#setStatus('RUNNING');
          this.#startSampling();
        }
      }
      if ([...this.#containers.values()].every((c) => c.progress.status === 'STOPPED')) break;
      // A poke that arrived while this iteration ran must not be lost: only sleep when clean.
      if (!this.#dirty) await new Promise<void>((resolve) => (this.#wake = resolve));
    }
    await this.#finish();
  }

  // ---- start-up -----------------------------------------------------------------------------

  async #pullImages(): Promise<void> {
    const images = [...new Set(this.plan.containers.map((c) => c.image))];
    const digests = new Map<string, string | undefined>();
    for (const image of images) {
      try {
        const info = await this.#deps.runtime.ensureImage(image, {
          timeoutMs: this.#deps.pullTimeoutMs,
          signal: this.#pullAbort.signal,
        });
        digests.set(image, info.repoDigest ?? info.imageId);
      } catch (error) {
        this.#checkStillWanted();
        const reason =
          error instanceof ContainerRuntimeError
            ? error.toReason()
            : `CannotPullContainerError: ${coerceError(error).message}`;
        throw new StartFailure(reason, { cause: error });
      }
    }
    for (const state of this.#containers.values()) {
      state.imageDigest = digests.get(state.plan.image);
    }
  }

  async #openLogs(): Promise<void> {
    for (const state of this.#containers.values()) {
      const awslogs = state.plan.awslogs;
      if (!awslogs) continue;
      try {
        state.writer = await AwslogsWriter.open({
          logs: this.#deps.logs,
          clock: this.#deps.clock,
          groupName: awslogs.group,
          streamName: awslogsStreamName(awslogs, state.plan.name, this.plan.taskId),
          createGroup: awslogs.createGroup,
          flushIntervalMs: this.#deps.logFlushIntervalMs,
        });
      } catch (error) {
        // Fargate's wording when the awslogs driver cannot create its stream.
        throw new StartFailure(
          `ResourceInitializationError: failed to validate logger args: failed to create ` +
            `Cloudwatch log stream: ${coerceError(error).name}: ${coerceError(error).message} : exit status 1`,
          { cause: error },
        );
      }
    }
  }

  async #createContainers(): Promise<void> {
    const { runtime, clock } = this.#deps;
    await this.#setStatus('PENDING', { pullStoppedAt: clock.now() });
    for (const state of this.#containers.values()) {
      try {
        state.runtimeId = await runtime.createContainer(this.#specFor(state.plan));
      } catch (error) {
        const reason =
          error instanceof ContainerRuntimeError
            ? `CannotCreateContainerError: ${error.message}`
            : `CannotCreateContainerError: ${coerceError(error).message}`;
        throw new StartFailure(reason, { cause: error });
      }
      await this.#deps.progress.containerProgress(this.plan.taskArn, state.plan.name, {
        lastStatus: 'PENDING',
        runtimeId: state.runtimeId,
        imageDigest: state.imageDigest,
      });
    }
  }

  #specFor(c: ContainerPlan): ContainerSpec {
    // Engine names follow the ECS agent's pattern so `docker ps` shows what a container is.
    const name = `ecs-${this.plan.family}-${this.plan.revision}-${c.name}-${this.plan.taskId}`
      .replace(/[^a-zA-Z0-9_.-]/g, '-')
      .slice(0, 200);
    return {
      name,
      image: c.image,
      command: c.command,
      entryPoint: c.entryPoint,
      env: c.environment,
      workingDirectory: c.workingDirectory,
      user: c.user,
      readonlyRootFilesystem: c.readonlyRootFilesystem,
      ulimits: c.ulimits,
      cpuUnits: c.cpuUnits,
      memoryMiB: c.memoryMiB,
      memoryReservationMiB: c.memoryReservationMiB,
      stopTimeoutSeconds: c.stopTimeoutSeconds,
      healthCheck: c.healthCheck,
      networkMode: this.plan.networkMode,
      labels: {
        ...this.plan.extraLabels,
        [LABELS.managed]: 'true',
        [LABELS.instance]: this.#deps.instanceId,
        [LABELS.cluster]: this.plan.clusterArn,
        [LABELS.taskArn]: this.plan.taskArn,
        [LABELS.container]: c.name,
      },
    };
  }

  async #startReadyContainers(): Promise<void> {
    const progress = new Map([...this.#containers].map(([n, s]) => [n, s.progress]));
    for (const state of this.#containers.values()) {
      if (state.progress.status !== 'PENDING') continue;
      const verdict = dependencyVerdict(state.plan.dependsOn, progress);
      if (verdict.kind === 'waiting') continue;
      if (verdict.kind === 'failed') {
        await this.#neverStarted(state, verdict.reason);
        continue;
      }
      try {
        await this.#deps.runtime.startContainer(state.runtimeId as string);
      } catch (error) {
        await this.#neverStarted(
          state,
          error instanceof ContainerRuntimeError ? error.toReason() : coerceError(error).message,
        );
        continue;
      }
      state.progress = { status: 'RUNNING', started: true };
      progress.set(state.plan.name, state.progress);
      await this.#deps.progress.containerProgress(this.plan.taskArn, state.plan.name, {
        lastStatus: 'RUNNING',
        runtimeId: state.runtimeId,
        imageDigest: state.imageDigest,
      });
      this.#deps.emit({
        type: 'container:started',
        taskArn: this.plan.taskArn,
        container: state.plan.name,
        runtimeId: state.runtimeId as string,
      });
      await this.#attachLogs(state, false);
      this.#watchExit(state);
      this.#watchHealth(state);
    }
  }

  /**
   * Follows a container's health check while it runs, for `HEALTHY` dependencies and the
   * container's `healthStatus`. Polls the engine once a second of Clock time.
   */
  #watchHealth(state: ContainerState): void {
    if (!state.plan.healthCheck || !state.runtimeId) return;
    const { runtime, clock, progress } = this.#deps;
    const id = state.runtimeId;
    const signal = this.#sampling.signal;
    const toEcs = { healthy: 'HEALTHY', unhealthy: 'UNHEALTHY' } as const;
    this.#inBackground(async () => {
      let last: string | undefined;
      while (!signal.aborted && state.progress.status === 'RUNNING') {
        // The signal also ends a question a hung engine never answers, so detach is not held up.
        const info = await runtime.inspectContainer(id, { signal }).catch(() => undefined);
        // Detached (or stopped) while asking: the answer must not reach the store.
        if (signal.aborted) return;
        const health =
          info && info.health !== 'none' && info.health !== 'starting'
            ? toEcs[info.health]
            : undefined;
        if (health && health !== last && state.progress.status === 'RUNNING') {
          last = health;
          state.progress = { ...state.progress, health };
          await progress.containerProgress(this.plan.taskArn, state.plan.name, {
            lastStatus: 'RUNNING',
            healthStatus: health,
          });
          this.#poke();
        }
        await clock.sleep(HEALTH_POLL_MS, signal);
      }
    }).catch(() => {
      // Aborted when the task ends; health is advisory once the task is running.
    });
  }

  /** A container that will never run: record it, and end the task if it was essential. */
  async #neverStarted(state: ContainerState, reason: string): Promise<void> {
    state.progress = { status: 'STOPPED', started: false };
    await this.#deps.progress.containerProgress(this.plan.taskArn, state.plan.name, {
      lastStatus: 'STOPPED',
      reason,
    });
    if (state.plan.essential) {
      const anyStarted = [...this.#containers.values()].some((c) => c.progress.started);
      this.requestStop(
        anyStarted ? 'EssentialContainerExited' : 'TaskFailedToStart',
        anyStarted ? ESSENTIAL_EXITED : reason,
      );
    }
  }

  // ---- running ------------------------------------------------------------------------------

  /**
   * Streams the container's output into its awslogs stream. The engine keeps every line until
   * the container is removed, so following from the start loses nothing even for a container
   * that printed a burst and exited at once. When adopting, lines already stored are skipped by
   * counting the events they became.
   */
  async #attachLogs(state: ContainerState, adopting: boolean): Promise<void> {
    const writer = state.writer;
    if (!writer || !state.runtimeId) return;
    let skip = 0;
    if (adopting && state.plan.awslogs) {
      skip = await this.#deps.logs.countStreamEvents(
        state.plan.awslogs.group,
        awslogsStreamName(state.plan.awslogs, state.plan.name, this.plan.taskId),
      );
    }
    const lines = this.#deps.runtime.streamLogs(state.runtimeId, {
      follow: true,
      signal: this.#release.signal,
    });
    state.pumped = (async () => {
      for await (const entry of lines) {
        if (skip > 0) {
          skip -= entry.line.length === 0 ? 0 : splitMessage(entry.line).length;
          continue;
        }
        writer.write(entry.line, entry.timestamp);
        if (writer.pending >= LOG_BACKPRESSURE_LINES) await writer.flush();
      }
      await writer.flush();
    })();
    // Awaited later (when the container exits); a streaming failure before then must not surface
    // as an unhandled rejection. The waiter still sees it and finishes the task.
    state.pumped.catch(() => undefined);
  }

  #watchExit(state: ContainerState): void {
    const { runtime, clock } = this.#deps;
    const id = state.runtimeId as string;
    const signal = this.#release.signal;
    this.#inBackground(async () => {
      let exitCode: number | null = null;
      let reason: string | undefined;
      try {
        const exit = await runtime.waitContainer(id, { signal });
        exitCode = exit.exitCode;
        if (exit.oomKilled) reason = OOM_REASON;
        else if (exit.error) reason = exit.error;
      } catch (error) {
        // A wait given up (detach, crash) says nothing about the container: record nothing.
        if (this.#detached || signal.aborted) return;
        reason = `container lost: ${coerceError(error).message}`;
      }
      if (this.#detached) return;
      // The log stream ends with the container; wait for it so the logs are whole before the
      // container reads as STOPPED.
      await state.pumped?.catch(() => undefined);
      if (this.#detached) return;
      state.exitedAt = clock.now();
      state.progress = { status: 'STOPPED', started: true, exitCode };
      await this.#deps.progress.containerProgress(this.plan.taskArn, state.plan.name, {
        lastStatus: 'STOPPED',
        exitCode,
        reason,
      });
      this.#deps.emit({
        type: 'container:exited',
        taskArn: this.plan.taskArn,
        container: state.plan.name,
        exitCode,
      });
      if (state.plan.essential) this.requestStop('EssentialContainerExited', ESSENTIAL_EXITED);
      this.#poke();
    }).catch((error: unknown) => {
      this.#failure ??= coerceError(error);
      this.#poke();
    });
  }

  /** Container Insights: one CPU/memory sample per running container every interval. */
  #startSampling(): void {
    if (!this.plan.containerInsights) return;
    const { clock, runtime, progress, statsIntervalMs } = this.#deps;
    const signal = this.#sampling.signal;
    this.#inBackground(async () => {
      while (!signal.aborted) {
        await clock.sleep(statsIntervalMs, signal);
        const samples = [];
        for (const state of this.#containers.values()) {
          if (state.progress.status !== 'RUNNING' || !state.runtimeId) continue;
          const sample = await runtime.stats(state.runtimeId, { signal }).catch(() => undefined);
          if (sample) samples.push({ containerName: state.plan.name, ...sample });
        }
        if (samples.length > 0 && !signal.aborted) {
          await progress.recordStats(this.plan.taskArn, samples);
        }
      }
    }).catch(() => {
      // Aborted at task end, or a sample failed: metrics are best effort and never stop a task.
    });
  }

  // ---- stopping -----------------------------------------------------------------------------

  async #beginStopping(): Promise<void> {
    this.#stopping = true;
    const { runtime } = this.#deps;
    this.#sampling.abort();
    if (this.#status === 'RUNNING' || this.#status === 'ACTIVATING') {
      await this.#setStatus('DEACTIVATING');
    }
    await this.#setStatus('STOPPING');
    for (const state of this.#containers.values()) {
      if (state.progress.status === 'PENDING') {
        await this.#neverStartedQuietly(state);
      }
    }
    // Dependents stop before what they depend on, each with its own stopTimeout.
    for (const name of shutdownOrder(this.plan.containers)) {
      const state = this.#containers.get(name);
      if (!state || state.progress.status !== 'RUNNING' || !state.runtimeId) continue;
      await runtime.stopContainer(state.runtimeId, state.plan.stopTimeoutSeconds).catch(() => {
        // Already gone: its waiter records the exit.
      });
    }
  }

  async #neverStartedQuietly(state: ContainerState): Promise<void> {
    state.progress = { status: 'STOPPED', started: false };
    await this.#deps.progress.containerProgress(this.plan.taskArn, state.plan.name, {
      lastStatus: 'STOPPED',
    });
  }

  async #finish(): Promise<void> {
    const { clock, runtime } = this.#deps;
    const stop = this.#stop ?? { stopCode: 'EssentialContainerExited', reason: ESSENTIAL_EXITED };
    const exits = [...this.#containers.values()].map((c) => c.exitedAt ?? 0);
    const executionStoppedAt = Math.max(...exits) || clock.now();
    await this.#setStatus('DEPROVISIONING', { executionStoppedAt });
    await this.#closeWriters();
    for (const state of this.#containers.values()) {
      if (state.runtimeId) await runtime.removeContainer(state.runtimeId).catch(() => undefined);
    }
    await this.#setStatus('STOPPED', { stopCode: stop.stopCode, stoppedReason: stop.reason });
    this.#deps.emit({
      type: 'task:stopped',
      taskArn: this.plan.taskArn,
      stopCode: stop.stopCode,
      reason: stop.reason,
    });
  }

  /** Start-up failed: clean up what exists and stop the task with TaskFailedToStart. */
  async #failStart(error: unknown): Promise<void> {
    const { runtime } = this.#deps;
    const userStop = this.#stop;
    const reason = error instanceof StartFailure ? error.message : coerceError(error).message;
    for (const state of this.#containers.values()) {
      if (state.runtimeId) await runtime.removeContainer(state.runtimeId).catch(() => undefined);
      state.progress = { status: 'STOPPED', started: false };
      await this.#deps.progress.containerProgress(this.plan.taskArn, state.plan.name, {
        lastStatus: 'STOPPED',
        reason: userStop ? undefined : reason,
      });
    }
    await this.#closeWriters();
    const stop = userStop ?? { stopCode: 'TaskFailedToStart' as const, reason };
    await this.#setStatus('DEPROVISIONING', { executionStoppedAt: this.#deps.clock.now() });
    await this.#setStatus('STOPPED', { stopCode: stop.stopCode, stoppedReason: stop.reason });
    this.#deps.emit({
      type: 'task:stopped',
      taskArn: this.plan.taskArn,
      stopCode: stop.stopCode,
      reason: stop.reason,
    });
  }

  async #closeWriters(): Promise<void> {
    for (const state of this.#containers.values()) {
      await state.pumped?.catch(() => undefined);
      await state.writer?.close();
    }
  }

  // ---- helpers ------------------------------------------------------------------------------

  /** Aborts start-up when a stop was requested while pulling or creating. */
  #checkStillWanted(): void {
    if (this.#detached) throw new StartFailure('detached');
    if (this.#stop) throw new StartFailure(this.#stop.reason);
  }

  async #setStatus(
    status: TaskStatus,
    extra: {
      pullStartedAt?: number;
      pullStoppedAt?: number;
      executionStoppedAt?: number;
      stopCode?: StopCode;
      stoppedReason?: string;
    } = {},
  ): Promise<void> {
    await this.#deps.progress.taskProgress(this.plan.taskArn, {
      lastStatus: status,
      at: this.#deps.clock.now(),
      ...extra,
    });
    this.#status = status;
    this.#deps.emit({ type: 'task:status', taskArn: this.plan.taskArn, status });
  }

  /** Runs `work` without awaiting it, kept in {@link #background} until it settles. */
  #inBackground(work: () => Promise<void>): Promise<void> {
    const running = work();
    this.#background.add(running);
    const forget = () => void this.#background.delete(running);
    running.then(forget, forget);
    return running;
  }

  #poke(): void {
    this.#dirty = true;
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  /**
   * A bug or a store failure inside the run. Best effort: remove the containers so none is left
   * behind, and record the task as STOPPED with the cause, so it never hangs in RUNNING.
   */
  async #crash(error: unknown): Promise<void> {
    const err = coerceError(error);
    if (this.#detached || this.#status === 'STOPPED') return;
    process.emitWarning(`task ${this.plan.taskArn} supervision failed: ${err.message}`);
    this.#pullAbort.abort();
    this.#release.abort();
    for (const state of this.#containers.values()) {
      if (state.runtimeId) {
        await this.#deps.runtime.removeContainer(state.runtimeId).catch(() => {});
      }
    }
    const reason = `cronbridge could not supervise the task: ${err.message}`;
    try {
      await this.#setStatus('STOPPED', { stopCode: 'TaskFailedToStart', stoppedReason: reason });
    } catch {
      // The store itself is failing; recovery on the next start settles this task.
    }
  }
}
