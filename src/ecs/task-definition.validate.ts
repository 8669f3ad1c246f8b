/**
 * RegisterTaskDefinition's checks, in ECS's words where they are known (see the reference §4.4;
 * messages marked ⚠ are ours). Semantic problems are `ClientException`, as ECS reports them;
 * values outside the model's enums are `InvalidParameterException`.
 */
import { DEPENDENCY_CONDITIONS } from '../supervisor/container-dependencies.ts';
import { FAMILY_PATTERN } from './ecs-arns.ts';
import { ClientException, InvalidParameterException } from './ecs.errors.ts';
import type { ContainerDefinition } from './ecs.types.ts';
import { validateContainer } from './task-definition.container.validate.ts';
import { type IsolationOptions, validateIsolation } from './task-definition.isolation.validate.ts';
import { parseCpu, parseMemory, sizeCeilingProblem, validateFargateSize } from './task-size.ts';

export const NETWORK_MODES = ['bridge', 'host', 'awsvpc', 'none'] as const;
export const COMPATIBILITIES = ['EC2', 'FARGATE', 'EXTERNAL', 'MANAGED_INSTANCES'] as const;
export const CPU_ARCHITECTURES = ['X86_64', 'ARM64'] as const;
export const OS_FAMILIES = [
  'LINUX',
  'WINDOWS_SERVER_2019_FULL',
  'WINDOWS_SERVER_2019_CORE',
  'WINDOWS_SERVER_2016_FULL',
  'WINDOWS_SERVER_2004_CORE',
  'WINDOWS_SERVER_2022_CORE',
  'WINDOWS_SERVER_2022_FULL',
  'WINDOWS_SERVER_2025_CORE',
  'WINDOWS_SERVER_2025_FULL',
  'WINDOWS_SERVER_20H2_CORE',
] as const;

export interface NormalisedSizes {
  cpu?: string;
  memory?: string;
}

export interface RegisterShape {
  family?: unknown;
  containerDefinitions?: unknown;
  networkMode?: unknown;
  requiresCompatibilities?: unknown;
  cpu?: unknown;
  memory?: unknown;
  executionRoleArn?: unknown;
  taskRoleArn?: unknown;
  pidMode?: unknown;
  ipcMode?: unknown;
  ephemeralStorage?: unknown;
  runtimePlatform?: unknown;
  volumes?: unknown;
}

/** The model's "N validation error detected" form for a value outside an enum. */
export function enumError(value: unknown, member: string, allowed: readonly string[]) {
  return new InvalidParameterException(
    `1 validation error detected: Value '${String(value)}' at '${member}' failed to satisfy constraint: Member must satisfy enum value set: [${allowed.join(', ')}]`,
  );
}

function oneOf<T extends string>(
  value: unknown,
  member: string,
  allowed: readonly T[],
): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly unknown[]).includes(value)) throw enumError(value, member, allowed);
  return value as T;
}

/**
 * Validates a registration; returns task-level cpu and memory normalised to integer strings.
 * Without `allowHostAccess`, every definition is held to Fargate's confinement (see
 * `task-definition.isolation.validate.ts`).
 */
