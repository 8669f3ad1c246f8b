/**
 * Checks of one container definition at registration. Messages marked ⚠ are ours.
 */
import { ClientException } from './ecs.errors.ts';
import type { ContainerDefinition } from './ecs.types.ts';
import { sizeCeilingProblem } from './task-size.ts';

const CONTAINER_NAME = /^[a-zA-Z0-9_-]{1,255}$/;
/** An ECR image (`<account>.dkr.ecr.<region>.amazonaws.com/...`) needs the execution role. */
const ECR_IMAGE = /^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\//;
const FARGATE_LOG_DRIVERS = ['awslogs', 'splunk', 'awsfirelens'];
const ULIMIT_NAMES = [
  'core',
  'cpu',
  'data',
  'fsize',
  'locks',
  'memlock',
  'msgqueue',
  'nice',
  'nofile',
  'nproc',
  'rss',
  'rtprio',
  'rttime',
  'sigpending',
  'stack',
];

export interface ContainerContext {
  fargate: boolean;
  networkMode: string;
  taskCpu: number | undefined;
  taskMemory: number | undefined;
  hasExecutionRole: boolean;
}

function invalid(name: string, detail: string): ClientException {
  return new ClientException(`Invalid setting for container '${name}'. ${detail}`);
}

function isNonNegativeInt(v: unknown): boolean {
  return Number.isInteger(v) && (v as number) >= 0;
}

export function validateContainer(c: ContainerDefinition, ctx: ContainerContext): void {
  if (typeof c !== 'object' || c === null) {
    throw new ClientException('Container definition must be an object.'); // ⚠
  }
  if (typeof c.name !== 'string' || c.name === '') {
    throw new ClientException('Container.name should not be null or empty.'); // ⚠ (moto)
  }
  if (!CONTAINER_NAME.test(c.name)) {
    // ⚠ wording ours
    throw new ClientException(
      'Container name should be up to 255 letters (uppercase and lowercase), numbers, hyphens, and underscores.',
    );
  }
  if (typeof c.image !== 'string' || c.image === '') {
    throw new ClientException('Container.image should not be null or empty.'); // ⚠ (moto)
  }
  if (c.image.split('@')[0]!.length > 255) {
    throw invalid(c.name, "'image' must be at most 255 characters before any digest."); // ⚠
  }
  for (const member of ['cpu', 'memory', 'memoryReservation'] as const) {
    if (c[member] !== undefined && !isNonNegativeInt(c[member])) {
      throw invalid(c.name, `'${member}' must be a non-negative integer.`); // ⚠
    }
  }
  const ceiling =
    sizeCeilingProblem('Container', c.cpu, c.memory) ??
    sizeCeilingProblem('Container', undefined, c.memoryReservation);
  if (ceiling !== undefined) throw invalid(c.name, ceiling); // ⚠
  if (ctx.taskMemory === undefined && c.memory === undefined && c.memoryReservation === undefined) {
    // ⚠ commonly reported wording
    throw invalid(c.name, "At least one of 'memory' or 'memoryReservation' must be specified.");
  }
  if (
    c.memory !== undefined &&
    c.memoryReservation !== undefined &&
    c.memoryReservation > c.memory
  ) {
    // ⚠ wording ours
    throw invalid(c.name, "'memory' must be greater than or equal to 'memoryReservation'.");
  }
  validateTimeouts(c, ctx.fargate);
  validateEnvironment(c);
  validatePorts(c, ctx.networkMode);
  validateHealthCheck(c);
  validateUlimits(c);
  validateLogging(c, ctx);
  if (ctx.fargate && ECR_IMAGE.test(c.image) && !ctx.hasExecutionRole) {
    throw new ClientException(
      'Fargate requires task definition to have execution role ARN to support ECR images.',
    );
  }
}

function validateTimeouts(c: ContainerDefinition, fargate: boolean): void {
  for (const member of ['startTimeout', 'stopTimeout'] as const) {
    const value = c[member] as unknown;
    if (value === undefined) continue;
    // Fargate allows 2–120 seconds for both; on EC2 only the agent's own limits apply.
    const ok =
      Number.isInteger(value) &&
      (fargate ? (value as number) >= 2 && (value as number) <= 120 : (value as number) >= 0);
    if (!ok) {
      // ⚠ wording ours
      throw invalid(
        c.name,
        fargate
          ? `'${member}' must be between 2 and 120 seconds on Fargate.`
          : `'${member}' must be a non-negative integer.`,
      );
    }
  }
}

