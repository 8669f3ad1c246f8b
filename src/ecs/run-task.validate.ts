/**
 * RunTask's request checks, split in two: what can be judged from the request alone
 * ({@link validateRunTaskRequest}) and what needs the cluster and the task definition
 * ({@link resolveLaunch}). Messages come from the reference §4.6 and real error output where
 * known; those marked ⚠ are ours.
 */
import { validateStrategy } from './cluster.validate.ts';
import { validateTags } from './ecs-tags.validate.ts';
import { InvalidParameterException, PlatformUnknownException } from './ecs.errors.ts';
import type {
  CapacityProviderStrategyItem,
  Cluster,
  NetworkConfiguration,
  Tag,
  TaskDefinition,
  TaskOverride,
} from './ecs.types.ts';
import { enumError } from './task-definition.validate.ts';
import { isFargateSize, parseCpu, parseMemory, sizeCeilingProblem } from './task-size.ts';

export const LAUNCH_TYPES = ['EC2', 'FARGATE', 'EXTERNAL', 'MANAGED_INSTANCES'] as const;
export const PROPAGATE_TAGS = ['TASK_DEFINITION', 'SERVICE', 'NONE'] as const;
export const ASSIGN_PUBLIC_IP = ['ENABLED', 'DISABLED'] as const;
/** Platform versions cronbridge accepts for Fargate; `LATEST` resolves to 1.4.0. */
export const FARGATE_PLATFORM_VERSIONS = ['LATEST', '1.4.0', '1.3.0'] as const;
export const LATEST_PLATFORM_VERSION = '1.4.0';

export interface RunTaskInput {
  cluster?: string;
  taskDefinition?: string;
  count?: number;
  launchType?: string;
  capacityProviderStrategy?: CapacityProviderStrategyItem[];
  networkConfiguration?: NetworkConfiguration;
  overrides?: TaskOverride;
  platformVersion?: string;
  group?: string;
  startedBy?: string;
  tags?: Tag[];
  propagateTags?: string;
  enableECSManagedTags?: boolean;
  enableExecuteCommand?: boolean;
  referenceId?: string;
  clientToken?: string;
  placementConstraints?: unknown[];
  placementStrategy?: unknown[];
}

const STARTED_BY = /^[a-zA-Z0-9_/-]{1,128}$/;

/** Checks that need nothing but the request. Returns the validated tags. */
export function validateRunTaskRequest(input: RunTaskInput): { tags: Tag[]; count: number } {
  if (!input.taskDefinition) {
    throw new InvalidParameterException('TaskDefinition cannot be empty.'); // ⚠
  }
  const count = input.count ?? 1;
  if (!Number.isInteger(count) || count < 1 || count > 10) {
    throw new InvalidParameterException('Count must be between 1 and 10.'); // ⚠
  }
  if (
    input.launchType !== undefined &&
    !(LAUNCH_TYPES as readonly string[]).includes(input.launchType)
  ) {
    throw enumError(input.launchType, 'launchType', LAUNCH_TYPES);
  }
  if (input.launchType && input.capacityProviderStrategy?.length) {
    // Real ECS text (reported for CreateService; RunTask shares the rule).
    throw new InvalidParameterException(
      'Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again.',
    );
  }
  if (input.startedBy !== undefined && !STARTED_BY.test(input.startedBy)) {
    // ⚠ wording ours; the model allows up to 128 letters, digits, '-', '/' and '_'.
    throw new InvalidParameterException(
      'startedBy may contain up to 128 letters (uppercase and lowercase), numbers, hyphens (-), forward slashes (/), and underscores (_).',
    );
  }
  if (input.group !== undefined && (input.group.length < 1 || input.group.length > 255)) {
    throw new InvalidParameterException('group must be between 1 and 255 characters.'); // ⚠
  }
  if (input.propagateTags !== undefined) {
    if (!(PROPAGATE_TAGS as readonly string[]).includes(input.propagateTags)) {
      throw enumError(input.propagateTags, 'propagateTags', PROPAGATE_TAGS);
    }
    if (input.propagateTags === 'SERVICE') {
      // ⚠ wording ours: a standalone task has no service to copy tags from.
      throw new InvalidParameterException(
        'The propagateTags value SERVICE is not supported for tasks started by RunTask.',
      );
    }
  }
  if (input.clientToken !== undefined && !/^[\x21-\x7e]{1,64}$/.test(input.clientToken)) {
    throw new InvalidParameterException('clientToken must be 1 to 64 printable ASCII characters.'); // ⚠
  }
  if (input.overrides !== undefined && JSON.stringify(input.overrides).length > 8192) {
    // ⚠ wording ours; the documented limit is 8192 characters of override JSON.
    throw new InvalidParameterException(
      'Container Overrides length must be at most 8192 characters.',
    );
  }
  validateNetworkShape(input.networkConfiguration);
  return { tags: validateTags(input.tags), count };
}

