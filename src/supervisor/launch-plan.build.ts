/**
 * Turns an ECS task definition plus RunTask's overrides into the supervisor's launch plan.
 *
 * Input types are ECS's own wire shapes (camelCase, as DescribeTaskDefinition returns them),
 * declared structurally here so the supervisor does not depend on how the ECS domain stores them.
 */
import type { ContainerDependency } from './container-dependencies.ts';
import type {
  AwslogsPlan,
  ContainerPlan,
  HealthCheckPlan,
  HostAccessPlan,
  TaskLaunchPlan,
} from './task-plan.ts';

export interface KeyValuePair {
  name?: string;
  value?: string;
}

export interface ContainerDefinitionShape {
  name?: string;
  image?: string;
  cpu?: number;
  memory?: number;
  memoryReservation?: number;
  essential?: boolean;
  command?: string[];
  entryPoint?: string[];
  environment?: KeyValuePair[];
  workingDirectory?: string;
  user?: string;
  readonlyRootFilesystem?: boolean;
  ulimits?: { name: string; softLimit: number; hardLimit: number }[];
  dependsOn?: { containerName: string; condition: ContainerDependency['condition'] }[];
  healthCheck?: {
    command: string[];
    interval?: number;
    timeout?: number;
    retries?: number;
    startPeriod?: number;
  };
  stopTimeout?: number;
  logConfiguration?: { logDriver: string; options?: Record<string, string> };
  linuxParameters?: {
    capabilities?: { add?: string[]; drop?: string[] };
    devices?: { hostPath: string; containerPath?: string; permissions?: string[] }[];
  };
  /** Applied only with the server setting `allowHostAccess` (refused at registration otherwise). */
  privileged?: boolean;
  dockerSecurityOptions?: string[];
  mountPoints?: { sourceVolume?: string; containerPath?: string; readOnly?: boolean }[];
}

/** A task definition volume; only host-path ones are applied (with `allowHostAccess`). */
export interface VolumeShape {
  name?: string;
  host?: { sourcePath?: string };
}

export interface TaskDefinitionShape {
  family: string;
  revision: number;
  containerDefinitions: ContainerDefinitionShape[];
  cpu?: string;
  memory?: string;
  pidMode?: string;
  ipcMode?: string;
  volumes?: unknown[];
  executionRoleArn?: string;
}

export interface ContainerOverrideShape {
  name?: string;
  command?: string[];
  environment?: KeyValuePair[];
  cpu?: number;
  memory?: number;
  memoryReservation?: number;
}

export interface TaskOverrideShape {
  containerOverrides?: ContainerOverrideShape[];
  cpu?: string;
  memory?: string;
  executionRoleArn?: string;
}

export interface LaunchTarget {
  taskArn: string;
  clusterArn: string;
  /** Docker network for awsvpc tasks (config `taskNetwork`). */
  networkMode: string;
  containerInsights: boolean;
  extraLabels?: Record<string, string>;
  /**
   * The server setting `allowHostAccess`: apply privileged, host volumes, devices, … Without it
   * the ECS layer has refused such definitions and the plan never carries them.
   */
  allowHostAccess?: boolean;
}

/**
 * Sizes for a task that names none (an EC2-style definition with only container reservations):
 * one vCPU and 2 GiB, Fargate's 1024/2048 size, so every container runs under a hard quota.
 */
export const DEFAULT_CPU_UNITS = 1024;
export const DEFAULT_MEMORY_MIB = 2048;

/** ECS's default grace period between SIGTERM and SIGKILL; Fargate allows at most 120 s. */
const DEFAULT_STOP_TIMEOUT_S = 30;
const MAX_STOP_TIMEOUT_S = 120;

