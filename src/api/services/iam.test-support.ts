/**
 * Shared set-up of the IAM API tests: an engine on the memory runtime with its API, a root-signed
 * SDK v3 IAM client for it (torn down by the suite's `after`), and one assertion for IAM's errors.
 */
import assert from 'node:assert/strict';
import { after, before } from 'node:test';

import { IAMClient, IAMServiceException } from '@aws-sdk/client-iam';

import { startTestEngine, type TestEngine } from '../../engine/engine.fixture.ts';
import { ManualClock } from '../../platform/clock.ts';

/** The engine and client of a suite; read them inside tests (they are set by `before`). */
export interface IamSuite {
  readonly fx: TestEngine;
  readonly iam: IAMClient;
}

/**
 * Registers `before`/`after` hooks (call it inside `describe`) that start an engine whose clock
 * stands at `startMs` and an IAM client signing as root in `region` (IAM is global: any region).
 */
export function iamSuite(options: { startMs: number; region: string }): IamSuite {
  const suite = {} as { fx: TestEngine; iam: IAMClient };
  before(async () => {
    suite.fx = await startTestEngine({
      runtime: 'memory',
      clock: new ManualClock(options.startMs),
      withApi: true,
    });
    suite.iam = new IAMClient({
      endpoint: suite.fx.url,
      region: options.region,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
  });
  after(async () => {
    suite.iam?.destroy();
    await suite.fx?.close();
  });
  return suite;
}

/** Asserts an IAM error by the SDK's name for it, its HTTP status and (when given) message. */
export async function rejectsWithIamError(
  promise: Promise<unknown>,
  expected: { name: string; status?: number; message?: string | RegExp },
): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof IAMServiceException, String(err));
    assert.equal(err.name, expected.name);
    if (expected.status !== undefined) assert.equal(err.$metadata.httpStatusCode, expected.status);
    if (typeof expected.message === 'string') assert.equal(err.message, expected.message);
    else if (expected.message) assert.match(err.message, expected.message);
    return true;
  });
}
