/**
 * Regions for EventBridge and CloudWatch Logs: event buses, rules, log groups and log streams get
 * a `region` column, and the region joins their natural keys, so the same name can live in two
 * regions and one region never sees another's. (Rules stay keyed by ARN, which names the region.)
 *
 * The keys are table constraints, which SQLite cannot alter, so each table is rebuilt: create the
 * new table, copy, drop the old one, rename. Schema builder and query builder only, so PostgreSQL
 * runs the same steps.
 *
 * Existing rows take the region their stored ARN names. Migrations run before any configuration
 * reaches the store (`openStore` gets a data directory only), but every ARN was built with the
 * server's configured region of its day, so the ARN is that region, and stays consistent with the
 * ARN callers already hold. Text that is no ARN (never written by us) falls back to us-east-1,
 * the configuration's default.
 */
import type { CreateTableBuilder, Kysely, Migration } from 'kysely';

/** Region of a row whose ARN names none (cannot happen for rows we wrote). */
const FALLBACK_REGION = 'us-east-1';
/** Rows copied per statement: 12 columns × 500 stays far below SQLite's parameter limit. */
const BATCH = 500;

// Migrations see no typed schema; `any` is Kysely's own escape hatch for that.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;
type Row = Record<string, unknown>;

function regionOfArn(arn: unknown): string {
  const m = typeof arn === 'string' ? /^arn:[^:]+:[^:]+:([^:]+):/.exec(arn) : null;
  return m?.[1] ?? FALLBACK_REGION;
}

/**
 * Copies `from` into `to` in keyset batches ordered by `key` (unique in `from`), each row passed
 * through `map`. Batches keep memory flat on stores with a million rules.
 */
async function copyRows(
  db: AnyDb,
  from: string,
  to: string,
  key: string,
  map: (row: Row) => Row,
): Promise<void> {
  let after: unknown;
  for (;;) {
    let query = db.selectFrom(from).selectAll().orderBy(key).limit(BATCH);
    if (after !== undefined) query = query.where(key, '>', after);
    const rows = (await query.execute()) as Row[];
    if (rows.length === 0) return;
    await db.insertInto(to).values(rows.map(map)).execute();
    if (rows.length < BATCH) return;
    after = rows[rows.length - 1]![key];
  }
}

/** Replaces `table` by `build(<table>_v10)`, its rows mapped by `map`, then renames it back. */
async function rebuild(
  db: AnyDb,
  table: string,
  key: string,
  build: (t: CreateTableBuilder<string, never>) => CreateTableBuilder<string, never>,
  map: (row: Row) => Row,
): Promise<void> {
  const next = `${table}_v10`;
  await build(db.schema.createTable(next)).execute();
  await copyRows(db, table, next, key, map);
  await db.schema.dropTable(table).execute();
  await db.schema.alterTable(next).renameTo(table).execute();
}

const withRegionOfArn = (row: Row): Row => ({ region: regionOfArn(row.arn), ...row });

