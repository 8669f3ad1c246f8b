import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { ManualClock } from '../platform/clock.ts';
import type { ContainerSpec } from './container-runtime.ts';
import { MemoryRuntime } from './memory-runtime.ts';
import { EngineTimeoutError } from './runtime.errors.ts';
import { TimedRuntime } from './timed-runtime.ts';

const IMAGE = 'job:1';
const spec: ContainerSpec = { name: 'late', image: IMAGE, labels: {} };

function setup() {
  const clock = new ManualClock(0);
  const inner = new MemoryRuntime({ clock, localImages: [IMAGE] });
  const timed = new TimedRuntime({ runtime: inner, clock, timeouts: { callMs: 1000 } });
  return { clock, inner, timed };
}

describe('TimedRuntime', () => {
  it('gives a call up at its bound and counts it', async () => {
    const { clock, inner, timed } = setup();
    inner.setHanging(['inspect']);
    const failed = assert.rejects(timed.inspectContainer('x'), EngineTimeoutError);
    await clock.advance(999);
    assert.equal(timed.up, true);
    await clock.advance(1);
    await failed;
    assert.equal(timed.up, false);
    assert.equal(timed.timeouts().get('inspect'), 1);
  });

  it('a caller giving up is not the engine hanging', async () => {
    const { inner, timed } = setup();
    inner.setHanging(['stats']);
    const controller = new AbortController();
    const call = timed.stats('x', { signal: controller.signal });
    controller.abort(new Error('not wanted'));
    await assert.rejects(call, /not wanted/);
    assert.equal(timed.up, true);
    assert.equal(timed.timeouts().get('stats'), 0);
  });

  it('removes a container the engine created after the create was given up', async () => {
    const { clock } = setup();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const inner = new MemoryRuntime({ clock, localImages: [IMAGE] });
    const slow = new TimedRuntime({
      runtime: {
        ...Object.fromEntries(
          (['listContainers', 'removeContainer'] as const).map((k) => [k, inner[k].bind(inner)]),
        ),
        createContainer: async (s: ContainerSpec) => {
          await gate;
          return inner.createContainer(s);
        },
      } as unknown as MemoryRuntime,
      clock,
      timeouts: { callMs: 1000 },
    });
    const failed = assert.rejects(slow.createContainer(spec), EngineTimeoutError);
    await clock.advance(1000);
    await failed;
    release();
    for (let i = 0; i < 5; i++) await clock.advance(0);
    assert.deepEqual(await inner.listContainers(), [], 'nothing is left behind');
  });
});
