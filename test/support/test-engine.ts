/**
 * One engine on real Docker behind the AWS-compatible API on an ephemeral loopback port: the
 * engine fixture (src/engine/engine.fixture.ts) on the test engine's DockerRuntime, for tests
 * that drive cronbridge with real AWS clients. Containers carry this fixture's run label and are
 * reaped on dispose.
 *
 *   await using fx = await testEngine({ prefix: 'seed' });
 *   new ECSClient({ endpoint: fx.url, ...AWS_TEST_CLIENT });
 */
import type { ApiServer } from '../../src/api/server.ts';
import type { Engine, EngineOptions } from '../../src/engine/engine.ts';
import { startTestEngine } from '../../src/engine/engine.fixture.ts';
import { createServiceRoles, engineRoles } from '../../src/engine/service-roles.test-support.ts';
import type { Clock } from '../../src/platform/clock.ts';
import type { Store } from '../../src/store/store.ts';
import { newTestRunId, reapTestContainers, TEST_RUN_LABEL, testRuntime } from './docker.ts';

/** Client settings for SDK v3 clients against a test server (dummy keys, no retries). */
export const AWS_TEST_CLIENT = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  maxAttempts: 1,
} as const;

export interface TestEngineOptions {
  /** Prefix of the run id (the container label value). */
  prefix: string;
  /** The engine's and the API's clock. @default a SystemClock */
  clock?: Clock;
  /** @default 200 (real clock) — with a ManualClock logs flush when a container ends. */
  logFlushIntervalMs?: number;
  /** Start the firing loop (scheduled rules fire as the clock reaches their slots). @default false */
  startFiring?: boolean;
  firing?: EngineOptions['firing'];
  /**
   * Make the classic system's roles first (`ecsEventsRole`, `ecsTaskExecutionRole`,
   * `ecsTaskRole`, see src/engine/service-roles.test-support.ts): rules invoke their targets as
   * the events role and tasks log as the execution role, both enforced. @default false
   */
  serviceRoles?: boolean;
}

export interface TestEngine extends AsyncDisposable {
  readonly store: Store;
  readonly engine: Engine;
  readonly server: ApiServer;
  readonly clock: Clock;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** The value of TEST_RUN_LABEL on this engine's containers. */
  readonly runId: string;
  /**
   * Another engine built like `engine` on the same store, clock and run label: a restarted
   * cronbridge (close `engine` first). Not recovered and not behind the API; closed on dispose.
   */
  newEngine(): Engine;
}

export async function testEngine(options: TestEngineOptions): Promise<TestEngine> {
  const runId = newTestRunId(options.prefix);
  const fx = await startTestEngine({
    // The test engine's runtime keeps the real clock (waits on real events) whatever the engine's.
    runtime: () => testRuntime({ pullTimeoutMs: 30_000 }),
    ...(options.clock ? { clock: options.clock } : {}),
    startFiring: options.startFiring ?? false,
    engine: {
      extraLabels: { [TEST_RUN_LABEL]: runId },
      instanceId: runId,
      logFlushIntervalMs: options.logFlushIntervalMs ?? 200,
      ...(options.firing ? { firing: options.firing } : {}),
    },
  });
  if (options.serviceRoles) await createServiceRoles(engineRoles(fx.engine.iam));
  let disposed = false;
  const dispose = async () => {
    if (disposed) return;
    disposed = true;
    // The fixture stops the server, then the engines, then the store; then whatever containers
    // are left go.
    await fx.close();
    await reapTestContainers(runId);
  };
  return {
    store: fx.store,
    engine: fx.engine,
    server: fx.server as ApiServer,
    clock: fx.clock,
    url: fx.url,
    runId,
    newEngine: () => fx.newEngine(),
    [Symbol.asyncDispose]: dispose,
  };
}
