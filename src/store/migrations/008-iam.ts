/** IAM schema: roles, their inline policies and attachments, customer-managed policies. */
import type { Kysely, Migration } from 'kysely';

export const iamMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('iam_roles')
      .addColumn('name', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('role_id', 'varchar(32)', (c) => c.notNull())
      .addColumn('path', 'varchar(512)', (c) => c.notNull())
      .addColumn('arn', 'text', (c) => c.notNull())
      .addColumn('create_date', 'bigint', (c) => c.notNull())
      .addColumn('assume_role_policy', 'text', (c) => c.notNull())
      .addColumn('description', 'varchar(1000)')
      .addColumn('max_session_duration', 'integer', (c) => c.notNull())
      .addColumn('tags', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('iam_role_policies')
      .addColumn('role_name', 'varchar(64)', (c) => c.notNull())
      .addColumn('policy_name', 'varchar(128)', (c) => c.notNull())
      .addColumn('document', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('iam_role_policies_pk', ['role_name', 'policy_name'])
      .execute();
    await db.schema
      .createTable('iam_role_attachments')
      .addColumn('role_name', 'varchar(64)', (c) => c.notNull())
      .addColumn('policy_arn', 'varchar(2048)', (c) => c.notNull())
      .addPrimaryKeyConstraint('iam_role_attachments_pk', ['role_name', 'policy_arn'])
      .execute();
    await db.schema
      .createTable('iam_policies')
      .addColumn('arn', 'varchar(2048)', (c) => c.primaryKey())
      .addColumn('name', 'varchar(128)', (c) => c.notNull())
      .addColumn('policy_id', 'varchar(32)', (c) => c.notNull())
      .addColumn('path', 'varchar(512)', (c) => c.notNull())
      .addColumn('document', 'text', (c) => c.notNull())
      .addColumn('description', 'varchar(1000)')
      .addColumn('create_date', 'bigint', (c) => c.notNull())
      .addColumn('tags', 'text', (c) => c.notNull())
      .execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('iam_policies').execute();
    await db.schema.dropTable('iam_role_attachments').execute();
    await db.schema.dropTable('iam_role_policies').execute();
    await db.schema.dropTable('iam_roles').execute();
  },
};
