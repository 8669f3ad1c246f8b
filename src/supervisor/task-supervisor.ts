/**
 * The task supervisor: runs every ECS task of this cronbridge on the container runtime, one
 * {@link TaskRun} per task, and puts things right after a restart.
 *
 * Recovery (on start, before new work): containers labelled as cronbridge's are matched against
 * the tasks the store says are not STOPPED.
 * - A task that was running gets its containers adopted: the run re-attaches to their output
 *   after what is already stored and goes on to the end, so its logs stay whole.
 * - A task that was still starting has its half-made containers removed and starts again.
 * - A task whose containers have vanished is STOPPED with a reason that says so.
 * - A container whose task is unknown or already STOPPED is removed: nothing is left behind.
 */
import type { AwslogsAccess } from './awslogs-access.ports.ts';
import type { LogsService } from '../logs/logs.service.ts';
import type { Clock } from '../platform/clock.ts';
import type { ContainerRuntime } from '../runtime/container-runtime.ts';
import { LABELS, type TaskLaunchPlan } from './task-plan.ts';
import type { StopCode, TaskProgressSink, TaskStatus } from './task-progress.ts';
import { TaskRun, type TaskRunEvent } from './task-run.ts';

export interface TaskSupervisorOptions {
  runtime: ContainerRuntime;
  logs: LogsService;
  clock: Clock;
  progress: TaskProgressSink;
  /** Whether a task's execution role may write its awslogs streams (the engine asks IAM). */
  awslogsAccess: AwslogsAccess;
  /** @default 600000 (10 minutes) */
  pullTimeoutMs?: number;
  /** Container Insights sampling interval. @default 60000 */
  statsIntervalMs?: number;
  /** @default 5000 (Docker's awslogs default) */
  logFlushIntervalMs?: number;
  /**
   * Names this cronbridge on the engine (label `cronbridge.instance`). Recovery only adopts or
   * removes containers carrying the same value, so two instances sharing one Docker engine never
   * take each other's containers for orphans. @default 'default'
   */
  instanceId?: string;
}

/** A task the store knows as not STOPPED, handed to {@link TaskSupervisor.recover}. */
export interface UnfinishedTask {
  plan: TaskLaunchPlan;
  lastStatus: TaskStatus;
  /** Set when StopTask (or an essential exit) was already being acted on. */
  stop?: { stopCode: StopCode; reason: string };
}

export interface RecoveryReport {
  adopted: string[];
  restarted: string[];
  vanished: string[];
  removedContainers: string[];
}

type Listener = (event: TaskRunEvent) => void;

const STARTING: readonly TaskStatus[] = ['PROVISIONING', 'PENDING', 'ACTIVATING'];

export class TaskSupervisor implements AsyncDisposable {
  readonly #o: Required<TaskSupervisorOptions>;
  readonly #runs = new Map<string, TaskRun>();
  readonly #listeners = new Set<Listener>();

