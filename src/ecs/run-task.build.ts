/**
 * The `Task` document RunTask returns, built as a pure function of the request, the task
 * definition, the time and the ids (so tests can pin every field).
 *
 * The network interface is a record only: cronbridge creates no ENI. Its id and MAC address are
 * derived from the task id (stable, shaped as AWS's) so tools reading `attachments` find them;
 * its private address is never made up: it appears when the container engine reports the
 * container's real one (see `task-lifecycle.ts`), and not at all for a container without one.
 */
import { createHash } from 'node:crypto';

import type { AwsContext } from '../platform/ids.ts';
import { containerArn, taskArn as taskArnOf } from './ecs-arns.ts';
import { mergeTags } from './ecs-tags.validate.ts';
import type { Cluster, Tag, Task, TaskDefinition, TaskOverride } from './ecs.types.ts';
import type { LaunchChoice, RunTaskInput } from './run-task.validate.ts';

export interface TaskIds {
  /** 32 lower-case hex characters. */
  taskId: string;
  /** The ENI attachment's id (a UUID). */
  attachmentId: string;
  /** One id per container, in definition order. */
  containerIds: string[];
}

export interface BuildTaskParams {
  context: AwsContext;
  cluster: Cluster;
  taskDefinition: TaskDefinition;
  taskDefinitionTags: Tag[];
  input: RunTaskInput;
  /** The request's validated tags. */
  tags: Tag[];
  launch: LaunchChoice;
  now: number;
  ids: TaskIds;
  /** The Availability Zone of the task's subnet, when the VPC directory knows it. */
  availabilityZone?: string;
}

export function buildTask(p: BuildTaskParams): Task {
  const { context, cluster, taskDefinition: td, input, launch, ids } = p;
  const taskArn = taskArnOf(context, cluster.clusterName, ids.taskId);
  const awsvpc = input.networkConfiguration?.awsvpcConfiguration;
  const eni = awsvpc ? syntheticEni(ids.taskId) : undefined;
  const overrides: TaskOverride = {
    ...input.overrides,
    // ECS reports one entry per container even when nothing was overridden.
    containerOverrides: td.containerDefinitions.map(
      (c) =>
        input.overrides?.containerOverrides?.find((o) => o.name === c.name) ?? { name: c.name },
    ),
    inferenceAcceleratorOverrides: [],
  };
  const arm = td.runtimePlatform?.cpuArchitecture === 'ARM64';
  return {
    taskArn,
    clusterArn: cluster.clusterArn,
    taskDefinitionArn: td.taskDefinitionArn,
    ...(launch.capacityProviderName ? { capacityProviderName: launch.capacityProviderName } : {}),
    ...(launch.launchType ? { launchType: launch.launchType } : {}),
    ...(launch.fargate
      ? {
          platformVersion: launch.platformVersion ?? '1.4.0',
          platformFamily: td.runtimePlatform?.operatingSystemFamily?.startsWith('WINDOWS')
            ? 'Windows'
            : 'Linux',
        }
      : {}),
    ...((input.overrides?.cpu ?? td.cpu) ? { cpu: input.overrides?.cpu ?? td.cpu } : {}),
    ...((input.overrides?.memory ?? td.memory)
      ? { memory: input.overrides?.memory ?? td.memory }
      : {}),
    availabilityZone: p.availabilityZone ?? `${context.region}a`,
    group: input.group ?? `family:${td.family}`,
    ...(input.startedBy ? { startedBy: input.startedBy } : {}),
    desiredStatus: 'RUNNING',
    lastStatus: 'PROVISIONING',
    createdAt: p.now,
    overrides,
    attributes: [{ name: 'ecs.cpu-architecture', value: arm ? 'arm64' : 'x86_64' }],
    attachments:
      awsvpc && eni
        ? [
            {
              id: ids.attachmentId,
              type: 'ElasticNetworkInterface',
              status: 'PRECREATED',
              details: [
                { name: 'subnetId', value: awsvpc.subnets?.[0] ?? '' },
                { name: 'networkInterfaceId', value: eni.id },
                { name: 'macAddress', value: eni.mac },
              ],
            },
          ]
        : [],
    containers: td.containerDefinitions.map((c, i) => ({
      containerArn: containerArn(
        context,
        cluster.clusterName,
        ids.taskId,
        ids.containerIds[i] ?? '',
      ),
      taskArn,
      name: c.name,
      image: c.image,
      lastStatus: 'PENDING' as const,
      cpu: String(c.cpu ?? 0),
      ...(c.memory !== undefined ? { memory: String(c.memory) } : {}),
      ...(c.memoryReservation !== undefined
        ? { memoryReservation: String(c.memoryReservation) }
        : {}),
      networkInterfaces: awsvpc && eni ? [{ attachmentId: ids.attachmentId }] : [],
    })),
    tags: taskTags(p),
    enableExecuteCommand: input.enableExecuteCommand ?? false,
    ...(launch.fargate
      ? {
          ephemeralStorage: input.overrides?.ephemeralStorage ??
            td.ephemeralStorage ?? { sizeInGiB: 20 },
        }
      : {}),
    version: 1,
  };
}

/**
 * The task's tags: the definition's when `propagateTags` is TASK_DEFINITION, then the request's
 * (winning on equal keys), then ECS's managed tag when asked for.
 */
function taskTags(p: BuildTaskParams): Tag[] {
  const propagated = p.input.propagateTags === 'TASK_DEFINITION' ? p.taskDefinitionTags : [];
  const managed = p.input.enableECSManagedTags
    ? [{ key: 'aws:ecs:clusterName', value: p.cluster.clusterName }]
    : [];
  return mergeTags(mergeTags(propagated, p.tags), managed);
}

/** Stable ENI id and MAC address derived from the task id (no address: see the module doc). */
function syntheticEni(taskId: string) {
  const h = createHash('sha256').update(taskId).digest();
  const byte = (i: number) => h[i] ?? 0;
  const mac = ['02', ...[2, 3, 4, 5, 6].map((i) => byte(i).toString(16).padStart(2, '0'))].join(
    ':',
  );
  return {
    id: `eni-${h.subarray(8, 17).toString('hex').slice(0, 17)}`,
    mac,
  };
}
