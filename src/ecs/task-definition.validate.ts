/**
 * RegisterTaskDefinition's checks, in ECS's words where they are known. Sizes come in ECS's
 * accepted forms ("256", "0.25 vCPU", "512", "1 GB") and are normalised to CPU units and MiB.
 */
import { DEPENDENCY_CONDITIONS } from '../tasks/container-dependencies.ts';
import { ClientException } from './ecs.errors.ts';
import type { ContainerDefinition } from './ecs.types.ts';

const FAMILY = /^[a-zA-Z0-9_-]{1,255}$/;
const CONTAINER_NAME = /^[a-zA-Z0-9_-]{1,255}$/;

/** Fargate's valid task sizes: CPU units → allowed memory in MiB. */
const FARGATE_SIZES: ReadonlyMap<number, readonly number[]> = new Map([
  [256, [512, 1024, 2048]],
  [512, range(1024, 4096, 1024)],
  [1024, range(2048, 8192, 1024)],
  [2048, range(4096, 16384, 1024)],
  [4096, range(8192, 30720, 1024)],
  [8192, range(16384, 61440, 4096)],
  [16384, range(32768, 122880, 8192)],
]);

function range(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let v = from; v <= to; v += step) out.push(v);
  return out;
}

/** "1 vCPU", "0.25 vcpu" or "256" → CPU units; undefined when unreadable. */
export function parseCpu(value: string): number | undefined {
  const vcpu = /^\s*(\d+(?:\.\d+)?)\s*vcpu\s*$/i.exec(value);
  if (vcpu) return Math.round(Number(vcpu[1]) * 1024);
  return /^\s*\d+\s*$/.test(value) ? Number(value) : undefined;
}

/** "1 GB", "2gb" or "512" → MiB; undefined when unreadable. */
export function parseMemory(value: string): number | undefined {
  const gb = /^\s*(\d+(?:\.\d+)?)\s*gb\s*$/i.exec(value);
  if (gb) return Math.round(Number(gb[1]) * 1024);
  return /^\s*\d+\s*$/.test(value) ? Number(value) : undefined;
}

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
}

/** Validates a registration; returns task-level cpu and memory normalised to numbers-as-strings. */
export function validateRegistration(input: RegisterShape): NormalisedSizes {
  if (typeof input.family !== 'string' || !FAMILY.test(input.family)) {
    throw new ClientException(
      'Family contains invalid characters or is too long: up to 255 letters (uppercase and lowercase), numbers, hyphens, and underscores are allowed.',
    );
  }
  const containers = input.containerDefinitions;
  if (!Array.isArray(containers) || containers.length === 0) {
    throw new ClientException('Container list cannot be empty.');
  }
  const fargate =
    Array.isArray(input.requiresCompatibilities) &&
    input.requiresCompatibilities.includes('FARGATE');

  let cpu: number | undefined;
  let memory: number | undefined;
  if (input.cpu !== undefined) {
    cpu = typeof input.cpu === 'string' ? parseCpu(input.cpu) : undefined;
    if (cpu === undefined) throw new ClientException(`Invalid 'cpu' setting for task.`);
  }
  if (input.memory !== undefined) {
    memory = typeof input.memory === 'string' ? parseMemory(input.memory) : undefined;
    if (memory === undefined) throw new ClientException(`Invalid 'memory' setting for task.`);
  }

  if (fargate) {
    if (input.networkMode !== 'awsvpc') {
      throw new ClientException('Fargate only supports network mode ‘awsvpc’.');
    }
    if (cpu === undefined) {
      throw new ClientException("Fargate requires that 'cpu' be defined at the task level.");
    }
    if (memory === undefined) {
      throw new ClientException("Fargate requires that 'memory' be defined at the task level.");
    }
    if (!FARGATE_SIZES.get(cpu)?.includes(memory)) {
      throw new ClientException(
        `No Fargate configuration exists for given values: ${cpu} CPU, ${memory} memory. See the Amazon ECS documentation for the valid values.`,
      );
    }
  }

  validateContainers(containers as ContainerDefinition[], { fargate, memory, input });
  return {
    ...(cpu === undefined ? {} : { cpu: String(cpu) }),
    ...(memory === undefined ? {} : { memory: String(memory) }),
  };
}

