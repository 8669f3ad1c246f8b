/**
 * The ECS service as one object whose methods are ECS's operations (camelCase, wire input →
 * wire output), the same facade style as EventsService and LogsService, so the HTTP layer, the
 * CLI and the firing loop reach clusters, task definitions and tasks the same way.
 * Inputs and outputs are ECS's wire shapes with timestamps in epoch ms (see `ecs.types.ts`).
 * Every operation takes the caller's AwsContext first (the HTTP layer passes the region of the
 * request's SigV4 scope): clusters, task definitions and tasks belong to the region they were
 * made in.
 */
import type { AwsContext } from '../platform/ids.ts';
import { PageTokens } from '../platform/page-token.ts';
import type { EcsTaskRunner } from './run-task.ports.ts';
import { ClusterService, type EcsDeps } from './cluster.service.ts';
import { EcsTags } from './ecs-tags.service.ts';
import { TaskDefinitionService } from './task-definition.service.ts';
import {
  DEFAULT_STOPPED_TASK_RETENTION_MS,
  type RunTaskInput,
  TasksService,
  type TasksServiceOptions,
} from './tasks.service.ts';

export type { EcsDeps } from './cluster.service.ts';

/** What an EcsService needs; without `pageTokens` it signs its page tokens with a key of its own. */
export type EcsServiceDeps = Omit<EcsDeps, 'pageTokens'> & { pageTokens?: PageTokens };
export type { RunTaskInput, TaskLauncher } from './tasks.service.ts';

/** The input and output shapes of a sub-service's operation, so the facade repeats no type. */
type In<S, K extends keyof S> = S[K] extends (
  ctx: AwsContext,
  input: infer I,
  ...rest: never[]
) => unknown
  ? I
  : never;
type Out<S, K extends keyof S> = S[K] extends (...args: never[]) => Promise<infer O> ? O : never;

export class EcsService implements EcsTaskRunner {
  readonly clusters: ClusterService;
  readonly taskDefinitions: TaskDefinitionService;
  readonly tasks: TasksService;
  readonly tags: EcsTags;

  constructor(given: EcsServiceDeps, options: Partial<TasksServiceOptions> = {}) {
    const deps: EcsDeps = {
      ...given,
      pageTokens: given.pageTokens ?? new PageTokens({ clock: given.clock }),
    };
    this.clusters = new ClusterService(deps);
    const allowHostAccess = options.allowHostAccess ?? false;
    this.taskDefinitions = new TaskDefinitionService(deps, { allowHostAccess });
    this.tags = new EcsTags(deps.store);
    this.tasks = new TasksService(deps, this.clusters, this.taskDefinitions, {
      awsvpcNetwork: options.awsvpcNetwork ?? 'bridge',
      stoppedTaskRetentionMs: options.stoppedTaskRetentionMs ?? DEFAULT_STOPPED_TASK_RETENTION_MS,
      ...(options.extraLabels ? { extraLabels: options.extraLabels } : {}),
      allowHostAccess,
    });
  }

  // Clusters
  createCluster(
    ctx: AwsContext,
    input: In<ClusterService, 'createCluster'> = {},
  ): Promise<Out<ClusterService, 'createCluster'>> {
    return this.clusters.createCluster(ctx, input);
  }

  describeClusters(
    ctx: AwsContext,
    input: In<ClusterService, 'describeClusters'> = {},
  ): Promise<Out<ClusterService, 'describeClusters'>> {
    return this.clusters.describeClusters(ctx, input);
  }

  listClusters(
    ctx: AwsContext,
    input: In<ClusterService, 'listClusters'> = {},
  ): Promise<Out<ClusterService, 'listClusters'>> {
    return this.clusters.listClusters(ctx, input);
  }

  deleteCluster(
    ctx: AwsContext,
    input: In<ClusterService, 'deleteCluster'>,
  ): Promise<Out<ClusterService, 'deleteCluster'>> {
    return this.clusters.deleteCluster(ctx, input);
  }

  updateCluster(
    ctx: AwsContext,
    input: In<ClusterService, 'updateCluster'>,
  ): Promise<Out<ClusterService, 'updateCluster'>> {
    return this.clusters.updateCluster(ctx, input);
  }