export function validateRegistration(
  input: RegisterShape,
  options: IsolationOptions = { allowHostAccess: false },
): NormalisedSizes {
  if (typeof input.family !== 'string' || !FAMILY_PATTERN.test(input.family)) {
    // ⚠ wording ours
    throw new ClientException(
      'Family contains invalid characters or is too long: up to 255 letters (uppercase and lowercase), numbers, hyphens, and underscores are allowed.',
    );
  }
  const containers = input.containerDefinitions;
  if (!Array.isArray(containers) || containers.length === 0) {
    // ⚠ wording ours
    throw new ClientException('Container list cannot be empty.');
  }
  if (containers.length > 10) {
    // ⚠ wording ours; the quota is 10 containers per task definition.
    throw new ClientException('A task definition can have at most 10 container definitions.');
  }
  const networkMode = oneOf(input.networkMode, 'networkMode', NETWORK_MODES) ?? 'bridge';
  const compat = input.requiresCompatibilities;
  if (compat !== undefined && !Array.isArray(compat)) {
    throw new InvalidParameterException('requiresCompatibilities must be a list.');
  }
  for (const c of (compat as unknown[] | undefined) ?? []) {
    oneOf(c, 'requiresCompatibilities', COMPATIBILITIES);
  }
  const fargate = Array.isArray(compat) && compat.includes('FARGATE');

  let cpu: number | undefined;
  let memory: number | undefined;
  if (input.cpu !== undefined) {
    cpu = typeof input.cpu === 'string' ? parseCpu(input.cpu) : undefined;
    // ECS's text, as its documentation quotes it.
    if (cpu === undefined) {
      throw new ClientException(
        "Invalid 'cpu' setting for task. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.",
      );
    }
  }
  if (input.memory !== undefined) {
    memory = typeof input.memory === 'string' ? parseMemory(input.memory) : undefined;
    // ⚠ by analogy with the cpu text
    if (memory === undefined) {
      throw new ClientException(
        "Invalid 'memory' setting for task. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.",
      );
    }
  }

  if (fargate) {
    if (networkMode !== 'awsvpc') {
      throw new ClientException('Fargate only supports network mode ‘awsvpc’.');
    }
    if (cpu === undefined) {
      throw new ClientException("Fargate requires that 'cpu' be defined at the task level.");
    }
    if (memory === undefined) {
      throw new ClientException("Fargate requires that 'memory' be defined at the task level.");
    }
    validateFargateSize(cpu, memory);
    if (input.ipcMode !== undefined) {
      throw new ClientException('Tasks using the Fargate launch type do not support ipcMode.');
    }
    if (input.pidMode !== undefined && input.pidMode !== 'task') {
      throw new ClientException(
        `Tasks using the Fargate launch type do not support pidMode '${String(input.pidMode)}'. The supported value for pidMode is 'task'.`,
      );
    }
  }
  // Fargate definitions met the size table above; the ceiling holds every other one to it too.
  const ceiling = sizeCeilingProblem('Task', cpu, memory);
  // ⚠ wording ours
  if (ceiling !== undefined) throw new ClientException(`Invalid setting: ${ceiling}`);
  validateIsolation(input, options);
  validateEphemeralStorage(input.ephemeralStorage, fargate);
  validateRuntimePlatform(input.runtimePlatform);

  const defs = containers as ContainerDefinition[];
  const ctx = {
    fargate,
    networkMode,
    taskCpu: cpu,
    taskMemory: memory,
    hasExecutionRole: typeof input.executionRoleArn === 'string' && input.executionRoleArn !== '',
  };
  const names = new Set<string>();
  for (const c of defs) {
    validateContainer(c, ctx);
    if (names.has(c.name)) {
      // ⚠ wording ours
      throw new ClientException(`Duplicate container name '${c.name}' in the task definition.`);
    }
    names.add(c.name);
  }
  validateTotals(defs, cpu, memory);
  if (!defs.some((c) => c.essential !== false)) {
    // ⚠ wording ours
    throw new ClientException('A task definition must have at least one essential container.');
  }
  validateDependsOn(defs, names);
  return {
    ...(cpu === undefined ? {} : { cpu: String(cpu) }),
    ...(memory === undefined ? {} : { memory: String(memory) }),
  };
}

