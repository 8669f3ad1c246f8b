/**
 * A hung container engine: every call the supervisor makes is bounded, the task fails with ECS's
 * stop reason after the bound, `/metrics` and `up`'s run lines say so. The in-memory runtime
 * plays the wedged engine (calls that never answer); a ManualClock drives the bounds.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { RunReporter } from '../cli/up/run-reporter.ts';
import { fargateDefinition } from '../ecs/ecs.test-support.ts';
import { ManualClock } from '../platform/clock.ts';
import { MemoryRuntime } from '../runtime/memory-runtime.ts';
import { ENGINE_CALLS } from '../runtime/timed-runtime.ts';
import { startTestEngine } from './engine.fixture.ts';
import { awsvpc, defaultNetwork } from './engine.test-support.ts';
import { DEFAULT_CONTEXT } from '../platform/ids.ts';
import { createServiceRoles, engineRoles } from './service-roles.test-support.ts';

const T0 = Date.parse('2026-06-01T12:00:00Z');
const IMAGE = 'busybox:latest';

async function hungEngine() {
  const clock = new ManualClock(T0);
  const runtime = new MemoryRuntime({
    clock,
    localImages: [IMAGE],
    scripts: { [IMAGE]: { exitAfterMs: 1000 } },
  });
  const fx = await startTestEngine({
    runtime,
    clock,
    engine: { engineCallTimeouts: { callMs: 60_000 } },
  });
  // The definition's execution role (`exec`) may write its log group.
  await createServiceRoles(engineRoles(fx.engine.iam), { execution: 'exec' });
  await fx.engine.ecs.createCluster(DEFAULT_CONTEXT);
  await fx.engine.ecs.registerTaskDefinition(
    DEFAULT_CONTEXT,
    fargateDefinition({
      containerDefinitions: [
        { ...(fargateDefinition().containerDefinitions[0] as object), image: IMAGE },
      ],
    }),
  );
  await fx.engine.logs.createLogGroup(DEFAULT_CONTEXT, { logGroupName: '/ecs/nightly' });
  const lines: string[] = [];
  const reporter = new RunReporter({ engine: fx.engine, clock, write: (l) => lines.push(l) });
  reporter.start();
  const metrics = async () => (await fetch(`${fx.url}/metrics`)).text();
  const network = awsvpc(await defaultNetwork(fx.engine));
  const runTask = async () =>
    (
      await fx.engine.ecs.runTask(DEFAULT_CONTEXT, {
        taskDefinition: 'nightly',
        networkConfiguration: network,
      })
    ).tasks[0]!.taskArn;
  /** Advances the clock a second at a time until the task is STOPPED; bounded. */
  const untilStopped = async (arn: string, maxSeconds: number) => {
    let done = false;
    void fx.engine.supervisor.waitFor(arn).then(() => (done = true));
    // Before its first engine call the start path evaluates the execution role's policies (the
    // first evaluation loads IAM's reference data): let it reach the call that hangs before the
    // clock moves, so the bound counts from the call, as it would in real time.
    for (let i = 0; i < 20_000 && runtime.hungCalls() === 0; i++) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    await clock.advance(0);
    let waited = 0;
    while (!done && waited < maxSeconds) {
      await clock.advance(1000);
      waited += 1;
    }
    assert.ok(done, `task still not stopped after ${maxSeconds}s of clock time`);
    await reporter.idle();
    return (await fx.engine.ecs.describeTasks(DEFAULT_CONTEXT, { tasks: [arn] })).tasks[0]!;
  };
  return { fx, clock, runtime, lines, metrics, runTask, untilStopped, reporter };
}

describe('a hung container engine', () => {
  it('fails a task whose container is never created, after the bound, and says so', async () => {
    const h = await hungEngine();
    await using _ = h.fx;
    assert.match(await h.metrics(), /^cronbridge_container_engine_up 1$/m);
    h.runtime.setHanging(['create']);
    const arn = await h.runTask();
    const task = await h.untilStopped(arn, 120);

    assert.equal(task.stopCode, 'TaskFailedToStart');
    assert.equal(
      task.stoppedReason,
      'CannotCreateContainerError: the container engine did not answer create within 60000 ms',
    );
    assert.ok(task.stoppedAt! - task.createdAt! <= 61_000, 'stopped once the bound passed');
    const text = await h.metrics();
    assert.match(text, /^cronbridge_container_engine_up 0$/m);
    assert.match(text, /^cronbridge_engine_call_timeouts_total\{call="create"\} 1$/m);
    const warnings = h.lines.filter((l) => /warning/.test(l));
    assert.equal(warnings.length, 1, h.lines.join('\n'));
    assert.match(warnings[0]!, /container engine: the container engine did not answer create/);

    // The engine answers again: the gauge goes back up, with one line to say so.
    h.runtime.setHanging([]);
    await h.fx.engine.engineCalls.ping();
    await h.reporter.idle();
    assert.match(await h.metrics(), /^cronbridge_container_engine_up 1$/m);
    assert.match(h.lines.at(-1) ?? '', /container engine: answering again/);
    await h.reporter.stop();
  });

  it('fails a task whose start is never answered, even when the whole engine hangs', async () => {
    const h = await hungEngine();
    await using _ = h.fx;
    // Created fine; from ACTIVATING on nothing the engine is asked answers.
    const off = h.fx.engine.supervisor.on((e) => {
      if (e.type === 'task:status' && e.status === 'ACTIVATING') h.runtime.setHanging(ENGINE_CALLS);
    });
    const arn = await h.runTask();
    const task = await h.untilStopped(arn, 300);
    off();

    assert.equal(task.stopCode, 'TaskFailedToStart');
    assert.equal(
      task.stoppedReason,
      'CannotStartContainerError: the container engine did not answer start within 60000 ms',
    );
    assert.equal(task.containers?.[0]?.lastStatus, 'STOPPED');
    // start, then remove: each given up after its own bound, nothing waits for ever.
    assert.ok(task.stoppedAt! - task.createdAt! <= 121_000, 'stopped within the bounds');
    assert.ok(h.runtime.hungCalls() >= 2);
    assert.match(await h.metrics(), /^cronbridge_engine_call_timeouts_total\{call="start"\} 1$/m);
    assert.match(await h.metrics(), /^cronbridge_container_engine_up 0$/m);
    assert.equal(h.lines.filter((l) => /warning/.test(l)).length, 1, 'one line, not one per call');
    await h.reporter.stop();
  });
});
