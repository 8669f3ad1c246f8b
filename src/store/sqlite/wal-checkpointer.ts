/**
 * Keeps SQLite's write-ahead log short without stalling the main thread for long.
 *
 * A checkpoint copies WAL frames into the database file and fsyncs both. Left to SQLite's
 * automatic checkpoint it runs inside whichever commit crosses the threshold, on the main
 * thread: with a commit every millisecond (the firing loop at a million rules) that is several
 * stalls of tens of milliseconds a second on a slow disk, and every timer waits for them.
 *
 * So a worker thread, on its own connection, does the bulk: PASSIVE checkpoints (which never
 * block the writer) and an fdatasync of the database file, repeated until little is left. A
 * checkpoint cannot *complete* while the main thread keeps committing, though, and the log only
 * restarts from its beginning once one has; so when the log has grown past `restartAtFrames`,
 * the main thread finishes the job itself right after the worker's round, when only a few
 * milliseconds of frames remain to copy and sync. The connection's own automatic checkpoint stays
 * on, at a high threshold, as the safety net should the worker stop.
 *
 * The period is housekeeping time, not schedule time: no test or schedule can observe it, so the
 * worker keeps its own interval instead of the injected Clock (which lives on the main thread).
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** CommonJS source of the worker; kept inline so no loader (tsx) is needed in the thread. */
const WORKER_SOURCE = `
const { fdatasyncSync, openSync, closeSync } = require('node:fs');
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('busy_timeout = 0');
const dbFd = openSync(workerData.path, 'r');
const round = () => {
  let result = { log: 0, checkpointed: 0 };
  try {
    // Each pass copies what the previous one left behind; stop once the rest is small.
    for (let pass = 0; pass < 4; pass++) {
      result = db.pragma('wal_checkpoint(PASSIVE)')[0];
      // A partial checkpoint leaves the copied pages unsynced; flush them here, off the main
      // thread, so the final checkpoint there has little to sync.
      fdatasyncSync(dbFd);
      if (result.log - result.checkpointed < workerData.smallFrames) break;
    }
  } catch {
    // Busy or failing: the next round (or the automatic checkpoint) catches up.
  }
  parentPort.postMessage(result);
};
const interval = setInterval(round, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(interval);
  closeSync(dbFd);
  db.close();
  parentPort.close();
});
`;

export interface WalCheckpointerOptions {
  /** Database file (in WAL mode). */
  path: string;
  /** Time between the worker's rounds. */
  intervalMs: number;
  /** Log size (frames) past which the main thread completes a checkpoint after a round. */
  restartAtFrames: number;
  /** Runs a PASSIVE checkpoint on the main connection (skipped inside a transaction). */
  completeOnMain: () => void;
}

export interface WalCheckpointer {
  /** Closes the worker's connection and waits for the thread to end. */
  stop(): Promise<void>;
}

export function startWalCheckpointer(options: WalCheckpointerOptions): WalCheckpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    execArgv: [],
    workerData: {
      path: options.path,
      driver,
      intervalMs: options.intervalMs,
      smallFrames: 256,
    },
  });
  worker.unref();
  let alive = true;
  const exited = new Promise<void>((resolve) => {
    worker.once('exit', () => {
      alive = false;
      resolve();
    });
  });
  worker.on('message', (result: { log: number; checkpointed: number }) => {
    if (alive && result.log >= options.restartAtFrames) options.completeOnMain();
  });
  // A worker that cannot open the file leaves the automatic checkpoint in charge.
  worker.on('error', () => {});
  return {
    async stop() {
      if (alive) {
        alive = false;
        // Held by the process until it has closed its connection.
        worker.ref();
        worker.postMessage('stop');
      }
      await exited;
    },
  };
}
