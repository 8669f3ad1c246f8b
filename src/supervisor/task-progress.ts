/**
 * The port through which the supervisor records what happens to a task. The ECS service
 * implements it on the store; every call resolves only once the change is stored, so a crash
 * never loses a transition the supervisor acted on.
 */

/** ECS `lastStatus` values a task passes through, in order. */
export const TASK_STATUSES = [
  'PROVISIONING',
  'PENDING',
  'ACTIVATING',
  'RUNNING',
  'DEACTIVATING',
  'STOPPING',
  'DEPROVISIONING',
  'STOPPED',
] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export const STOP_CODES = [
  'TaskFailedToStart',
  'EssentialContainerExited',
  'UserInitiated',
  'ServiceSchedulerInitiated',
  'SpotInterruption',
  'TerminationNotice',
] as const;
export type StopCode = (typeof STOP_CODES)[number];

export interface TaskProgressUpdate {
  lastStatus: TaskStatus;
  /** When the transition happened (epoch ms, from the supervisor's Clock). */
  at: number;
  pullStartedAt?: number;
  pullStoppedAt?: number;
  executionStoppedAt?: number;
  stopCode?: StopCode;
  stoppedReason?: string;
}

export interface ContainerProgressUpdate {
  lastStatus: 'PENDING' | 'RUNNING' | 'STOPPED';
  runtimeId?: string;
  imageDigest?: string;
  exitCode?: number | null;
  reason?: string;
  healthStatus?: 'HEALTHY' | 'UNHEALTHY' | 'UNKNOWN';
  /** The container's address as the engine reports it once running (never made up). */
  privateIpv4Address?: string;
}

export interface ContainerStats {
  containerName: string;
  timestamp: number;
  cpuUsageNs: number;
  cpuPercent?: number;
  memoryBytes: number;
  memoryLimitBytes?: number;
}

export interface TaskProgressSink {
  taskProgress(taskArn: string, update: TaskProgressUpdate): Promise<void>;
  containerProgress(
    taskArn: string,
    containerName: string,
    update: ContainerProgressUpdate,
  ): Promise<void>;
  /** Container Insights samples; only called for clusters with insights enabled. */
  recordStats(taskArn: string, samples: ContainerStats[]): Promise<void>;
}
