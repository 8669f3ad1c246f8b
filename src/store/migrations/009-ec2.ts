/**
 * EC2 VPC subset schema: one table of regional resources, keyed by region and id. Schema builder
 * only, so PostgreSQL can run the same migration.
 */
import type { Kysely, Migration } from 'kysely';

export const ec2Migration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('ec2_resources')
      .addColumn('region', 'varchar(32)', (c) => c.notNull())
      .addColumn('id', 'varchar(64)', (c) => c.notNull())
      .addColumn('kind', 'varchar(16)', (c) => c.notNull())
      .addColumn('vpc_id', 'varchar(64)')
      .addColumn('doc', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('ec2_resources_pk', ['region', 'id'])
      .execute();
    // Describe* lists one kind of one region; dependency checks list one VPC's resources.
    await db.schema
      .createIndex('ec2_resources_kind_idx')
      .on('ec2_resources')
      .columns(['region', 'kind', 'vpc_id'])
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('ec2_resources').execute();
  },
};
