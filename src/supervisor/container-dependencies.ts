/**
 * ECS `dependsOn` semantics as pure functions over the progress of a task's containers.
 *
 * START    the dependency has started (it may have exited since).
 * COMPLETE the dependency has exited, whatever its exit code.
 * SUCCESS  the dependency has exited with code 0.
 * HEALTHY  the dependency's Docker health check has passed (checked at task start-up only).
 *
 * When a condition can no longer be met (SUCCESS after a non-zero exit, HEALTHY after the
 * dependency turned unhealthy or exited, any condition on a container that never started) the
 * dependent container never starts. ECS documents no exact wording for that case; the reason we
 * record is ours and says which dependency failed and why.
 */

export const DEPENDENCY_CONDITIONS = ['START', 'COMPLETE', 'SUCCESS', 'HEALTHY'] as const;
export type DependencyCondition = (typeof DEPENDENCY_CONDITIONS)[number];

export interface ContainerDependency {
  containerName: string;
  condition: DependencyCondition;
}

/** What the supervisor knows about one container right now. */
export interface ContainerProgress {
  /** `PENDING` until started; `STOPPED` once it exited or was given up on. */
  status: 'PENDING' | 'RUNNING' | 'STOPPED';
  /** Whether it ever started (a container given up on goes STOPPED without starting). */
  started: boolean;
  exitCode?: number | null;
  health?: 'HEALTHY' | 'UNHEALTHY' | 'STARTING' | 'UNKNOWN';
}

export type DependencyVerdict =
  { kind: 'ready' } | { kind: 'waiting' } | { kind: 'failed'; reason: string };

function verdictFor(
  dep: ContainerDependency,
  target: ContainerProgress | undefined,
): DependencyVerdict {
  const name = dep.containerName;
  if (!target) return { kind: 'failed', reason: `dependency container ${name} does not exist` };
  if (target.status === 'STOPPED' && !target.started) {
    return { kind: 'failed', reason: `dependency container ${name} never started` };
  }
  switch (dep.condition) {
    case 'START':
      return target.started ? { kind: 'ready' } : { kind: 'waiting' };
    case 'COMPLETE':
      return target.status === 'STOPPED' ? { kind: 'ready' } : { kind: 'waiting' };
    case 'SUCCESS':
      if (target.status !== 'STOPPED') return { kind: 'waiting' };
      return target.exitCode === 0
        ? { kind: 'ready' }
        : {
            kind: 'failed',
            reason: `dependency condition SUCCESS not met: container ${name} exited with code ${target.exitCode ?? 'unknown'}`,
          };
    case 'HEALTHY':
      if (target.health === 'HEALTHY') return { kind: 'ready' };
      if (target.health === 'UNHEALTHY') {
        return {
          kind: 'failed',
          reason: `dependency condition HEALTHY not met: container ${name} is unhealthy`,
        };
      }
      if (target.status === 'STOPPED') {
        return {
          kind: 'failed',
          reason: `dependency condition HEALTHY not met: container ${name} exited before it was healthy`,
        };
      }
      return { kind: 'waiting' };
  }
}

/** Combines the verdicts of every dependency of one container: any failure wins, then waiting. */
export function dependencyVerdict(
  dependsOn: readonly ContainerDependency[],
  progress: ReadonlyMap<string, ContainerProgress>,
): DependencyVerdict {
  let waiting = false;
  for (const dep of dependsOn) {
    const verdict = verdictFor(dep, progress.get(dep.containerName));
    if (verdict.kind === 'failed') return verdict;
    if (verdict.kind === 'waiting') waiting = true;
  }
  return waiting ? { kind: 'waiting' } : { kind: 'ready' };
}

/**
 * Order in which to stop running containers: dependents before what they depend on, the reverse
 * of start-up order, as ECS does so that a sidecar outlives the app that needs it.
 */
export function shutdownOrder(
  containers: readonly { name: string; dependsOn?: readonly ContainerDependency[] }[],
): string[] {
  const byName = new Map(containers.map((c) => [c.name, c]));
  const visited = new Set<string>();
  const startOrder: string[] = [];
  const visit = (name: string) => {
    if (visited.has(name)) return;
    visited.add(name);
    for (const dep of byName.get(name)?.dependsOn ?? []) {
      if (byName.has(dep.containerName)) visit(dep.containerName);
    }
    startOrder.push(name);
  };
  for (const c of containers) visit(c.name);
  return startOrder.reverse();
}
