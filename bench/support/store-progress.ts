/**
 * A {@link TaskProgressSink} on the real store, for the task benchmark while src/ecs (the ECS
 * service, whose sink this stands in for) does not exist yet.
 *
 * It writes what the ECS service will write: one row per task and one per container, each update
 * committed in its own transaction before the supervisor goes on, so the benchmark pays the same
 * store round trips production will. The tables are the benchmark's own (`bench_ecs_*`, created
 * here with Kysely's schema builder) so nothing depends on the ECS schema that is being written.
 */
import { sql } from 'kysely';

import type { Store } from '../../src/store/store.ts';
import type {
  ContainerProgressUpdate,
  ContainerStats,
  TaskProgressSink,
  TaskProgressUpdate,
} from '../../src/supervisor/task-progress.ts';

/** Creates the benchmark's task tables in `store` (idempotent). */
export async function createBenchTaskTables(store: Store): Promise<void> {
  const schema = store.db.schema;
  await schema
    .createTable('bench_ecs_tasks')
    .ifNotExists()
    .addColumn('task_arn', 'text', (c) => c.primaryKey())
    .addColumn('last_status', 'text', (c) => c.notNull())
    .addColumn('desired_status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('pull_started_at', 'bigint')
    .addColumn('pull_stopped_at', 'bigint')
    .addColumn('started_at', 'bigint')
    .addColumn('execution_stopped_at', 'bigint')
    .addColumn('stopped_at', 'bigint')
    .addColumn('stop_code', 'text')
    .addColumn('stopped_reason', 'text')
    .execute();
  await schema
    .createTable('bench_ecs_containers')
    .ifNotExists()
    .addColumn('task_arn', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('last_status', 'text', (c) => c.notNull())
    .addColumn('runtime_id', 'text')
    .addColumn('image_digest', 'text')
    .addColumn('exit_code', 'integer')
    .addColumn('reason', 'text')
    .addColumn('health_status', 'text')
    .addPrimaryKeyConstraint('bench_ecs_containers_pk', ['task_arn', 'name'])
    .execute();
}

export class StoreProgressSink implements TaskProgressSink {
  readonly #store: Store;

  constructor(store: Store) {
    this.#store = store;
  }

  /** RunTask's own commit: the task row as PROVISIONING, before the supervisor sees it. */
  async createTask(taskArn: string, at: number): Promise<void> {
    await sql`INSERT INTO bench_ecs_tasks (task_arn, last_status, desired_status, created_at, updated_at)
      VALUES (${taskArn}, 'PROVISIONING', 'RUNNING', ${at}, ${at})`.execute(this.#store.db);
  }

  async taskProgress(taskArn: string, u: TaskProgressUpdate): Promise<void> {
    await this.#store.transaction(async (trx) => {
      // Read-modify-write in one transaction, as the ECS service must do to refuse going back.
      const found = await sql<{
        last_status: string;
      }>`SELECT last_status FROM bench_ecs_tasks WHERE task_arn = ${taskArn}`.execute(trx);
      if (found.rows.length === 0) throw new Error(`unknown task ${taskArn}`);
      await sql`UPDATE bench_ecs_tasks SET
          last_status = ${u.lastStatus},
          desired_status = CASE WHEN ${u.lastStatus} IN ('DEACTIVATING', 'STOPPING', 'DEPROVISIONING', 'STOPPED') THEN 'STOPPED' ELSE desired_status END,
          updated_at = ${u.at},
          pull_started_at = COALESCE(${u.pullStartedAt ?? null}, pull_started_at),
          pull_stopped_at = COALESCE(${u.pullStoppedAt ?? null}, pull_stopped_at),
          started_at = CASE WHEN ${u.lastStatus} = 'RUNNING' THEN ${u.at} ELSE started_at END,
          execution_stopped_at = COALESCE(${u.executionStoppedAt ?? null}, execution_stopped_at),
          stopped_at = CASE WHEN ${u.lastStatus} = 'STOPPED' THEN ${u.at} ELSE stopped_at END,
          stop_code = COALESCE(${u.stopCode ?? null}, stop_code),
          stopped_reason = COALESCE(${u.stoppedReason ?? null}, stopped_reason)
        WHERE task_arn = ${taskArn}`.execute(trx);
    });
  }

  async containerProgress(
    taskArn: string,
    containerName: string,
    u: ContainerProgressUpdate,
  ): Promise<void> {
    await sql`INSERT INTO bench_ecs_containers
        (task_arn, name, last_status, runtime_id, image_digest, exit_code, reason, health_status)
      VALUES (${taskArn}, ${containerName}, ${u.lastStatus}, ${u.runtimeId ?? null},
        ${u.imageDigest ?? null}, ${u.exitCode ?? null}, ${u.reason ?? null}, ${u.healthStatus ?? null})
      ON CONFLICT (task_arn, name) DO UPDATE SET
        last_status = excluded.last_status,
        runtime_id = COALESCE(excluded.runtime_id, runtime_id),
        image_digest = COALESCE(excluded.image_digest, image_digest),
        exit_code = COALESCE(excluded.exit_code, exit_code),
        reason = COALESCE(excluded.reason, reason),
        health_status = COALESCE(excluded.health_status, health_status)`.execute(this.#store.db);
  }

  async recordStats(_taskArn: string, _samples: ContainerStats[]): Promise<void> {
    // The benchmark runs with Container Insights off; nothing is sampled.
  }

  /** The stored status of a task (the benchmark checks every task really reached STOPPED). */
  async lastStatus(taskArn: string): Promise<string | undefined> {
    const r = await sql<{
      last_status: string;
    }>`SELECT last_status FROM bench_ecs_tasks WHERE task_arn = ${taskArn}`.execute(this.#store.db);
    return r.rows[0]?.last_status;
  }
}
