/**
 * The seed's run path through the ECS service: RegisterTaskDefinition → RunTask → a real container
 * on Docker → awslogs stream → DescribeTasks and GetLogEvents, plus a cronbridge restart mid-task.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import type { Engine } from '../../src/engine/engine.ts';
import { awsvpc, defaultNetwork } from '../../src/engine/engine.test-support.ts';
import type { NetworkConfiguration } from '../../src/ecs/ecs.types.ts';
import { integrationGate, TEST_IMAGE, testDockerClient } from '../support/docker.ts';
import { testEngine, type TestEngine } from '../support/test-engine.ts';
import { DEFAULT_CONTEXT } from '../../src/platform/ids.ts';

const skip = await integrationGate();

describe('ECS RunTask on real Docker', { skip }, () => {
  let fx: TestEngine;
  /** The engine in charge: `fx.engine` until the restart test replaces it. */
  let engine: Engine;
  let network: NetworkConfiguration;

  before(async () => {
    fx = await testEngine({ prefix: 'ecs', serviceRoles: true });
    engine = fx.engine;
    // Two of the region's default subnets and its default group (RunTask checks they exist).
    const net = await defaultNetwork(engine);
    network = awsvpc({ ...net, subnets: net.subnets.slice(0, 2) });
    await engine.ecs.createCluster(DEFAULT_CONTEXT, {
      clusterName: 'seed',
      settings: [{ name: 'containerInsights', value: 'enabled' }],
    });
    await engine.logs.createLogGroup(DEFAULT_CONTEXT, { logGroupName: '/ecs/seed' });
  });

  after(async () => {
    await fx[Symbol.asyncDispose]();
  });

  async function register(family: string, command: string[]) {
    await engine.ecs.registerTaskDefinition(DEFAULT_CONTEXT, {
      family,
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      cpu: '256',
      memory: '512',
      executionRoleArn: 'arn:aws:iam::000000000000:role/ecsTaskExecutionRole',
      containerDefinitions: [
        {
          name: 'job',
          image: TEST_IMAGE,
          command,
          logConfiguration: {
            logDriver: 'awslogs',
            options: {
              'awslogs-group': '/ecs/seed',
              'awslogs-region': 'us-east-1',
              'awslogs-stream-prefix': 'ecs',
            },
          },
        },
      ],
    });
  }

  it('runs a Fargate task definition to exit 0 with its output in the awslogs stream', async () => {
    await register('hello', ['sh', '-c', 'echo hello from busybox; echo second line']);
    const { tasks } = await engine.ecs.runTask(DEFAULT_CONTEXT, {
      cluster: 'seed',
      taskDefinition: 'hello',
      launchType: 'FARGATE',
      networkConfiguration: network,
    });
    const taskArn = tasks[0]?.taskArn ?? '';
    await engine.supervisor.waitFor(taskArn);
    const {
      tasks: [task],
    } = await engine.ecs.describeTasks(DEFAULT_CONTEXT, { cluster: 'seed', tasks: [taskArn] });
    assert.equal(task?.lastStatus, 'STOPPED');
    assert.equal(task?.desiredStatus, 'STOPPED');
    assert.equal(task?.stopCode, 'EssentialContainerExited');
    assert.equal(task?.stoppedReason, 'Essential container in task exited');
    assert.equal(task?.containers[0]?.exitCode, 0);
    assert.match(task?.containers[0]?.runtimeId ?? '', /^[0-9a-f]{64}$/);
    for (const field of [
      'pullStartedAt',
      'pullStoppedAt',
      'startedAt',
      'stoppingAt',
      'executionStoppedAt',
      'stoppedAt',
    ] as const) {
      assert.equal(typeof task?.[field], 'number', field);
    }
    const taskId = taskArn.split('/').at(-1);
    const events = await engine.logs.getLogEvents(DEFAULT_CONTEXT, {
      logGroupName: '/ecs/seed',
      logStreamName: `ecs/job/${taskId}`,
      startFromHead: true,
    });
    assert.deepEqual(
      events.events.map((e) => e.message),
      ['hello from busybox', 'second line'],
    );
  });

  it('StopTask stops a running task with UserInitiated and the given reason', async () => {
    await register('forever', [
      'sh',
      '-c',
      "trap 'exit 0' TERM; echo ready; while :; do sleep 0.1; done",
    ]);
    const started = engine.supervisor.next((e) => e.type === 'container:started');
    const { tasks } = await engine.ecs.runTask(DEFAULT_CONTEXT, {
      cluster: 'seed',
      taskDefinition: 'forever',
      networkConfiguration: network,
    });
    const taskArn = tasks[0]?.taskArn ?? '';
    await started;
    // Stop only once the shell has installed its trap (it says so), or SIGTERM would find none.
    const stream = `ecs/job/${taskArn.split('/').at(-1)}`;
    for (let i = 0; i < 200; i++) {
      const page = await engine.logs
        .getLogEvents(DEFAULT_CONTEXT, {
          logGroupName: '/ecs/seed',
          logStreamName: stream,
          startFromHead: true,
        })
        .catch(() => ({ events: [] }));
      if (page.events.some((e) => e.message === 'ready')) break;
      await fx.clock.sleep(50);
    }
    await engine.ecs.stopTask(DEFAULT_CONTEXT, {
      cluster: 'seed',
      task: taskArn,
      reason: 'maintenance window',
    });
    await engine.supervisor.waitFor(taskArn);
    const {
      tasks: [task],
    } = await engine.ecs.describeTasks(DEFAULT_CONTEXT, { cluster: 'seed', tasks: [taskArn] });
    assert.equal(task?.stopCode, 'UserInitiated');
    assert.equal(task?.stoppedReason, 'maintenance window');
    assert.equal(task?.containers[0]?.exitCode, 0);
  });

  it('runs every task confined and bounded: default cpu and memory, pids limit, no new privileges', async () => {
    // An EC2-style definition without task sizes, as the seed's users also write them.
    await engine.ecs.registerTaskDefinition(DEFAULT_CONTEXT, {
      family: 'bounded',
      networkMode: 'none',
      containerDefinitions: [
        {
          name: 'job',
          image: TEST_IMAGE,
          memoryReservation: 32,
          readonlyRootFilesystem: true,
          command: ['sh', '-c', "trap 'exit 0' TERM; while :; do sleep 0.1; done"],
        },
      ],
    });
    await assert.rejects(
      engine.ecs.registerTaskDefinition(DEFAULT_CONTEXT, {
        family: 'escape',
        networkMode: 'host',
        containerDefinitions: [{ name: 'job', image: TEST_IMAGE, memory: 32 }],
      }),
      { name: 'ClientException' },
    );
    const started = engine.supervisor.next((e) => e.type === 'container:started');
    const { tasks } = await engine.ecs.runTask(DEFAULT_CONTEXT, {
      cluster: 'seed',
      taskDefinition: 'bounded',
    });
    const taskArn = tasks[0]?.taskArn ?? '';
    await started;
    const {
      tasks: [running],
    } = await engine.ecs.describeTasks(DEFAULT_CONTEXT, { cluster: 'seed', tasks: [taskArn] });
    const raw = await testDockerClient()
      .getContainer(running?.containers[0]?.runtimeId ?? '')
      .inspect();
    const host = raw.HostConfig;
    // One vCPU (capped at the host's cores) and 2 GiB when the definition names no size.
    assert.ok((host.NanoCpus ?? 0) > 0 && (host.NanoCpus ?? 0) <= 1e9, `NanoCpus ${host.NanoCpus}`);
    assert.equal(host.Memory, 2048 * 1024 * 1024);
    assert.equal(host.PidsLimit, 4096);
    assert.ok((host.SecurityOpt ?? []).includes('no-new-privileges:true'));
    assert.deepEqual(host.CapDrop, ['ALL']);
    assert.ok(!(host.CapAdd ?? []).includes('NET_RAW'));
    assert.equal(host.ReadonlyRootfs, true);
    assert.equal(host.Privileged, false);
    assert.equal(host.NetworkMode, 'none');
    await engine.ecs.stopTask(DEFAULT_CONTEXT, { cluster: 'seed', task: taskArn });
    await engine.supervisor.waitFor(taskArn);
  });

  it('an engine restarted on the same store adopts the running task; logs stay whole', async () => {
    await register('counter', [
      'sh',
      '-c',
      'for i in $(seq 1 30); do echo "n=$i"; sleep 0.05; done',
    ]);
    const started = engine.supervisor.next((e) => e.type === 'container:started');
    const { tasks } = await engine.ecs.runTask(DEFAULT_CONTEXT, {
      cluster: 'seed',
      taskDefinition: 'counter',
      networkConfiguration: network,
    });
    const taskArn = tasks[0]?.taskArn ?? '';
    await started;
    await fx.clock.sleep(500);
    await engine.close();

    engine = fx.newEngine();
    const report = await engine.recover();
    assert.deepEqual(report.adopted, [taskArn]);
    await engine.supervisor.waitFor(taskArn);
    const {
      tasks: [task],
    } = await engine.ecs.describeTasks(DEFAULT_CONTEXT, { cluster: 'seed', tasks: [taskArn] });
    assert.equal(task?.lastStatus, 'STOPPED');
    assert.equal(task?.containers[0]?.exitCode, 0);
    const events = await engine.logs.getLogEvents(DEFAULT_CONTEXT, {
      logGroupName: '/ecs/seed',
      logStreamName: `ecs/job/${taskArn.split('/').at(-1)}`,
      startFromHead: true,
    });
    assert.deepEqual(
      events.events.map((e) => e.message),
      Array.from({ length: 30 }, (_, i) => `n=${i + 1}`),
    );
  });
});
