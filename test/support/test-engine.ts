/**
 * One engine on real Docker behind the AWS-compatible API on an ephemeral loopback port, built the
 * way `cronbridge up` builds it (createEngine + createEngineApi), for tests that drive cronbridge
 * with real AWS clients. Containers carry this fixture's run label and are reaped on dispose.
 *
 *   await using fx = await testEngine({ prefix: 'seed' });
 *   new ECSClient({ endpoint: fx.url, ...AWS_TEST_CLIENT });
 */
import type { ApiServer } from '../../src/api/server.ts';
import { createEngine, type Engine, type EngineOptions } from '../../src/engine/engine.ts';
import { createEngineApi } from '../../src/engine/engine-api.ts';
import { type Clock, SystemClock } from '../../src/platform/clock.ts';
import { DEFAULT_CONTEXT } from '../../src/platform/ids.ts';
import { openStore } from '../../src/store/open-store.ts';
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
  const clock = options.clock ?? new SystemClock();
  const store = await openStore({ dataDir: ':memory:' });
  const engineOptions: EngineOptions = {
    store,
    clock,
    runtime: testRuntime({ pullTimeoutMs: 30_000 }),
    context: DEFAULT_CONTEXT,
    // Test containers never need a network; the awsvpc settings are recorded, not wired.
    taskNetwork: 'none',
    extraLabels: { [TEST_RUN_LABEL]: runId },
    instanceId: runId,
    logFlushIntervalMs: options.logFlushIntervalMs ?? 200,
    ...(options.firing ? { firing: options.firing } : {}),
  };
  const engine = createEngine(engineOptions);
  const extraEngines: Engine[] = [];
  const newEngine = () => {
    // A fresh runtime too, as a restarted process would have.
    const next = createEngine({
      ...engineOptions,
      runtime: testRuntime({ pullTimeoutMs: 30_000 }),
    });
    extraEngines.push(next);
    return next;
  };
  await engine.recover();
  if (options.startFiring) await engine.startFiring();
  const server = createEngineApi(engine, { context: DEFAULT_CONTEXT, clock });
  const { url } = await server.start({ host: '127.0.0.1', port: 0 });
  let disposed = false;
  const dispose = async () => {
    if (disposed) return;
    disposed = true;
    // Server first (no new requests), then the engine, then whatever containers are left.
    await server.stop();
    await engine.close();
    for (const extra of extraEngines) await extra.close();
    await reapTestContainers(runId);
    await store.close();
  };
  return {
    store,
    engine,
    server,
    clock,
    url,
    runId,
    newEngine,
    [Symbol.asyncDispose]: dispose,
  };
}
