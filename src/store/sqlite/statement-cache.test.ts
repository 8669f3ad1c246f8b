import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import SqliteDatabase from 'better-sqlite3';

import { cachingDatabase } from './statement-cache.ts';

describe('SQLite statement cache (Kysely connection)', () => {
  it('prepares a SQL text once and reuses its statement', () => {
    const sqlite = new SqliteDatabase(':memory:');
    try {
      sqlite.exec('CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER)');
      const db = cachingDatabase(sqlite);
      const insert = db.prepare('INSERT INTO t (k, v) VALUES (?, ?)');
      insert.run(['a', 1]);
      assert.equal(db.prepare('INSERT INTO t (k, v) VALUES (?, ?)'), insert);
      db.prepare('INSERT INTO t (k, v) VALUES (?, ?)').run(['b', 2]);
      assert.deepEqual(db.prepare('SELECT k, v FROM t ORDER BY k').all([]), [
        { k: 'a', v: 1 },
        { k: 'b', v: 2 },
      ]);
      assert.equal(db.cachedStatements, 2);
    } finally {
      sqlite.close();
    }
  });

  it('keeps at most its capacity, dropping the least recently used text', () => {
    const sqlite = new SqliteDatabase(':memory:');
    try {
      const db = cachingDatabase(sqlite, 2);
      const one = db.prepare('SELECT 1');
      const two = db.prepare('SELECT 2');
      assert.equal(db.prepare('SELECT 1'), one, 'SELECT 1 is now the most recent');
      db.prepare('SELECT 3');
      assert.equal(db.cachedStatements, 2);
      assert.equal(db.prepare('SELECT 1'), one, 'kept');
      assert.notEqual(db.prepare('SELECT 2'), two, 'dropped, prepared again');
    } finally {
      sqlite.close();
    }
  });
});
