/**
 * The ECS task state machine as pure functions over the stored `Task` document.
 *
 * A Fargate task's `lastStatus` only moves forward through
 * PROVISIONING → PENDING → ACTIVATING → RUNNING → DEACTIVATING → STOPPING → DEPROVISIONING →
 * STOPPED, possibly skipping steps (a task that fails to start goes straight to STOPPED). Each
 * move stamps the timestamps ECS documents for it and bumps `version`, which ECS increments on
 * every change it reports. Time is a parameter (`at`): nothing here reads a clock.
 */
import { contextFromArn } from '../platform/ids.ts';
import {
  STOP_CODES,
  type StopCode,
  TASK_STATUSES,
  type TaskStatus,
} from '../supervisor/task-progress.ts';
import type { Container, Task } from './ecs.types.ts';

export { STOP_CODES, TASK_STATUSES };
export type { StopCode, TaskStatus };

export const CONTAINER_STATUSES = ['PENDING', 'RUNNING', 'STOPPED'] as const;
export type ContainerStatus = (typeof CONTAINER_STATUSES)[number];

/** `stoppedReason` texts ECS uses with the matching stop codes. */
export const STOPPED_REASONS = {
  /** With `EssentialContainerExited` (seen verbatim in real task state change events). */
  essentialContainerExited: 'Essential container in task exited',
  /** StopTask without a reason. ⚠ ECS's default text is not confirmed; this is the common one. */
  userInitiated: 'Task stopped by user',
} as const;

/** `TaskFailedToStart` reasons are ECS's error class, a colon, and the detail. */
export function failedToStartReason(
  kind: 'CannotPullContainerError' | 'ResourceInitializationError' | 'CannotStartContainerError',
  detail: string,
): string {
  return `${kind}: ${detail}`;
}

/**
 * Where each status may go next. Moves are forward only; a task that has not started may skip
 * to the stopping side (failed to start), and a running one may skip the optional DEACTIVATING.
 */
export const TASK_TRANSITIONS: Readonly<Record<TaskStatus, readonly TaskStatus[]>> = {
  PROVISIONING: ['PENDING', 'DEPROVISIONING', 'STOPPED'],
  PENDING: ['ACTIVATING', 'RUNNING', 'DEACTIVATING', 'STOPPING', 'DEPROVISIONING', 'STOPPED'],
  ACTIVATING: ['RUNNING', 'DEACTIVATING', 'STOPPING', 'DEPROVISIONING', 'STOPPED'],
  RUNNING: ['DEACTIVATING', 'STOPPING', 'DEPROVISIONING', 'STOPPED'],
  DEACTIVATING: ['STOPPING', 'DEPROVISIONING', 'STOPPED'],
  STOPPING: ['DEPROVISIONING', 'STOPPED'],
  DEPROVISIONING: ['STOPPED'],
  STOPPED: [],
};

export const CONTAINER_TRANSITIONS: Readonly<Record<ContainerStatus, readonly ContainerStatus[]>> =
  {
    PENDING: ['RUNNING', 'STOPPED'],
    RUNNING: ['STOPPED'],
    STOPPED: [],
  };

/** A move the state machine forbids: a bug in whoever reported it, never a client error. */
export class IllegalTransitionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IllegalTransitionError';
  }
}

/** What the supervisor reports about the task as a whole. */
export interface TaskStatePatch {
  lastStatus: TaskStatus;
  /** When it happened, epoch ms. */
  at: number;
  pullStartedAt?: number;
  pullStoppedAt?: number;
  executionStoppedAt?: number;
  stopCode?: StopCode;
  stoppedReason?: string;
}

/** What the supervisor reports about one container. */
export interface ContainerStatePatch {
  lastStatus: ContainerStatus;
  runtimeId?: string;
  imageDigest?: string;
  exitCode?: number | null;
  reason?: string;
  healthStatus?: 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN';
  /** The container's real address on its network, from the engine. */
  privateIpv4Address?: string;
}

const UP_SIDE: ReadonlySet<TaskStatus> = new Set(['PENDING', 'ACTIVATING', 'RUNNING']);
const STOPPING_SIDE: ReadonlySet<TaskStatus> = new Set([
  'DEACTIVATING',
  'STOPPING',
  'DEPROVISIONING',
  'STOPPED',
]);

/**
 * Applies a status report to a task. Reporting the current status again only adds the fields it
 * carries (the supervisor reports PENDING twice: pull started, pull stopped); a report of STOPPED
 * for a STOPPED task changes nothing. Returns the same object when nothing changed.
 *
 * @throws IllegalTransitionError for a backward or otherwise forbidden move.
 */
