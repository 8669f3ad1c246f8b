/**
 * The running phase: what the run keeps an eye on while containers run. Each watcher works in
 * the background (see {@link RunContext.inBackground}) and pokes the supervision loop when
 * something it must act on happened: an exit, a change of health.
 */
import { splitMessage } from '../logs/awslogs-writer.ts';
import { coerceError } from '../platform/errors.ts';
import { containerLostReason, ESSENTIAL_EXITED, OOM_REASON } from './stop-reasons.ts';
import type { ContainerState, RunContext } from './task-run.context.ts';
import { awslogsStreamName } from './task-plan.ts';
import { awslogsContext } from './task-setup.ts';

/** Pause the log pump while this many lines wait to be stored (bounded memory). */
const LOG_BACKPRESSURE_LINES = 20_000;
const HEALTH_POLL_MS = 1000;

/**
 * Streams the container's output into its awslogs stream. The engine keeps every line until
 * the container is removed, so following from the start loses nothing even for a container
 * that printed a burst and exited at once. When adopting, lines already stored are skipped by
 * counting the events they became.
 */
export async function attachLogs(
  run: RunContext,
  state: ContainerState,
  adopting: boolean,
): Promise<void> {
  const writer = state.writer;
  if (!writer || !state.runtimeId) return;
  let skip = 0;
  if (adopting && state.plan.awslogs) {
    skip = await run.deps.logs.countStreamEvents(
      awslogsContext(run.plan.taskArn, state.plan.awslogs),
      state.plan.awslogs.group,
      awslogsStreamName(state.plan.awslogs, state.plan.name, run.plan.taskId),
    );
  }
  const lines = run.deps.runtime.streamLogs(state.runtimeId, {
    follow: true,
    signal: run.release.signal,
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

/** Waits for the container to exit, records how it ended, and ends the task if it was essential. */
export function watchExit(run: RunContext, state: ContainerState): void {
  const { runtime, clock } = run.deps;
  const id = state.runtimeId as string;
  const signal = run.release.signal;
  run
    .inBackground(async () => {
      let exitCode: number | null = null;
      let reason: string | undefined;
      try {
        const exit = await runtime.waitContainer(id, { signal });
        exitCode = exit.exitCode;
        if (exit.oomKilled) reason = OOM_REASON;
        else if (exit.error) reason = exit.error;
      } catch (error) {
        // A wait given up (detach, crash) says nothing about the container: record nothing.
        if (run.detached || signal.aborted) return;
        reason = containerLostReason(error);
      }
      if (run.detached) return;
      // The log stream ends with the container; wait for it so the logs are whole before the
      // container reads as STOPPED.
      await state.pumped?.catch(() => undefined);
      if (run.detached) return;
      state.exitedAt = clock.now();
      state.progress = { status: 'STOPPED', started: true, exitCode };
      await run.containerProgress(state, { lastStatus: 'STOPPED', exitCode, reason });
      run.deps.emit({
        type: 'container:exited',
        taskArn: run.plan.taskArn,
        container: state.plan.name,
        exitCode,
      });
      if (state.plan.essential) run.requestStop('EssentialContainerExited', ESSENTIAL_EXITED);
      run.poke();
    })
    .catch((error: unknown) => {
      run.failure ??= coerceError(error);
      run.poke();
    });
}

/**
 * Follows a container's health check while it runs, for `HEALTHY` dependencies and the
 * container's `healthStatus`. Polls the engine once a second of Clock time.
 */
export function watchHealth(run: RunContext, state: ContainerState): void {
  if (!state.plan.healthCheck || !state.runtimeId) return;
  const { runtime, clock } = run.deps;
  const id = state.runtimeId;
  const signal = run.sampling.signal;
  const toEcs = { healthy: 'HEALTHY', unhealthy: 'UNHEALTHY' } as const;
  run
    .inBackground(async () => {
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
          await run.containerProgress(state, { lastStatus: 'RUNNING', healthStatus: health });
          run.poke();
        }
        await clock.sleep(HEALTH_POLL_MS, signal);
      }
    })
    .catch(() => {
      // Aborted when the task ends; health is advisory once the task is running.
    });
}

/** Container Insights: one CPU/memory sample per running container every interval. */
export function startSampling(run: RunContext): void {
  if (!run.plan.containerInsights) return;
  const { clock, runtime, progress, statsIntervalMs } = run.deps;
  const signal = run.sampling.signal;
  run
    .inBackground(async () => {
      while (!signal.aborted) {
        await clock.sleep(statsIntervalMs, signal);
        const samples = [];
        for (const state of run.containers.values()) {
          if (state.progress.status !== 'RUNNING' || !state.runtimeId) continue;
          const sample = await runtime.stats(state.runtimeId, { signal }).catch(() => undefined);
          if (sample) samples.push({ containerName: state.plan.name, ...sample });
        }
        if (samples.length > 0 && !signal.aborted) {
          await progress.recordStats(run.plan.taskArn, samples);
        }
      }
    })
    .catch(() => {
      // Aborted at task end, or a sample failed: metrics are best effort and never stop a task.
    });
}
