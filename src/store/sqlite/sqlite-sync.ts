/**
 * {@link SyncSql} on the store's one better-sqlite3 connection: prepared statements cached per
 * SQL text, and transactions that run synchronously when the connection is free.
 *
 * Kysely's driver serialises its queries with a mutex, but between its awaits the connection is
 * either idle (autocommit) or inside one of its explicit transactions. A synchronous
 * BEGIN…COMMIT can therefore run whenever no explicit transaction is open: no other JavaScript
 * can run until it ends. When one is open, the work goes through Kysely's own transaction, which
 * waits for the mutex, so it is never mixed into someone else's transaction.
 */
import type SqliteDatabase from 'better-sqlite3';
import type { Kysely } from 'kysely';

import type { Database, SqlValue, SyncSql, SyncStatement } from '../store.ts';

export function sqliteSync(sqlite: SqliteDatabase.Database, db: Kysely<Database>): SyncSql {
  const statements = new Map<string, SyncStatement>();
  const inTransaction = sqlite.transaction((fn: () => unknown) => fn());
  return {
    prepare(sql: string): SyncStatement {
      let statement = statements.get(sql);
      if (!statement) {
        const prepared = sqlite.prepare<SqlValue[], unknown[]>(sql);
        // Rows as arrays: no object per row when reading a million cursors.
        if (prepared.reader) prepared.raw();
        statement = {
          run: (...params) => prepared.run(...params),
          rows: (...params) => prepared.iterate(...params),
        };
        statements.set(sql, statement);
      }
      return statement;
    },
    transaction<T>(fn: () => T): Promise<T> {
      if (!sqlite.inTransaction) {
        try {
          return Promise.resolve(inTransaction(fn) as T);
        } catch (err) {
          return Promise.reject(err as Error);
        }
      }
      return db.transaction().execute(async () => fn());
    },
  };
}
