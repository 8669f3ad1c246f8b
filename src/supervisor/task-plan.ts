/**
 * What the supervisor needs to run one ECS task: the task definition with RunTask's overrides
 * already applied, resolved into one plan per container. The ECS service builds it; the
 * supervisor never reads task definitions itself.
 */
import type { ContainerDependency } from './container-dependencies.ts';

/** The `awslogs` log driver's options, as in `logConfiguration.options`. */
export interface AwslogsPlan {
  /** `awslogs-group` */
  group: string;
  /** `awslogs-stream-prefix`; the stream is `<prefix>/<container>/<task id>`. */
  streamPrefix?: string;
  /** `awslogs-create-group` = "true" */
  createGroup: boolean;
  /** `awslogs-region`: the region of the group (the task's region when absent). */
  region?: string;
}

/** Docker health check in ECS's shape (`healthCheck` of a container definition). */
export interface HealthCheckPlan {
  /** `["CMD-SHELL", "..."]` or `["CMD", ...]`. */
  command: string[];
  intervalSeconds: number;
  timeoutSeconds: number;
  retries: number;
  startPeriodSeconds: number;
}

/** ECS-on-EC2 features reaching the host (only with the server setting `allowHostAccess`). */
export interface HostAccessPlan {
  privileged?: boolean;
  /** `hostPath:containerPath[:ro]` */
  binds?: string[];
  devices?: { hostPath: string; containerPath?: string; permissions?: string[] }[];
  securityOptions?: string[];
  pidMode?: string;
  ipcMode?: string;
}

export interface ContainerPlan {
  name: string;
  image: string;
  essential: boolean;
  command?: string[];
  entryPoint?: string[];
  environment: Record<string, string>;
  workingDirectory?: string;
  user?: string;
  readonlyRootFilesystem?: boolean;
  ulimits?: { name: string; softLimit: number; hardLimit: number }[];
  /** Hard CPU quota; the launch plan always sets one (task, container or default size). */
  cpuUnits?: number;
  /** Hard memory limit; the launch plan always sets one. */
  memoryMiB?: number;
  memoryReservationMiB?: number;
  /** Most processes/threads at once (absent: the runtime's default). */
  pidsLimit?: number;
  /** `linuxParameters.capabilities`: added to / removed from the confined default set. */
  capAdd?: string[];
  capDrop?: string[];
  /** Host features; set only when the server allows host access. */
  hostAccess?: HostAccessPlan;
  /** Seconds between SIGTERM and SIGKILL (ECS default 30, Fargate maximum 120). */
  stopTimeoutSeconds: number;
  dependsOn: ContainerDependency[];
  healthCheck?: HealthCheckPlan;
  awslogs?: AwslogsPlan;
}

export interface TaskLaunchPlan {
  taskArn: string;
  /** The 32-hex-character id at the end of the task ARN. */
  taskId: string;
  clusterArn: string;
  family: string;
  revision: number;
  containers: ContainerPlan[];
  /** Docker network mode / network the task's containers join (awsvpc maps here). */
  networkMode: string;
  /** Record CPU and memory samples (the cluster's `containerInsights` setting). */
  containerInsights: boolean;
  /** Extra engine labels (tests tag their containers to reap them). */
  extraLabels?: Record<string, string>;
  /** The execution role: awslogs writes as this role (none: the log driver has no credentials). */
  executionRoleArn?: string;
}

/** The awslogs stream name ECS uses: `prefix/container-name/task-id`, or the task id alone. */
export function awslogsStreamName(plan: AwslogsPlan, containerName: string, taskId: string) {
  return plan.streamPrefix ? `${plan.streamPrefix}/${containerName}/${taskId}` : taskId;
}

/** Engine labels on every container cronbridge creates; recovery finds containers by them. */
export const LABELS = {
  managed: 'cronbridge.managed',
  cluster: 'cronbridge.cluster-arn',
  taskArn: 'cronbridge.task-arn',
  container: 'cronbridge.container-name',
  /** Which cronbridge instance owns the container: recovery never touches another's. */
  instance: 'cronbridge.instance',
} as const;
