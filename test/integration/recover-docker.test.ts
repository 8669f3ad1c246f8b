/**
 * Recovery after a crash while a task was ACTIVATING, on real Docker: its container exists but
 * never started. The restarted engine must run it exactly once, to its own exit code, with its
 * logs; never record it as failed to start while the rule's history says it ran.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { eventually } from '../support/up-process.ts';
import {
  integrationGate,
  TEST_IMAGE,
  TEST_RUN_LABEL,
  testDockerClient,
} from '../support/docker.ts';
import { awsvpc, defaultNetwork } from '../../src/engine/engine.test-support.ts';
import { testEngine } from '../support/test-engine.ts';
import { DEFAULT_CONTEXT } from '../../src/platform/ids.ts';

const skip = await integrationGate();

describe('recovery of a task caught in ACTIVATING, on real Docker', { skip }, () => {
  it('starts its created-but-never-started container over and runs it once', async () => {
    await using fx = await testEngine({ prefix: 'recover-activating', serviceRoles: true });
    const first = fx.engine;
    await first.ecs.createCluster(DEFAULT_CONTEXT);
    await first.logs.createLogGroup(DEFAULT_CONTEXT, { logGroupName: '/ecs/recover' });
    await first.ecs.registerTaskDefinition(DEFAULT_CONTEXT, {
      family: 'once',
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
      executionRoleArn: 'arn:aws:iam::000000000000:role/ecsTaskExecutionRole',
      containerDefinitions: [
        {
          name: 'app',
          image: TEST_IMAGE,
          command: ['sh', '-c', 'echo ran once; exit 3'],
          logConfiguration: {
            logDriver: 'awslogs',
            options: {
              'awslogs-group': '/ecs/recover',
              'awslogs-region': 'us-east-1',
              'awslogs-stream-prefix': 'ecs',
            },
          },
        },
      ],
    });
    const crashed = new Promise<void>((resolve) => {
      const off = first.supervisor.on((e) => {
        if (e.type !== 'task:status' || e.status !== 'ACTIVATING') return;
        off();
        void first.supervisor.detachAll().then(resolve);
      });
    });
    const { tasks } = await first.ecs.runTask(DEFAULT_CONTEXT, {
      taskDefinition: 'once',
      networkConfiguration: awsvpc(await defaultNetwork(first)),
    });
    const arn = tasks[0]!.taskArn;
    await crashed;
    await first.close();
    const docker = testDockerClient();
    const left = await docker.listContainers({
      all: true,
      filters: { label: [`${TEST_RUN_LABEL}=${fx.runId}`] },
    });
    assert.equal(left.length, 1);
    assert.equal(left[0]?.State, 'created', 'the crash came before the start');

    const second = fx.newEngine();
    const starts: string[] = [];
    second.supervisor.on((e) => {
      if (e.type === 'container:started') starts.push(e.runtimeId);
    });
    const report = await second.recover();
    assert.deepEqual(report.restarted, [arn]);
    const task = await eventually('the task to stop', async () => {
      const t = (await second.ecs.describeTasks(DEFAULT_CONTEXT, { tasks: [arn] })).tasks[0];
      return t?.lastStatus === 'STOPPED' ? t : undefined;
    });
    assert.equal(task.stopCode, 'EssentialContainerExited', task.stoppedReason);
    assert.equal(task.containers?.[0]?.exitCode, 3);
    assert.equal(starts.length, 1, 'ran exactly once');
    const taskId = arn.split('/').at(-1);
    const events = await second.logs.getLogEvents(DEFAULT_CONTEXT, {
      logGroupName: '/ecs/recover',
      logStreamName: `ecs/app/${taskId}`,
      startFromHead: true,
    });
    assert.deepEqual(
      events.events.map((e) => e.message),
      ['ran once'],
    );
    const after = await docker.listContainers({
      all: true,
      filters: { label: [`${TEST_RUN_LABEL}=${fx.runId}`] },
    });
    assert.deepEqual(after, [], 'no container is left behind');
  });
});
