/**
 * The embedded default backend: one SQLite file in the data directory, opened through
 * better-sqlite3 (12.x; 13.x crashes on Node 20) and Kysely's SQLite dialect.
 *
 * WAL mode lets readers proceed while the single writer commits; Kysely's SQLite driver already
 * serialises every query and transaction on the one connection, which is the mutex SQLite needs.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';

import { migrations } from '../migrations/index.ts';
import type { Database, Store, StoreCapabilities } from '../store.ts';

export interface SqliteStoreOptions {
  /** File path of the database, or `':memory:'` for tests. */
  path: string;
}

const capabilities: StoreCapabilities = {
  supportsConcurrentWriters: false,
  supportsSkipLocked: false,
  supportsListenNotify: false,
};

/** Opens (creating if needed) the SQLite store and brings its schema up to date. */
export async function openSqliteStore(options: SqliteStoreOptions): Promise<Store> {
  if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
  const sqlite = new SqliteDatabase(options.path);
  sqlite.pragma('journal_mode = WAL');
  // NORMAL is durable across process crashes in WAL mode; only a power loss can drop the last
  // commits, which is the trade every embedded scheduler makes for write throughput.
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });

  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    await db.destroy();
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`store migration ${failed} failed`, { cause: error });
  }

  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await db.destroy();
  };
  return {
    db,
    capabilities,
    transaction: (fn) => db.transaction().execute(fn),
    close,
    [Symbol.asyncDispose]: close,
  };
}
