/**
 * Container Insights samples of ECS tasks (CPU and memory per container over time), kept beside
 * the task and purged with it.
 */
import type { Db } from '../store/store.ts';
import type { ContainerStats } from '../supervisor/task-progress.ts';

export async function insertStats(
  db: Db,
  taskArn: string,
  samples: readonly ContainerStats[],
): Promise<void> {
  if (samples.length === 0) return;
  await db
    .insertInto('ecs_task_stats')
    .values(
      samples.map((s) => ({
        task_arn: taskArn,
        container_name: s.containerName,
        timestamp: s.timestamp,
        cpu_usage_ns: s.cpuUsageNs,
        cpu_percent: s.cpuPercent ?? null,
        memory_bytes: s.memoryBytes,
        memory_limit_bytes: s.memoryLimitBytes ?? null,
      })),
    )
    .execute();
}

/** A task's samples, oldest first. */
export async function readStats(db: Db, taskArn: string): Promise<ContainerStats[]> {
  const rows = await db
    .selectFrom('ecs_task_stats')
    .selectAll()
    .where('task_arn', '=', taskArn)
    .orderBy('timestamp')
    .execute();
  return rows.map((r) => ({
    containerName: r.container_name,
    timestamp: Number(r.timestamp),
    cpuUsageNs: Number(r.cpu_usage_ns),
    ...(r.cpu_percent === null ? {} : { cpuPercent: r.cpu_percent }),
    memoryBytes: Number(r.memory_bytes),
    ...(r.memory_limit_bytes === null ? {} : { memoryLimitBytes: Number(r.memory_limit_bytes) }),
  }));
}
