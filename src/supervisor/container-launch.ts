/**
 * Start-up, second phase: create every container, then start each one as soon as its
 * `dependsOn` conditions allow. A container that can never start is recorded as such, and ends
 * the task when it is essential.
 */
import type { ContainerSpec } from '../runtime/container-runtime.ts';
import { dependencyVerdict } from './container-dependencies.ts';
import { attachLogs, watchExit, watchHealth } from './container-watch.ts';
import { createFailureReason, ESSENTIAL_EXITED, startFailureReason } from './stop-reasons.ts';
import { type ContainerState, type RunContext, StartFailure } from './task-run.context.ts';
import { type ContainerPlan, LABELS } from './task-plan.ts';

/** Creates every container (none starts yet), recording each as PENDING with its engine id. */
export async function createContainers(run: RunContext): Promise<void> {
  const { runtime, clock } = run.deps;
  await run.setStatus('PENDING', { pullStoppedAt: clock.now() });
  for (const state of run.containers.values()) {
    try {
      state.runtimeId = await runtime.createContainer(containerSpec(run, state.plan));
    } catch (error) {
      throw new StartFailure(createFailureReason(error), { cause: error });
    }
    await run.containerProgress(state, {
      lastStatus: 'PENDING',
      runtimeId: state.runtimeId,
      imageDigest: state.imageDigest,
    });
  }
}

/** The engine's view of one container of the plan. */
export function containerSpec(run: RunContext, c: ContainerPlan): ContainerSpec {
  const { plan } = run;
  // Engine names follow the ECS agent's pattern so `docker ps` shows what a container is.
  const name = `ecs-${plan.family}-${plan.revision}-${c.name}-${plan.taskId}`
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
    pidsLimit: c.pidsLimit,
    capAdd: c.capAdd,
    capDrop: c.capDrop,
    hostAccess: c.hostAccess,
    networkMode: plan.networkMode,
    labels: {
      ...plan.extraLabels,
      [LABELS.managed]: 'true',
      [LABELS.instance]: run.deps.instanceId,
      [LABELS.cluster]: plan.clusterArn,
      [LABELS.taskArn]: plan.taskArn,
      [LABELS.container]: c.name,
    },
  };
}

/**
 * Starts every PENDING container whose dependencies are met, and starts watching it. Called on
 * each pass of the supervision loop; a container started here may unblock the next in the same
 * pass, since the verdicts read the progress updated as it goes.
 */
export async function startReadyContainers(run: RunContext): Promise<void> {
  const progress = new Map([...run.containers].map(([n, s]) => [n, s.progress]));
  for (const state of run.containers.values()) {
    if (state.progress.status !== 'PENDING') continue;
    const verdict = dependencyVerdict(state.plan.dependsOn, progress);
    if (verdict.kind === 'waiting') continue;
    if (verdict.kind === 'failed') {
      await neverStarted(run, state, verdict.reason);
      continue;
    }
    try {
      await run.deps.runtime.startContainer(state.runtimeId as string);
    } catch (error) {
      await neverStarted(run, state, startFailureReason(error));
      continue;
    }
    state.progress = { status: 'RUNNING', started: true };
    progress.set(state.plan.name, state.progress);
    // The address the engine gave it is the task's private address (awsvpc's ENI address).
    const info = await run.deps.runtime
      .inspectContainer(state.runtimeId as string)
      .catch(() => undefined);
    await run.containerProgress(state, {
      lastStatus: 'RUNNING',
      runtimeId: state.runtimeId,
      imageDigest: state.imageDigest,
      ...(info?.ipAddress ? { privateIpv4Address: info.ipAddress } : {}),
    });
    run.deps.emit({
      type: 'container:started',
      taskArn: run.plan.taskArn,
      container: state.plan.name,
      runtimeId: state.runtimeId as string,
    });
    await attachLogs(run, state, false);
    watchExit(run, state);
    watchHealth(run, state);
  }
}

/** A container that will never run: record it, and end the task if it was essential. */
async function neverStarted(run: RunContext, state: ContainerState, reason: string): Promise<void> {
  state.progress = { status: 'STOPPED', started: false };
  await run.containerProgress(state, { lastStatus: 'STOPPED', reason });
  if (state.plan.essential) {
    const anyStarted = run.anyStarted();
    run.requestStop(
      anyStarted ? 'EssentialContainerExited' : 'TaskFailedToStart',
      anyStarted ? ESSENTIAL_EXITED : reason,
    );
  }
}
