/** IAM users and their access keys (the credentials SigV4 verification looks up). */
import type { Kysely, Migration } from 'kysely';

export const iamUsersMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('iam_users')
      .addColumn('name', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('user_id', 'varchar(32)', (c) => c.notNull())
      .addColumn('path', 'varchar(512)', (c) => c.notNull())
      .addColumn('arn', 'text', (c) => c.notNull())
      .addColumn('create_date', 'bigint', (c) => c.notNull())
      .addColumn('tags', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('iam_access_keys')
      .addColumn('access_key_id', 'varchar(128)', (c) => c.primaryKey())
      .addColumn('user_name', 'varchar(64)', (c) => c.notNull())
      .addColumn('secret_access_key', 'varchar(128)', (c) => c.notNull())
      .addColumn('status', 'varchar(16)', (c) => c.notNull())
      .addColumn('create_date', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('iam_access_keys_user_idx')
      .on('iam_access_keys')
      .column('user_name')
      .execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('iam_access_keys').execute();
    await db.schema.dropTable('iam_users').execute();
  },
};
