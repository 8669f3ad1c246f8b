/**
 * DockerRuntime against a real engine with the offline busybox test image: the ContainerRuntime
 * contract (shared with the in-memory runtime), then what only a real engine shows (engine
 * config, a 100k-line burst, registries). Containers carry a per-run label and are reaped in
 * `after`; network mode is `none` but where an address is the point.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import {
  type ContainerExit,
  type ContainerSpec,
  DEFAULT_PIDS_LIMIT,
  type LogLine,
} from '../../src/runtime/container-runtime.ts';
import { CONFINED_CAPABILITIES } from '../../src/runtime/docker-spec.ts';
import { describeContainerRuntimeContract } from '../../src/runtime/container-runtime.contract.ts';
import { DockerRuntime } from '../../src/runtime/docker-runtime.ts';
import { SystemClock } from '../../src/platform/clock.ts';
import { ImagePullError } from '../../src/runtime/runtime.errors.ts';
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
const contractRuntime = testRuntime();
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

describeContainerRuntimeContract(
  'DockerRuntime',
  () => ({ runtime: contractRuntime, elapse: async () => {} }),
  {
    skip,
    image: TEST_IMAGE,
    namePrefix: `cronbridge-test-${runId}-contract`,
    labels: { [TEST_RUN_LABEL]: runId },
    unavailable: () => ({
      runtime: new DockerRuntime({
        connection: { kind: 'socket', socketPath: '/tmp/cronbridge-no-engine.sock' },
        clock: new SystemClock(),
      }),
      address: /unix:\/\/\/tmp\/cronbridge-no-engine\.sock/,
    }),
    cleanup: async () => {
      await reapTestContainers(runId);
    },
  },
);

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

  it('reports the engine', async () => {
    const version = await runtime.version();
    assert.match(version.engine, /^(docker|podman)$/);
    assert.match(version.version, /^\d+\.\d+/);
  });

  it("reports a running container's address on its network, none with network mode none", async () => {
    const onBridge = await runtime.createContainer(
      spec({ command: ['sleep', '30'], networkMode: 'bridge' }),
    );
    const isolated = await runtime.createContainer(spec({ command: ['sleep', '30'] }));
    try {
      await runtime.startContainer(onBridge);
      await runtime.startContainer(isolated);
      const bridged = await runtime.inspectContainer(onBridge);
      assert.match(bridged.ipAddress ?? '', /^\d{1,3}(\.\d{1,3}){3}$/);
      assert.equal((await runtime.inspectContainer(isolated)).ipAddress, undefined);
    } finally {
      await runtime.removeContainer(onBridge);
      await runtime.removeContainer(isolated);
    }
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

  it('lets a container exit on SIGTERM with its own code through a trap', async () => {
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
    // Fargate's confinement as the engine recorded it: every capability dropped but the confined
    // set (no NET_RAW), no new privileges, the default pids limit, nothing from the host.
    assert.deepEqual(raw.HostConfig.CapDrop, ['ALL']);
    assert.deepEqual([...(raw.HostConfig.CapAdd ?? [])].sort(), [...CONFINED_CAPABILITIES].sort());
    assert.ok((raw.HostConfig.SecurityOpt ?? []).includes('no-new-privileges:true'));
    assert.equal(raw.HostConfig.PidsLimit, DEFAULT_PIDS_LIMIT);
    assert.equal(raw.HostConfig.ReadonlyRootfs, false);
    assert.deepEqual(raw.HostConfig.Binds ?? [], []);
    assert.equal(raw.HostConfig.NetworkMode, 'none');
    assert.equal((raw.Config as { StopTimeout?: number }).StopTimeout, 7);

    const full = await runtime.createContainer(spec({ command: ['true'], cpuUnits: 2048 }));
    const rawFull = await testDockerClient().getContainer(full).inspect();
    assert.equal(rawFull.HostConfig.NanoCpus, 2_000_000_000);
  });

  it('stops a fork beyond the pids limit inside the container', async () => {
    // Twenty background sleeps: over a limit of 8 the shell cannot fork; under 64 it can.
    const forks = 'n=0; while [ $n -lt 20 ]; do sleep 60 & n=$((n+1)); done; echo started $n';
    const limited = await run(spec({ command: ['sh', '-c', forks], pidsLimit: 8 }));
    const raw = await testDockerClient().getContainer(limited.id).inspect();
    assert.equal(raw.HostConfig.PidsLimit, 8);
    assert.notEqual(limited.exit.exitCode, 0);
    assert.ok(
      text(limited.logs).some((l) => /^stderr:.*can't fork/.test(l)),
      text(limited.logs).join('\n'),
    );
    const roomy = await run(spec({ command: ['sh', '-c', forks], pidsLimit: 64 }));
    assert.equal(roomy.exit.exitCode, 0);
    assert.deepEqual(text(roomy.logs), ['stdout:started 20']);
  });

  it('enforces a read-only root filesystem', async () => {
    const { id, exit, logs } = await run(
      spec({
        command: ['sh', '-c', 'touch /tmp/x 2>/dev/null || echo denied >&2; exit 9'],
        readonlyRootFilesystem: true,
      }),
    );
    assert.equal(
      (await testDockerClient().getContainer(id).inspect()).HostConfig.ReadonlyRootfs,
      true,
    );
    assert.equal(exit.exitCode, 9);
    assert.deepEqual(text(logs), ['stderr:denied']);
    const writable = await run(spec({ command: ['sh', '-c', 'touch /tmp/x && echo wrote'] }));
    assert.deepEqual(text(writable.logs), ['stdout:wrote']);
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
