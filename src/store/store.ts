/**
 * The one way to state. Domain code receives a `Store` and writes dialect-neutral Kysely queries
 * against `store.db`; it never imports a backend (`store/sqlite`, later `store/postgres`), which
 * a lint rule enforces. Where backends differ, code asks `capabilities` instead of testing which
 * backend it has.
 */
import type { Kysely, Transaction } from 'kysely';

import type { Database } from './tables/index.ts';

export type { Database } from './tables/index.ts';

export interface StoreCapabilities {
  /** Several processes may write at once (PostgreSQL); SQLite serialises writers. */
  readonly supportsConcurrentWriters: boolean;
  /** `SELECT ... FOR UPDATE SKIP LOCKED` is available for work queues. */
  readonly supportsSkipLocked: boolean;
  /** `LISTEN/NOTIFY` is available to wake other nodes. */
  readonly supportsListenNotify: boolean;
}

export interface Store extends AsyncDisposable {
  readonly db: Kysely<Database>;
  readonly capabilities: StoreCapabilities;
  /** Runs `fn` in one transaction; commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: (trx: Transaction<Database>) => Promise<T>): Promise<T>;
  /** Closes connections; idempotent. */
  close(): Promise<void>;
}

/** A Kysely handle that is either the store's root connection or a transaction of it. */
export type Db = Kysely<Database>;
