/**
 * The one way to state. Domain code receives a `Store` and writes dialect-neutral Kysely queries
 * against `store.db`; it never imports a backend (`store/sqlite`, later `store/postgres`), which
 * a lint rule enforces. Where backends differ, the Store grows a capability (as `sync` is for
 * SQLite) instead of callers testing which backend they have.
 */
import type { Kysely, Transaction } from 'kysely';

import type { Database } from './tables/index.ts';

export type { Database } from './tables/index.ts';

/** A value bound to a {@link SyncStatement} parameter. */
export type SqlValue = string | number | bigint | null;

/** A prepared statement of {@link SyncSql} (better-sqlite3's shape, typed structurally). */
export interface SyncStatement {
  /** Executes a write; `changes` is the number of rows it inserted, updated or deleted. */
  run(...params: SqlValue[]): { changes: number };
  /** Executes a read; each row as an array of column values, in select order. */
  rows(...params: SqlValue[]): IterableIterator<unknown[]>;
}

/**
 * Synchronous prepared statements on an embedded backend's single connection (SQLite). Hot paths
 * (the firing loop's claims) use it to skip query building and the driver's async round trips.
 * Its SQL must stay portable, and callers keep a Kysely path for backends without it.
 */
export interface SyncSql {
  /** Prepares a statement once per SQL text for the life of the store. */
  prepare(sql: string): SyncStatement;
  /**
   * Runs `fn` in one transaction: at once (synchronously) when no Kysely transaction is open on
   * the connection, else queued behind it, never interleaved with it. `fn` must not await, and
   * must not be called from inside a `Store.transaction` (it would wait for itself).
   */
  transaction<T>(fn: () => T): Promise<T>;
}

export interface Store extends AsyncDisposable {
  readonly db: Kysely<Database>;
  /** Present on embedded backends only (SQLite); see {@link SyncSql}. */
  readonly sync?: SyncSql;
  /** Runs `fn` in one transaction; commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: (trx: Transaction<Database>) => Promise<T>): Promise<T>;
  /** Closes connections; idempotent. */
  close(): Promise<void>;
}

/** A Kysely handle that is either the store's root connection or a transaction of it. */
export type Db = Kysely<Database>;

/**
 * The store file cannot be read as a database (damaged, or another kind of file). Its message
 * names the file and what the operator can do, since nothing inside cronbridge can mend it.
 */
export class StoreDamagedError extends Error {
  constructor(
    readonly path: string,
    options: { cause: unknown },
  ) {
    const detail = options.cause instanceof Error ? options.cause.message : String(options.cause);
    super(
      `the store ${path} cannot be read (${detail}). Restore it (with its -wal file) from a ` +
        `backup, or move it aside (mv ${path} ${path}.damaged) to start with an empty store: ` +
        'rules, task definitions, tasks, logs and history in it are then not used.',
      options,
    );
    this.name = 'StoreDamagedError';
  }
}

/** SQLite's codes for a file that is not (or no longer) a readable database. */
export function isDamagedStoreError(error: unknown): boolean {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^SQLITE_(NOTADB|CORRUPT)/.test(code)) return true;
  }
  return false;
}
