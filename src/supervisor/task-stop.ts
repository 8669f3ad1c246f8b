/**
 * The stopping phase: stop what runs in dependency order, record the end, remove the
 * containers. Also the two ways a run ends without supervising: a failed start and a crash of
 * the run itself.
 */
import { coerceError } from '../platform/errors.ts';
import { shutdownOrder } from './container-dependencies.ts';
import { ESSENTIAL_EXITED, supervisionFailedReason } from './stop-reasons.ts';
import { type RunContext, StartFailure } from './task-run.context.ts';

/**
 * Acts on a stop request: containers not started yet never will be, and running ones are
 * stopped, dependents before what they depend on, each with its own stopTimeout. Their exit
 * watchers then record the exits.
 */
export async function beginStopping(run: RunContext): Promise<void> {
  run.stopping = true;
  const { runtime } = run.deps;
  run.sampling.abort();
  if (run.status === 'RUNNING' || run.status === 'ACTIVATING') {
    await run.setStatus('DEACTIVATING');
  }
  await run.setStatus('STOPPING');
  for (const state of run.containers.values()) {
    if (state.progress.status === 'PENDING') {
      state.progress = { status: 'STOPPED', started: false };
      await run.containerProgress(state, { lastStatus: 'STOPPED' });
    }
  }
  for (const name of shutdownOrder(run.plan.containers)) {
    const state = run.containers.get(name);
    if (!state || state.progress.status !== 'RUNNING' || !state.runtimeId) continue;
    await runtime.stopContainer(state.runtimeId, state.plan.stopTimeoutSeconds).catch(() => {
      // Already gone: its waiter records the exit.
    });
  }
}

/** Every container has stopped: record the end of the task and remove the containers. */
export async function finish(run: RunContext): Promise<void> {
  const { clock, runtime } = run.deps;
  const stop = run.stop ?? { stopCode: 'EssentialContainerExited', reason: ESSENTIAL_EXITED };
  const exits = [...run.containers.values()].map((c) => c.exitedAt ?? 0);
  const executionStoppedAt = Math.max(...exits) || clock.now();
  await run.setStatus('DEPROVISIONING', { executionStoppedAt });
  await closeWriters(run);
  for (const state of run.containers.values()) {
    if (state.runtimeId) await runtime.removeContainer(state.runtimeId).catch(() => undefined);
  }
  await run.setStatus('STOPPED', { stopCode: stop.stopCode, stoppedReason: stop.reason });
  run.emitStopped(stop);
}

/** Start-up failed: clean up what exists and stop the task with TaskFailedToStart. */
export async function failStart(run: RunContext, error: unknown): Promise<void> {
  const { runtime } = run.deps;
  const userStop = run.stop;
  const reason = error instanceof StartFailure ? error.message : coerceError(error).message;
  for (const state of run.containers.values()) {
    if (state.runtimeId) await runtime.removeContainer(state.runtimeId).catch(() => undefined);
    state.progress = { status: 'STOPPED', started: false };
    await run.containerProgress(state, {
      lastStatus: 'STOPPED',
      reason: userStop ? undefined : reason,
    });
  }
  await closeWriters(run);
  const stop = userStop ?? { stopCode: 'TaskFailedToStart' as const, reason };
  await run.setStatus('DEPROVISIONING', { executionStoppedAt: run.deps.clock.now() });
  await run.setStatus('STOPPED', { stopCode: stop.stopCode, stoppedReason: stop.reason });
  run.emitStopped(stop);
}

/**
 * A bug or a store failure inside the run. Best effort: remove the containers so none is left
 * behind, and record the task as STOPPED with the cause, so it never hangs in RUNNING.
 */
export async function crash(run: RunContext, error: unknown): Promise<void> {
  const err = coerceError(error);
  if (run.detached || run.status === 'STOPPED') return;
  process.emitWarning(`task ${run.plan.taskArn} supervision failed: ${err.message}`);
  run.pullAbort.abort();
  run.release.abort();
  for (const state of run.containers.values()) {
    if (state.runtimeId) {
      await run.deps.runtime.removeContainer(state.runtimeId).catch(() => {});
    }
  }
  try {
    await run.setStatus('STOPPED', {
      stopCode: 'TaskFailedToStart',
      stoppedReason: supervisionFailedReason(err),
    });
  } catch {
    // The store itself is failing; recovery on the next start settles this task.
  }
}

/** Waits for each log pump to drain, then publishes and closes its stream. */
async function closeWriters(run: RunContext): Promise<void> {
  for (const state of run.containers.values()) {
    await state.pumped?.catch(() => undefined);
    await state.writer?.close();
  }
}
