import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { sql } from 'kysely';

import { openStore } from '../open-store.ts';
import { StoreDamagedError } from '../store.ts';

describe('SQLite store', () => {
  it('opens a file store in WAL mode, migrates, and reopens idempotently', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cronbridge-store-'));
    try {
      const first = await openStore({ dataDir: dir });
      const mode = await sql<{ journal_mode: string }>`PRAGMA journal_mode`.execute(first.db);
      assert.equal(mode.rows[0]?.journal_mode, 'wal');
      await first.close();
      await first.close();
      await using second = await openStore({ dataDir: dir });
      const again = await sql<{ journal_mode: string }>`PRAGMA journal_mode`.execute(second.db);
      assert.equal(again.rows[0]?.journal_mode, 'wal');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names a damaged store file and the remedies instead of a bare SQLite error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cronbridge-store-'));
    try {
      const path = join(dir, 'cronbridge.db');
      writeFileSync(path, 'this is not a database, it is a shopping list\n'.repeat(100));
      await assert.rejects(openStore({ dataDir: dir }), (error: Error) => {
        assert.ok(error instanceof StoreDamagedError);
        assert.equal(error.path, path);
        assert.match(
          error.message,
          new RegExp(`^the store ${path} cannot be read \\(file is not a database\\)`),
        );
        assert.match(error.message, /from a backup, or move it aside/);
        return true;
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
