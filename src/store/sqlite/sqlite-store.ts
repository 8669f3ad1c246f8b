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
import { type Database, isDamagedStoreError, type Store, StoreDamagedError } from '../store.ts';
import { sqliteSync } from './sqlite-sync.ts';
import { cachingDatabase } from './statement-cache.ts';
import { startWalCheckpointer } from './wal-checkpointer.ts';

export interface SqliteStoreOptions {
  /** File path of the database, or `':memory:'` for tests. */
  path: string;
}

/** WAL size (frames of ~4 KiB) at which the main thread completes a checkpoint: ~128 MiB. */
const WAL_RESTART_FRAMES = 32_768;

/** Opens (creating if needed) the SQLite store and brings its schema up to date. */
export async function openSqliteStore(options: SqliteStoreOptions): Promise<Store> {
  try {
    return await openSqliteStoreUnchecked(options);
  } catch (error) {
    if (isDamagedStoreError(error)) throw new StoreDamagedError(options.path, { cause: error });
    throw error;
  }
}

async function openSqliteStoreUnchecked(options: SqliteStoreOptions): Promise<Store> {
  if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true });
  const sqlite = new SqliteDatabase(options.path);
  sqlite.pragma('journal_mode = WAL');
  // NORMAL is durable across process crashes in WAL mode; only a power loss can drop the last
  // commits, which is the trade every embedded scheduler makes for write throughput.
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // Large tables (a million rules' cursors and slots) touch index pages all over the file.
  sqlite.pragma('cache_size = -65536');
  // A worker thread checkpoints (see wal-checkpointer.ts); this is only the safety net.
  sqlite.pragma(`wal_autocheckpoint = ${4 * WAL_RESTART_FRAMES}`);
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: cachingDatabase(sqlite) }),
  });

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

  const checkpointer =
    options.path === ':memory:'
      ? undefined
      : startWalCheckpointer({
          path: options.path,
          intervalMs: 1_000,
          restartAtFrames: WAL_RESTART_FRAMES,
          completeOnMain: () => {
            if (!sqlite.open || sqlite.inTransaction) return;
            try {
              sqlite.pragma('wal_checkpoint(PASSIVE)');
            } catch {
              // Busy: the next round tries again.
            }
          },
        });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await checkpointer?.stop();
    await db.destroy();
  };
  return {
    db,
    sync: sqliteSync(sqlite, db),
    transaction: (fn) => db.transaction().execute(fn),
    close,
    [Symbol.asyncDispose]: close,
  };
}
