import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ManualClock } from '../platform/clock.ts';
import { MemoryRuntime } from '../runtime/memory-runtime.ts';
import { startTestEngine } from './engine.fixture.ts';
import { DEFAULT_CONTEXT } from '../platform/ids.ts';

const T0 = Date.parse('2026-06-01T12:00:00Z');

/** Lets the supervisor's promise chains run until the runtime holds `count` containers. */
async function containersOf(runtime: MemoryRuntime, count: number) {
  for (let i = 0; i < 200; i++) {
    const found = await runtime.listContainers();
    if (found.length >= count) return found;
    await new Promise((resolve) => setImmediate(resolve));
  }
  assert.fail(`no ${count} container(s) created`);
}

describe('task isolation, RunTask to container create body', () => {
  it('gives an EC2-style task without sizes hard limits, no new privileges and a pids limit', async () => {
    const clock = new ManualClock(T0);
    const runtime = new MemoryRuntime({ clock, localImages: ['busybox:latest'] });
    await using fx = await startTestEngine({ runtime, clock, withApi: false });
    const { ecs } = fx.engine;
    await ecs.createCluster(DEFAULT_CONTEXT, { clusterName: 'default' });
    await ecs.registerTaskDefinition(DEFAULT_CONTEXT, {
      family: 'ec2job',
      networkMode: 'none',
      containerDefinitions: [
        {
          name: 'app',
          image: 'busybox:latest',
          memoryReservation: 64,
          readonlyRootFilesystem: true,
          linuxParameters: { capabilities: { add: ['SYS_PTRACE'] } },
        },
      ],
    });
    await ecs.runTask(DEFAULT_CONTEXT, { taskDefinition: 'ec2job' });
    const [summary] = await containersOf(runtime, 1);
    const host = runtime.created(summary!.id).createOptions.HostConfig!;
    assert.equal(host.NanoCpus, 1e9, 'one vCPU by default');
    assert.equal(host.Memory, 2048 * 1024 * 1024, '2 GiB by default');
    assert.equal(host.MemorySwap, host.Memory);
    assert.equal(host.PidsLimit, 4096);
    assert.deepEqual(host.SecurityOpt, ['no-new-privileges:true']);
    assert.deepEqual(host.CapDrop, ['ALL']);
    assert.ok((host.CapAdd as string[]).includes('SYS_PTRACE'));
    assert.ok(!(host.CapAdd as string[]).includes('NET_RAW'));
    assert.equal(host.ReadonlyRootfs, true);
    assert.equal(host.Privileged, false);
    assert.equal(host.NetworkMode, 'none');
    assert.deepEqual(host.Binds, []);
  });

  it('applies host network and privileged mode only with allowHostAccess', async () => {
    const clock = new ManualClock(T0);
    const runtime = new MemoryRuntime({ clock, localImages: ['busybox:latest'] });
    await using fx = await startTestEngine({
      runtime,
      clock,
      withApi: false,
      engine: { allowHostAccess: true },
    });
    const { ecs } = fx.engine;
    await ecs.createCluster(DEFAULT_CONTEXT, { clusterName: 'default' });
    await ecs.registerTaskDefinition(DEFAULT_CONTEXT, {
      family: 'hostjob',
      networkMode: 'host',
      cpu: '512',
      memory: '1024',
      containerDefinitions: [{ name: 'app', image: 'busybox:latest', privileged: true }],
    });
    await ecs.runTask(DEFAULT_CONTEXT, { taskDefinition: 'hostjob' });
    const [summary] = await containersOf(runtime, 1);
    const host = runtime.created(summary!.id).createOptions.HostConfig!;
    assert.equal(host.NetworkMode, 'host');
    assert.equal(host.Privileged, true);
    assert.equal(host.NanoCpus, 0.5e9);
    assert.equal(host.Memory, 1024 * 1024 * 1024);
  });
});
