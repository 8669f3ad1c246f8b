/**
 * The body of `cronbridge up`: one process with the container engine, the store, the engine
 * (supervisor + firing), the AWS-compatible API and housekeeping, started in an order where a
 * failure leaves nothing half-open:
 *
 * 1. Docker first (ping + version): an unreachable engine fails before any file is touched.
 * 2. The data directory's lock (one `up` per directory), its instance id and the store.
 * 3. The engine, then recovery, so tasks left running are adopted before anything new starts.
 * 4. The API listens (a taken port fails here, before a single slot has fired).
 * 5. Firing starts last, then housekeeping; the summary is printed, then run lines.
 *
 * Whatever step fails, the steps before it are undone in reverse order. `stop()` undoes them all
 * in the same way: containers keep running and the next `up` on the same data directory
 * re-attaches them.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';

import { rootCredentials } from '../../api/credentials.ports.ts';
import type { ApiAddress } from '../../api/server.ts';
import { DEFAULT_ROOT_SECRET_ACCESS_KEY, type Config } from '../../platform/config.ts';
import type { Clock } from '../../platform/clock.ts';
import { coerceError } from '../../platform/errors.ts';
import type { AwsContext } from '../../platform/ids.ts';
import {
  type ContainerRuntime,
  RuntimeUnavailableError,
  type RuntimeVersion,
} from '../../runtime/container-runtime.ts';
import {
  type DockerConnection,
  describeConnection,
  parseDockerHost,
} from '../../runtime/docker-connection.ts';
import { DockerRuntime } from '../../runtime/docker-runtime.ts';
import { openStore } from '../../store/open-store.ts';
import { StoreDamagedError } from '../../store/store.ts';
import { createEngine, type Engine, type EngineOptions } from '../../engine/engine.ts';
import { createEngineApi } from '../../engine/engine-api.ts';
import { type DataDirLock, DataDirLockedError, lockDataDir } from './data-dir-lock.ts';
import { Housekeeping } from './housekeeping.ts';
import { loadInstanceId } from './instance-id.ts';
import { RunReporter } from './run-reporter.ts';
import {
  type DockerHostSource,
  dockerHostInvalid,
  dataDirInUse,
  defaultSecretOnNetwork,
  dockerUnavailable,
  listenFailed,
  storeDamaged,
} from './up.errors.ts';
import {
  formatLinesNotShown,
  formatProblem,
  formatPurged,
  formatSummary,
  isLoopbackHost,
  type StartupSummary,
} from './up.format.ts';

/** Run lines kept while starting up, printed after the summary; the rest are only counted. */
export const HELD_LINES_LIMIT = 200;

export interface UpServerDeps {
  clock: Clock;
  /** Summary and run lines, one per call, without the newline. */
  write: (line: string) => void;
  /** Where the Docker address came from, for the "cannot reach" message. @default 'default' */
  dockerHostSource?: DockerHostSource;
  /** Builds the runtime; tests pass a MemoryRuntime. @default a DockerRuntime */
  createRuntime?: (connection: DockerConnection, clock: Clock) => ContainerRuntime;
  /** @default 300000 */
  housekeepingIntervalMs?: number;
  /** Tuning passed through to the engine (tests shorten intervals). */
  engine?: Pick<EngineOptions, 'logFlushIntervalMs' | 'statsIntervalMs' | 'firing'>;
}

export interface UpServer {
  readonly address: ApiAddress;
  readonly engine: Engine;
  readonly summary: StartupSummary;
  /** Resolves once every run line for events so far is written (tests). */
  idle(): Promise<void>;
  /**
   * Graceful stop: API, firing, supervision (containers keep running), housekeeping, store.
   * Idempotent; rejects with an AggregateError when a step failed (the others still ran).
   */
  stop(): Promise<void>;
}

type Undo = { what: string; run: () => Promise<void> };

async function undoAll(steps: Undo[]): Promise<void> {
  const failures: Error[] = [];
  for (const step of [...steps].reverse()) {
    try {
      await step.run();
    } catch (error) {
      failures.push(new Error(`${step.what}: ${coerceError(error).message}`, { cause: error }));
    }
  }
  if (failures.length > 0) {
    throw new AggregateError(failures, failures.map((f) => f.message).join('; '));
  }
}

async function connectRuntime(
  config: Config,
  deps: UpServerDeps,
): Promise<{ runtime: ContainerRuntime; address: string; version: RuntimeVersion }> {
  const source = deps.dockerHostSource ?? 'default';
  let connection: DockerConnection;
  try {
    connection = parseDockerHost(config.dockerHost);
  } catch (error) {
    throw dockerHostInvalid(coerceError(error), source);
  }
  const address = describeConnection(connection);
  const runtime =
    deps.createRuntime?.(connection, deps.clock) ??
    new DockerRuntime({ connection, clock: deps.clock });
  try {
    await runtime.ping();
    return { runtime, address, version: await runtime.version() };
  } catch (error) {
    if (error instanceof RuntimeUnavailableError) throw dockerUnavailable(error, address, source);
    throw error;
  }
}