  updateClusterSettings(
    ctx: AwsContext,
    input: In<ClusterService, 'updateClusterSettings'>,
  ): Promise<Out<ClusterService, 'updateClusterSettings'>> {
    return this.clusters.updateClusterSettings(ctx, input);
  }

  putClusterCapacityProviders(
    ctx: AwsContext,
    input: In<ClusterService, 'putClusterCapacityProviders'>,
  ): Promise<Out<ClusterService, 'putClusterCapacityProviders'>> {
    return this.clusters.putClusterCapacityProviders(ctx, input);
  }

  // Task definitions
  registerTaskDefinition(
    ctx: AwsContext,
    input: In<TaskDefinitionService, 'registerTaskDefinition'>,
  ): Promise<Out<TaskDefinitionService, 'registerTaskDefinition'>> {
    return this.taskDefinitions.registerTaskDefinition(ctx, input);
  }

  describeTaskDefinition(
    ctx: AwsContext,
    input: In<TaskDefinitionService, 'describeTaskDefinition'>,
  ): Promise<Out<TaskDefinitionService, 'describeTaskDefinition'>> {
    return this.taskDefinitions.describeTaskDefinition(ctx, input);
  }

  deregisterTaskDefinition(
    ctx: AwsContext,
    input: In<TaskDefinitionService, 'deregisterTaskDefinition'>,
  ): Promise<Out<TaskDefinitionService, 'deregisterTaskDefinition'>> {
    return this.taskDefinitions.deregisterTaskDefinition(ctx, input);
  }

  deleteTaskDefinitions(
    ctx: AwsContext,
    input: In<TaskDefinitionService, 'deleteTaskDefinitions'>,
  ): Promise<Out<TaskDefinitionService, 'deleteTaskDefinitions'>> {
    return this.taskDefinitions.deleteTaskDefinitions(ctx, input);
  }

  listTaskDefinitions(
    ctx: AwsContext,
    input: In<TaskDefinitionService, 'listTaskDefinitions'> = {},
  ): Promise<Out<TaskDefinitionService, 'listTaskDefinitions'>> {
    return this.taskDefinitions.listTaskDefinitions(ctx, input);
  }

  listTaskDefinitionFamilies(
    ctx: AwsContext,
    input: In<TaskDefinitionService, 'listTaskDefinitionFamilies'> = {},
  ): Promise<Out<TaskDefinitionService, 'listTaskDefinitionFamilies'>> {
    return this.taskDefinitions.listTaskDefinitionFamilies(ctx, input);
  }

  // Tasks
  runTask(
    ctx: AwsContext,
    input: RunTaskInput,
    options: { startedBy?: string } = {},
  ): Promise<Out<TasksService, 'runTask'>> {
    return this.tasks.runTask(ctx, input, options);
  }

  describeTasks(
    ctx: AwsContext,
    input: In<TasksService, 'describeTasks'>,
  ): Promise<Out<TasksService, 'describeTasks'>> {
    return this.tasks.describeTasks(ctx, input);
  }

  listTasks(
    ctx: AwsContext,
    input: In<TasksService, 'listTasks'> = {},
  ): Promise<Out<TasksService, 'listTasks'>> {
    return this.tasks.listTasks(ctx, input);
  }

  stopTask(
    ctx: AwsContext,
    input: In<TasksService, 'stopTask'>,
  ): Promise<Out<TasksService, 'stopTask'>> {
    return this.tasks.stopTask(ctx, input);
  }

  // Tags
  tagResource(
    ctx: AwsContext,
    input: In<EcsTags, 'tagResource'>,
  ): Promise<Out<EcsTags, 'tagResource'>> {
    return this.tags.tagResource(ctx, input);
  }

  untagResource(
    ctx: AwsContext,
    input: In<EcsTags, 'untagResource'>,
  ): Promise<Out<EcsTags, 'untagResource'>> {
    return this.tags.untagResource(ctx, input);
  }

  listTagsForResource(
    ctx: AwsContext,
    input: In<EcsTags, 'listTagsForResource'>,
  ): Promise<Out<EcsTags, 'listTagsForResource'>> {
    return this.tags.listTagsForResource(ctx, input);
  }
}