function validateEnvironment(c: ContainerDefinition): void {
  for (const pair of c.environment ?? []) {
    if (typeof pair?.name !== 'string' || pair.name === '') {
      throw invalid(c.name, 'Environment variable names must not be empty.'); // ⚠
    }
  }
  for (const secret of c.secrets ?? []) {
    if (typeof secret?.name !== 'string' || typeof secret.valueFrom !== 'string') {
      throw invalid(c.name, "Each secret needs a 'name' and a 'valueFrom'."); // ⚠
    }
  }
}

function validatePorts(c: ContainerDefinition, networkMode: string): void {
  for (const pm of c.portMappings ?? []) {
    const port = pm.containerPort;
    if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
      throw invalid(c.name, `Invalid containerPort ${String(port)}.`); // ⚠
    }
    if (pm.protocol !== undefined && pm.protocol !== 'tcp' && pm.protocol !== 'udp') {
      throw invalid(c.name, `Invalid protocol '${pm.protocol}'; use tcp or udp.`); // ⚠
    }
    if (
      (networkMode === 'awsvpc' || networkMode === 'host') &&
      pm.hostPort !== undefined &&
      pm.hostPort !== port
    ) {
      // ⚠ commonly reported ECS wording
      throw new ClientException(
        `When networkMode=${networkMode}, the host ports and container ports in port mappings must match.`,
      );
    }
  }
}

function validateHealthCheck(c: ContainerDefinition): void {
  const hc = c.healthCheck;
  if (!hc) return;
  const first = Array.isArray(hc.command) ? hc.command[0] : undefined;
  if (first !== 'CMD' && first !== 'CMD-SHELL' && first !== 'NONE') {
    // ⚠ wording ours
    throw invalid(c.name, "The health check command must start with 'CMD', 'CMD-SHELL' or 'NONE'.");
  }
  const ranges: [keyof typeof hc, number, number][] = [
    ['interval', 5, 300],
    ['timeout', 2, 60],
    ['retries', 1, 10],
    ['startPeriod', 0, 300],
  ];
  for (const [member, min, max] of ranges) {
    const value = hc[member] as unknown;
    if (value === undefined) continue;
    if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) {
      // ⚠ wording ours
      throw invalid(c.name, `Health check '${member}' must be between ${min} and ${max}.`);
    }
  }
}

function validateUlimits(c: ContainerDefinition): void {
  for (const u of c.ulimits ?? []) {
    if (!ULIMIT_NAMES.includes(u?.name)) {
      throw invalid(c.name, `Invalid ulimit name '${String(u?.name)}'.`); // ⚠
    }
    if (
      !Number.isInteger(u.softLimit) ||
      !Number.isInteger(u.hardLimit) ||
      u.softLimit > u.hardLimit
    ) {
      throw invalid(c.name, `Ulimit '${u.name}' needs integer limits with softLimit <= hardLimit.`); // ⚠
    }
  }
}

function validateLogging(c: ContainerDefinition, ctx: ContainerContext): void {
  const driver = c.logConfiguration?.logDriver;
  if (driver === undefined) return;
  if (ctx.fargate && !FARGATE_LOG_DRIVERS.includes(driver)) {
    // ⚠ wording ours
    throw invalid(
      c.name,
      `Fargate supports only the awslogs, splunk and awsfirelens log drivers, not '${driver}'.`,
    );
  }
  if (driver === 'awslogs') {
    const options = c.logConfiguration?.options ?? {};
    if (!options['awslogs-group']) {
      // ⚠ wording ours; the driver cannot start without a group.
      throw invalid(c.name, "The awslogs log driver requires the 'awslogs-group' option.");
    }
    if (ctx.fargate && !ctx.hasExecutionRole) {
      throw new ClientException(
        'Fargate requires task definition to have execution role ARN to support log driver awslogs.',
      );
    }
  }
}
