import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { sql } from 'kysely';

import { openStore } from '../open-store.ts';

describe('SQLite prepared statements (store.sync)', () => {
  it('runs at once when idle, waits for an open Kysely transaction, rolls back on throw', async () => {
    await using store = await openStore({ dataDir: ':memory:' });
    const sync = store.sync!;
    await sql`CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER)`.execute(store.db);
    const insert = sync.prepare('INSERT INTO t (k, v) VALUES (?, ?)');
    assert.equal(sync.prepare('INSERT INTO t (k, v) VALUES (?, ?)'), insert, 'cached per text');

    // Idle connection: the transaction has committed before the promise is even awaited.
    const done = sync.transaction(() => insert.run('a', 1).changes);
    assert.deepEqual([...sync.prepare('SELECT k, v FROM t').rows()], [['a', 1]]);
    assert.equal(await done, 1);

    // A Kysely transaction is open across an await: the sync work must not join it.
    const order: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const kysely = store.transaction(async (trx) => {
      await trx
        .insertInto('t' as never)
        .values({ k: 'b', v: 2 } as never)
        .execute();
      order.push('kysely wrote');
      await gate;
      throw new Error('roll back b');
    });
    await new Promise((resolve) => setImmediate(resolve));
    const queued = sync.transaction(() => {
      order.push('sync ran');
      return insert.run('c', 3).changes;
    });
    order.push('sync queued');
    release();
    await assert.rejects(kysely, /roll back b/);
    assert.equal(await queued, 1);
    assert.deepEqual(order, ['kysely wrote', 'sync queued', 'sync ran']);
    // b was rolled back with its transaction; c was not part of it.
    assert.deepEqual([...sync.prepare('SELECT k FROM t ORDER BY k').rows()], [['a'], ['c']]);

    await assert.rejects(
      sync.transaction(() => {
        insert.run('d', 4);
        throw new Error('no');
      }),
      /no/,
    );
    assert.deepEqual([...sync.prepare('SELECT k FROM t ORDER BY k').rows()], [['a'], ['c']]);
  });
});