/** Task-level sizes are strings that ECS has already normalised to CPU units and MiB. */
function positiveInt(value: string | number | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = typeof value === 'number' ? value : Number.parseInt(value, 10);
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

function environment(
  base: KeyValuePair[] | undefined,
  override: KeyValuePair[] | undefined,
): Record<string, string> {
  const env: Record<string, string> = {};
  // Overrides replace variables of the same name and add new ones, as ECS merges them.
  for (const pair of [...(base ?? []), ...(override ?? [])]) {
    if (pair.name) env[pair.name] = pair.value ?? '';
  }
  return env;
}

function awslogsPlan(def: ContainerDefinitionShape): AwslogsPlan | undefined {
  const config = def.logConfiguration;
  if (!config || config.logDriver !== 'awslogs') return undefined;
  const options = config.options ?? {};
  const group = options['awslogs-group'];
  if (!group) return undefined;
  return {
    group,
    streamPrefix: options['awslogs-stream-prefix'],
    createGroup: options['awslogs-create-group'] === 'true',
    region: options['awslogs-region'],
  };
}

/** Host-path volumes mounted where the container's mount points say. */
function binds(def: ContainerDefinitionShape, volumes: unknown[] | undefined): string[] {
  const byName = new Map<string, string>();
  for (const v of (Array.isArray(volumes) ? volumes : []) as VolumeShape[]) {
    if (v?.name && v.host?.sourcePath) byName.set(v.name, v.host.sourcePath);
  }
  const out: string[] = [];
  for (const mp of Array.isArray(def.mountPoints) ? def.mountPoints : []) {
    const source = mp.sourceVolume === undefined ? undefined : byName.get(mp.sourceVolume);
    if (source && mp.containerPath) {
      out.push(`${source}:${mp.containerPath}${mp.readOnly ? ':ro' : ''}`);
    }
  }
  return out;
}

/** What the definition asks of the host, applied as ECS on EC2 applies it. */
function hostAccessPlan(
  def: ContainerDefinitionShape,
  definition: TaskDefinitionShape,
): HostAccessPlan | undefined {
  const plan: HostAccessPlan = {};
  if (def.privileged === true) plan.privileged = true;
  const mounted = binds(def, definition.volumes);
  if (mounted.length > 0) plan.binds = mounted;
  const devices = def.linuxParameters?.devices;
  if (Array.isArray(devices) && devices.length > 0) plan.devices = devices;
  const securityOptions = def.dockerSecurityOptions;
  if (Array.isArray(securityOptions) && securityOptions.length > 0) {
    plan.securityOptions = securityOptions;
  }
  if (definition.pidMode === 'host') plan.pidMode = 'host';
  // `task` would share one namespace among the task's containers; each keeps its own here.
  if (definition.ipcMode === 'host' || definition.ipcMode === 'none') {
    plan.ipcMode = definition.ipcMode;
  }
  return Object.keys(plan).length > 0 ? plan : undefined;
}

function healthCheckPlan(def: ContainerDefinitionShape): HealthCheckPlan | undefined {
  const hc = def.healthCheck;
  if (!hc) return undefined;
  // ECS's defaults for a container health check.
  return {
    command: hc.command,
    intervalSeconds: hc.interval ?? 30,
    timeoutSeconds: hc.timeout ?? 5,
    retries: hc.retries ?? 3,
    startPeriodSeconds: hc.startPeriod ?? 0,
  };
}

/**
 * Builds the plan. Fargate enforces task-level cpu and memory on the whole task; a container runs
 * under its own limits when the definition gives them, otherwise under the task's (exact for the
 * common one-container batch job, a per-container approximation for several), otherwise under
 * {@link DEFAULT_CPU_UNITS} and {@link DEFAULT_MEMORY_MIB}: no container runs unbounded.
 */
export function buildLaunchPlan(
  definition: TaskDefinitionShape,
  target: LaunchTarget,
  overrides: TaskOverrideShape = {},
): TaskLaunchPlan {
  const taskCpu = positiveInt(overrides.cpu ?? definition.cpu);
  const taskMemory = positiveInt(overrides.memory ?? definition.memory);
  const containers: ContainerPlan[] = definition.containerDefinitions.map((def) => {
    const override = overrides.containerOverrides?.find((o) => o.name === def.name) ?? {};
    const stopTimeout = Math.min(def.stopTimeout ?? DEFAULT_STOP_TIMEOUT_S, MAX_STOP_TIMEOUT_S);
    const reservation = positiveInt(override.memoryReservation ?? def.memoryReservation);
    const capabilities = def.linuxParameters?.capabilities;
    const hostAccess = target.allowHostAccess ? hostAccessPlan(def, definition) : undefined;
    return {
      name: def.name ?? '',
      image: def.image ?? '',
      essential: def.essential ?? true,
      command: override.command ?? def.command,
      entryPoint: def.entryPoint,
      environment: environment(def.environment, override.environment),
      workingDirectory: def.workingDirectory,
      user: def.user,
      readonlyRootFilesystem: def.readonlyRootFilesystem,
      ulimits: def.ulimits,
      // Every container runs under hard limits: its own, else the task's, else the defaults.
      cpuUnits: positiveInt(override.cpu ?? def.cpu) ?? taskCpu ?? DEFAULT_CPU_UNITS,
      memoryMiB:
        positiveInt(override.memory ?? def.memory) ??
        taskMemory ??
        Math.max(reservation ?? 0, DEFAULT_MEMORY_MIB),
      memoryReservationMiB: reservation,
      ...(Array.isArray(capabilities?.add) ? { capAdd: capabilities.add } : {}),
      ...(Array.isArray(capabilities?.drop) ? { capDrop: capabilities.drop } : {}),
      ...(hostAccess ? { hostAccess } : {}),
      stopTimeoutSeconds: stopTimeout,
      dependsOn: def.dependsOn ?? [],
      healthCheck: healthCheckPlan(def),
      awslogs: awslogsPlan(def),
    };
  });
  const taskId = target.taskArn.slice(target.taskArn.lastIndexOf('/') + 1);
  return {
    taskArn: target.taskArn,
    taskId,
    clusterArn: target.clusterArn,
    family: definition.family,
    revision: definition.revision,
    containers,
    networkMode: target.networkMode,
    containerInsights: target.containerInsights,
    extraLabels: target.extraLabels,
    ...executionRole(overrides.executionRoleArn ?? definition.executionRoleArn),
  };
}

/** The role the log driver writes as (RunTask's override replaces the definition's). */
function executionRole(arn: string | undefined): { executionRoleArn?: string } {
  return typeof arn === 'string' && arn !== '' ? { executionRoleArn: arn } : {};
}
