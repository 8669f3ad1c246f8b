/**
 * How ECS tasks read in the client commands (`tasks`, `run-task`, `history`): short ids instead
 * of ARNs, `family:revision`, per-container exit codes, the task's awslogs streams, and the JSON
 * view scripts get. Works on the SDK's shapes (`Task`, `TaskDefinition`).
 */
import type { ContainerDefinition, Task, TaskDefinition } from '@aws-sdk/client-ecs';

import { type Column, listCell, NONE } from './table.ts';
import { formatTime } from './time.ts';

/** Last path segment of an ARN: the task id of a task ARN, `name` of a cluster ARN. */
export function lastSegment(arn: string | undefined): string {
  if (!arn) return NONE;
  return arn.slice(arn.lastIndexOf('/') + 1);
}

/** `family:3` from a task definition ARN (or the input itself when it is no ARN). */
export function familyRevision(taskDefinitionArn: string | undefined): string {
  if (!taskDefinitionArn) return NONE;
  const at = taskDefinitionArn.indexOf(':task-definition/');
  return at < 0 ? taskDefinitionArn : taskDefinitionArn.slice(at + ':task-definition/'.length);
}

/** The cluster name inside a task ARN (`…:task/<cluster>/<id>`), if it has one. */
export function clusterOfTaskArn(taskArn: string): string | undefined {
  const match = /:task\/([^/]+)\/[^/]+$/.exec(taskArn);
  return match?.[1];
}

/** `0` for one container, `app=0,sidecar=137` for several; `-` while none has exited. */
export function exitCodesCell(task: Task): string {
  const containers = task.containers ?? [];
  if (containers.length === 1) {
    const code = containers[0]?.exitCode;
    return code === undefined ? NONE : String(code);
  }
  return listCell(
    containers
      .filter((c) => c.exitCode !== undefined)
      .map((c) => `${c.name ?? '?'}=${String(c.exitCode)}`),
  );
}

/** Why a task stopped: its reason, else its stop code. */
export function stopReasonCell(task: Task): string {
  return task.stoppedReason ?? task.stopCode ?? NONE;
}

/** The awslogs stream of a container: `<prefix>/<container>/<task id>`, or the task id. */
export function logStreamOf(
  container: ContainerDefinition,
  taskId: string,
): { group: string; stream: string } | undefined {
  const config = container.logConfiguration;
  const group = config?.options?.['awslogs-group'];
  if (config?.logDriver !== 'awslogs' || !group) return undefined;
  const prefix = config.options?.['awslogs-stream-prefix'];
  return { group, stream: prefix ? `${prefix}/${container.name ?? ''}/${taskId}` : taskId };
}

/** Every awslogs stream of a task, in container order. */
export function logStreamsOf(
  definition: TaskDefinition | undefined,
  taskArn: string,
): { container: string; group: string; stream: string }[] {
  const taskId = lastSegment(taskArn);
  return (definition?.containerDefinitions ?? []).flatMap((c) => {
    const found = logStreamOf(c, taskId);
    return found ? [{ container: c.name ?? '', ...found }] : [];
  });
}

/**
 * Whether a stopped task failed as a job: an essential container (ECS's default) exited
 * non-zero or never ran. Without the definition every container counts as essential.
 */
export function essentialFailure(task: Task, definition: TaskDefinition | undefined): boolean {
  const essential = new Set(
    (definition?.containerDefinitions ?? [])
      .filter((c) => c.essential !== false)
      .map((c) => c.name),
  );
  return (task.containers ?? [])
    .filter((c) => definition === undefined || essential.has(c.name))
    .some((c) => c.exitCode !== 0);
}

/** The table columns of a task list. */
export const TASK_COLUMNS: readonly Column<Task>[] = [
  { header: 'task', cell: (t) => lastSegment(t.taskArn) },
  { header: 'cluster', cell: (t) => lastSegment(t.clusterArn) },
  { header: 'task definition', cell: (t) => familyRevision(t.taskDefinitionArn) },
  { header: 'status', cell: (t) => t.lastStatus ?? NONE },
  { header: 'started', cell: (t) => formatTime(t.startedAt) },
  { header: 'stopped', cell: (t) => formatTime(t.stoppedAt) },
  { header: 'exit', cell: exitCodesCell },
  { header: 'stop reason', cell: stopReasonCell, maxWidth: 60 },
];

/** The `--json` view of a task: what a script needs, with ISO times. */
export function taskJson(task: Task): Record<string, unknown> {
  return {
    taskArn: task.taskArn,
    taskId: lastSegment(task.taskArn),
    clusterArn: task.clusterArn,
    taskDefinition: familyRevision(task.taskDefinitionArn),
    lastStatus: task.lastStatus,
    desiredStatus: task.desiredStatus,
    startedBy: task.startedBy,
    createdAt: task.createdAt,
    startedAt: task.startedAt,
    stoppedAt: task.stoppedAt,
    stopCode: task.stopCode,
    stoppedReason: task.stoppedReason,
    containers: (task.containers ?? []).map((c) => ({
      name: c.name,
      lastStatus: c.lastStatus,
      exitCode: c.exitCode,
      reason: c.reason,
    })),
  };
}
