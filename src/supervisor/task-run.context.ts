/**
 * What one task run shares between its phases: the plan, the dependencies, each container's
 * state, the stop request and the abort signals. The phase files (`task-setup.ts`,
 * `container-launch.ts`, `container-watch.ts`, `task-stop.ts`) each take a {@link RunContext};
 * {@link TaskRun} owns it and drives the phases in order.
 */
import type { AwslogsAccess } from './awslogs-access.ports.ts';
import type { AwslogsWriter } from '../logs/awslogs-writer.ts';
import type { LogsService } from '../logs/logs.service.ts';
import type { Clock } from '../platform/clock.ts';
import type { ContainerRuntime } from '../runtime/container-runtime.ts';
import type { ContainerProgress } from './container-dependencies.ts';
import type { ContainerPlan, TaskLaunchPlan } from './task-plan.ts';
import {
  type ContainerProgressUpdate,
  type StopCode,
  TASK_STATUSES,
  type TaskProgressSink,
  type TaskProgressUpdate,
  type TaskStatus,
} from './task-progress.ts';

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
  /** Whether the execution role may write a container's awslogs stream (asked before start). */
  awslogsAccess: AwslogsAccess;
}

/** The lifecycle events a run reports through {@link TaskRunDeps.emit}. */
export type TaskRunEvent =
  | { type: 'task:status'; taskArn: string; status: TaskStatus }
  | { type: 'container:started'; taskArn: string; container: string; runtimeId: string }
  | { type: 'container:exited'; taskArn: string; container: string; exitCode: number | null }
  | { type: 'task:stopped'; taskArn: string; stopCode: StopCode; reason: string };

/** One container of the run, as the phases see and change it. */
export interface ContainerState {
  plan: ContainerPlan;
  progress: ContainerProgress;
  runtimeId?: string;
  imageDigest?: string;
  writer?: AwslogsWriter;
  /** Resolves when the log pump has drained the container's output. */
  pumped?: Promise<void>;
  exitedAt?: number;
}

/** Why the task ends early: StopTask, an essential container, a failed start. */
export interface StopRequest {
  stopCode: StopCode;
  reason: string;
}

/** A plain Error carrying an ECS-style reason; thrown inside the run to abort start-up. */
export class StartFailure extends Error {}

/** The state of one run, shared by its phases. */
export class RunContext {
  readonly plan: TaskLaunchPlan;
  readonly deps: TaskRunDeps;
  readonly containers = new Map<string, ContainerState>();
  status: TaskStatus = 'PROVISIONING';
  /**
   * The furthest status the store holds for the task. A run restarted by recovery begins at the
   * status recorded before the crash (say ACTIVATING), and the state machine never lets a task go
   * back: its start-up phases then report under this status instead of their own earlier one.
   */
  recorded: TaskStatus = 'PROVISIONING';
  stop: StopRequest | undefined;
  stopping = false;
  detached = false;
  /** A failure of a background watcher; the supervision loop rethrows it. */
  failure: Error | undefined;
  /** Aborts an image pull in progress (StopTask while PENDING). */
  readonly pullAbort = new AbortController();
  /**
   * Lets go of the engine: ends log follows and exit waits. Only when detaching or crashing,
   * never on a normal stop, where both must see the container's end.
   */
  readonly release = new AbortController();
  /** Ends health polls and stats samples: at the stop, at the end, and when detaching. */
  readonly sampling = new AbortController();
  /** Exit waiters, health polls and the sampler still going; detach waits for them to end. */
  readonly background = new Set<Promise<void>>();
  #wake: (() => void) | undefined;
  /** Set by every poke; the supervision loop re-checks instead of sleeping while it is set. */
  #dirty = false;

  constructor(plan: TaskLaunchPlan, deps: TaskRunDeps, recorded: TaskStatus = 'PROVISIONING') {
    this.plan = plan;
    this.deps = deps;
    this.recorded = recorded;
    for (const c of plan.containers) {
      this.containers.set(c.name, { plan: c, progress: { status: 'PENDING', started: false } });
    }
  }

  /** StopTask, or any other reason to end the task early. The first request wins. */
  requestStop(stopCode: StopCode, reason: string): void {
    if (this.stop) return;
    this.stop = { stopCode, reason };
    if (this.status === 'PENDING' || this.status === 'PROVISIONING') this.pullAbort.abort();
    this.poke();
  }

  /** Wakes the supervision loop: something changed that it must look at. */
  poke(): void {
    this.#dirty = true;
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  /** Marks everything seen; called at the top of each pass of the supervision loop. */
  markClean(): void {
    this.#dirty = false;
  }

  /** Waits for the next poke, unless one arrived since {@link markClean} (it must not be lost). */
  async untilPoked(): Promise<void> {
    if (!this.#dirty) await new Promise<void>((resolve) => (this.#wake = resolve));
  }

  /** Aborts start-up when a stop was requested while pulling or creating. */
  checkStillWanted(): void {
    if (this.detached) throw new StartFailure('detached');
    if (this.stop) throw new StartFailure(this.stop.reason);
  }

  /** Whether any container has run (decides TaskFailedToStart versus EssentialContainerExited). */
  anyStarted(): boolean {
    return [...this.containers.values()].some((c) => c.progress.started);
  }

  /**
   * Records a task transition, then announces it. A status behind {@link recorded} (a restarted
   * start-up going through PENDING again) is stored as the recorded one, with its timestamps.
   */
  async setStatus(
    status: TaskStatus,
    extra: Omit<TaskProgressUpdate, 'lastStatus' | 'at'> = {},
  ): Promise<void> {
    const behind = TASK_STATUSES.indexOf(status) < TASK_STATUSES.indexOf(this.recorded);
    const lastStatus = behind ? this.recorded : status;
    await this.deps.progress.taskProgress(this.plan.taskArn, {
      lastStatus,
      at: this.deps.clock.now(),
      ...extra,
    });
    this.recorded = lastStatus;
    this.status = status;
    this.deps.emit({ type: 'task:status', taskArn: this.plan.taskArn, status });
  }

  /** Records a container transition. */
  async containerProgress(state: ContainerState, update: ContainerProgressUpdate): Promise<void> {
    await this.deps.progress.containerProgress(this.plan.taskArn, state.plan.name, update);
  }

  /** Announces the end of the task. */
  emitStopped(stop: StopRequest): void {
    this.deps.emit({
      type: 'task:stopped',
      taskArn: this.plan.taskArn,
      stopCode: stop.stopCode,
      reason: stop.reason,
    });
  }

  /** Runs `work` without awaiting it, kept in {@link background} until it settles. */
  inBackground(work: () => Promise<void>): Promise<void> {
    const running = work();
    this.background.add(running);
    const forget = () => void this.background.delete(running);
    running.then(forget, forget);
    return running;
  }
}
