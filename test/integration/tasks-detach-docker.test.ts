/**
 * Letting go of running tasks on a real Docker engine: an aborted wait or stats request closes
 * its connection at once, and a supervisor that detaches (what `cronbridge up` does on Ctrl-C)
 * leaves no request open, so its process can end while the task's container runs on.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { SystemClock } from '../../src/platform/clock.ts';
import {
  integrationGate,
  newTestRunId,
  reapTestContainers,
  TEST_IMAGE,
  TEST_RUN_LABEL,
  testDockerClient,
  testRuntime,
} from '../support/docker.ts';

const skip = await integrationGate();
const CHILD = fileURLToPath(new URL('./tasks-detach.child.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The task's container sleeps this long; the child must end well before. */
const SLEEP_MS = 30_000;
/** Bound on the child's exit once it says it detached (it has nothing left to do). */
const EXIT_AFTER_DETACH_MS = 5_000;

interface ChildReport {
  containerId: string;
  lastStatus: string;
  containerStatuses: string[];
  samples: number;
}

describe('detaching from running tasks on real Docker', { skip }, () => {
  const runId = newTestRunId('detach');
  const clock = new SystemClock();

  after(async () => {
    await reapTestContainers(runId);
  });

  it('an aborted wait, stats or inspect request rejects with the abort reason; the container runs on', async () => {
    const runtime = testRuntime();
    const id = await runtime.createContainer({
      name: `cronbridge-test-${runId}-wait`,
      image: TEST_IMAGE,
      command: ['sleep', '30'],
      networkMode: 'none',
      labels: { [TEST_RUN_LABEL]: runId },
    });
    await runtime.startContainer(id);

    const waiting = new AbortController();
    const wait = runtime.waitContainer(id, { signal: waiting.signal });
    await clock.sleep(300); // the wait request is open on the engine by then
    waiting.abort();
    await assert.rejects(wait, (error) => error === waiting.signal.reason);

    const sampling = new AbortController();
    const stats = runtime.stats(id, { signal: sampling.signal });
    sampling.abort();
    await assert.rejects(stats, (error) => error === sampling.signal.reason);

    const asking = new AbortController();
    const inspect = runtime.inspectContainer(id, { signal: asking.signal });
    asking.abort();
    await assert.rejects(inspect, (error) => error === asking.signal.reason);

    assert.equal((await runtime.inspectContainer(id)).running, true, 'an abort is not an exit');
    await runtime.killContainer(id, 'SIGKILL');
    assert.equal((await runtime.waitContainer(id)).exitCode, 137, 'a later wait still works');
  });

  it('a process that detaches from a task ends on its own long before the container does', async () => {
    const spawnedAt = clock.now();
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, runId], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let detachedAt: number | undefined;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (detachedAt === undefined && stdout.includes('\n')) detachedAt = clock.now();
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => resolve(code)),
    );

    // Still alive when the container would end by itself: the fix is not working. Kill the child
    // (ours, by pid) rather than let the test hang.
    const deadline = clock.setTimer(spawnedAt + SLEEP_MS - 5_000, () => child.kill('SIGKILL'));
    const code = await exited;
    deadline.cancel();
    const endedAt = clock.now();

    assert.equal(code, 0, `child failed (exit ${code}); stderr:\n${stderr}\nstdout:\n${stdout}`);
    assert.ok(detachedAt !== undefined, `the child never reported its detach; stderr:\n${stderr}`);
    assert.ok(
      endedAt - detachedAt < EXIT_AFTER_DETACH_MS,
      `the child lived on ${endedAt - detachedAt} ms after detaching: a Docker request stayed open`,
    );
    const report = JSON.parse(stdout.trim()) as ChildReport;
    assert.equal(report.lastStatus, 'RUNNING', 'detaching records no stop');
    assert.ok(!report.containerStatuses.includes('STOPPED'), JSON.stringify(report));

    const info = await testDockerClient().getContainer(report.containerId).inspect();
    assert.equal(info.State.Running, true, 'the task container keeps running after the detach');
    assert.ok(
      clock.now() - Date.parse(info.State.StartedAt) < SLEEP_MS,
      'the check ran while the container was still sleeping',
    );
  });
});
