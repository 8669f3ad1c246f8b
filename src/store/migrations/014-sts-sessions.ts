/**
 * STS sessions (AssumeRole's temporary credentials). One row per issued key; the session token is
 * kept only as a SHA-256 digest, so a copy of the database does not hand out usable sessions.
 * The expiry index serves the prune that runs on each issue.
 */
import type { Kysely, Migration } from 'kysely';

export const stsSessionsMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('sts_sessions')
      .addColumn('access_key_id', 'varchar(32)', (c) => c.primaryKey())
      .addColumn('secret_access_key', 'varchar(128)', (c) => c.notNull())
      .addColumn('token_sha256', 'varchar(64)', (c) => c.notNull())
      .addColumn('role_id', 'varchar(32)', (c) => c.notNull())
      .addColumn('role_name', 'varchar(64)', (c) => c.notNull())
      .addColumn('session_name', 'varchar(64)', (c) => c.notNull())
      .addColumn('source_identity', 'text')
      .addColumn('session_policy', 'text')
      .addColumn('tags', 'text', (c) => c.notNull())
      .addColumn('transitive_tag_keys', 'text', (c) => c.notNull())
      .addColumn('issued_by', 'text', (c) => c.notNull())
      .addColumn('create_date', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('sts_sessions_expiry_idx')
      .on('sts_sessions')
      .column('expires_at')
      .execute();
  },

  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('sts_sessions').execute();
  },
};
