/**
 * RunTask's client tokens (ECS idempotency): which tasks a token created in a cluster, and a
 * digest of the request it came with, so a retry with the same token returns those tasks instead
 * of starting more. Kept for ECS's 24 hours, then purged with expired tasks.
 */
import type { Kysely, Migration } from 'kysely';

export const ecsClientTokensMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('ecs_client_tokens')
      .addColumn('cluster_arn', 'varchar(1600)', (c) => c.notNull())
      .addColumn('client_token', 'varchar(64)', (c) => c.notNull())
      .addColumn('request_digest', 'varchar(64)', (c) => c.notNull())
      .addColumn('task_arns', 'text', (c) => c.notNull())
      .addColumn('created_ms', 'bigint', (c) => c.notNull())
      // Tokens are scoped to a cluster, as on ECS.
      .addPrimaryKeyConstraint('ecs_client_tokens_pk', ['cluster_arn', 'client_token'])
      .execute();
    // Housekeeping deletes by age.
    await db.schema
      .createIndex('ecs_client_tokens_created_idx')
      .on('ecs_client_tokens')
      .column('created_ms')
      .execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('ecs_client_tokens').execute();
  },
};