function takeDataDir(dataDir: string): DataDirLock {
  try {
    return lockDataDir(dataDir);
  } catch (error) {
    if (error instanceof DataDirLockedError) throw dataDirInUse(error);
    throw error;
  }
}

/** Starts everything; see the file comment for the order. */
export async function startUpServer(config: Config, deps: UpServerDeps): Promise<UpServer> {
  const { clock } = deps;
  // Checked before anything is opened: nothing to undo, and the message comes first.
  if (
    !isLoopbackHost(config.host) &&
    config.rootSecretAccessKey === DEFAULT_ROOT_SECRET_ACCESS_KEY
  ) {
    throw defaultSecretOnNetwork(config.host);
  }
  const context: AwsContext = {
    partition: 'aws',
    region: config.region,
    accountId: config.accountId,
  };
  const docker = await connectRuntime(config, deps);

  const undo: Undo[] = [];
  // Run lines wait until the summary is out: an adopted task that ended while cronbridge was
  // down reports its stop during recovery, and that line belongs after the summary. Only the
  // first few are kept: a start after long downtime with many rules settles thousands of slots.
  let held: string[] | undefined = [];
  let notHeld = 0;
  const write = (line: string) => {
    if (!held) deps.write(line);
    else if (held.length < HELD_LINES_LIMIT) held.push(line);
    else notHeld++;
  };
  try {
    const dataDir = resolve(config.dataDir);
    mkdirSync(dataDir, { recursive: true });
    const lock = takeDataDir(dataDir);
    // Released last of all, after the store closed, so no second `up` opens a store in use.
    undo.push({ what: 'releasing the data directory', run: async () => lock.release() });
    const instanceId = loadInstanceId(dataDir);
    const store = await openStore({ dataDir }).catch((error: unknown) => {
      throw error instanceof StoreDamagedError ? storeDamaged(error) : error;
    });
    undo.push({ what: 'closing the store', run: () => store.close() });

    const labels = config.containerLabels;
    const engine = createEngine({
      store,
      clock,
      runtime: docker.runtime,
      context,
      taskNetwork: config.taskNetwork,
      stoppedTaskRetentionMs: config.stoppedTaskRetention,
      allowHostAccess: config.allowHostAccess,
      instanceId,
      ...(Object.keys(labels).length > 0 ? { extraLabels: labels } : {}),
      ...deps.engine,
    });
    const reporter = new RunReporter({ engine, clock, write });
    reporter.start();
    // The reporter stops after the engine: lines of invocations that finish while firing
    // winds down still get written.
    undo.push({
      what: 'detaching from tasks',
      run: async () => {
        try {
          await engine.close();
        } finally {
          await reporter.stop();
        }
      },
    });

    const recovery = await engine.recover();

    const api = createEngineApi(engine, {
      context,
      clock,
      credentials: rootCredentials(
        { accessKeyId: config.rootAccessKeyId, secretAccessKey: config.rootSecretAccessKey },
        context,
      ),
    });
    let address: ApiAddress;
    try {
      address = await api.start({ host: config.host, port: config.port });
    } catch (error) {
      await api.stop().catch(() => undefined);
      throw listenFailed(error, config.host, config.port);
    }
    undo.push({ what: 'closing the API', run: () => api.stop() });
    lock.announce(address.url);

    await engine.startFiring();

    const housekeeping = new Housekeeping({
      clock,
      tasks: engine.ecs.tasks,
      logs: engine.logs,
      history: engine.history,
      historyRetentionMs: config.historyRetention,
      onPurged: (r) => write(formatPurged(clock.now(), r)),
      onError: (e) => write(formatProblem(clock.now(), 'housekeeping', e.message)),
      ...(deps.housekeepingIntervalMs === undefined
        ? {}
        : { intervalMs: deps.housekeepingIntervalMs }),
    });
    housekeeping.start();
    undo.push({ what: 'stopping housekeeping', run: () => housekeeping.stop() });

    // Every line of the start-up (recovery, the backlog) is held by now: it follows the summary.
    await reporter.idle();
    const nextSlot = engine.firing.nextDue();
    const summary: StartupSummary = {
      apiUrl: address.url,
      exposed: !isLoopbackHost(config.host),
      hostAccess: config.allowHostAccess,
      dataDir,
      instanceId,
      docker: {
        address: docker.address,
        engine: docker.version.engine,
        version: docker.version.version,
        ...(docker.version.apiVersion ? { apiVersion: docker.version.apiVersion } : {}),
      },
      rules: engine.firing.ruleCount,
      ...(nextSlot ? { nextSlot } : {}),
      recovery,
      nowMs: clock.now(),
    };
    for (const line of formatSummary(summary)) deps.write(line);
    const pending = held;
    held = undefined;
    for (const line of pending) deps.write(line);
    if (notHeld > 0) deps.write(formatLinesNotShown(clock.now(), notHeld));

    let stopping: Promise<void> | undefined;
    return {
      address,
      engine,
      summary,
      idle: () => reporter.idle(),
      stop: () => (stopping ??= undoAll(undo)),
    };
  } catch (error) {
    // Undo what started; the start-up error is what the operator needs to see.
    await undoAll(undo).catch(() => undefined);
    throw error;
  }
}
