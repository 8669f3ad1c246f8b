/**
 * The behaviour every {@link ContainerRuntime} owes the supervisor, as one test suite that runs
 * against each implementation: the in-memory fake (`memory-runtime.test.ts`) and real Docker
 * (`test/integration/runtime-docker.test.ts`). What only one runtime can show (scripted timing,
 * engine config, registries) stays in that runtime's own test file.
 *
 * The suite speaks in real shell commands ({@link CONTRACT_COMMANDS}). Docker runs them; the fake
 * scripts each one to behave the same (see `contractScripts` in the memory test). Time is the
 * runtime's own: {@link RuntimeUnderTest.elapse} advances a ManualClock, and is a no-op where
 * time passes by itself.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { ContainerRuntime, ContainerSpec, LogLine } from './container-runtime.ts';
import {
  ContainerConflictError,
  ContainerNotFoundError,
  ContainerStartError,
  RuntimeUnavailableError,
} from './runtime.errors.ts';

/** The commands the contract runs, by what they do. */
export const CONTRACT_COMMANDS = {
  succeed: ['true'],
  exitThree: ['sh', '-c', 'exit 3'],
  runForever: ['sleep', '100'],
  ignoreSigterm: ['sh', '-c', "trap '' TERM; sleep 100"],
  exceedMemory: ['sh', '-c', 'head -c 50m /dev/zero | tail'],
  missingBinary: ['/no/such/binary'],
  printLines: [
    'sh',
    '-c',
    'echo out-1; sleep 0.2; echo err-1 >&2; sleep 0.2; echo; echo out-2; sleep 0.2; printf "no newline"',
  ],
} as const satisfies Record<string, readonly string[]>;

/** A runtime to test and a way to let its time pass. */
export interface RuntimeUnderTest {
  readonly runtime: ContainerRuntime;
  /** Lets `ms` of the runtime's time pass; resolves at once where time passes by itself. */
  elapse(ms: number): Promise<void>;
}

export interface ContainerRuntimeContractOptions {
  /** Skips the whole suite (a reason), e.g. when no engine is available. */
  readonly skip?: string | false;
  /** An image the runtime holds locally, built there (so without a registry digest). */
  readonly image: string;
  /** Labels on every container the suite creates (an engine's tests reap theirs by them). */
  readonly labels?: Readonly<Record<string, string>>;
  /** A prefix keeping container names apart between test runs on one engine. */
  readonly namePrefix: string;
  /** A runtime whose engine does not answer, and a pattern its error message must name. */
  readonly unavailable: () => { runtime: ContainerRuntime; address: RegExp };
  /** Runs after the suite (removing what it left on the engine). */
  readonly cleanup?: () => Promise<void>;
}

async function collect(lines: AsyncIterable<LogLine>): Promise<LogLine[]> {
  const out: LogLine[] = [];
  for await (const line of lines) out.push(line);
  return out;
}

const text = (logs: readonly LogLine[]) => logs.map((l) => `${l.stream}:${l.line}`);

/**
 * Registers the contract suite for one runtime. `makeRuntime` is called once per test, so a
 * fake starts each test fresh; a real engine may hand back one shared runtime.
 */
