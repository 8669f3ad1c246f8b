/**
 * One ECS task, driven from PENDING to STOPPED on a container runtime.
 *
 * The run pulls images, opens the awslogs streams, creates every container, starts them as their
 * `dependsOn` conditions allow, pumps their output into CloudWatch Logs, and stops the task the
 * way ECS does: when an essential container exits, on StopTask, or when it cannot start. Every
 * transition is stored through the progress sink (`TaskProgressSink`) before the run acts on it.
 *
 * A run can also *adopt* containers that already exist (after cronbridge restarted while the task
 * ran): it then skips creation, re-attaches to their output after what is already stored, and goes
 * on from there.
 *
 * This class only orders the phases; each phase lives in its own file and works on the shared
 * {@link RunContext}: `task-setup.ts` (pull, logs), `container-launch.ts` (create, start by
 * dependency), `container-watch.ts` (logs, exits, health, stats) and `task-stop.ts`.
 */
import { createContainers, startReadyContainers } from './container-launch.ts';
import { attachLogs, startSampling, watchExit } from './container-watch.ts';
import { RunContext, type TaskRunDeps } from './task-run.context.ts';
import type { TaskLaunchPlan } from './task-plan.ts';
import type { StopCode, TaskStatus } from './task-progress.ts';
import { checkLogAccess, openLogs, pullImages } from './task-setup.ts';
import { beginStopping, crash, failStart, finish } from './task-stop.ts';

export type { TaskRunDeps, TaskRunEvent } from './task-run.context.ts';

/** Containers that already exist on the engine, by container name (for adoption). */
export type AdoptedContainers = ReadonlyMap<string, string>;

export class TaskRun {
  readonly plan: TaskLaunchPlan;
  readonly #run: RunContext;
  /** Resolves when the task is STOPPED (or the run was detached). */
  readonly done: Promise<void>;

  /**
   * @param adopted containers to adopt instead of starting the task.
   * @param recorded the status the store holds, for a run that starts again after a restart.
   */
  constructor(
    plan: TaskLaunchPlan,
    deps: TaskRunDeps,
    adopted?: AdoptedContainers,
    recorded?: TaskStatus,
  ) {
    this.plan = plan;
    this.#run = new RunContext(plan, deps, recorded);
    this.done = (adopted ? this.#adopt(adopted) : this.#start())
      .catch((error: unknown) => crash(this.#run, error))
      .finally(() => this.#run.sampling.abort());
  }

  get status(): TaskStatus {
    return this.#run.status;
  }

  /** StopTask, or any other reason to end the task early. The first request wins. */
  requestStop(stopCode: StopCode, reason: string): void {
    this.#run.requestStop(stopCode, reason);
  }

  /**
   * Stops watching without touching the containers, as a crash would; used when cronbridge shuts
   * down so that tasks keep running and are adopted on the next start. Records nothing: the
   * store keeps the task as it was. Resolves once no request to the engine is left open (an
   * exit wait or a log follow would otherwise keep the process alive until the container ends).
   */
  async detach(): Promise<void> {
    const run = this.#run;
    run.detached = true;
    run.pullAbort.abort();
    run.release.abort();
    run.sampling.abort();
    run.poke();
    await this.done;
    // Each of these ends promptly once aborted; a log pump flushes what it had read first.
    const pumps = [...run.containers.values()].map((c) => c.pumped);
    await Promise.allSettled([...run.background, ...pumps]);
  }

  async #start(): Promise<void> {
    const run = this.#run;
    try {
      await run.setStatus('PENDING', { pullStartedAt: run.deps.clock.now() });
      await pullImages(run);
      await checkLogAccess(run);
      await openLogs(run);
      run.checkStillWanted();
      await createContainers(run);
      run.checkStillWanted();
      await run.setStatus('ACTIVATING');
    } catch (error) {
      if (run.detached) return;
      await failStart(run, error);
      return;
    }
    await this.#supervise();
  }

  async #adopt(adopted: AdoptedContainers): Promise<void> {
    const run = this.#run;
    await openLogs(run);
    for (const [name, state] of run.containers) {
      const runtimeId = adopted.get(name);
      if (!runtimeId) continue;
      state.runtimeId = runtimeId;
      const info = await run.deps.runtime.inspectContainer(runtimeId).catch(() => undefined);
      if (!info) continue;
      state.imageDigest = info.imageDigest;
      if (info.startedAt !== undefined) {
        state.progress = { status: 'RUNNING', started: true };
        await attachLogs(run, state, true);
        watchExit(run, state);
      }
    }
    run.status = 'RUNNING';
    await this.#supervise();
  }

  /** Starts what may start, reacts to exits and stop requests, until every container is done. */
  async #supervise(): Promise<void> {
    const run = this.#run;
    let announcedRunning = run.status === 'RUNNING';
    if (announcedRunning) startSampling(run);
    for (;;) {
      run.markClean();
      if (run.detached) return;
      if (run.failure) throw run.failure;
      if (run.stop && !run.stopping) await beginStopping(run);
      if (!run.stopping) {
        await startReadyContainers(run);
        if (!announcedRunning && run.anyStarted()) {
          announcedRunning = true;
          await run.setStatus('RUNNING');
          startSampling(run);
        }
      }
      if ([...run.containers.values()].every((c) => c.progress.status === 'STOPPED')) break;
      await run.untilPoked();
    }
    await finish(run);
  }
}
