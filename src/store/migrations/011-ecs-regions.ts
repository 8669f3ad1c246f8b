/**
 * ECS task definitions become regional: a family's revisions count per region, as in AWS, so
 * the table gains a `region` column and its unique key becomes (region, family, revision).
 * SQLite cannot change a table's constraints in place, so the table is rebuilt: a new one, the
 * rows copied with the region read from each ARN, the old one dropped, the new one renamed.
 * Clusters, tasks and client tokens need nothing: they are keyed by ARNs that name the region.
 * The tags of the Fargate capacity providers (which exist in every region without a record)
 * get a table of their own.
 */
import type { Kysely, Migration } from 'kysely';

interface OldRow {
  arn: string;
  family: string;
  revision: number;
  status: string;
  body: string;
  tags: string;
}

/** The region field of an ARN (`arn:aws:ecs:<region>:…`). */
function regionOf(arn: string): string {
  return arn.split(':')[3] ?? '';
}

export const ecsRegionsMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('ecs_task_definitions_regional')
      .addColumn('arn', 'text', (c) => c.primaryKey())
      .addColumn('region', 'text', (c) => c.notNull())
      .addColumn('family', 'text', (c) => c.notNull())
      .addColumn('revision', 'integer', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('tags', 'text', (c) => c.notNull())
      .addUniqueConstraint('ecs_task_definitions_region_family_revision', [
        'region',
        'family',
        'revision',
      ])
      .execute();
    const old = db as unknown as Kysely<{
      ecs_task_definitions: OldRow;
      ecs_task_definitions_regional: OldRow & { region: string };
    }>;
    const rows = await old.selectFrom('ecs_task_definitions').selectAll().execute();
    for (let i = 0; i < rows.length; i += 100) {
      await old
        .insertInto('ecs_task_definitions_regional')
        .values(rows.slice(i, i + 100).map((r) => ({ ...r, region: regionOf(r.arn) })))
        .execute();
    }
    await db.schema.dropTable('ecs_task_definitions').execute();
    await db.schema
      .alterTable('ecs_task_definitions_regional')
      .renameTo('ecs_task_definitions')
      .execute();
    // ListTaskDefinitions and the families read one region's rows by status.
    await db.schema
      .createIndex('ecs_task_definitions_region_status')
      .on('ecs_task_definitions')
      .columns(['region', 'status'])
      .execute();
    await db.schema
      .createTable('ecs_capacity_provider_tags')
      .addColumn('arn', 'text', (c) => c.primaryKey())
      .addColumn('tags', 'text', (c) => c.notNull())
      .execute();
  },

  /** Back to one numbering for all regions; fails if two regions share a family revision. */
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('ecs_capacity_provider_tags').execute();
    await db.schema.dropIndex('ecs_task_definitions_region_status').execute();
    await db.schema
      .createTable('ecs_task_definitions_global')
      .addColumn('arn', 'text', (c) => c.primaryKey())
      .addColumn('family', 'text', (c) => c.notNull())
      .addColumn('revision', 'integer', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('tags', 'text', (c) => c.notNull())
      .addUniqueConstraint('ecs_task_definitions_family_revision', ['family', 'revision'])
      .execute();
    const regional = db as unknown as Kysely<{
      ecs_task_definitions: OldRow & { region: string };
      ecs_task_definitions_global: OldRow;
    }>;
    const rows = await regional.selectFrom('ecs_task_definitions').selectAll().execute();
    for (let i = 0; i < rows.length; i += 100) {
      await regional
        .insertInto('ecs_task_definitions_global')
        .values(rows.slice(i, i + 100).map(({ region: _region, ...r }) => r))
        .execute();
    }
    await db.schema.dropTable('ecs_task_definitions').execute();
    await db.schema
      .alterTable('ecs_task_definitions_global')
      .renameTo('ecs_task_definitions')
      .execute();
  },
};
