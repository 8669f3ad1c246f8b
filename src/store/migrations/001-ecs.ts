/** Schema of the ECS domain: clusters, task definitions, tasks and Container Insights samples. */
import type { Kysely } from 'kysely';

export const ecsMigration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('ecs_clusters')
      .addColumn('arn', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('ecs_task_definitions')
      .addColumn('arn', 'text', (c) => c.primaryKey())
      .addColumn('family', 'text', (c) => c.notNull())
      .addColumn('revision', 'integer', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('tags', 'text', (c) => c.notNull())
      .addUniqueConstraint('ecs_task_definitions_family_revision', ['family', 'revision'])
      .execute();
    await db.schema
      .createTable('ecs_tasks')
      .addColumn('arn', 'text', (c) => c.primaryKey())
      .addColumn('cluster_arn', 'text', (c) => c.notNull())
      .addColumn('family', 'text', (c) => c.notNull())
      .addColumn('started_by', 'text')
      .addColumn('launch_type', 'text')
      .addColumn('desired_status', 'text', (c) => c.notNull())
      .addColumn('last_status', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('stopped_at', 'bigint')
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('plan', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('ecs_tasks_cluster_status')
      .on('ecs_tasks')
      .columns(['cluster_arn', 'desired_status', 'created_at'])
      .execute();
    await db.schema
      .createTable('ecs_task_stats')
      .addColumn('task_arn', 'text', (c) => c.notNull())
      .addColumn('container_name', 'text', (c) => c.notNull())
      .addColumn('timestamp', 'bigint', (c) => c.notNull())
      .addColumn('cpu_usage_ns', 'bigint', (c) => c.notNull())
      .addColumn('cpu_percent', 'real')
      .addColumn('memory_bytes', 'bigint', (c) => c.notNull())
      .addColumn('memory_limit_bytes', 'bigint')
      .execute();
    await db.schema
      .createIndex('ecs_task_stats_task')
      .on('ecs_task_stats')
      .columns(['task_arn', 'timestamp'])
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    for (const table of ['ecs_task_stats', 'ecs_tasks', 'ecs_task_definitions', 'ecs_clusters']) {
      await db.schema.dropTable(table).ifExists().execute();
    }
  },
};