export function applyTaskState(task: Task, patch: TaskStatePatch): Task {
  const from = task.lastStatus as TaskStatus;
  const to = patch.lastStatus;
  if (from === 'STOPPED') {
    if (to === 'STOPPED') return task;
    throw new IllegalTransitionError(`task ${task.taskArn} cannot move from STOPPED to ${to}`);
  }
  if (from !== to && !TASK_TRANSITIONS[from].includes(to)) {
    throw new IllegalTransitionError(`task ${task.taskArn} cannot move from ${from} to ${to}`);
  }
  const next: Task = { ...task, lastStatus: to, version: task.version + 1 };
  if (patch.pullStartedAt !== undefined) next.pullStartedAt = patch.pullStartedAt;
  if (patch.pullStoppedAt !== undefined) next.pullStoppedAt = patch.pullStoppedAt;
  if (patch.executionStoppedAt !== undefined) next.executionStoppedAt = patch.executionStoppedAt;

  // The task's network interface is attached when provisioning ends.
  if (UP_SIDE.has(to) && next.connectivity === undefined) {
    next.connectivity = 'CONNECTED';
    next.connectivityAt = patch.at;
  }
  if (to === 'RUNNING') {
    next.startedAt ??= patch.at;
    next.attachments = task.attachments.map((a) => ({ ...a, status: 'ATTACHED' }));
  }
  if (STOPPING_SIDE.has(to)) {
    // Whatever the cause, once the task is on its way down it is desired STOPPED.
    next.desiredStatus = 'STOPPED';
    next.stoppingAt ??= patch.at;
  }
  if (to === 'DEPROVISIONING' || to === 'STOPPED') next.executionStoppedAt ??= patch.at;
  if (to === 'STOPPED') {
    next.stoppedAt = patch.at;
    // A stop requested earlier (StopTask) keeps its code and reason over the supervisor's.
    const code = task.stopCode ?? patch.stopCode;
    const reason = task.stoppedReason ?? patch.stoppedReason;
    if (code !== undefined) next.stopCode = code;
    if (reason !== undefined) next.stoppedReason = reason;
    next.attachments = task.attachments.map((a) => ({ ...a, status: 'DELETED' }));
  }
  return next;
}

/**
 * Applies a report about one container. The same status again only adds fields (runtime id,
 * health); a STOPPED container accepts no further change of status.
 *
 * @throws IllegalTransitionError for an unknown container or a backward move.
 */
export function applyContainerState(task: Task, name: string, patch: ContainerStatePatch): Task {
  const current = task.containers.find((c) => c.name === name);
  if (!current) {
    throw new IllegalTransitionError(`task ${task.taskArn} has no container named ${name}`);
  }
  const from = current.lastStatus;
  if (from !== patch.lastStatus && !CONTAINER_TRANSITIONS[from].includes(patch.lastStatus)) {
    throw new IllegalTransitionError(
      `container ${name} of task ${task.taskArn} cannot move from ${from} to ${patch.lastStatus}`,
    );
  }
  const next: Container = { ...current, lastStatus: patch.lastStatus };
  if (patch.runtimeId !== undefined) next.runtimeId = patch.runtimeId;
  if (patch.imageDigest !== undefined) next.imageDigest = patch.imageDigest;
  if (patch.exitCode !== undefined && patch.exitCode !== null) next.exitCode = patch.exitCode;
  // ECS caps a container's reason at 1024 characters.
  if (patch.reason !== undefined) next.reason = patch.reason.slice(0, 1024);
  if (patch.healthStatus !== undefined) next.healthStatus = patch.healthStatus;
  const address = patch.privateIpv4Address;
  if (address !== undefined && next.networkInterfaces.length > 0) {
    next.networkInterfaces = next.networkInterfaces.map((n) => ({
      ...n,
      privateIpv4Address: address,
    }));
  }
  return {
    ...task,
    containers: task.containers.map((c) => (c.name === name ? next : c)),
    attachments: address === undefined ? task.attachments : withAddress(task, address),
    version: task.version + 1,
  };
}

/**
 * The ENI attachment with the address the engine reported (the first one reported stands, as an
 * ENI keeps its address), and the private DNS name AWS derives from it.
 */
function withAddress(task: Task, address: string): Task['attachments'] {
  const region = contextFromArn(task.taskArn)?.region ?? '';
  const domain = region === 'us-east-1' ? 'ec2.internal' : `${region}.compute.internal`;
  return task.attachments.map((a) =>
    a.type !== 'ElasticNetworkInterface' || a.details.some((d) => d.name === 'privateIPv4Address')
      ? a
      : {
          ...a,
          details: [
            ...a.details,
            { name: 'privateDnsName', value: `ip-${address.replaceAll('.', '-')}.${domain}` },
            { name: 'privateIPv4Address', value: address },
          ],
        },
  );
}

/**
 * StopTask's effect on the record: desired STOPPED, `stoppingAt`, and the caller's code and
 * reason. Returns the same object for a task already asked to stop (the first reason stands).
 */
export function applyStopRequest(task: Task, stopCode: StopCode, reason: string, at: number): Task {
  if (task.desiredStatus === 'STOPPED' || task.lastStatus === 'STOPPED') return task;
  return {
    ...task,
    desiredStatus: 'STOPPED',
    stoppingAt: task.stoppingAt ?? at,
    stopCode,
    stoppedReason: reason,
    version: task.version + 1,
  };
}
