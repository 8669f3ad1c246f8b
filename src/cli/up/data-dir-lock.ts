/**
 * One `cronbridge up` per data directory. Two servers on one store would both claim slots and
 * adopt each other's containers; the second must refuse to start and say who holds the directory.
 *
 * The lock is an exclusive transaction held open on a tiny SQLite file (`<dataDir>/up.lock`) for
 * the life of the process. SQLite locks through the operating system's byte-range locks, which the
 * kernel drops when the holder dies, even by `kill -9`: no stale lock file to clean up, no pid
 * reuse to guess about. (A pid file alone cannot tell a live holder from a dead one reliably.)
 * Who holds it — pid and API address — is written beside it in `up.holder.json` for the message.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import SqliteDatabase from 'better-sqlite3';

export const LOCK_FILE = 'up.lock';
export const HOLDER_FILE = 'up.holder.json';

/** What the holding process tells a second one. */
export interface LockHolder {
  pid: number;
  /** The API's URL once it listens. */
  apiUrl?: string;
}

/** The data directory is held by another live process. */
export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder | undefined,
  ) {
    const who = holder
      ? `cronbridge pid ${holder.pid}${holder.apiUrl ? ` serving ${holder.apiUrl}` : ''}`
      : 'another cronbridge';
    super(
      `the data directory ${dataDir} is in use by ${who}. Stop that process, or start this one ` +
        'with another --data-dir (CRONBRIDGE_DATA_DIR).',
    );
    this.name = 'DataDirLockedError';
  }
}

export interface DataDirLock {
  /** Records the API address for the message a second process prints. */
  announce(apiUrl: string): void;
  /** Lets go; idempotent. */
  release(): void;
}

/** Takes the data directory's lock or throws {@link DataDirLockedError}. The directory must exist. */
export function lockDataDir(dataDir: string, pid: number = process.pid): DataDirLock {
  const db = new SqliteDatabase(join(dataDir, LOCK_FILE), { timeout: 0 });
  try {
    db.exec('BEGIN EXCLUSIVE');
  } catch (error) {
    db.close();
    if ((error as { code?: string }).code === 'SQLITE_BUSY') {
      throw new DataDirLockedError(dataDir, readHolder(dataDir));
    }
    throw error;
  }
  const holderPath = join(dataDir, HOLDER_FILE);
  const write = (holder: LockHolder) => writeFileSync(holderPath, `${JSON.stringify(holder)}\n`);
  write({ pid });
  let released = false;
  return {
    announce: (apiUrl) => write({ pid, apiUrl }),
    release: () => {
      if (released) return;
      released = true;
      rmSync(holderPath, { force: true });
      db.close();
    },
  };
}

function readHolder(dataDir: string): LockHolder | undefined {
  try {
    const parsed = JSON.parse(readFileSync(join(dataDir, HOLDER_FILE), 'utf8')) as LockHolder;
    return typeof parsed.pid === 'number' ? parsed : undefined;
  } catch {
    return undefined;
  }
}
