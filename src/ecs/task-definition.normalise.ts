/**
 * The task definition document ECS echoes after RegisterTaskDefinition: the caller's members
 * (known task-level members only), container defaults filled in as ECS fills them, and the
 * server-computed fields. Terraform compares this echo with its configuration, so defaults matter.
 * ⚠ ECS's exact default-filling set is not confirmed; this follows observed responses.
 */
import type { ContainerDefinition, TaskDefinition } from './ecs.types.ts';
import type { NormalisedSizes } from './task-definition.validate.ts';

/** Task-level members of RegisterTaskDefinition that are part of the stored definition. */
const TASK_MEMBERS = [
  'taskRoleArn',
  'executionRoleArn',
  'networkMode',
  'volumes',
  'placementConstraints',
  'requiresCompatibilities',
  'pidMode',
  'ipcMode',
  'proxyConfiguration',
  'inferenceAccelerators',
  'ephemeralStorage',
  'runtimePlatform',
  'enableFaultInjection',
] as const;

export interface Registration {
  family: string;
  revision: number;
  taskDefinitionArn: string;
  registeredAt: number;
  registeredBy: string;
}

export function normaliseContainer(
  c: ContainerDefinition,
  networkMode: string | undefined,
): ContainerDefinition {
  const mapPorts = networkMode === 'awsvpc' || networkMode === 'host';
  return {
    ...c,
    cpu: c.cpu ?? 0,
    essential: c.essential ?? true,
    environment: c.environment ?? [],
    mountPoints: c.mountPoints ?? [],
    volumesFrom: (c['volumesFrom'] as unknown[] | undefined) ?? [],
    // awsvpc and host tasks use the container port on the host too.
    portMappings: (c.portMappings ?? []).map((pm) => ({
      ...pm,
      ...(mapPorts && pm.containerPort !== undefined ? { hostPort: pm.containerPort } : {}),
      protocol: pm.protocol ?? 'tcp',
    })),
  };
}

export function buildTaskDefinition(
  input: Record<string, unknown>,
  sizes: NormalisedSizes,
  reg: Registration,
): TaskDefinition {
  const known: Record<string, unknown> = {};
  for (const member of TASK_MEMBERS) {
    if (input[member] !== undefined) known[member] = input[member];
  }
  const networkMode = input['networkMode'] as string | undefined;
  const containerDefinitions = (input['containerDefinitions'] as ContainerDefinition[]).map((c) =>
    normaliseContainer(c, networkMode),
  );
  const requires = (input['requiresCompatibilities'] as string[] | undefined) ?? [];
  return {
    ...known,
    ...sizes,
    taskDefinitionArn: reg.taskDefinitionArn,
    family: reg.family,
    revision: reg.revision,
    containerDefinitions,
    volumes: (input['volumes'] as unknown[] | undefined) ?? [],
    status: 'ACTIVE',
    requiresAttributes: requiredAttributes(input, containerDefinitions),
    placementConstraints: (input['placementConstraints'] as unknown[] | undefined) ?? [],
    compatibilities: compatibilities(requires),
    registeredAt: reg.registeredAt,
    registeredBy: reg.registeredBy,
  };
}

/**
 * The launch types the definition was validated against: ECS always checks EC2 and adds what
 * `requiresCompatibilities` asked for (a Fargate definition reports `["EC2", "FARGATE"]`).
 */
function compatibilities(requires: string[]): string[] {
  return ['EC2', ...requires.filter((r) => r !== 'EC2')];
}

/** What ECS lists in `requiresAttributes` for the features a definition uses. */
function requiredAttributes(input: Record<string, unknown>, containers: ContainerDefinition[]) {
  const attrs = new Set<string>();
  const awslogs = containers.some((c) => c.logConfiguration?.logDriver === 'awslogs');
  if (input['networkMode'] === 'awsvpc') {
    attrs.add('ecs.capability.task-eni');
    attrs.add('com.amazonaws.ecs.capability.docker-remote-api.1.18');
  }
  if (input['taskRoleArn']) attrs.add('com.amazonaws.ecs.capability.task-iam-role');
  if (awslogs) {
    attrs.add('com.amazonaws.ecs.capability.logging-driver.awslogs');
    attrs.add('com.amazonaws.ecs.capability.docker-remote-api.1.19');
    if (input['executionRoleArn']) attrs.add('ecs.capability.execution-role-awslogs');
  }
  for (const c of containers) {
    if (c.dependsOn?.length) attrs.add('ecs.capability.container-ordering');
    if (c.healthCheck) {
      attrs.add('ecs.capability.container-health-check');
      attrs.add('com.amazonaws.ecs.capability.docker-remote-api.1.24');
    }
    if (c.secrets?.some((s) => s.valueFrom.includes(':ssm:') || !s.valueFrom.startsWith('arn:'))) {
      attrs.add('ecs.capability.secrets.ssm.environment-variables');
    }
    if (c.secrets?.some((s) => s.valueFrom.includes(':secretsmanager:'))) {
      attrs.add('ecs.capability.secrets.asm.environment-variables');
    }
  }
  return [...attrs].sort().map((name) => ({ name }));
}
