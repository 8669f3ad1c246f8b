/**
 * CloudWatch Logs schema: groups, streams, events. Schema builder only, so PostgreSQL can run the
 * same migration (timestamps are `bigint`: milliseconds overflow 32 bits).
 */
import type { Kysely, Migration } from 'kysely';

export const logsMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('logs_groups')
      .addColumn('name', 'varchar(512)', (c) => c.primaryKey())
      .addColumn('arn', 'text', (c) => c.notNull())
      .addColumn('creation_time', 'bigint', (c) => c.notNull())
      .addColumn('retention_in_days', 'integer')
      .addColumn('kms_key_id', 'varchar(256)')
      .addColumn('log_group_class', 'varchar(32)', (c) => c.notNull())
      .addColumn('tags', 'text', (c) => c.notNull())
      .addColumn('deletion_protection', 'integer', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('logs_streams')
      .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
      .addColumn('group_name', 'varchar(512)', (c) => c.notNull())
      .addColumn('name', 'varchar(512)', (c) => c.notNull())
      .addColumn('creation_time', 'bigint', (c) => c.notNull())
      .addColumn('first_event_timestamp', 'bigint')
      .addColumn('last_event_timestamp', 'bigint')
      .addColumn('last_ingestion_time', 'bigint')
      .addColumn('last_seq', 'bigint', (c) => c.notNull())
      .addUniqueConstraint('logs_streams_group_name_uq', ['group_name', 'name'])
      .execute();

    await db.schema
      .createTable('logs_events')
      .addColumn('stream_id', 'varchar(32)', (c) => c.notNull())
      .addColumn('seq', 'bigint', (c) => c.notNull())
      .addColumn('timestamp', 'bigint', (c) => c.notNull())
      .addColumn('ingestion_time', 'bigint', (c) => c.notNull())
      .addColumn('message', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('logs_events_pk', ['stream_id', 'seq'])
      .execute();
    // Every read walks one stream in (timestamp, seq) order; FilterLogEvents merges streams.
    await db.schema
      .createIndex('logs_events_stream_time_idx')
      .on('logs_events')
      .columns(['stream_id', 'timestamp', 'seq'])
      .execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('logs_events').execute();
    await db.schema.dropTable('logs_streams').execute();
    await db.schema.dropTable('logs_groups').execute();
  },
};
