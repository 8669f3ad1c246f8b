/** Shared fixture for the API tests: in-memory store, a clock, Logs + STS on one server. */
import { type Clock, ManualClock, SystemClock } from '../platform/clock.ts';
import { DEFAULT_CONTEXT } from '../platform/ids.ts';
import { LogsService } from '../logs/logs.service.ts';
import { openStore } from '../store/open-store.ts';
import type { ApiLogger, ServiceModule } from './api.types.ts';
import { createApiServer, type ApiServer } from './server.ts';
import { signedFor, signingServer, type SignedInjectOptions } from './signing.test-support.ts';
import { logsApi } from './services/logs.api.ts';
import { stsApi } from './services/sts.api.ts';

/** 2026-01-01T00:00:00Z */
export const T0 = Date.UTC(2026, 0, 1);

export interface ApiFixture extends AsyncDisposable {
  server: ApiServer & { inject(request: SignedInjectOptions): ReturnType<ApiServer['inject']> };
  logs: LogsService;
  /** Messages the server logged as unexpected failures. */
  logged: { message: string; detail?: Record<string, unknown> }[];
}

export interface ApiFixtureOptions {
  clock?: Clock;
  /** Extra modules next to Logs and STS. */
  extra?: ServiceModule[];
}

export async function apiFixture(options: ApiFixtureOptions = {}): Promise<ApiFixture> {
  const store = await openStore({ dataDir: ':memory:' });
  const clock = options.clock ?? new ManualClock(T0);
  const logs = new LogsService({ store, clock });
  const logged: ApiFixture['logged'] = [];
  const logger: ApiLogger = { error: (message, detail) => logged.push({ message, detail }) };
  const services = [logsApi(logs), stsApi(), ...(options.extra ?? [])];
  // Real clients (SDK, AWS CLI) sign at wall-clock time whatever the fixture's clock simulates,
  // so signatures are checked against a wall clock, and the injected requests signed at it.
  const signatureClock = new SystemClock();
  const server = createApiServer({
    services,
    context: DEFAULT_CONTEXT,
    clock,
    logger,
    signatureClock,
  });
  return {
    // Requests are signed with the test key (signing.test-support.ts).
    server: signingServer(server, services, signatureClock),
    logs,
    logged,
    [Symbol.asyncDispose]: async () => {
      await server.stop();
      await store.close();
    },
  };
}

/** Headers of a botocore-style awsJson1.1 request for `target`. */
export function jsonHeaders(target: string, region = 'us-east-1'): Record<string, string> {
  return {
    'content-type': 'application/x-amz-json-1.1',
    'x-amz-target': target,
    // A scope marker: the fixture's server signs it for real (signing.test-support.ts).
    authorization: signedFor('infer', region),
  };
}

/**
 * What an SDK v3 call failed with, as `[error name, HTTP status, message]`; fails the test when
 * the call succeeds.
 */
export async function sdkFailure(
  promise: Promise<unknown>,
): Promise<[string, number | undefined, string]> {
  try {
    await promise;
  } catch (error) {
    const e = error as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return [e.name, e.$metadata?.httpStatusCode, e.message];
  }
  throw new Error('the call succeeded');
}
