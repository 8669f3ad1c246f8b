import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';

import { ManualClock } from '../platform/clock.ts';
import type { ContainerSpec, LogLine, PullProgress } from './container-runtime.ts';
import {
  CONTRACT_COMMANDS,
  describeContainerRuntimeContract,
} from './container-runtime.contract.ts';
import { type ContainerScript, MemoryRuntime } from './memory-runtime.ts';
import {
  ContainerConflictError,
  ContainerNotFoundError,
  ContainerStartError,
  ImagePullError,
  RuntimeUnavailableError,
} from './runtime.errors.ts';

const T0 = Date.parse('2026-03-01T12:00:00Z');
const sha = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;

function spec(name: string, image = 'app:1', labels: Record<string, string> = {}): ContainerSpec {
  return { name, image, labels, networkMode: 'none', memoryMiB: 512 };
}

/** Collects a follow stream in the background. */
function follow(runtime: MemoryRuntime, id: string): { lines: LogLine[]; done: Promise<void> } {
  const lines: LogLine[] = [];
  const done = (async () => {
    for await (const line of runtime.streamLogs(id, { follow: true })) lines.push(line);
  })();
  return { lines, done };
}

describe('MemoryRuntime', () => {
  it('finds local images, pulls others after the delay, and fails scripted pulls', async () => {
    const clock = new ManualClock(T0);
    const runtime = new MemoryRuntime({
      clock,
      localImages: ['local:1'],
      pullFailures: {
        'private/app:1': 'pull access denied for private/app, repository does not exist',
      },
      pullDelayMs: 2000,
    });
    assert.deepEqual(await runtime.ensureImage('local:1'), {
      imageId: sha('local:1'),
      pulled: false,
    });

    const progress: PullProgress[] = [];
    let pulled: unknown;
    const pulling = runtime
      .ensureImage('app:1', { onProgress: (p) => progress.push(p) })
      .then((r) => {
        pulled = r;
      });
    await clock.advance(1999);
    assert.equal(pulled, undefined);
    await clock.advance(1);
    await pulling;
    assert.deepEqual(pulled, {
      imageId: sha('app:1'),
      repoDigest: sha('app:1@registry'),
      pulled: true,
    });
    assert.deepEqual(
      progress.map((p) => p.status),
      ['Pulling from app:1', 'Status: Downloaded newer image for app:1'],
    );
    assert.equal((await runtime.ensureImage('app:1')).pulled, false);

    const failing = runtime.ensureImage('private/app:1');
    const failed = assert.rejects(failing, (error) => {
      assert.ok(error instanceof ImagePullError);
      assert.equal(error.image, 'private/app:1');
      assert.equal(
        `${error.code}: ${error.message}`,
        'CannotPullContainerError: pull access denied for private/app, repository does not exist',
      );
      return true;
    });
    await clock.advance(2000);
    await failed;
    assert.deepEqual(runtime.images().sort(), ['app:1', 'local:1']);
  });

  it('runs a scripted container: lines at their offsets, then its exit code', async () => {
    const clock = new ManualClock(T0);
    const runtime = new MemoryRuntime({
      clock,
      localImages: ['app:1'],
      scripts: {
        'app:1': {
          lines: [
            { afterMs: 0, line: 'starting' },
            { afterMs: 500, line: 'warning', stream: 'stderr' },
            { afterMs: 1500, line: 'done' },
            { afterMs: 9000, line: 'never printed' },
          ],
          exitAfterMs: 1500,
          exitCode: 3,
        },
      },
    });
    const id = await runtime.createContainer(spec('app', 'app:1', { task: 't1' }));
    assert.equal((await runtime.inspectContainer(id)).status, 'created');
    await runtime.startContainer(id);
    const logs = follow(runtime, id);
    let exit: unknown;
    const waiting = runtime.waitContainer(id).then((e) => {
      exit = e;
    });
    await clock.advance(1499);
    assert.equal(exit, undefined);
    assert.deepEqual(
      logs.lines.map((l) => l.line),
      ['starting', 'warning'],
    );
    await clock.advance(1);
    await waiting;
    await logs.done;
    assert.deepEqual(exit, { exitCode: 3, oomKilled: false });
    assert.deepEqual(logs.lines, [
      { stream: 'stdout', line: 'starting', timestamp: T0 },
      { stream: 'stderr', line: 'warning', timestamp: T0 + 500 },
      { stream: 'stdout', line: 'done', timestamp: T0 + 1500 },
    ]);
    await clock.advance(10_000);
    const info = await runtime.inspectContainer(id);
    assert.deepEqual(info, {
      id,
      name: 'app',
      status: 'exited',
      running: false,
      oomKilled: false,
      labels: { task: 't1' },
      image: 'app:1',
      imageId: sha('app:1'),
      health: 'none',
      exitCode: 3,
      startedAt: T0,
      finishedAt: T0 + 1500,
    });
    // Reading after the exit gives the same lines; `since` is inclusive.
    const again: LogLine[] = [];
    for await (const line of runtime.streamLogs(id, { follow: false, since: T0 + 500 })) {
      again.push(line);
    }
    assert.deepEqual(again, logs.lines.slice(1));
  });

  it('stops with SIGTERM, and with SIGKILL after the timeout when SIGTERM is ignored', async () => {
    const clock = new ManualClock(T0);
    const runtime = new MemoryRuntime({
      clock,
      localImages: ['polite:1', 'stubborn:1'],
      scripts: { 'polite:1': {}, 'stubborn:1': { ignoreSigterm: true } },
    });
    const polite = await runtime.createContainer(spec('polite', 'polite:1'));
    await runtime.startContainer(polite);
    await clock.advance(60_000);
    assert.equal((await runtime.inspectContainer(polite)).running, true);
    await runtime.stopContainer(polite, 30);
    assert.deepEqual(await runtime.waitContainer(polite), { exitCode: 143, oomKilled: false });
    assert.equal((await runtime.inspectContainer(polite)).finishedAt, T0 + 60_000);

    const stubborn = await runtime.createContainer(spec('stubborn', 'stubborn:1'));
    await runtime.startContainer(stubborn);
    let stopped = false;
    const stopping = runtime.stopContainer(stubborn, 30).then(() => {
      stopped = true;
    });
    await clock.advance(29_999);
    assert.equal(stopped, false);
    assert.equal((await runtime.inspectContainer(stubborn)).running, true);
    await clock.advance(1);
    await stopping;
    assert.deepEqual(await runtime.waitContainer(stubborn), { exitCode: 137, oomKilled: false });
    // Stopping or killing a stopped container is fine.
    await runtime.stopContainer(stubborn, 30);
    await runtime.killContainer(stubborn, 'SIGKILL');
  });

  it('kills with signals: SIGKILL 137, SIGINT 130, SIGTERM ignored when scripted so', async () => {
    const clock = new ManualClock(T0);
    const runtime = new MemoryRuntime({
      clock,
      localImages: ['a:1'],
      scriptFor: (s) => ({ ignoreSigterm: s.name === 'deaf' }),
    });
    const deaf = await runtime.createContainer(spec('deaf', 'a:1'));
    await runtime.startContainer(deaf);
    await runtime.killContainer(deaf, 'SIGTERM');
    assert.equal((await runtime.inspectContainer(deaf)).running, true);
    await runtime.killContainer(deaf, 'KILL');
    assert.deepEqual(await runtime.waitContainer(deaf), { exitCode: 137, oomKilled: false });

    const other = await runtime.createContainer(spec('other', 'a:1'));
    await runtime.startContainer(other);
    await runtime.killContainer(other, 'SIGINT');
    assert.deepEqual(await runtime.waitContainer(other), { exitCode: 130, oomKilled: false });
  });

  it('throws typed errors for missing images, early waits and scripted start failures', async () => {
    const clock = new ManualClock(T0);
    const runtime = new MemoryRuntime({
      clock,
      localImages: ['app:1', 'broken:1'],
      scripts: { 'broken:1': { startError: 'exec: "nope": executable file not found in $PATH' } },
    });
    const id = await runtime.createContainer(spec('one'));
    await assert.rejects(runtime.createContainer(spec('two', 'absent:1')), (error) => {
      assert.ok(error instanceof ContainerStartError);
      assert.equal(
        `${error.code}: ${error.message}`,
        'CannotStartContainerError: No such image: absent:1',
      );
      return true;
    });
    // Waiting before starting is a supervisor bug; the fake says so instead of answering 0.
    await assert.rejects(runtime.waitContainer(id), ContainerConflictError);
    const broken = await runtime.createContainer(spec('broken', 'broken:1'));
    await assert.rejects(runtime.startContainer(broken), (error) => {
      assert.ok(error instanceof ContainerStartError);
      assert.equal(error.message, 'exec: "nope": executable file not found in $PATH');
      return true;
    });
    await assert.rejects(runtime.startContainer('missing'), ContainerNotFoundError);
  });

  it('lists containers by label in any state, and serves stats', async () => {
    const clock = new ManualClock(T0);
    const runtime = new MemoryRuntime({
      clock,
      localImages: ['app:1'],
      scripts: { 'app:1': { memoryBytes: 1_000_000, cpuPercent: 50 } },
    });
    const a = await runtime.createContainer(spec('a', 'app:1', { cluster: 'c1', task: 't1' }));
    const b = await runtime.createContainer(spec('b', 'app:1', { cluster: 'c1', task: 't2' }));
    await runtime.createContainer(spec('c', 'app:1', { cluster: 'c2', task: 't3' }));
    await runtime.startContainer(b);
    const listed = await runtime.listContainers({ labels: { cluster: 'c1' } });
    assert.deepEqual(
      listed.map((c) => [c.name, c.status, c.running]),
      [
        ['a', 'created', false],
        ['b', 'running', true],
      ],
    );
    assert.deepEqual(
      (await runtime.listContainers({ labels: { cluster: 'c1', task: 't1' } })).map((c) => c.id),
      [a],
    );
    assert.equal((await runtime.listContainers()).length, 3);

    await clock.advance(2000);
    assert.deepEqual(await runtime.stats(b), {
      timestamp: T0 + 2000,
      cpuUsageNs: 1_000_000_000,
      cpuPercent: 50,
      memoryBytes: 1_000_000,
      memoryLimitBytes: 512 * 1024 * 1024,
    });
  });

  it('ends a follow stream on removal and on abort', async () => {
    const clock = new ManualClock(T0);
    const runtime = new MemoryRuntime({ clock, localImages: ['app:1'], scripts: { 'app:1': {} } });
    const id = await runtime.createContainer(spec('forever'));
    await runtime.startContainer(id);
    const removed = follow(runtime, id);
    await runtime.removeContainer(id);
    await removed.done;
    assert.deepEqual(removed.lines, []);

    const id2 = await runtime.createContainer(spec('forever-2'));
    await runtime.startContainer(id2);
    const controller = new AbortController();
    const lines: LogLine[] = [];
    const done = (async () => {
      for await (const line of runtime.streamLogs(id2, {
        follow: true,
        signal: controller.signal,
      })) {
        lines.push(line);
      }
    })();
    controller.abort();
    await done;
    assert.equal((await runtime.inspectContainer(id2)).running, true);
  });

  it('gives up a wait on abort: rejects with the abort reason, the container runs on', async () => {
    const clock = new ManualClock(T0);
    const runtime = new MemoryRuntime({
      clock,
      localImages: ['app:1'],
      scripts: { 'app:1': { exitAfterMs: 5000, exitCode: 4 } },
    });
    const id = await runtime.createContainer(spec('waited'));
    await runtime.startContainer(id);
    const controller = new AbortController();
    const given = runtime.waitContainer(id, { signal: controller.signal });
    const kept = runtime.waitContainer(id);
    const logs = runtime.streamLogs(id, { follow: true, signal: controller.signal });
    const followed = (async () => {
      for await (const line of logs) assert.fail(`unexpected line ${line.line}`);
    })();
    await clock.advance(1000);
    assert.equal(runtime.openCalls(), 3, 'two waits and one follow are open');

    controller.abort();
    await assert.rejects(given, (error: Error) => error.name === 'AbortError');
    await followed;
    assert.equal(runtime.openCalls(), 1, 'only the wait without a signal is still open');
    assert.equal((await runtime.inspectContainer(id)).running, true, 'an abort is not an exit');
    await assert.rejects(
      runtime.waitContainer(id, { signal: controller.signal }),
      (error) => error === controller.signal.reason,
      'a signal aborted beforehand rejects at once',
    );
    await assert.rejects(runtime.stats(id, { signal: controller.signal }), { name: 'AbortError' });

    await clock.advance(4000);
    assert.deepEqual(await kept, { exitCode: 4, oomKilled: false });
    assert.equal(runtime.openCalls(), 0);
  });

  it('throws RuntimeUnavailableError while switched off', async () => {
    const runtime = new MemoryRuntime({ clock: new ManualClock(T0) });
    runtime.setAvailable(false);
    await assert.rejects(runtime.ping(), (error) => {
      assert.ok(error instanceof RuntimeUnavailableError);
      assert.equal(error.retryable, true);
      return true;
    });
    await assert.rejects(runtime.listContainers(), RuntimeUnavailableError);
    runtime.setAvailable(true);
    await runtime.ping();
    assert.deepEqual(await runtime.version(), { engine: 'memory', version: '1.0.0' });
  });
});