export function describeContainerRuntimeContract(
  name: string,
  makeRuntime: () => RuntimeUnderTest,
  options: ContainerRuntimeContractOptions,
): void {
  let serial = 0;
  function spec(overrides: Partial<ContainerSpec> & Pick<ContainerSpec, 'command'>): ContainerSpec {
    serial += 1;
    return {
      name: `${options.namePrefix}-${serial}`,
      image: options.image,
      networkMode: 'none',
      ...overrides,
      labels: { ...options.labels, ...(overrides.labels ?? {}) },
    };
  }

  describe(`ContainerRuntime contract: ${name}`, { skip: options.skip ?? false }, () => {
    after(async () => {
      await options.cleanup?.();
    });

    it('finds a local image without pulling', async () => {
      const { runtime } = makeRuntime();
      const image = await runtime.ensureImage(options.image);
      assert.equal(image.pulled, false);
      assert.match(image.imageId, /^sha256:[0-9a-f]{64}$/);
      // Built locally, never pushed: no registry digest.
      assert.equal(image.repoDigest, undefined);
    });

    it('returns exit codes 0 and 3 as data', async () => {
      const { runtime, elapse } = makeRuntime();
      const ok = await runtime.createContainer(spec({ command: [...CONTRACT_COMMANDS.succeed] }));
      await runtime.startContainer(ok);
      const okExit = runtime.waitContainer(ok);
      await elapse(1000);
      assert.deepEqual(await okExit, { exitCode: 0, oomKilled: false });

      const three = await runtime.createContainer(
        spec({ command: [...CONTRACT_COMMANDS.exitThree] }),
      );
      await runtime.startContainer(three);
      const threeExit = runtime.waitContainer(three);
      await elapse(1000);
      assert.deepEqual(await threeExit, { exitCode: 3, oomKilled: false });
      const info = await runtime.inspectContainer(three);
      assert.equal(info.exitCode, 3);
      assert.equal(info.running, false);
      assert.equal(info.status, 'exited');
    });

    it('streams stdout and stderr lines in order with their timestamps, a last partial line too', async () => {
      const { runtime, elapse } = makeRuntime();
      const id = await runtime.createContainer(
        spec({ command: [...CONTRACT_COMMANDS.printLines] }),
      );
      await runtime.startContainer(id);
      const following = collect(runtime.streamLogs(id, { follow: true }));
      const exiting = runtime.waitContainer(id);
      await elapse(1000);
      const followed = await following;
      const exit = await exiting;
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
        // An engine records StartedAt a moment after the process runs, so the first lines may
        // carry an earlier stamp; a 2 s margin keeps this a sanity check, not a timing assertion.
        assert.ok(line.timestamp >= info.startedAt - 2000, `line ${i} stamped before the start`);
        assert.ok(line.timestamp <= info.finishedAt + 1000, `line ${i} stamped after the exit`);
        if (i > 0) {
          assert.ok(line.timestamp >= followed[i - 1]!.timestamp, 'timestamps go backwards');
        }
      }

      // `since` (inclusive) resumes at a line's own timestamp.
      const fromErr = followed[1]!.timestamp;
      const resumed = await collect(runtime.streamLogs(id, { follow: false, since: fromErr }));
      assert.deepEqual(text(resumed), expected.slice(1));
    });

    it('kills a container that ignores SIGTERM after the stop timeout (exit 137)', async () => {
      const { runtime, elapse } = makeRuntime();
      const id = await runtime.createContainer(
        spec({ command: [...CONTRACT_COMMANDS.ignoreSigterm] }),
      );
      await runtime.startContainer(id);
      const stopping = runtime.stopContainer(id, 1);
      await elapse(1000);
      await stopping;
      assert.deepEqual(await runtime.waitContainer(id), { exitCode: 137, oomKilled: false });
      // Stopping a stopped container is fine.
      await runtime.stopContainer(id, 1);
    });

    it('lets a container that heeds SIGTERM exit 143 on stop', async () => {
      const { runtime } = makeRuntime();
      const id = await runtime.createContainer(
        spec({ command: [...CONTRACT_COMMANDS.runForever], init: true }),
      );
      await runtime.startContainer(id);
      await runtime.stopContainer(id, 30);
      assert.deepEqual(await runtime.waitContainer(id), { exitCode: 143, oomKilled: false });
    });

    it('kills with a given signal; killing a stopped container is fine', async () => {
      const { runtime } = makeRuntime();
      const id = await runtime.createContainer(
        spec({ command: [...CONTRACT_COMMANDS.runForever] }),
      );
      await runtime.startContainer(id);
      await runtime.killContainer(id, 'SIGKILL');
      assert.deepEqual(await runtime.waitContainer(id), { exitCode: 137, oomKilled: false });
      await runtime.killContainer(id, 'SIGKILL');
    });

    it('reports an OOM kill at the hard memory limit', async () => {
      const { runtime, elapse } = makeRuntime();
      const id = await runtime.createContainer(
        spec({ command: [...CONTRACT_COMMANDS.exceedMemory], memoryMiB: 6 }),
      );
      await runtime.startContainer(id);
      const exit = runtime.waitContainer(id);
      await elapse(1000);
      assert.deepEqual(await exit, { exitCode: 137, oomKilled: true });
      const info = await runtime.inspectContainer(id);
      assert.equal(info.oomKilled, true);
    });

    it('labels containers and lists them by label in any state; samples a running one', async () => {
      const { runtime, elapse } = makeRuntime();
      const kind = `list-${serial}`;
      const created = await runtime.createContainer(
        spec({ command: [...CONTRACT_COMMANDS.succeed], labels: { kind, which: 'created' } }),
      );
      const exited = await runtime.createContainer(
        spec({ command: [...CONTRACT_COMMANDS.succeed], labels: { kind, which: 'exited' } }),
      );
      await runtime.startContainer(exited);
      const exiting = runtime.waitContainer(exited);
      await elapse(1000);
      await exiting;
      const running = await runtime.createContainer(
        spec({ command: [...CONTRACT_COMMANDS.runForever], labels: { kind, which: 'running' } }),
      );
      await runtime.startContainer(running);
      await elapse(2000);

      const all = await runtime.listContainers({ labels: { ...options.labels, kind } });
      const byId = new Map(all.map((c) => [c.id, c]));
      assert.equal(all.length, 3);
      assert.equal(byId.get(created)?.status, 'created');
      assert.equal(byId.get(exited)?.status, 'exited');
      assert.equal(byId.get(running)?.running, true);
      assert.equal(byId.get(running)?.labels['which'], 'running');

      const one = await runtime.listContainers({ labels: { kind, which: 'exited' } });
      assert.deepEqual(
        one.map((c) => c.id),
        [exited],
      );

      const info = await runtime.inspectContainer(running);
      assert.equal(info.running, true);
      assert.equal(info.exitCode, undefined);
      assert.equal(info.labels['which'], 'running');
      assert.equal(info.image, options.image);
      assert.ok(info.startedAt !== undefined);
      assert.equal(info.finishedAt, undefined);

      const sample = await runtime.stats(running);
      assert.ok(sample.memoryBytes > 0);
      assert.ok(sample.cpuUsageNs > 0);

      // Removing twice is fine; afterwards the container is not found.
      await runtime.removeContainer(running);
      await runtime.removeContainer(running);
      await assert.rejects(runtime.inspectContainer(running), ContainerNotFoundError);
    });

    it('throws typed errors for missing containers, taken names and start failures', async () => {
      const { runtime } = makeRuntime();
      await assert.rejects(runtime.inspectContainer('cronbridge-no-such-container'), (error) => {
        assert.ok(error instanceof ContainerNotFoundError);
        assert.match(error.message, /no such container/i);
        return true;
      });
      const s = spec({ command: [...CONTRACT_COMMANDS.succeed] });
      await runtime.createContainer(s);
      await assert.rejects(runtime.createContainer(s), ContainerConflictError);

      const bad = await runtime.createContainer(
        spec({ command: [...CONTRACT_COMMANDS.missingBinary] }),
      );
      await assert.rejects(runtime.startContainer(bad), (error) => {
        assert.ok(error instanceof ContainerStartError);
        assert.equal(error.code, 'CannotStartContainerError');
        assert.match(error.message, /no such file or directory|not found/i);
        return true;
      });
    });

    it('throws a retryable RuntimeUnavailableError that says how to fix it', async () => {
      const { runtime, address } = options.unavailable();
      await assert.rejects(runtime.ping(), (error) => {
        assert.ok(error instanceof RuntimeUnavailableError);
        assert.equal(error.retryable, true);
        assert.match(error.message, address);
        assert.match(error.message, /DOCKER_HOST/);
        return true;
      });
    });
  });
}