export const regionsMigration: Migration = {
  async up(db: AnyDb): Promise<void> {
    await rebuild(
      db,
      'events_buses',
      'name',
      (t) =>
        t
          .addColumn('region', 'varchar(32)', (c) => c.notNull())
          .addColumn('name', 'varchar(256)', (c) => c.notNull())
          .addColumn('arn', 'text', (c) => c.notNull())
          .addColumn('description', 'text')
          .addColumn('tags', 'text', (c) => c.notNull())
          .addColumn('created_ms', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('events_buses_region_name_pk', ['region', 'name']),
      withRegionOfArn,
    );

    // The unique key serves every lookup by name and ListRules (one region's bus, by name);
    // the firing loop reads by ARN (the primary key), so its path is unchanged.
    await rebuild(
      db,
      'events_rules',
      'arn',
      (t) =>
        t
          .addColumn('arn', 'varchar(1600)', (c) => c.primaryKey())
          .addColumn('region', 'varchar(32)', (c) => c.notNull())
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
          .addUniqueConstraint('events_rules_region_bus_name_uq', ['region', 'bus_name', 'name']),
      withRegionOfArn,
    );

    await rebuild(
      db,
      'logs_groups',
      'name',
      (t) =>
        t
          .addColumn('region', 'varchar(32)', (c) => c.notNull())
          .addColumn('name', 'varchar(512)', (c) => c.notNull())
          .addColumn('arn', 'text', (c) => c.notNull())
          .addColumn('creation_time', 'bigint', (c) => c.notNull())
          .addColumn('retention_in_days', 'integer')
          .addColumn('kms_key_id', 'varchar(256)')
          .addColumn('log_group_class', 'varchar(32)', (c) => c.notNull())
          .addColumn('tags', 'text', (c) => c.notNull())
          .addColumn('deletion_protection', 'integer', (c) => c.notNull())
          .addPrimaryKeyConstraint('logs_groups_region_name_pk', ['region', 'name']),
      withRegionOfArn,
    );

    // A stream lives in its group's region. Before this migration a group name was unique, so
    // the group's (now copied) row tells each stream its region. The unique key is the index
    // every PutLogEvents/GetLogEvents/FilterLogEvents stream lookup uses.
    const groupRegion = new Map<string, string>();
    const groups = await db.selectFrom('logs_groups').select(['name', 'region']).execute();
    for (const g of groups as { name: string; region: string }[]) groupRegion.set(g.name, g.region);
    await rebuild(
      db,
      'logs_streams',
      'id',
      (t) =>
        t
          .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
          .addColumn('region', 'varchar(32)', (c) => c.notNull())
          .addColumn('group_name', 'varchar(512)', (c) => c.notNull())
          .addColumn('name', 'varchar(512)', (c) => c.notNull())
          .addColumn('creation_time', 'bigint', (c) => c.notNull())
          .addColumn('first_event_timestamp', 'bigint')
          .addColumn('last_event_timestamp', 'bigint')
          .addColumn('last_ingestion_time', 'bigint')
          .addColumn('last_seq', 'bigint', (c) => c.notNull())
          .addUniqueConstraint('logs_streams_region_group_name_uq', [
            'region',
            'group_name',
            'name',
          ]),
      (row) => ({
        region: groupRegion.get(String(row.group_name)) ?? FALLBACK_REGION,
        ...row,
      }),
    );
  },

  /** Back to one region: rows of other regions than the first seen per name would collide. */
  async down(db: AnyDb): Promise<void> {
    const drop = ({ region: _region, ...row }: Row): Row => row;
    await rebuild(
      db,
      'logs_streams',
      'id',
      (t) =>
        t
          .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
          .addColumn('group_name', 'varchar(512)', (c) => c.notNull())
          .addColumn('name', 'varchar(512)', (c) => c.notNull())
          .addColumn('creation_time', 'bigint', (c) => c.notNull())
          .addColumn('first_event_timestamp', 'bigint')
          .addColumn('last_event_timestamp', 'bigint')
          .addColumn('last_ingestion_time', 'bigint')
          .addColumn('last_seq', 'bigint', (c) => c.notNull())
          .addUniqueConstraint('logs_streams_group_name_uq', ['group_name', 'name']),
      drop,
    );
    await rebuild(
      db,
      'logs_groups',
      'arn',
      (t) =>
        t
          .addColumn('name', 'varchar(512)', (c) => c.primaryKey())
          .addColumn('arn', 'text', (c) => c.notNull())
          .addColumn('creation_time', 'bigint', (c) => c.notNull())
          .addColumn('retention_in_days', 'integer')
          .addColumn('kms_key_id', 'varchar(256)')
          .addColumn('log_group_class', 'varchar(32)', (c) => c.notNull())
          .addColumn('tags', 'text', (c) => c.notNull())
          .addColumn('deletion_protection', 'integer', (c) => c.notNull()),
      drop,
    );
    await rebuild(
      db,
      'events_rules',
      'arn',
      (t) =>
        t
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
          .addUniqueConstraint('events_rules_bus_name_uq', ['bus_name', 'name']),
      drop,
    );
    await rebuild(
      db,
      'events_buses',
      'arn',
      (t) =>
        t
          .addColumn('name', 'varchar(256)', (c) => c.primaryKey())
          .addColumn('arn', 'text', (c) => c.notNull())
          .addColumn('description', 'text')
          .addColumn('tags', 'text', (c) => c.notNull())
          .addColumn('created_ms', 'bigint', (c) => c.notNull()),
      drop,
    );
  },
};
