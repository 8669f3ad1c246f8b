/**
 * The server side of bench/api.ts, run as a child process (`fork` with `--import tsx`) so the load
 * generator never shares its event loop. One of three servers, by the first argument:
 *
 * - `bare`: a plain node:http server answering every request with a fixed JSON body — the
 *   floor of what Node (and the load loop) can do on this machine.
 * - `memory`: cronbridge's engine and API exactly as `cronbridge up` composes them (the engine
 *   fixture: createEngine + createEngineApi), on a SQLite file store in a temp dir and the in-memory container runtime,
 *   whose containers run until stopped. The API path is real; only Docker is left out.
 * - `docker`: the same on the real Docker engine with the firing loop started, for the
 *   end-to-end rule → RUNNING measurement. Containers carry `BENCH_RUN_LABEL=<run id>` (second
 *   argument) and are reaped by the parent.
 *
 * Protocol: the child sends `{ url }` once listening; answers `'cpu'` with its own
 * `process.cpuUsage()` (server CPU per request is the least noisy figure on a shared machine);
 * stops cleanly on `'stop'`, sends `{ stopped: true }` and exits. See api-child.ts for the parent.
 */
import { createServer } from 'node:http';

import { startTestEngine } from '../../src/engine/engine.fixture.ts';
import { SystemClock } from '../../src/platform/clock.ts';
import { BENCH_RUN_LABEL } from './launchers.ts';
import { createServiceRoles, engineRoles } from '../../src/engine/service-roles.test-support.ts';

/** Image the memory runtime knows; its containers run until stopped, like a long job. */
export const MEMORY_IMAGE = 'bench/long-job:latest';
export type BenchServerKind = 'bare' | 'memory' | 'docker';
export type ChildMessage =
  { url: string } | { cpu: NodeJS.CpuUsage } | { stopped: true } | { error: string };

const HEALTH_BODY = JSON.stringify({ status: 'ok' });

async function bare(): Promise<{ url: string; stop: () => Promise<void> }> {
  const server = createServer({ keepAliveTimeout: 60_000 }, (_req, res) => {
    // Drain the request like a real handler would, then answer.
    _req.resume();
    _req.on('end', () => {
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(HEALTH_BODY),
      });
      res.end(HEALTH_BODY);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  return {
    url: `http://127.0.0.1:${address.port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function engineServer(
  kind: 'memory' | 'docker',
  runId: string,
): Promise<{ url: string; stop: () => Promise<void> }> {
  const fx = await startTestEngine({
    runtime: kind,
    clock: new SystemClock(),
    memory: { localImages: [MEMORY_IMAGE], scripts: { [MEMORY_IMAGE]: {} } },
    store: 'temp-dir',
    startFiring: kind === 'docker',
    engine: { extraLabels: { [BENCH_RUN_LABEL]: runId }, instanceId: runId },
  });
  // The benched rules and tasks run and log as the classic roles, enforced as in `up`.
  await createServiceRoles(engineRoles(fx.engine.iam));
  // Server first (no new requests), then the engine, then the store and its files.
  return { url: fx.url, stop: fx.close };
}

async function main(): Promise<void> {
  const kind = process.argv[2] as BenchServerKind;
  const runId = process.argv[3] ?? `bench-api-${process.pid}`;
  const send = (message: ChildMessage) => process.send?.(message);
  // process.exit right after send() could drop the message; exit once it is written.
  const sendThenExit = (message: ChildMessage, code: number) =>
    process.send ? process.send(message, () => process.exit(code)) : process.exit(code);
  try {
    const server = kind === 'bare' ? await bare() : await engineServer(kind, runId);
    process.on('message', (message) => {
      if (message === 'cpu') send({ cpu: process.cpuUsage() });
      if (message !== 'stop') return;
      void server.stop().then(
        () => {
          // Exit rather than wait for the loop to drain: after engine.close() a Docker
          // `POST /containers/<id>/wait` of a still-running task stays open (the supervisor lets
          // go of tasks without aborting it), which would hold this process until the job ends.
          sendThenExit({ stopped: true }, 0);
        },
        (error: unknown) => {
          sendThenExit({ error: String(error) }, 1);
        },
      );
    });
    send({ url: server.url });
  } catch (error) {
    sendThenExit(
      { error: error instanceof Error ? (error.stack ?? error.message) : String(error) },
      1,
    );
  }
}

if (process.send) await main();
