/**
 * One engine for tests, benchmarks and scripts, built the way `cronbridge up` builds it
 * (createEngine, then recovery, then the API server from createEngineApi), on the runtime the
 * caller names. Every place that wants "an engine on the memory runtime" (or on Docker) starts it
 * here, so the set-up cannot drift from the composition root.
 *
 *   await using fx = await startTestEngine({ runtime: 'memory', clock: new ManualClock(T0) });
 *   await fx.engine.ecs.tasks.runTask(DEFAULT_CONTEXT, …);   // or an SDK client on fx.url
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { ApiServer } from '../api/server.ts';
import { signingServer, type SignedInjectOptions } from '../api/signing.test-support.ts';
import { type Clock, SystemClock } from '../platform/clock.ts';
import { type AwsContext, DEFAULT_CONTEXT } from '../platform/ids.ts';
import type { ContainerRuntime } from '../runtime/container-runtime.ts';
import { parseDockerHost } from '../runtime/docker-connection.ts';
import { DockerRuntime } from '../runtime/docker-runtime.ts';
import { MemoryRuntime, type MemoryRuntimeOptions } from '../runtime/memory-runtime.ts';
import { openStore } from '../store/open-store.ts';
import type { Store } from '../store/store.ts';
import { createEngine, type Engine, type EngineOptions } from './engine.ts';
import { createEngineApi, engineApiServices } from './engine-api.ts';

/**
 * Which runtime the engine drives: the in-memory fake (on the engine's clock), Docker at
 * `DOCKER_HOST` (or its default socket), a runtime the caller built, or a builder given the clock.
 */
export type TestRuntimeChoice =
  'memory' | 'docker' | ContainerRuntime | ((clock: Clock) => ContainerRuntime);

/** The fixture's API server, whose `inject` signs. */
export type SigningApiServer = ApiServer & {
  inject(request: SignedInjectOptions): ReturnType<ApiServer['inject']>;
};

export interface TestEngineOptions {
  readonly runtime: TestRuntimeChoice;
  /** The engine's and the API's clock. @default a SystemClock */
  readonly clock?: Clock;
  /** With `runtime: 'memory'`: the fake's images and scripts. */
  readonly memory?: Omit<MemoryRuntimeOptions, 'clock'>;
  /** With `runtime: 'docker'`: bound on one image pull. @default 30 s */
  readonly pullTimeoutMs?: number;
  /**
   * Where the store lives: in memory, or a SQLite file in a fresh temp dir removed on dispose
   * (for figures that should include file I/O, or a store shared by several engines).
   * @default 'memory'
   */
  readonly store?: 'memory' | 'temp-dir';
  /** Serve the AWS-compatible API on an ephemeral loopback port. @default true */
  readonly withApi?: boolean;
  /** Run recovery before serving, as `cronbridge up` does. @default true */
  readonly recover?: boolean;
  /** Start the firing loop. @default false */
  readonly startFiring?: boolean;
  readonly context?: AwsContext;
  /** The rest of the engine's options (labels, flush intervals, firing settings, …). */
  readonly engine?: Partial<Omit<EngineOptions, 'store' | 'clock' | 'runtime' | 'context'>>;
}

export interface TestEngine extends AsyncDisposable {
  readonly engine: Engine;
  readonly store: Store;
  readonly clock: Clock;
  readonly runtime: ContainerRuntime;
  /**
   * The API server; undefined with `withApi: false`. Its `inject` signs each request with the
   * test key (signing.test-support.ts) unless told `unsigned: true`.
   */
  readonly server: SigningApiServer | undefined;
  /** `http://127.0.0.1:<port>`; empty with `withApi: false`. */
  readonly url: string;
  /**
   * Another engine built like `engine` on the same store and clock, with the runtime `runtime`
   * (by default the same choice again): a restarted cronbridge (close `engine` first). Not
   * recovered and not behind the API; closed on dispose.
   */
  newEngine(runtime?: ContainerRuntime): Engine;
  /** Server, engines, store and temp dir, in that order; safe to call twice. */
  close(): Promise<void>;
}

function buildRuntime(options: TestEngineOptions, clock: Clock): ContainerRuntime {
  const choice = options.runtime;
  if (choice === 'memory') return new MemoryRuntime({ ...options.memory, clock });
  if (choice === 'docker') {
    return new DockerRuntime({
      connection: parseDockerHost(process.env['DOCKER_HOST']),
      clock,
      pullTimeoutMs: options.pullTimeoutMs ?? 30_000,
    });
  }
  return typeof choice === 'function' ? choice(clock) : choice;
}

/** Starts an engine (and by default its API server); dispose it to stop everything. */
export async function startTestEngine(options: TestEngineOptions): Promise<TestEngine> {
  const clock = options.clock ?? new SystemClock();
  const context = options.context ?? DEFAULT_CONTEXT;
  const dir =
    options.store === 'temp-dir' ? await mkdtemp(join(tmpdir(), 'cronbridge-engine-')) : undefined;
  const store = await openStore({ dataDir: dir ?? ':memory:' });
  const runtime = buildRuntime(options, clock);
  const engineOptions: EngineOptions = {
    // Test engines never need a container network; awsvpc settings are recorded, not wired.
    taskNetwork: 'none',
    ...options.engine,
    store,
    clock,
    runtime,
    context,
  };
  const engine = createEngine(engineOptions);
  const extraEngines: Engine[] = [];
  const newEngine = (next?: ContainerRuntime) => {
    // A fresh runtime by default, as a restarted process would have.
    const built = createEngine({ ...engineOptions, runtime: next ?? buildRuntime(options, clock) });
    extraEngines.push(built);
    return built;
  };
  let server: SigningApiServer | undefined;
  let url = '';
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    // Server first (no new requests), then the engines, then the store and its files.
    await server?.stop();
    await engine.close();
    for (const extra of extraEngines) await extra.close();
    await store.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  };
  try {
    if (options.recover ?? true) await engine.recover();
    if (options.startFiring) await engine.startFiring();
    if (options.withApi ?? true) {
      // SDK clients sign with wall-clock time whatever the engine's clock says.
      const signatureClock = new SystemClock();
      server = signingServer(
        createEngineApi(engine, { context, clock, signatureClock }),
        engineApiServices(engine),
        signatureClock,
      );
      ({ url } = await server.start({ host: '127.0.0.1', port: 0 }));
    }
  } catch (error) {
    await close();
    throw error;
  }
  return {
    engine,
    store,
    clock,
    runtime,
    get server() {
      return server;
    },
    url,
    newEngine,
    close,
    [Symbol.asyncDispose]: close,
  };
}
