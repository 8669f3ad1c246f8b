/** Inline and attached managed policies of IAM users (the same shape as the roles' tables). */
import type { Kysely, Migration } from 'kysely';

export const iamUserPoliciesMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('iam_user_policies')
      .addColumn('user_name', 'varchar(64)', (c) => c.notNull())
      .addColumn('policy_name', 'varchar(128)', (c) => c.notNull())
      .addColumn('document', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('iam_user_policies_pk', ['user_name', 'policy_name'])
      .execute();
    await db.schema
      .createTable('iam_user_attachments')
      .addColumn('user_name', 'varchar(64)', (c) => c.notNull())
      .addColumn('policy_arn', 'varchar(2048)', (c) => c.notNull())
      .addPrimaryKeyConstraint('iam_user_attachments_pk', ['user_name', 'policy_arn'])
      .execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('iam_user_attachments').execute();
    await db.schema.dropTable('iam_user_policies').execute();
  },
};
