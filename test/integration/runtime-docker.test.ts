/**
 * DockerRuntime against a real engine with the offline busybox test image. Containers carry a
 * per-run label and are reaped in `after`; network mode is always `none`.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { ContainerExit, ContainerSpec, LogLine } from '../../src/runtime/container-runtime.ts';
import { DockerRuntime } from '../../src/runtime/docker-runtime.ts';
import { SystemClock } from '../../src/platform/clock.ts';
import {
  ContainerConflictError,
  ContainerNotFoundError,
  ContainerStartError,
  ImagePullError,
  RuntimeUnavailableError,
} from '../../src/runtime/runtime.errors.ts';
import { pullFailureReason } from '../../src/supervisor/stop-reasons.ts';
import {
  TEST_IMAGE,
  TEST_RUN_LABEL,
  integrationGate,
  newTestRunId,
  reapTestContainers,
  testDockerClient,
  testRuntime,
} from '../support/docker.ts';

const skip = await integrationGate();
const runId = newTestRunId('runtime');
let serial = 0;

function spec(overrides: Partial<ContainerSpec> & Pick<ContainerSpec, 'command'>): ContainerSpec {
  serial += 1;
  return {
    name: `cronbridge-test-${runId}-${serial}`,
    image: TEST_IMAGE,
    networkMode: 'none',
    ...overrides,
    labels: { [TEST_RUN_LABEL]: runId, ...(overrides.labels ?? {}) },
  };
}

async function collect(lines: AsyncIterable<LogLine>): Promise<LogLine[]> {
  const out: LogLine[] = [];
  for await (const line of lines) out.push(line);
  return out;
}

describe('DockerRuntime', { skip }, () => {
  const runtime = testRuntime();

  /** Creates, starts and waits for a container; returns its exit, logs (read after exit) and id. */
  async function run(
    s: ContainerSpec,
  ): Promise<{ id: string; exit: ContainerExit; logs: LogLine[] }> {
    const id = await runtime.createContainer(s);
    await runtime.startContainer(id);
    const exit = await runtime.waitContainer(id);
    const logs = await collect(runtime.streamLogs(id, { follow: false }));
    return { id, exit, logs };
  }

  const text = (logs: LogLine[]) => logs.map((l) => `${l.stream}:${l.line}`);

  before(async () => {
    await runtime.ping();
  });

  after(async () => {
    await reapTestContainers(runId);
  });

  it('reports the engine and finds the local test image without pulling', async () => {
    const version = await runtime.version();
    assert.match(version.engine, /^(docker|podman)$/);
    assert.match(version.version, /^\d+\.\d+/);
    const image = await runtime.ensureImage(TEST_IMAGE);
    assert.equal(image.pulled, false);
    assert.match(image.imageId, /^sha256:[0-9a-f]{64}$/);
    // Imported locally, never pushed: no registry digest.
    assert.equal(image.repoDigest, undefined);
  });

  it('returns exit codes 0 and 3 as data', async () => {
    const ok = await run(spec({ command: ['true'] }));
    assert.deepEqual(ok.exit, { exitCode: 0, oomKilled: false });
    const three = await run(spec({ command: ['sh', '-c', 'exit 3'] }));
    assert.deepEqual(three.exit, { exitCode: 3, oomKilled: false });
    const info = await runtime.inspectContainer(three.id);
    assert.equal(info.exitCode, 3);
    assert.equal(info.running, false);
    assert.equal(info.status, 'exited');
  });

  it('applies env, entryPoint, command, workingDirectory and user', async () => {
    const { exit, logs } = await run(
      spec({
        entryPoint: ['sh', '-c'],
        command: ['echo "$GREETING|$(pwd)|$(id -u):$(id -g)|$0"', 'arg-zero'],
        env: { GREETING: 'hello world', EMPTY: '' },
        workingDirectory: '/tmp',
        user: '65534:65534',
      }),
    );
    assert.equal(exit.exitCode, 0);
    assert.deepEqual(text(logs), ['stdout:hello world|/tmp|65534:65534|arg-zero']);

    const named = await run(spec({ command: ['id', '-un'], user: 'nobody' }));
    assert.deepEqual(text(named.logs), ['stdout:nobody']);
  });

  it('streams stdout and stderr lines in order with engine timestamps, flushing a last partial line', async () => {
    const s = spec({
      command: [
        'sh',
        '-c',
        'echo out-1; sleep 0.2; echo err-1 >&2; sleep 0.2; echo; echo out-2; sleep 0.2; printf "no newline"',
      ],
    });
    const id = await runtime.createContainer(s);
    await runtime.startContainer(id);
    const followed = await collect(runtime.streamLogs(id, { follow: true }));
    const exit = await runtime.waitContainer(id);
    assert.equal(exit.exitCode, 0);
    const expected = [
      'stdout:out-1',
      'stderr:err-1',
      'stdout:',
      'stdout:out-2',
      'stdout:no newline',
    ];
    assert.deepEqual(text(followed), expected);
    // Reading again after exit gives the same lines with the same timestamps.
    const again = await collect(runtime.streamLogs(id, { follow: false }));
    assert.deepEqual(again, followed);

    const info = await runtime.inspectContainer(id);
    assert.ok(info.startedAt !== undefined && info.finishedAt !== undefined);
    for (const [i, line] of followed.entries()) {
      assert.ok(Number.isInteger(line.timestamp));
      // The engine records StartedAt a moment after the process runs, so the first lines may
      // carry an earlier stamp; a 2 s margin keeps this a sanity check, not a timing assertion.
      assert.ok(line.timestamp >= info.startedAt - 2000, `line ${i} stamped before the start`);
      assert.ok(line.timestamp <= info.finishedAt + 1000, `line ${i} stamped after the exit`);
      if (i > 0) assert.ok(line.timestamp >= followed[i - 1]!.timestamp, 'timestamps go backwards');
    }

    // `since` (inclusive) resumes at a line's own timestamp.
    const fromErr = followed[1]!.timestamp;
    const resumed = await collect(runtime.streamLogs(id, { follow: false, since: fromErr }));
    assert.deepEqual(text(resumed), expected.slice(1));
  });

  it('delivers a 100k-line burst from a container that exits at once, line for line', async () => {
    const id = await runtime.createContainer(spec({ command: ['seq', '1', '100000'] }));
    await runtime.startContainer(id);
    let count = 0;
    let mismatch: string | undefined;
    for await (const line of runtime.streamLogs(id, { follow: true })) {
      count += 1;
      if (mismatch === undefined && (line.stream !== 'stdout' || line.line !== String(count))) {
        mismatch = `line ${count}: ${line.stream} ${JSON.stringify(line.line)}`;
      }
    }
    assert.equal(mismatch, undefined);
    assert.equal(count, 100_000);
    assert.deepEqual(await runtime.waitContainer(id), { exitCode: 0, oomKilled: false });
  });

  it('kills a container that ignores SIGTERM after the stop timeout (exit 137)', async () => {
    const id = await runtime.createContainer(
      spec({ command: ['sh', '-c', "trap '' TERM; sleep 100"] }),
    );
    await runtime.startContainer(id);
    await runtime.stopContainer(id, 1);
    assert.deepEqual(await runtime.waitContainer(id), { exitCode: 137, oomKilled: false });
    // Stopping a stopped container is fine.
    await runtime.stopContainer(id, 1);
  });

  it('lets a container exit on SIGTERM: 143 through init, its own code through a trap', async () => {
    const plain = await runtime.createContainer(spec({ command: ['sleep', '100'], init: true }));
    await runtime.startContainer(plain);
    await runtime.stopContainer(plain, 30);
    assert.deepEqual(await runtime.waitContainer(plain), { exitCode: 143, oomKilled: false });

    const trapping = await runtime.createContainer(
      spec({
        command: ['sh', '-c', 'trap "echo got TERM; exit 0" TERM; echo ready; sleep 100 & wait'],
      }),
    );
    await runtime.startContainer(trapping);
    // Stop only once the trap is installed (the container says so), not after a guessed delay.
    for await (const line of runtime.streamLogs(trapping, { follow: true })) {
      if (line.line === 'ready') break;
    }
    await runtime.stopContainer(trapping, 30);
    assert.deepEqual(await runtime.waitContainer(trapping), { exitCode: 0, oomKilled: false });
    const logs = await collect(runtime.streamLogs(trapping, { follow: false }));
    assert.deepEqual(text(logs), ['stdout:ready', 'stdout:got TERM']);
  });

  it('kills with a given signal; killing a stopped container is fine', async () => {
    const id = await runtime.createContainer(spec({ command: ['sleep', '100'] }));
    await runtime.startContainer(id);
    await runtime.killContainer(id, 'SIGKILL');
    assert.deepEqual(await runtime.waitContainer(id), { exitCode: 137, oomKilled: false });
    await runtime.killContainer(id, 'SIGKILL');
  });

  it('reports an OOM kill at the hard memory limit', async () => {
    const { exit, id } = await run(
      spec({ command: ['sh', '-c', 'head -c 50m /dev/zero | tail'], memoryMiB: 6 }),
    );
    assert.deepEqual(exit, { exitCode: 137, oomKilled: true });
    const info = await runtime.inspectContainer(id);
    assert.equal(info.oomKilled, true);
  });

  it('maps cpu units, memory, ulimits and confinement into the engine config', async () => {
    const id = await runtime.createContainer(
      spec({
        command: ['true'],
        cpuUnits: 512,
        memoryMiB: 64,
        memoryReservationMiB: 32,
        ulimits: [{ name: 'nofile', softLimit: 1024, hardLimit: 2048 }],
        stopTimeoutSeconds: 7,
      }),
    );
    const raw = await testDockerClient().getContainer(id).inspect();
    assert.equal(raw.HostConfig.NanoCpus, 500_000_000);
    assert.equal(raw.HostConfig.Memory, 64 * 1024 * 1024);
    assert.equal(raw.HostConfig.MemorySwap, 64 * 1024 * 1024);
    assert.equal(raw.HostConfig.MemoryReservation, 32 * 1024 * 1024);
    assert.deepEqual(raw.HostConfig.Ulimits, [{ Name: 'nofile', Soft: 1024, Hard: 2048 }]);
    assert.equal(raw.HostConfig.Privileged, false);
    assert.deepEqual(raw.HostConfig.CapAdd ?? [], []);
    assert.deepEqual(raw.HostConfig.Binds ?? [], []);
    assert.equal(raw.HostConfig.NetworkMode, 'none');
    assert.equal((raw.Config as { StopTimeout?: number }).StopTimeout, 7);

    const full = await runtime.createContainer(spec({ command: ['true'], cpuUnits: 2048 }));
    const rawFull = await testDockerClient().getContainer(full).inspect();
    assert.equal(rawFull.HostConfig.NanoCpus, 2_000_000_000);
  });

  it('enforces a read-only root filesystem', async () => {
    const { exit, logs } = await run(
      spec({
        command: ['sh', '-c', 'touch /tmp/x 2>/dev/null || echo denied >&2; exit 9'],
        readonlyRootFilesystem: true,
      }),
    );
    assert.equal(exit.exitCode, 9);
    assert.deepEqual(text(logs), ['stderr:denied']);
    const writable = await run(spec({ command: ['sh', '-c', 'touch /tmp/x && echo wrote'] }));
    assert.deepEqual(text(writable.logs), ['stdout:wrote']);
  });

  it('labels containers and lists them by label in any state', async () => {
    const kind = `list-${serial}`;
    const created = await runtime.createContainer(
      spec({ command: ['true'], labels: { kind, which: 'created' } }),
    );
    const exited = await run(spec({ command: ['true'], labels: { kind, which: 'exited' } }));
    const running = await runtime.createContainer(
      spec({ command: ['sleep', '100'], labels: { kind, which: 'running' } }),
    );
    await runtime.startContainer(running);

    const all = await runtime.listContainers({ labels: { [TEST_RUN_LABEL]: runId, kind } });
    const byId = new Map(all.map((c) => [c.id, c]));
    assert.equal(all.length, 3);
    assert.equal(byId.get(created)?.status, 'created');
    assert.equal(byId.get(exited.id)?.status, 'exited');
    assert.equal(byId.get(running)?.running, true);
    assert.equal(byId.get(running)?.labels['which'], 'running');

    const one = await runtime.listContainers({ labels: { kind, which: 'exited' } });
    assert.deepEqual(
      one.map((c) => c.id),
      [exited.id],
    );

    const info = await runtime.inspectContainer(running);
    assert.equal(info.running, true);
    assert.equal(info.exitCode, undefined);
    assert.equal(info.labels['which'], 'running');
    assert.equal(info.image, TEST_IMAGE);
    assert.ok(info.startedAt !== undefined);
    assert.equal(info.finishedAt, undefined);

    const sample = await runtime.stats(running);
    assert.ok(sample.memoryBytes > 0);
    assert.ok(sample.cpuUsageNs > 0);

    await runtime.removeContainer(running);
    await runtime.removeContainer(running);
    await assert.rejects(runtime.inspectContainer(running), ContainerNotFoundError);
  });

  it('translates engine failures into typed errors', async () => {
    await assert.rejects(runtime.inspectContainer('cronbridge-no-such-container'), (error) => {
      assert.ok(error instanceof ContainerNotFoundError);
      assert.match(error.message, /no such container/i);
      return true;
    });
    const s = spec({ command: ['true'] });
    await runtime.createContainer(s);
    await assert.rejects(runtime.createContainer(s), ContainerConflictError);

    const bad = await runtime.createContainer(spec({ command: ['/no/such/binary'] }));
    await assert.rejects(runtime.startContainer(bad), (error) => {
      assert.ok(error instanceof ContainerStartError);
      assert.equal(error.code, 'CannotStartContainerError');
      assert.match(error.message, /no such file or directory|not found/i);
      return true;
    });

    const nowhere = new DockerRuntime({
      connection: { kind: 'socket', socketPath: '/tmp/cronbridge-no-engine.sock' },
      clock: new SystemClock(),
    });
    await assert.rejects(nowhere.ping(), (error) => {
      assert.ok(error instanceof RuntimeUnavailableError);
      assert.equal(error.retryable, true);
      assert.match(error.message, /unix:\/\/\/tmp\/cronbridge-no-engine\.sock/);
      assert.match(error.message, /DOCKER_HOST/);
      return true;
    });
  });

  it('fails a pull from an unreachable registry with CannotPullContainerError', async () => {
    // Port 1 on loopback: nothing listens, so the engine's registry request is refused at once.
    const image = '127.0.0.1:1/cronbridge/missing:latest';
    await assert.rejects(runtime.ensureImage(image), (error) => {
      assert.ok(error instanceof ImagePullError);
      assert.equal(error.image, image);
      assert.match(error.message, /connection refused/);
      assert.equal(pullFailureReason(error), `CannotPullContainerError: ${error.message}`);
      return true;
    });
  });

  it('bounds a pull that hangs with the timeout option', async () => {
    // A loopback "registry" that accepts connections and never answers.
    const sockets = new Set<Socket>();
    const server = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const image = `127.0.0.1:${port}/cronbridge/hangs:latest`;
      await assert.rejects(runtime.ensureImage(image, { timeoutMs: 1000 }), (error) => {
        assert.ok(error instanceof ImagePullError);
        assert.equal(error.message, `pull of ${image} did not finish within 1000 ms`);
        return true;
      });
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
