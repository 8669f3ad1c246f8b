/**
 * Schema of the firing and invoke domains (row types in `tables/firing.tables.ts`). Schema builder
 * only, so PostgreSQL can run it too; times are `bigint` milliseconds.
 */
import type { Kysely, Migration } from 'kysely';

export const firingMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('firing_slots')
      .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('rule_arn', 'varchar(1600)', (c) => c.notNull())
      .addColumn('rule_name', 'varchar(64)', (c) => c.notNull())
      .addColumn('nominal_ms', 'bigint', (c) => c.notNull())
      .addColumn('first_nominal_ms', 'bigint', (c) => c.notNull())
      .addColumn('slot_count', 'integer', (c) => c.notNull())
      .addColumn('status', 'varchar(16)', (c) => c.notNull())
      .addColumn('fired_at_ms', 'bigint')
      .addColumn('recorded_ms', 'bigint', (c) => c.notNull())
      .addColumn('target_count', 'integer')
      .addColumn('reason', 'text')
      // The exactly-once claim: one row per (rule, nominal slot). History reads by this too.
      .addUniqueConstraint('firing_slots_rule_nominal_uq', ['rule_arn', 'nominal_ms'])
      .execute();
    // Recovery looks for slots claimed but never handed to the invoker.
    await db.schema
      .createIndex('firing_slots_status_idx')
      .on('firing_slots')
      .column('status')
      .execute();

    await db.schema
      .createTable('firing_cursors')
      .addColumn('rule_arn', 'varchar(1600)', (c) => c.primaryKey())
      .addColumn('last_slot_ms', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('firing_invocations')
      .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('slot_id', 'varchar(36)', (c) => c.notNull())
      .addColumn('rule_arn', 'varchar(1600)', (c) => c.notNull())
      .addColumn('target_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('target_arn', 'varchar(1600)', (c) => c.notNull())
      .addColumn('target_json', 'text', (c) => c.notNull())
      .addColumn('event_json', 'text', (c) => c.notNull())
      .addColumn('status', 'varchar(16)', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('next_attempt_ms', 'bigint')
      .addColumn('created_ms', 'bigint', (c) => c.notNull())
      .addColumn('finished_ms', 'bigint')
      .addColumn('remaining_count', 'integer', (c) => c.notNull())
      .addColumn('last_error_code', 'varchar(256)')
      .addColumn('last_error_message', 'text')
      .addUniqueConstraint('firing_invocations_slot_target_uq', ['slot_id', 'target_id'])
      .execute();
    // A restart resumes PENDING invocations in due order.
    await db.schema
      .createIndex('firing_invocations_status_next_idx')
      .on('firing_invocations')
      .columns(['status', 'next_attempt_ms'])
      .execute();

    await db.schema
      .createTable('firing_attempts')
      .addColumn('invocation_id', 'varchar(36)', (c) => c.notNull())
      .addColumn('attempt_no', 'integer', (c) => c.notNull())
      .addColumn('started_ms', 'bigint', (c) => c.notNull())
      .addColumn('finished_ms', 'bigint', (c) => c.notNull())
      .addColumn('outcome', 'varchar(16)', (c) => c.notNull())
      .addColumn('retryable', 'integer', (c) => c.notNull())
      .addColumn('error_code', 'varchar(256)')
      .addColumn('error_message', 'text')
      .addColumn('task_arns', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('firing_attempts_pk', ['invocation_id', 'attempt_no'])
      .execute();

    await db.schema
      .createTable('firing_tasks')
      .addColumn('task_arn', 'varchar(1600)', (c) => c.primaryKey())
      .addColumn('invocation_id', 'varchar(36)', (c) => c.notNull())
      .addColumn('slot_id', 'varchar(36)', (c) => c.notNull())
      .addColumn('rule_arn', 'varchar(1600)', (c) => c.notNull())
      .addColumn('nominal_ms', 'bigint', (c) => c.notNull())
      .addColumn('started_ms', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('firing_tasks_slot_idx')
      .on('firing_tasks')
      .column('slot_id')
      .execute();

    await db.schema
      .createTable('firing_dead_letters')
      .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('invocation_id', 'varchar(36)', (c) => c.notNull())
      .addColumn('rule_arn', 'varchar(1600)', (c) => c.notNull())
      .addColumn('target_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('target_arn', 'varchar(1600)', (c) => c.notNull())
      .addColumn('dlq_arn', 'varchar(1600)')
      .addColumn('event_json', 'text', (c) => c.notNull())
      .addColumn('error_code', 'varchar(256)', (c) => c.notNull())
      .addColumn('error_message', 'text', (c) => c.notNull())
      .addColumn('exhausted_condition', 'varchar(32)')
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('created_ms', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('firing_dead_letters_dlq_idx')
      .on('firing_dead_letters')
      .columns(['dlq_arn', 'created_ms'])
      .execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    for (const table of [
      'firing_dead_letters',
      'firing_tasks',
      'firing_attempts',
      'firing_invocations',
      'firing_cursors',
      'firing_slots',
    ]) {
      await db.schema.dropTable(table).ifExists().execute();
    }
  },
};
