/**
 * `/metrics` gauge of ECS tasks by last status, counted in the store at scrape time (one small
 * GROUP BY), so it is right after a restart and across every path that changes a task.
 */
import { TASK_STATUSES } from '../../tasks/task-progress.ts';
import type { Db } from '../../store/store.ts';

/** Prometheus text of `cronbridge_tasks{last_status="…"}`; every status appears, 0 if none. */
export async function taskCountMetrics(db: Db): Promise<string> {
  const rows = await db
    .selectFrom('ecs_tasks')
    .select(['last_status', (eb) => eb.fn.countAll<number | string>().as('n')])
    .groupBy('last_status')
    .execute();
  const counts = new Map<string, number>(rows.map((r) => [r.last_status, Number(r.n)]));
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
