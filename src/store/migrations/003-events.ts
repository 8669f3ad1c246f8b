/**
 * Schema of the EventBridge rules domain: custom buses, rules, targets. Schema builder only, so
 * PostgreSQL can run it too (times are `bigint` milliseconds).
 */
import type { Kysely, Migration } from 'kysely';

export const eventsMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('events_buses')
      .addColumn('name', 'varchar(256)', (c) => c.primaryKey())
      .addColumn('arn', 'text', (c) => c.notNull())
      .addColumn('description', 'text')
      .addColumn('tags', 'text', (c) => c.notNull())
      .addColumn('created_ms', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('events_rules')
      .addColumn('arn', 'varchar(1600)', (c) => c.primaryKey())
      .addColumn('bus_name', 'varchar(256)', (c) => c.notNull())
      .addColumn('name', 'varchar(64)', (c) => c.notNull())
      .addColumn('schedule_expression', 'varchar(256)')
      .addColumn('event_pattern', 'text')
      .addColumn('state', 'varchar(64)', (c) => c.notNull())
      .addColumn('description', 'varchar(512)')
      .addColumn('role_arn', 'varchar(1600)')
      .addColumn('anchor_ms', 'bigint', (c) => c.notNull())
      .addColumn('created_ms', 'bigint', (c) => c.notNull())
      .addColumn('tags', 'text', (c) => c.notNull())
      .addUniqueConstraint('events_rules_bus_name_uq', ['bus_name', 'name'])
      .execute();

    await db.schema
      .createTable('events_targets')
      .addColumn('rule_arn', 'varchar(1600)', (c) => c.notNull())
      .addColumn('target_id', 'varchar(64)', (c) => c.notNull())
      .addColumn('target_arn', 'varchar(1600)', (c) => c.notNull())
      .addColumn('seq', 'bigint', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('events_targets_pk', ['rule_arn', 'target_id'])
      .execute();
    // ListRuleNamesByTarget looks rules up by the target's ARN.
    await db.schema
      .createIndex('events_targets_target_arn_idx')
      .on('events_targets')
      .column('target_arn')
      .execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('events_targets').execute();
    await db.schema.dropTable('events_rules').execute();
    await db.schema.dropTable('events_buses').execute();
  },
};
