/**
 * Shared set-up for integration tests that need a real Docker (or Podman) engine.
 *
 * Each integration test file starts with
 *   `const skip = await integrationGate();`  and passes `{ skip }` to its top-level `describe`.
 * Without an engine the file is skipped with a message, unless RUN_INTEGRATION_TESTS=1 (as in
 * `.ci/run`), where a missing engine is an error: CI must never pass by skipping.
 */
import type Docker from 'dockerode';
import { SystemClock } from '../../src/platform/clock.ts';
import { DockerRuntime } from '../../src/runtime/docker-runtime.ts';
import {
  describeConnection,
  dockerClient,
  parseDockerHost,
} from '../../src/runtime/docker-connection.ts';
import type { DockerConnection } from '../../src/runtime/docker-connection.ts';

/** The offline image built by `scripts/ci/build-test-image.sh` (static busybox, no registry). */
export const TEST_IMAGE = 'cronbridge-test/busybox:latest';

/** Label put on every container a test creates, so `after` hooks can reap them. */
export const TEST_RUN_LABEL = 'org.cronbridge.test-run';

/** The engine tests talk to: `DOCKER_HOST` or Docker's default socket. */
export function testDockerConnection(): DockerConnection {
  return parseDockerHost(process.env['DOCKER_HOST']);
}

/** A dockerode client for the test engine (for assertions that look under the runtime). */
export function testDockerClient(): Docker {
  return dockerClient(testDockerConnection());
}

let availability: Promise<string | undefined> | undefined;

/**
 * Resolves to `undefined` when an engine answers a ping within 3 s, else to the reason it did not.
 * Cached: one probe per test process.
 */
function probe(): Promise<string | undefined> {
  availability ??= (async () => {
    const connection = testDockerConnection();
    const client = dockerClient(connection, { timeoutMs: 3000 });
    try {
      await client.ping();
      return undefined;
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      return `no Docker engine answers at ${describeConnection(connection)} (${detail})`;
    }
  })();
  return availability;
}

/** True when a Docker engine answers. */
export async function dockerAvailable(): Promise<boolean> {
  return (await probe()) === undefined;
}

/**
 * For integration test files: `false` to run, or a skip message when no engine answers.
 * @throws Error when RUN_INTEGRATION_TESTS=1 and no engine answers, so CI fails loudly.
 */
export async function integrationGate(): Promise<string | false> {
  const reason = await probe();
  if (reason === undefined) return false;
  const hint = 'start one (bash scripts/ci/ensure-dockerd.sh as root) or set DOCKER_HOST';
  if (process.env['RUN_INTEGRATION_TESTS'] === '1') {
    throw new Error(`RUN_INTEGRATION_TESTS=1 but ${reason}; ${hint}`);
  }
  return `${reason}; ${hint}, or set RUN_INTEGRATION_TESTS=1 to make this an error`;
}

/** A label value unique to this test process, for labelling and reaping its containers. */
export function newTestRunId(prefix: string): string {
  return `${prefix}-${process.pid}-${Math.random().toString(16).slice(2, 10)}`;
}

/** Force-removes every container (any state) carrying `TEST_RUN_LABEL=<runId>`. */
export function reapTestContainers(runId: string): Promise<number> {
  return reapLabelledContainers(TEST_RUN_LABEL, runId);
}

/**
 * Force-removes every container (any state) labelled `label=value` on the test engine; returns
 * how many there were. Benchmarks reap their runs with it too.
 */
export async function reapLabelledContainers(label: string, value: string): Promise<number> {
  const client = testDockerClient();
  const found = await client.listContainers({
    all: true,
    filters: { label: [`${label}=${value}`] },
  });
  await Promise.all(
    found.map((c) =>
      client
        .getContainer(c.Id)
        .remove({ force: true, v: true })
        .catch(() => undefined),
    ),
  );
  return found.length;
}

/** A DockerRuntime on the test engine with the real clock (integration tests wait on real events). */
export function testRuntime(options: { pullTimeoutMs?: number } = {}): DockerRuntime {
  return new DockerRuntime({
    connection: testDockerConnection(),
    clock: new SystemClock(),
    ...options,
  });
}
