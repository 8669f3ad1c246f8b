/**
 * `/metrics` gauge of ECS tasks by last status, counted by the ECS service at scrape time, so it
 * is right after a restart and across every path that changes a task.
 */
import type { EcsService } from '../ecs/ecs.service.ts';
import { TASK_STATUSES } from '../supervisor/task-progress.ts';

/** Prometheus text of `cronbridge_tasks{last_status="…"}`; every status appears, 0 if none. */
export async function taskCountMetrics(ecs: EcsService): Promise<string> {
  const counts = await ecs.tasks.countTasksByStatus();
  const statuses = [
    ...TASK_STATUSES,
    ...[...counts.keys()].filter((s) => !(TASK_STATUSES as readonly string[]).includes(s)),
  ];
  return [
    '# HELP cronbridge_tasks ECS tasks known to this cronbridge, by last status.',
    '# TYPE cronbridge_tasks gauge',
    ...statuses.map((s) => `cronbridge_tasks{last_status="${s}"} ${counts.get(s) ?? 0}`),
    '',
  ].join('\n');
}
