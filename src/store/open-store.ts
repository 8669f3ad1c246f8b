/** Picks the store backend from configuration; the only place that names a backend. */
import { join } from 'node:path';

import { openSqliteStore } from './sqlite/sqlite-store.ts';
import type { Store } from './store.ts';

export interface StoreConfig {
  /** Data directory of the embedded store; `':memory:'` keeps everything in memory (tests). */
  dataDir: string;
}

export function openStore(config: StoreConfig): Promise<Store> {
  const path = config.dataDir === ':memory:' ? ':memory:' : join(config.dataDir, 'cronbridge.db');
  return openSqliteStore({ path });
}
