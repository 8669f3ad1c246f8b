/**
 * Migration 011 on a store written before it: task definitions keep every field and gain the
 * region of their ARN, the same family revision may then exist in two regions, and the way
 * back restores the old table.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, sql } from 'kysely';

import { migrations } from './index.ts';

describe('migration 011-ecs-regions', () => {
  it('reads the region from each ARN and numbers revisions per region after it', async () => {
    const db = new Kysely<unknown>({
      dialect: new SqliteDialect({ database: new SqliteDatabase(':memory:') }),
    });
    const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
    assert.equal((await migrator.migrateTo('008-iam')).error, undefined);
    const old = {
      arn: 'arn:aws:ecs:us-east-1:000000000000:task-definition/nightly:1',
      family: 'nightly',
      revision: 1,
      status: 'ACTIVE',
      body: '{"family":"nightly"}',
      tags: '[{"key":"team","value":"data"}]',
    };
    await sql`INSERT INTO ecs_task_definitions (arn, family, revision, status, body, tags)
      VALUES (${old.arn}, ${old.family}, ${old.revision}, ${old.status}, ${old.body}, ${old.tags})`.execute(
      db,
    );

    assert.equal((await migrator.migrateToLatest()).error, undefined);
    const rows = await sql<Record<string, unknown>>`SELECT * FROM ecs_task_definitions`.execute(db);
    assert.deepEqual(rows.rows, [{ ...old, region: 'us-east-1' }]);
    // Revision 1 of the same family in another region no longer collides.
    await sql`INSERT INTO ecs_task_definitions (arn, region, family, revision, status, body, tags)
      VALUES ('arn:aws:ecs:ap-northeast-1:000000000000:task-definition/nightly:1',
        'ap-northeast-1', 'nightly', 1, 'ACTIVE', '{}', '[]')`.execute(db);
    await sql`DELETE FROM ecs_task_definitions WHERE region = 'ap-northeast-1'`.execute(db);

    assert.equal((await migrator.migrateTo('008-iam')).error, undefined);
    const back = await sql<Record<string, unknown>>`SELECT * FROM ecs_task_definitions`.execute(db);
    assert.deepEqual(back.rows, [old]);
    await db.destroy();
  });
});
