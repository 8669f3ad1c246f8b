/**
 * Recovery after a crash, end to end on the store: the ECS state machine (not a recording sink)
 * judges every transition the restarted supervisor reports. The in-memory runtime outlives the
 * "process" as Docker would; a ManualClock drives everything.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { fargateDefinition } from '../ecs/ecs.test-support.ts';
import { ManualClock } from '../platform/clock.ts';
import { MemoryRuntime } from '../runtime/memory-runtime.ts';
import { startTestEngine } from './engine.fixture.ts';
import { awsvpc, defaultNetwork } from './engine.test-support.ts';
import type { Engine } from './engine.ts';
import { DEFAULT_CONTEXT } from '../platform/ids.ts';
import { createServiceRoles, engineRoles } from './service-roles.test-support.ts';

const T0 = Date.parse('2026-06-01T12:00:00Z');
const IMAGE = 'busybox:latest';

async function describeTask(engine: Engine, arn: string) {
  const { tasks } = await engine.ecs.describeTasks(DEFAULT_CONTEXT, { tasks: [arn] });
  const task = tasks[0];
  assert.ok(task, `task ${arn} is known`);
  return task;
}

describe('recovery of a task caught in ACTIVATING by a crash', () => {
  for (const remains of ['created, not started', 'gone', 'stopped by StopTask'] as const) {
    const title =
      remains === 'stopped by StopTask'
        ? 'honours a StopTask that came while cronbridge was down: it never runs'
        : `runs it exactly once and ends with its exit code (container ${remains})`;
    it(title, async () => {
      const clock = new ManualClock(T0);
      const runtime = new MemoryRuntime({
        clock,
        localImages: [IMAGE],
        scripts: {
          [IMAGE]: { lines: [{ afterMs: 10, line: 'ran' }], exitAfterMs: 2000, exitCode: 7 },
        },
      });
      await using fx = await startTestEngine({ runtime, clock, withApi: false });
      const first = fx.engine;
      // The definition's execution role (`exec`) may write its log group.
      await createServiceRoles(engineRoles(first.iam), { execution: 'exec' });
      await first.ecs.createCluster(DEFAULT_CONTEXT);
      await first.ecs.registerTaskDefinition(
        DEFAULT_CONTEXT,
        fargateDefinition({
          containerDefinitions: [
            {
              ...(fargateDefinition().containerDefinitions[0] as object),
              image: IMAGE,
              logConfiguration: {
                logDriver: 'awslogs',
                options: {
                  'awslogs-group': '/ecs/nightly',
                  'awslogs-stream-prefix': 'ecs',
                  'awslogs-region': 'us-east-1',
                  'awslogs-create-group': 'true',
                },
              },
            },
          ],
        }),
      );

      // The "crash": the supervisor lets go the moment ACTIVATING is stored, before any start.
      const activating = new Promise<void>((resolve) => {
        const off = first.supervisor.on((e) => {
          if (e.type !== 'task:status' || e.status !== 'ACTIVATING') return;
          off();
          void first.supervisor.detachAll().then(resolve);
        });
      });
      const { tasks } = await first.ecs.runTask(DEFAULT_CONTEXT, {
        taskDefinition: 'nightly',
        networkConfiguration: awsvpc(await defaultNetwork(first)),
      });
      const arn = tasks[0]!.taskArn;
      await clock.advance(0);
      await activating;
      await first.close();
      assert.equal((await describeTask(first, arn)).lastStatus, 'ACTIVATING');
      const left = await runtime.listContainers();
      assert.equal(left.length, 1);
      assert.equal(left[0]?.running, false, 'the container was created but never started');
      if (remains === 'gone') await runtime.removeContainer(left[0]!.id);

      const second = fx.newEngine(runtime);
      if (remains === 'stopped by StopTask') {
        await second.ecs.stopTask(DEFAULT_CONTEXT, { task: arn, reason: 'not wanted any more' });
      }
      const starts: string[] = [];
      second.supervisor.on((e) => {
        if (e.type === 'container:started') starts.push(e.runtimeId);
      });
      const report = await second.recover();
      assert.deepEqual(report.restarted, [arn]);
      for (let i = 0; i < 20 && (await describeTask(second, arn)).lastStatus !== 'STOPPED'; i++) {
        await clock.advance(500);
      }
      await second.supervisor.waitFor(arn);

      const task = await describeTask(second, arn);
      assert.equal(task.lastStatus, 'STOPPED');
      if (remains === 'stopped by StopTask') {
        assert.equal(task.stopCode, 'UserInitiated');
        assert.equal(task.stoppedReason, 'not wanted any more');
        assert.deepEqual(starts, [], 'a stopped task never runs');
        assert.deepEqual(await runtime.listContainers(), []);
        return;
      }
      assert.equal(task.stopCode, 'EssentialContainerExited', task.stoppedReason);
      assert.equal(task.containers?.[0]?.exitCode, 7, 'the exit code of the one run');
      assert.equal(starts.length, 1, 'the job ran exactly once');
      assert.deepEqual(await runtime.listContainers(), [], 'nothing is left behind');
    });
  }
});
