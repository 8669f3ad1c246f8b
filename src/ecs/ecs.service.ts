/**
 * The ECS service as one object whose methods are ECS's operations (camelCase), so the HTTP
 * layer, the CLI and the firing loop reach clusters, task definitions and tasks the same way.
 */
import type { EcsTaskRunner } from '../firing/firing.ports.ts';
import { EcsResources, type EcsDeps } from './ecs-resources.service.ts';
import { EcsTags } from './ecs-tags.service.ts';
import { type RunTaskInput, TasksService, type TasksServiceOptions } from './tasks.service.ts';

export type { TaskLauncher } from './tasks.service.ts';

export class EcsService implements EcsTaskRunner {
  readonly resources: EcsResources;
  readonly tasks: TasksService;
  readonly tags: EcsTags;

  constructor(deps: EcsDeps, options: Partial<TasksServiceOptions> = {}) {
    this.resources = new EcsResources(deps);
    this.tags = new EcsTags(deps.store);
    this.tasks = new TasksService(deps, this.resources, {
      awsvpcNetwork: options.awsvpcNetwork ?? 'bridge',
      stoppedTaskRetentionMs: options.stoppedTaskRetentionMs ?? 3_600_000,
      ...(options.extraLabels ? { extraLabels: options.extraLabels } : {}),
    });
  }

  createCluster = (input: Parameters<EcsResources['createCluster']>[0]) =>
    this.resources.createCluster(input);
  describeClusters = (input: Parameters<EcsResources['describeClusters']>[0]) =>
    this.resources.describeClusters(input);
  listClusters = (input: Parameters<EcsResources['listClusters']>[0] = {}) =>
    this.resources.listClusters(input);
  deleteCluster = (input: Parameters<EcsResources['deleteCluster']>[0]) =>
    this.resources.deleteCluster(input);
  updateClusterSettings = (input: Parameters<EcsResources['updateClusterSettings']>[0]) =>
    this.resources.updateClusterSettings(input);
  registerTaskDefinition = (input: Parameters<EcsResources['registerTaskDefinition']>[0]) =>
    this.resources.registerTaskDefinition(input);
  describeTaskDefinition = (input: Parameters<EcsResources['describeTaskDefinition']>[0]) =>
    this.resources.describeTaskDefinition(input);
  deregisterTaskDefinition = (input: Parameters<EcsResources['deregisterTaskDefinition']>[0]) =>
    this.resources.deregisterTaskDefinition(input);
  listTaskDefinitions = (input: Parameters<EcsResources['listTaskDefinitions']>[0] = {}) =>
    this.resources.listTaskDefinitions(input);
  listTaskDefinitionFamilies = (
    input: Parameters<EcsResources['listTaskDefinitionFamilies']>[0] = {},
  ) => this.resources.listTaskDefinitionFamilies(input);
  runTask = (input: RunTaskInput) => this.tasks.runTask(input);
  describeTasks = (input: Parameters<TasksService['describeTasks']>[0]) =>
    this.tasks.describeTasks(input);
  listTasks = (input: Parameters<TasksService['listTasks']>[0] = {}) => this.tasks.listTasks(input);
  stopTask = (input: Parameters<TasksService['stopTask']>[0]) => this.tasks.stopTask(input);
  tagResource = (input: Parameters<EcsTags['tagResource']>[0]) => this.tags.tagResource(input);
  untagResource = (input: Parameters<EcsTags['untagResource']>[0]) =>
    this.tags.untagResource(input);
  listTagsForResource = (input: Parameters<EcsTags['listTagsForResource']>[0]) =>
    this.tags.listTagsForResource(input);
}