function validateNetworkShape(config: NetworkConfiguration | undefined): void {
  const vpc = config?.awsvpcConfiguration;
  if (!vpc) return;
  if (!vpc.subnets?.length) {
    throw new InvalidParameterException('subnets can not be empty.');
  }
  if (vpc.subnets.length > 16) {
    throw new InvalidParameterException('subnets can have at most 16 items.'); // ⚠
  }
  if ((vpc.securityGroups?.length ?? 0) > 5) {
    throw new InvalidParameterException('securityGroups can have at most 5 items.'); // ⚠
  }
  if (
    vpc.assignPublicIp !== undefined &&
    !(ASSIGN_PUBLIC_IP as readonly string[]).includes(vpc.assignPublicIp)
  ) {
    throw enumError(
      vpc.assignPublicIp,
      'networkConfiguration.awsvpcConfiguration.assignPublicIp',
      ASSIGN_PUBLIC_IP,
    );
  }
}

/** How a task is launched once the request has been matched with its cluster and definition. */
export interface LaunchChoice {
  launchType?: string;
  capacityProviderName?: string;
  fargate: boolean;
  platformVersion?: string;
}

/** Checks against the cluster and the task definition; decides the launch type. */
export function resolveLaunch(
  input: RunTaskInput,
  cluster: Cluster,
  td: TaskDefinition,
): LaunchChoice {
  checkNetwork(td, input.networkConfiguration);
  checkOverrides(td, input.overrides);
  const choice = chooseLaunch(input, cluster, td);
  if (choice.fargate && !td.compatibilities.includes('FARGATE')) {
    // Real ECS text.
    throw new InvalidParameterException('Task definition does not support launch_type FARGATE.');
  }
  if (input.platformVersion !== undefined) {
    if (!choice.fargate) {
      // ⚠ wording ours
      throw new InvalidParameterException(
        'Platform version is only supported for the Fargate launch type.',
      );
    }
    if (!(FARGATE_PLATFORM_VERSIONS as readonly string[]).includes(input.platformVersion)) {
      // ⚠ wording ours; the exception type is ECS's.
      throw new PlatformUnknownException(
        `The specified platform version ${input.platformVersion} does not exist.`,
      );
    }
  }
  const size = taskSize(td, input.overrides);
  if (
    choice.fargate &&
    size.cpu !== undefined &&
    size.memory !== undefined &&
    !isFargateSize(size.cpu, size.memory)
  ) {
    // ⚠ wording ours (RunTask's override check; registration has ECS's text).
    throw new InvalidParameterException(
      `No Fargate configuration exists for given values: ${size.cpu} CPU, ${size.memory} memory.`,
    );
  }
  return choice;
}

/**
 * ECS's rule: a strategy, or a launch type, or else the cluster's default strategy. Without any
 * of them ECS would fall back to EC2; cronbridge runs every task the same way, so it picks
 * FARGATE for a Fargate-compatible definition instead (a deliberate convenience).
 */
