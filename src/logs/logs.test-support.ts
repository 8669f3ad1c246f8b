/** Shared fixtures for the Logs unit tests: an in-memory store, a ManualClock and the service. */
import assert from 'node:assert/strict';

import { ManualClock } from '../platform/clock.ts';
import { ServiceError } from '../platform/errors.ts';
import { type AwsContext, DEFAULT_CONTEXT } from '../platform/ids.ts';
import { openStore } from '../store/open-store.ts';
import type { Store } from '../store/store.ts';
import { LogsService } from './logs.service.ts';

/** 2026-01-01T00:00:00Z */
export const T0 = Date.UTC(2026, 0, 1);

/** The region the tests call in (the server default's, as the older tests assumed). */
export const CTX: AwsContext = DEFAULT_CONTEXT;

export interface LogsFixture extends AsyncDisposable {
  store: Store;
  clock: ManualClock;
  logs: LogsService;
}

export async function logsFixture(start = T0): Promise<LogsFixture> {
  const store = await openStore({ dataDir: ':memory:' });
  const clock = new ManualClock(start);
  const logs = new LogsService({ store, clock });
  return { store, clock, logs, [Symbol.asyncDispose]: () => store.close() };
}

/** Asserts that `promise` rejects with a ServiceError of exactly this code and message. */
export async function rejectsWith(
  promise: Promise<unknown>,
  code: string,
  message: string,
): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof ServiceError, `expected a ServiceError, got ${String(err)}`);
    assert.equal(err.code, code);
    assert.equal(err.message, message);
    return true;
  });
}