function validateTotals(defs: ContainerDefinition[], cpu?: number, memory?: number): void {
  // Containers share the task's size: their reservations together must fit in it.
  const sum = (pick: (c: ContainerDefinition) => number | undefined) =>
    defs.reduce((total, c) => total + (pick(c) ?? 0), 0);
  if (cpu !== undefined && sum((c) => c.cpu) > cpu) {
    // ⚠ wording ours
    throw new ClientException(
      `Invalid setting: the sum of container cpu (${sum((c) => c.cpu)}) exceeds the task cpu (${cpu}).`,
    );
  }
  if (memory !== undefined) {
    for (const c of defs) {
      if (c.memory !== undefined && c.memory > memory) {
        // ⚠ wording ours
        throw new ClientException(
          `Invalid setting for container '${c.name}'. 'memory' (${c.memory}) must not exceed the task memory (${memory}).`,
        );
      }
    }
    const reserved = sum((c) => c.memoryReservation ?? c.memory);
    if (reserved > memory) {
      // ⚠ wording ours
      throw new ClientException(
        `Invalid setting: the sum of container memory reservations (${reserved}) exceeds the task memory (${memory}).`,
      );
    }
  }
}

function validateEphemeralStorage(value: unknown, fargate: boolean): void {
  if (value === undefined) return;
  const size = (value as { sizeInGiB?: unknown }).sizeInGiB;
  if (!Number.isInteger(size) || (size as number) < 21 || (size as number) > 200) {
    // ⚠ wording ours; Fargate accepts 21–200 GiB on top of its 20 GiB default.
    throw new ClientException(
      'The ephemeral storage size must be an integer between 21 and 200 GiB.',
    );
  }
  if (!fargate) {
    // ⚠ wording ours
    throw new ClientException('Ephemeral storage is only supported for Fargate task definitions.');
  }
}

function validateRuntimePlatform(value: unknown): void {
  if (value === undefined) return;
  const platform = value as { cpuArchitecture?: unknown; operatingSystemFamily?: unknown };
  oneOf(platform.cpuArchitecture, 'runtimePlatform.cpuArchitecture', CPU_ARCHITECTURES);
  oneOf(platform.operatingSystemFamily, 'runtimePlatform.operatingSystemFamily', OS_FAMILIES);
}

function validateDependsOn(containers: ContainerDefinition[], names: Set<string>): void {
  const byName = new Map(containers.map((c) => [c.name, c]));
  for (const c of containers) {
    for (const dep of c.dependsOn ?? []) {
      if (!names.has(dep.containerName)) {
        // ⚠ wording ours
        throw new ClientException(
          `Invalid setting for container '${c.name}'. Dependency container '${dep.containerName}' does not exist.`,
        );
      }
      if (!(DEPENDENCY_CONDITIONS as readonly string[]).includes(dep.condition)) {
        throw enumError(dep.condition, 'containerDefinitions.dependsOn.condition', [
          ...DEPENDENCY_CONDITIONS,
        ]);
      }
      // ECS documents that COMPLETE and SUCCESS cannot target an essential container.
      const target = byName.get(dep.containerName);
      if (
        (dep.condition === 'COMPLETE' || dep.condition === 'SUCCESS') &&
        target?.essential !== false
      ) {
        // ⚠ wording ours
        throw new ClientException(
          `Invalid setting for container '${c.name}'. Dependency condition ${dep.condition} can't be set on an essential container ('${dep.containerName}').`,
        );
      }
      if (dep.condition === 'HEALTHY' && !target?.healthCheck) {
        // ⚠ wording ours
        throw new ClientException(
          `Invalid setting for container '${c.name}'. Dependency condition HEALTHY requires container '${dep.containerName}' to have a health check.`,
        );
      }
    }
  }
  // A cycle would leave every container in it waiting for the others forever.
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, path: string[]) => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') {
      // ⚠ wording ours
      throw new ClientException(
        `Invalid dependsOn: containers form a cycle (${[...path, name].join(' -> ')}).`,
      );
    }
    state.set(name, 'visiting');
    for (const dep of byName.get(name)?.dependsOn ?? []) visit(dep.containerName, [...path, name]);
    state.set(name, 'done');
  };
  for (const c of containers) visit(c.name, []);
}
