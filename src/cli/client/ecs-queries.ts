/**
 * ECS reads the client commands combine: every task of some clusters (ListClusters, ListTasks,
 * DescribeTasks, all pages), tasks by ARN across clusters, and task definitions cached per ARN.
 */
import {
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  type ECSClient,
  ListClustersCommand,
  ListTasksCommand,
  type Task,
  type TaskDefinition,
} from '@aws-sdk/client-ecs';

import { clusterOfTaskArn } from '../format/ecs-task.format.ts';

/** ECS desired statuses a task list can ask for. */
export const TASK_STATUSES = ['RUNNING', 'STOPPED'] as const;
export type TaskStatusFilter = (typeof TASK_STATUSES)[number];

const DESCRIBE_BATCH = 100;

async function allClusterArns(ecs: ECSClient, signal?: AbortSignal): Promise<string[]> {
  const arns: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await ecs.send(new ListClustersCommand({ nextToken }), { abortSignal: signal });
    arns.push(...(page.clusterArns ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return arns;
}

/** Describes task ARNs of one cluster in batches of 100; vanished tasks are left out. */
async function describeInCluster(
  ecs: ECSClient,
  cluster: string,
  arns: readonly string[],
  signal?: AbortSignal,
): Promise<Task[]> {
  const tasks: Task[] = [];
  for (let i = 0; i < arns.length; i += DESCRIBE_BATCH) {
    const out = await ecs.send(
      new DescribeTasksCommand({ cluster, tasks: arns.slice(i, i + DESCRIBE_BATCH) }),
      { abortSignal: signal },
    );
    tasks.push(...(out.tasks ?? []));
  }
  return tasks;
}

/**
 * Tasks of the given clusters (all clusters when none is named) whose desired status is one of
 * `statuses`, oldest first.
 */
export async function listTasks(
  ecs: ECSClient,
  query: { cluster?: string; statuses: readonly TaskStatusFilter[] },
  signal?: AbortSignal,
): Promise<Task[]> {
  const clusters = query.cluster ? [query.cluster] : await allClusterArns(ecs, signal);
  const tasks: Task[] = [];
  for (const cluster of clusters) {
    for (const desiredStatus of query.statuses) {
      const arns: string[] = [];
      let nextToken: string | undefined;
      do {
        const page = await ecs.send(new ListTasksCommand({ cluster, desiredStatus, nextToken }), {
          abortSignal: signal,
        });
        arns.push(...(page.taskArns ?? []));
        nextToken = page.nextToken;
      } while (nextToken);
      tasks.push(...(await describeInCluster(ecs, cluster, arns, signal)));
    }
  }
  return tasks.sort(
    (a, b) =>
      (a.createdAt?.getTime() ?? 0) - (b.createdAt?.getTime() ?? 0) ||
      (a.taskArn ?? '').localeCompare(b.taskArn ?? ''),
  );
}

/**
 * Describes tasks by ARN, whatever their clusters. The map holds the tasks ECS still knows;
 * stopped tasks are forgotten after the retention time, so history may point at gone ones.
 */
export async function describeTasksByArn(
  ecs: ECSClient,
  taskArns: readonly string[],
  signal?: AbortSignal,
): Promise<Map<string, Task>> {
  const byCluster = new Map<string, string[]>();
  for (const arn of new Set(taskArns)) {
    const cluster = clusterOfTaskArn(arn) ?? 'default';
    byCluster.set(cluster, [...(byCluster.get(cluster) ?? []), arn]);
  }
  const found = new Map<string, Task>();
  for (const [cluster, arns] of byCluster) {
    try {
      for (const task of await describeInCluster(ecs, cluster, arns, signal)) {
        if (task.taskArn) found.set(task.taskArn, task);
      }
    } catch (error) {
      // A deleted cluster takes its tasks with it; the rest of the history still prints.
      if ((error as Error).name !== 'ClusterNotFoundException') throw error;
    }
  }
  return found;
}

/** DescribeTaskDefinition with a per-command cache (many tasks share one revision). */
export function taskDefinitionCache(ecs: ECSClient, signal?: AbortSignal) {
  const cache = new Map<string, Promise<TaskDefinition | undefined>>();
  return (taskDefinition: string): Promise<TaskDefinition | undefined> => {
    let pending = cache.get(taskDefinition);
    if (!pending) {
      pending = ecs
        .send(new DescribeTaskDefinitionCommand({ taskDefinition }), { abortSignal: signal })
        .then((out) => out.taskDefinition);
      cache.set(taskDefinition, pending);
    }
    return pending;
  };
}
