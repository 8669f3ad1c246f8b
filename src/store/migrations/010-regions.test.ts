/**
 * Migration 010 on a store written before regions: every row takes the region its ARN names
 * (the server's configured region of its day), streams their group's, events stay with their
 * streams, and afterwards one name can live in two regions.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';

import { migrations } from './index.ts';

// The test writes rows of the schema before and after 010, which no one typed schema describes.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

async function storeAt(target: string): Promise<{ db: AnyDb; migrator: Migrator }> {
  const db: AnyDb = new Kysely({
    dialect: new SqliteDialect({ database: new SqliteDatabase(':memory:') }),
  });
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error } = await migrator.migrateTo(target);
  if (error) throw error;
  return { db, migrator };
}

const ACCOUNT = '000000000000';

describe('migration 010-regions', () => {
  it('gives old rows the region of their ARN and makes region part of every key', async () => {
    const { db, migrator } = await storeAt('008-iam');
    try {
      await db
        .insertInto('events_buses')
        .values({
          name: 'orders',
          arn: `arn:aws:events:eu-central-1:${ACCOUNT}:event-bus/orders`,
          description: null,
          tags: '{}',
          created_ms: 1,
        })
        .execute();
      const rule = {
        bus_name: 'default',
        schedule_expression: 'rate(1 hour)',
        event_pattern: null,
        state: 'ENABLED',
        description: null,
        role_arn: null,
        anchor_ms: 1,
        created_ms: 1,
        tags: '{}',
      };
      await db
        .insertInto('events_rules')
        .values([
          { ...rule, arn: `arn:aws:events:eu-central-1:${ACCOUNT}:rule/a`, name: 'a' },
          { ...rule, arn: `arn:aws:events:us-east-1:${ACCOUNT}:rule/b`, name: 'b' },
        ])
        .execute();
      const group = {
        creation_time: 1,
        retention_in_days: null,
        kms_key_id: null,
        log_group_class: 'STANDARD',
        tags: '{}',
        deletion_protection: 0,
      };
      await db
        .insertInto('logs_groups')
        .values([
          {
            ...group,
            name: '/ecs/a',
            arn: `arn:aws:logs:eu-central-1:${ACCOUNT}:log-group:/ecs/a`,
          },
          { ...group, name: '/ecs/b', arn: 'not an arn' },
        ])
        .execute();
      const stream = {
        creation_time: 1,
        first_event_timestamp: 5,
        last_event_timestamp: 5,
        last_ingestion_time: 5,
        last_seq: 1,
        name: 's',
      };
      await db
        .insertInto('logs_streams')
        .values([
          { ...stream, id: 'aaaa', group_name: '/ecs/a' },
          { ...stream, id: 'bbbb', group_name: '/ecs/b' },
        ])
        .execute();
      await db
        .insertInto('logs_events')
        .values({ stream_id: 'aaaa', seq: 1, timestamp: 5, ingestion_time: 5, message: 'kept' })
        .execute();

      const { error } = await migrator.migrateToLatest();
      assert.equal(error, undefined);

      const regions = async (table: string, key: string) =>
        (await db.selectFrom(table).select([key, 'region']).orderBy(key).execute()).map(
          (r) => `${r[key]}@${r.region}`,
        );
      assert.deepEqual(await regions('events_buses', 'name'), ['orders@eu-central-1']);
      assert.deepEqual(await regions('events_rules', 'name'), ['a@eu-central-1', 'b@us-east-1']);
      // Text that is no ARN (never written by cronbridge) falls back to us-east-1.
      assert.deepEqual(await regions('logs_groups', 'name'), [
        '/ecs/a@eu-central-1',
        '/ecs/b@us-east-1',
      ]);
      assert.deepEqual(await regions('logs_streams', 'id'), [
        'aaaa@eu-central-1',
        'bbbb@us-east-1',
      ]);
      const events = await db.selectFrom('logs_events').select(['stream_id', 'message']).execute();
      assert.deepEqual(events, [{ stream_id: 'aaaa', message: 'kept' }]);

      // The same names again in another region: allowed now.
      await db
        .insertInto('logs_groups')
        .values({ ...group, region: 'ap-northeast-1', name: '/ecs/a', arn: 'x' })
        .execute();
      await db
        .insertInto('logs_streams')
        .values({ ...stream, id: 'cccc', region: 'ap-northeast-1', group_name: '/ecs/a' })
        .execute();
      await db
        .insertInto('events_rules')
        .values({ ...rule, arn: 'y', region: 'ap-northeast-1', name: 'a' })
        .execute();
      // ...and still unique within one region.
      await assert.rejects(
        db
          .insertInto('logs_groups')
          .values({ ...group, region: 'ap-northeast-1', name: '/ecs/a', arn: 'z' })
          .execute(),
        /UNIQUE/,
      );
      await assert.rejects(
        db
          .insertInto('events_rules')
          .values({ ...rule, arn: 'w', region: 'eu-central-1', name: 'a' })
          .execute(),
        /UNIQUE/,
      );
    } finally {
      await db.destroy();
    }
  });

  it('goes back down to one region per name', async () => {
    const { db, migrator } = await storeAt('010-regions');
    try {
      await db
        .insertInto('logs_groups')
        .values({
          region: 'ap-northeast-1',
          name: 'g',
          arn: 'arn:aws:logs:ap-northeast-1:0:log-group:g',
          creation_time: 1,
          retention_in_days: null,
          kms_key_id: null,
          log_group_class: 'STANDARD',
          tags: '{}',
          deletion_protection: 0,
        })
        .execute();
      const { error } = await migrator.migrateTo('008-iam');
      assert.equal(error, undefined);
      const rows = await db.selectFrom('logs_groups').selectAll().execute();
      assert.deepEqual(
        rows.map((r) => [r.name, 'region' in r]),
        [['g', false]],
      );
    } finally {
      await db.destroy();
    }
  });
});