function validateContainers(
  containers: ContainerDefinition[],
  ctx: { fargate: boolean; memory: number | undefined; input: RegisterShape },
): void {
  const names = new Set<string>();
  let containerMemory = 0;
  for (const c of containers) {
    if (typeof c !== 'object' || c === null) {
      throw new ClientException('Container definition is not an object.');
    }
    if (typeof c.name !== 'string' || !CONTAINER_NAME.test(c.name)) {
      throw new ClientException(
        'Container name should be up to 255 letters (uppercase and lowercase), numbers, hyphens, and underscores.',
      );
    }
    if (names.has(c.name)) throw new ClientException(`Duplicate container name: ${c.name}`);
    names.add(c.name);
    if (typeof c.image !== 'string' || c.image.length === 0) {
      throw new ClientException(`Container.image should not be null or empty.`);
    }
    if (ctx.memory === undefined && c.memory === undefined && c.memoryReservation === undefined) {
      throw new ClientException(
        `Invalid setting for container '${c.name}'. At least one of 'memory' or 'memoryReservation' must be specified.`,
      );
    }
    if (
      c.memory !== undefined &&
      c.memoryReservation !== undefined &&
      c.memoryReservation > c.memory
    ) {
      throw new ClientException(
        `Invalid setting for container '${c.name}'. 'memory' must be greater than or equal to 'memoryReservation'.`,
      );
    }
    if (c.memory !== undefined) containerMemory += c.memory;
    if (c.stopTimeout !== undefined && ctx.fargate && c.stopTimeout > 120) {
      // Ours: Fargate caps stopTimeout at 120 s; ECS rejects larger values for Fargate.
      throw new ClientException(
        `Invalid setting for container '${c.name}'. 'stopTimeout' must be at most 120 seconds on Fargate.`,
      );
    }
    const driver = c.logConfiguration?.logDriver;
    if (driver === 'awslogs' && ctx.fargate && typeof ctx.input.executionRoleArn !== 'string') {
      throw new ClientException(
        'Fargate requires task definition to have execution role ARN to support log driver awslogs.',
      );
    }
  }
  if (ctx.memory !== undefined && containerMemory > ctx.memory) {
    throw new ClientException(
      `Invalid setting: the sum of container memory (${containerMemory}) exceeds the task memory (${ctx.memory}).`,
    );
  }
  if (!containers.some((c) => c.essential !== false)) {
    throw new ClientException('A task definition must have at least one essential container.');
  }
  validateDependsOn(containers, names);
}

function validateDependsOn(containers: ContainerDefinition[], names: Set<string>): void {
  const essential = new Map(containers.map((c) => [c.name, c.essential !== false]));
  for (const c of containers) {
    for (const dep of c.dependsOn ?? []) {
      if (!names.has(dep.containerName)) {
        throw new ClientException(
          `Invalid setting for container '${c.name}'. Dependency container '${dep.containerName}' does not exist.`,
        );
      }
      if (!(DEPENDENCY_CONDITIONS as readonly string[]).includes(dep.condition)) {
        throw new ClientException(`Invalid dependency condition '${String(dep.condition)}'.`);
      }
      // ECS: COMPLETE and SUCCESS cannot be set on an essential container.
      if (
        (dep.condition === 'COMPLETE' || dep.condition === 'SUCCESS') &&
        essential.get(dep.containerName)
      ) {
        throw new ClientException(
          `Invalid setting for container '${c.name}'. Dependency condition ${dep.condition} can't be set on an essential container ('${dep.containerName}').`,
        );
      }
      if (dep.condition === 'HEALTHY') {
        const target = containers.find((t) => t.name === dep.containerName);
        if (!target?.healthCheck) {
          throw new ClientException(
            `Invalid setting for container '${c.name}'. Dependency condition HEALTHY requires container '${dep.containerName}' to have a health check.`,
          );
        }
      }
    }
  }
  // A cycle would leave every container in it waiting forever.
  const state = new Map<string, 'visiting' | 'done'>();
  const byName = new Map(containers.map((c) => [c.name, c]));
  const visit = (name: string) => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') {
      throw new ClientException(`Invalid dependsOn: containers form a cycle through '${name}'.`);
    }
    state.set(name, 'visiting');
    for (const dep of byName.get(name)?.dependsOn ?? []) visit(dep.containerName);
    state.set(name, 'done');
  };
  for (const c of containers) visit(c.name);
}
