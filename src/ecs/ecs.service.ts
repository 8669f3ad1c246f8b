/**
 * The ECS service as one object whose methods are ECS's operations (camelCase, wire input →
 * wire output), the same facade style as EventsService and LogsService, so the HTTP layer, the
 * CLI and the firing loop reach clusters, task definitions and tasks the same way.
 * Inputs and outputs are ECS's wire shapes with timestamps in epoch ms (see `ecs.types.ts`).
 */
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
type In<S, K extends keyof S> = S[K] extends (input: infer I, ...rest: never[]) => unknown
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
    this.tags = new EcsTags(deps.store, deps.context);
    this.tasks = new TasksService(deps, this.clusters, this.taskDefinitions, {
      awsvpcNetwork: options.awsvpcNetwork ?? 'bridge',
      stoppedTaskRetentionMs: options.stoppedTaskRetentionMs ?? DEFAULT_STOPPED_TASK_RETENTION_MS,
      ...(options.extraLabels ? { extraLabels: options.extraLabels } : {}),
      allowHostAccess,
    });
  }

  // Clusters
  createCluster(
    input: In<ClusterService, 'createCluster'> = {},
  ): Promise<Out<ClusterService, 'createCluster'>> {
    return this.clusters.createCluster(input);
  }

  describeClusters(
    input: In<ClusterService, 'describeClusters'> = {},
  ): Promise<Out<ClusterService, 'describeClusters'>> {
    return this.clusters.describeClusters(input);
  }

  listClusters(
    input: In<ClusterService, 'listClusters'> = {},
  ): Promise<Out<ClusterService, 'listClusters'>> {
    return this.clusters.listClusters(input);
  }

  deleteCluster(
    input: In<ClusterService, 'deleteCluster'>,
  ): Promise<Out<ClusterService, 'deleteCluster'>> {
    return this.clusters.deleteCluster(input);
  }

  updateClusterSettings(
    input: In<ClusterService, 'updateClusterSettings'>,
  ): Promise<Out<ClusterService, 'updateClusterSettings'>> {
    return this.clusters.updateClusterSettings(input);
  }

  putClusterCapacityProviders(
    input: In<ClusterService, 'putClusterCapacityProviders'>,
  ): Promise<Out<ClusterService, 'putClusterCapacityProviders'>> {
    return this.clusters.putClusterCapacityProviders(input);
  }

  // Task definitions
  registerTaskDefinition(
    input: In<TaskDefinitionService, 'registerTaskDefinition'>,
  ): Promise<Out<TaskDefinitionService, 'registerTaskDefinition'>> {
    return this.taskDefinitions.registerTaskDefinition(input);
  }

  describeTaskDefinition(
    input: In<TaskDefinitionService, 'describeTaskDefinition'>,
  ): Promise<Out<TaskDefinitionService, 'describeTaskDefinition'>> {
    return this.taskDefinitions.describeTaskDefinition(input);
  }

  deregisterTaskDefinition(
    input: In<TaskDefinitionService, 'deregisterTaskDefinition'>,
  ): Promise<Out<TaskDefinitionService, 'deregisterTaskDefinition'>> {
    return this.taskDefinitions.deregisterTaskDefinition(input);
  }

  deleteTaskDefinitions(
    input: In<TaskDefinitionService, 'deleteTaskDefinitions'>,
  ): Promise<Out<TaskDefinitionService, 'deleteTaskDefinitions'>> {
    return this.taskDefinitions.deleteTaskDefinitions(input);
  }

  listTaskDefinitions(
    input: In<TaskDefinitionService, 'listTaskDefinitions'> = {},
  ): Promise<Out<TaskDefinitionService, 'listTaskDefinitions'>> {
    return this.taskDefinitions.listTaskDefinitions(input);
  }

  listTaskDefinitionFamilies(
    input: In<TaskDefinitionService, 'listTaskDefinitionFamilies'> = {},
  ): Promise<Out<TaskDefinitionService, 'listTaskDefinitionFamilies'>> {
    return this.taskDefinitions.listTaskDefinitionFamilies(input);
  }

  // Tasks
  runTask(
    input: RunTaskInput,
    options: { startedBy?: string } = {},
  ): Promise<Out<TasksService, 'runTask'>> {
    return this.tasks.runTask(input, options);
  }

  describeTasks(
    input: In<TasksService, 'describeTasks'>,
  ): Promise<Out<TasksService, 'describeTasks'>> {
    return this.tasks.describeTasks(input);
  }

  listTasks(input: In<TasksService, 'listTasks'> = {}): Promise<Out<TasksService, 'listTasks'>> {
    return this.tasks.listTasks(input);
  }

  stopTask(input: In<TasksService, 'stopTask'>): Promise<Out<TasksService, 'stopTask'>> {
    return this.tasks.stopTask(input);
  }

  // Tags
  tagResource(input: In<EcsTags, 'tagResource'>): Promise<Out<EcsTags, 'tagResource'>> {
    return this.tags.tagResource(input);
  }

  untagResource(input: In<EcsTags, 'untagResource'>): Promise<Out<EcsTags, 'untagResource'>> {
    return this.tags.untagResource(input);
  }

  listTagsForResource(
    input: In<EcsTags, 'listTagsForResource'>,
  ): Promise<Out<EcsTags, 'listTagsForResource'>> {
    return this.tags.listTagsForResource(input);
  }
}
