/**
 * Kysely's SQLite driver prepares every query it runs anew; under load (the firing loop's
 * invocations, the API) preparing took a fifth of the main thread's time, as much as running the
 * queries. This wraps the connection so a SQL text is prepared once and its statement reused.
 *
 * Reuse is safe because the driver runs one query at a time on the connection (its mutex is held
 * for a whole streamed query too), so a statement is never asked to run while it is still
 * iterating. The cache is bounded and drops the least recently used text: queries with `IN`
 * lists produce a text per list length.
 */
import type SqliteDatabase from 'better-sqlite3';
import type { SqliteDatabase as KyselySqliteDatabase, SqliteStatement } from 'kysely';

export const STATEMENT_CACHE_SIZE = 512;

export interface CachingDatabase extends KyselySqliteDatabase {
  /** Statements currently cached (tests). */
  readonly cachedStatements: number;
}

export function cachingDatabase(
  sqlite: SqliteDatabase.Database,
  capacity = STATEMENT_CACHE_SIZE,
): CachingDatabase {
  const statements = new Map<string, SqliteStatement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string): SqliteStatement {
      let statement = statements.get(sql);
      if (statement) {
        // Most recently used last: Map iteration order is insertion order.
        statements.delete(sql);
      } else {
        statement = sqlite.prepare(sql) as unknown as SqliteStatement;
        if (statements.size >= capacity) {
          const oldest = statements.keys().next().value;
          if (oldest !== undefined) statements.delete(oldest);
        }
      }
      statements.set(sql, statement);
      return statement;
    },
    get cachedStatements() {
      return statements.size;
    },
  };
}
