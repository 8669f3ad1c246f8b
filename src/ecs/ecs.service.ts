/**
 * The ECS service as one object whose methods are ECS's operations (camelCase), so the HTTP
 * layer, the CLI and the firing loop reach clusters, task definitions and tasks the same way.
 * Inputs and outputs are ECS's wire shapes with timestamps in epoch ms (see `ecs.types.ts`).
 */
import type { EcsTaskRunner } from '../firing/firing.ports.ts';
import { PageTokens } from '../platform/page-token.ts';
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

type In<S, K extends keyof S> = S[K] extends (input: infer I, ...rest: never[]) => unknown
  ? I
  : never;

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
    this.taskDefinitions = new TaskDefinitionService(deps);
    this.tags = new EcsTags(deps.store, deps.context);
    this.tasks = new TasksService(deps, this.clusters, this.taskDefinitions, {
      awsvpcNetwork: options.awsvpcNetwork ?? 'bridge',
      stoppedTaskRetentionMs: options.stoppedTaskRetentionMs ?? DEFAULT_STOPPED_TASK_RETENTION_MS,
      ...(options.extraLabels ? { extraLabels: options.extraLabels } : {}),
    });
  }

  // Clusters
  createCluster = (input: In<ClusterService, 'createCluster'> = {}) =>
    this.clusters.createCluster(input);
  describeClusters = (input: In<ClusterService, 'describeClusters'> = {}) =>
    this.clusters.describeClusters(input);
  listClusters = (input: In<ClusterService, 'listClusters'> = {}) =>
    this.clusters.listClusters(input);
  deleteCluster = (input: In<ClusterService, 'deleteCluster'>) =>
    this.clusters.deleteCluster(input);
  updateClusterSettings = (input: In<ClusterService, 'updateClusterSettings'>) =>
    this.clusters.updateClusterSettings(input);
  putClusterCapacityProviders = (input: In<ClusterService, 'putClusterCapacityProviders'>) =>
    this.clusters.putClusterCapacityProviders(input);

  // Task definitions
  registerTaskDefinition = (input: In<TaskDefinitionService, 'registerTaskDefinition'>) =>
    this.taskDefinitions.registerTaskDefinition(input);
  describeTaskDefinition = (input: In<TaskDefinitionService, 'describeTaskDefinition'>) =>
    this.taskDefinitions.describeTaskDefinition(input);
  deregisterTaskDefinition = (input: In<TaskDefinitionService, 'deregisterTaskDefinition'>) =>
    this.taskDefinitions.deregisterTaskDefinition(input);
  deleteTaskDefinitions = (input: In<TaskDefinitionService, 'deleteTaskDefinitions'>) =>
    this.taskDefinitions.deleteTaskDefinitions(input);
  listTaskDefinitions = (input: In<TaskDefinitionService, 'listTaskDefinitions'> = {}) =>
    this.taskDefinitions.listTaskDefinitions(input);
  listTaskDefinitionFamilies = (
    input: In<TaskDefinitionService, 'listTaskDefinitionFamilies'> = {},
  ) => this.taskDefinitions.listTaskDefinitionFamilies(input);

  // Tasks
  runTask = (input: RunTaskInput, options: { startedBy?: string } = {}) =>
    this.tasks.runTask(input, options);
  describeTasks = (input: In<TasksService, 'describeTasks'>) => this.tasks.describeTasks(input);
  listTasks = (input: In<TasksService, 'listTasks'> = {}) => this.tasks.listTasks(input);
  stopTask = (input: In<TasksService, 'stopTask'>) => this.tasks.stopTask(input);

  // Tags
  tagResource = (input: In<EcsTags, 'tagResource'>) => this.tags.tagResource(input);
  untagResource = (input: In<EcsTags, 'untagResource'>) => this.tags.untagResource(input);
  listTagsForResource = (input: In<EcsTags, 'listTagsForResource'>) =>
    this.tags.listTagsForResource(input);
}