/**
 * The contract's commands, scripted to behave as a shell would run them: the fake runs no
 * process, so each command is given the lines, exit and resource use a real one shows.
 */
const contractScripts = new Map<string, ContainerScript>([
  [CONTRACT_COMMANDS.succeed.join(' '), { exitAfterMs: 0 }],
  [CONTRACT_COMMANDS.exitThree.join(' '), { exitAfterMs: 0, exitCode: 3 }],
  [CONTRACT_COMMANDS.runForever.join(' '), { memoryBytes: 400_000, cpuPercent: 1 }],
  [CONTRACT_COMMANDS.ignoreSigterm.join(' '), { ignoreSigterm: true }],
  [CONTRACT_COMMANDS.exceedMemory.join(' '), { exitAfterMs: 100, oomKilled: true }],
  [
    CONTRACT_COMMANDS.missingBinary.join(' '),
    { startError: 'exec: "/no/such/binary": stat /no/such/binary: no such file or directory' },
  ],
  [
    CONTRACT_COMMANDS.printLines.join(' '),
    {
      lines: [
        { afterMs: 0, line: 'out-1' },
        { afterMs: 200, line: 'err-1', stream: 'stderr' },
        { afterMs: 400, line: '' },
        { afterMs: 400, line: 'out-2' },
        { afterMs: 600, line: 'no newline' },
      ],
      exitAfterMs: 600,
    },
  ],
]);

describeContainerRuntimeContract(
  'MemoryRuntime',
  () => {
    const clock = new ManualClock(T0);
    const runtime = new MemoryRuntime({
      clock,
      localImages: ['contract:1'],
      scriptFor: (s) => contractScripts.get((s.command ?? []).join(' ')),
    });
    return { runtime, elapse: (ms) => clock.advance(ms) };
  },
  {
    image: 'contract:1',
    namePrefix: 'contract',
    labels: { suite: 'contract' },
    unavailable: () => {
      const runtime = new MemoryRuntime({ clock: new ManualClock(T0) });
      runtime.setAvailable(false);
      return { runtime, address: /memory:\/\// };
    },
  },
);