  constructor(options: TaskSupervisorOptions) {
    this.#o = {
      pullTimeoutMs: 600_000,
      statsIntervalMs: 60_000,
      logFlushIntervalMs: 5_000,
      instanceId: 'default',
      ...options,
    };
  }

  /** Starts supervising a newly created task (RunTask committed it as PROVISIONING). */
  launch(plan: TaskLaunchPlan): TaskRun {
    const existing = this.#runs.get(plan.taskArn);
    if (existing) return existing;
    return this.#track(new TaskRun(plan, this.#runDeps()));
  }

  /** StopTask: returns false when this supervisor does not run the task. */
  requestStop(taskArn: string, stopCode: StopCode, reason: string): boolean {
    const run = this.#runs.get(taskArn);
    if (!run) return false;
    run.requestStop(stopCode, reason);
    return true;
  }

  /** Tasks being supervised now. */
  activeTaskArns(): string[] {
    return [...this.#runs.keys()];
  }

  /** Resolves when the task is STOPPED (at once if this supervisor does not run it). */
  async waitFor(taskArn: string): Promise<void> {
    await this.#runs.get(taskArn)?.done;
  }

  /** Subscribes to lifecycle events; returns the unsubscribe function. */
  on(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Resolves at the first event that satisfies `predicate` (tests wait on this, never sleep). */
  next(predicate: (event: TaskRunEvent) => boolean): Promise<TaskRunEvent> {
    return new Promise((resolve) => {
      const off = this.on((event) => {
        if (!predicate(event)) return;
        off();
        resolve(event);
      });
    });
  }

  /** Matches the engine's containers with the store's unfinished tasks; see the file comment. */
  async recover(unfinished: readonly UnfinishedTask[]): Promise<RecoveryReport> {
    const report: RecoveryReport = {
      adopted: [],
      restarted: [],
      vanished: [],
      removedContainers: [],
    };
    const { runtime } = this.#o;
    const found = await runtime.listContainers({
      labels: { [LABELS.managed]: 'true', [LABELS.instance]: this.#o.instanceId },
    });
    const byTask = new Map<string, Map<string, string>>();
    for (const c of found) {
      const taskArn = c.labels[LABELS.taskArn];
      const name = c.labels[LABELS.container];
      if (!taskArn || !name) continue;
      const containers = byTask.get(taskArn) ?? new Map<string, string>();
      containers.set(name, c.id);
      byTask.set(taskArn, containers);
    }
    const known = new Set(unfinished.map((t) => t.plan.taskArn));
    for (const [taskArn, containers] of byTask) {
      if (known.has(taskArn) || this.#runs.has(taskArn)) continue;
      for (const id of containers.values()) {
        await runtime.removeContainer(id).catch(() => undefined);
        report.removedContainers.push(id);
      }
    }
    for (const task of unfinished) {
      const taskArn = task.plan.taskArn;
      if (this.#runs.has(taskArn)) continue;
      const containers = byTask.get(taskArn);
      // A job must never run twice: once any of its containers has started, the task is adopted
      // whatever status was last recorded (the crash may have come between start and record).
      const started = await this.#anyStarted(containers);
      if (STARTING.includes(task.lastStatus) && !started) {
        for (const id of containers?.values() ?? []) {
          await runtime.removeContainer(id).catch(() => undefined);
        }
        // The run starts over from the status the store holds: it may not move back to PENDING.
        const run = this.#track(
          new TaskRun(task.plan, this.#runDeps(), undefined, task.lastStatus),
        );
        if (task.stop) run.requestStop(task.stop.stopCode, task.stop.reason);
        report.restarted.push(taskArn);
      } else if (containers && containers.size > 0) {
        const run = this.#track(new TaskRun(task.plan, this.#runDeps(), containers));
        if (task.stop) run.requestStop(task.stop.stopCode, task.stop.reason);
        report.adopted.push(taskArn);
      } else {
        await this.#markVanished(task);
        report.vanished.push(taskArn);
      }
    }
    return report;
  }

  /**
   * Stops supervising without stopping containers: tasks keep running and are adopted by the
   * next start. This is what SIGINT/SIGTERM of `cronbridge up` does.
   */
  async detachAll(): Promise<void> {
    await Promise.all([...this.#runs.values()].map((run) => run.detach()));
    this.#runs.clear();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.detachAll();
  }

  async #anyStarted(containers: ReadonlyMap<string, string> | undefined): Promise<boolean> {
    for (const id of containers?.values() ?? []) {
      const info = await this.#o.runtime.inspectContainer(id).catch(() => undefined);
      if (info?.startedAt !== undefined) return true;
    }
    return false;
  }

  async #markVanished(task: UnfinishedTask): Promise<void> {
    const { progress, clock } = this.#o;
    const reason = 'container vanished from the container engine while cronbridge was not running';
    for (const c of task.plan.containers) {
      await progress.containerProgress(task.plan.taskArn, c.name, {
        lastStatus: 'STOPPED',
        reason,
      });
    }
    const now = clock.now();
    await progress.taskProgress(task.plan.taskArn, {
      lastStatus: 'DEPROVISIONING',
      at: now,
      executionStoppedAt: now,
    });
    await progress.taskProgress(task.plan.taskArn, {
      lastStatus: 'STOPPED',
      at: now,
      stopCode: task.stop?.stopCode ?? 'EssentialContainerExited',
      stoppedReason:
        task.stop?.reason ??
        'Task stopped: its containers were gone from the container engine when cronbridge restarted',
    });
  }

  #track(run: TaskRun): TaskRun {
    this.#runs.set(run.plan.taskArn, run);
    void run.done.finally(() => {
      if (this.#runs.get(run.plan.taskArn) === run) this.#runs.delete(run.plan.taskArn);
    });
    return run;
  }

  #runDeps() {
    const {
      runtime,
      logs,
      clock,
      progress,
      pullTimeoutMs,
      statsIntervalMs,
      logFlushIntervalMs,
      instanceId,
      awslogsAccess,
    } = this.#o;
    return {
      awslogsAccess,
      runtime,
      logs,
      clock,
      progress,
      pullTimeoutMs,
      statsIntervalMs,
      logFlushIntervalMs,
      instanceId,
      emit: (event: TaskRunEvent) => {
        for (const listener of [...this.#listeners]) {
          try {
            listener(event);
          } catch {
            // A listener's failure must never break supervision.
          }
        }
      },
    };
  }
}
