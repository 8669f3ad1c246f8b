import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

import { DataDirLockedError, lockDataDir } from './data-dir-lock.ts';

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'cronbridge-lock-'));
}

describe('data directory lock', () => {
  it('refuses a second holder, naming the first one, until it lets go', () => {
    const dir = tempDir();
    try {
      const first = lockDataDir(dir, 4242);
      first.announce('http://127.0.0.1:4566');
      assert.throws(
        () => lockDataDir(dir, 999),
        (error: unknown) =>
          error instanceof DataDirLockedError &&
          error.holder?.pid === 4242 &&
          /in use by cronbridge pid 4242 serving http:\/\/127\.0\.0\.1:4566/.test(error.message),
      );
      first.release();
      first.release();
      const second = lockDataDir(dir, 999);
      second.release();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is free again once the holding process is killed with SIGKILL', async () => {
    const dir = tempDir();
    try {
      // A child takes the lock and says so, then waits to be killed.
      const lockModule = new URL('./data-dir-lock.ts', import.meta.url).href;
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          '--input-type=module',
          '-e',
          `import { lockDataDir } from ${JSON.stringify(lockModule)};
           lockDataDir(${JSON.stringify(dir)});
           console.log('locked');
           process.stdin.resume();`,
        ],
        { stdio: ['pipe', 'pipe', 'inherit'] },
      );
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          if (chunk.toString().includes('locked')) resolve();
        });
        child.once('exit', (code) => reject(new Error(`child exited early (${code})`)));
      });
      assert.throws(() => lockDataDir(dir), DataDirLockedError);
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
      const lock = lockDataDir(dir);
      lock.release();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