function chooseLaunch(input: RunTaskInput, cluster: Cluster, td: TaskDefinition): LaunchChoice {
  const strategy = input.capacityProviderStrategy?.length
    ? validateStrategy(input.capacityProviderStrategy, cluster.capacityProviders)
    : input.launchType
      ? []
      : cluster.defaultCapacityProviderStrategy;
  const platformVersion = (v: string | undefined) =>
    !v || v === 'LATEST' ? LATEST_PLATFORM_VERSION : v;
  if (strategy.length) {
    // The provider with a base, else the heaviest, takes a single task.
    const pick =
      strategy.find((s) => (s.base ?? 0) > 0) ??
      [...strategy].sort((a, b) => (b.weight ?? 0) - (a.weight ?? 0))[0];
    return {
      capacityProviderName: pick?.capacityProvider ?? 'FARGATE',
      fargate: true,
      platformVersion: platformVersion(input.platformVersion),
    };
  }
  const launchType =
    input.launchType ?? (td.compatibilities.includes('FARGATE') ? 'FARGATE' : 'EC2');
  return launchType === 'FARGATE'
    ? { launchType, fargate: true, platformVersion: platformVersion(input.platformVersion) }
    : { launchType, fargate: false };
}

function checkNetwork(td: TaskDefinition, config: NetworkConfiguration | undefined): void {
  if (td.networkMode === 'awsvpc') {
    if (!config?.awsvpcConfiguration) {
      throw new InvalidParameterException(
        "Network Configuration must be provided when networkMode 'awsvpc' is specified.",
      );
    }
  } else if (config?.awsvpcConfiguration) {
    throw new InvalidParameterException(
      'Network Configuration is not valid for the given networkMode of this task definition.',
    );
  }
}

function checkOverrides(td: TaskDefinition, overrides: TaskOverride | undefined): void {
  const seen = new Set<string>();
  for (const o of overrides?.containerOverrides ?? []) {
    if (!td.containerDefinitions.some((c) => c.name === o.name)) {
      throw new InvalidParameterException(
        `Override for container named ${String(o.name)} is not a container in the TaskDefinition.`,
      );
    }
    if (seen.has(o.name as string)) {
      // ⚠ wording ours
      throw new InvalidParameterException(`Duplicate override for container named ${o.name}.`);
    }
    seen.add(o.name as string);
    for (const member of ['cpu', 'memory', 'memoryReservation'] as const) {
      const v = o[member];
      if (v !== undefined && (!Number.isInteger(v) || v < 0)) {
        // ⚠ wording ours
        throw new InvalidParameterException(
          `Override for container named ${o.name}: '${member}' must be a non-negative integer.`,
        );
      }
    }
    const ceiling =
      sizeCeilingProblem('Container', o.cpu, o.memory) ??
      sizeCeilingProblem('Container', undefined, o.memoryReservation);
    if (ceiling !== undefined) {
      // ⚠ wording ours
      throw new InvalidParameterException(`Override for container named ${o.name}: ${ceiling}`);
    }
  }
  const size = overrides?.ephemeralStorage?.sizeInGiB;
  if (size !== undefined && (!Number.isInteger(size) || size < 21 || size > 200)) {
    // ⚠ wording ours
    throw new InvalidParameterException(
      'The ephemeral storage size must be between 21 and 200 GiB.',
    );
  }
}

/** The task's cpu and memory after overrides, in CPU units and MiB. */
export function taskSize(
  td: TaskDefinition,
  overrides: TaskOverride | undefined,
): { cpu?: number; memory?: number } {
  const cpuText = overrides?.cpu ?? td.cpu;
  const memoryText = overrides?.memory ?? td.memory;
  const cpu = cpuText === undefined ? undefined : parseCpu(cpuText);
  const memory = memoryText === undefined ? undefined : parseMemory(memoryText);
  if (cpuText !== undefined && cpu === undefined) {
    throw new InvalidParameterException(`Invalid cpu override '${cpuText}'.`); // ⚠
  }
  if (memoryText !== undefined && memory === undefined) {
    throw new InvalidParameterException(`Invalid memory override '${memoryText}'.`); // ⚠
  }
  const ceiling = sizeCeilingProblem('Task', cpu, memory);
  if (ceiling !== undefined) throw new InvalidParameterException(ceiling); // ⚠
  return { ...(cpu === undefined ? {} : { cpu }), ...(memory === undefined ? {} : { memory }) };
}
