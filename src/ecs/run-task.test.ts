import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';

import { DEFAULT_CONTEXT } from '../platform/ids.ts';
import {
  ACCOUNT_PREFIX,
  T0,
  type EcsFixture,
  ecsFixture,
  fargateDefinition,
  network,
  rejects,
} from './ecs.test-support.ts';
import { buildTask } from './run-task.build.ts';

/** The RunTask request of the reference's botocore capture (§8), as the service receives it. */
const capturedRequest = {
  cluster: 'jobs',
  taskDefinition: 'job:3',
  count: 1,
  launchType: 'FARGATE',
  networkConfiguration: {
    awsvpcConfiguration: { subnets: ['subnet-0123'], assignPublicIp: 'ENABLED' },
  },
  overrides: { containerOverrides: [{ name: 'app', command: ['python', 'job.py'] }] },
  startedBy: 'events-rule/nightly',
  clientToken: '9cb50a2b-8aef-4743-8d5f-2ee093cd3442',
};

describe('RunTask', () => {
  let f: EcsFixture;
  beforeEach(async () => {
    f = await ecsFixture();
    await f.ecs.createCluster(DEFAULT_CONTEXT, { clusterName: 'default' });
    await f.ecs.registerTaskDefinition(DEFAULT_CONTEXT, fargateDefinition());
  });
  afterEach(() => f.store.close());

  it('builds the task object of the §8 capture field by field (§4.5 shape)', async () => {
    await f.ecs.createCluster(DEFAULT_CONTEXT, { clusterName: 'jobs' });
    for (let i = 0; i < 3; i++) {
      await f.ecs.registerTaskDefinition(DEFAULT_CONTEXT, fargateDefinition({ family: 'job' }));
    }
    const { cluster } = await f.ecs.createCluster(DEFAULT_CONTEXT, { clusterName: 'jobs' });
    const { taskDefinition } = await f.ecs.describeTaskDefinition(DEFAULT_CONTEXT, {
      taskDefinition: 'job:3',
    });
    const taskId = '0f3d1c2b4a5e6d7c8b9a0f1e2d3c4b5a';
    const task = buildTask({
      context: DEFAULT_CONTEXT,
      cluster,
      taskDefinition,
      taskDefinitionTags: [{ key: 'team', value: 'data' }],
      input: capturedRequest,
      tags: [],
      launch: { launchType: 'FARGATE', fargate: true, platformVersion: '1.4.0' },
      now: T0,
      ids: {
        taskId,
        attachmentId: '9718ed7e-0000-4000-8000-000000000001',
        containerIds: ['c0ffee00-0000-4000-8000-000000000002'],
      },
    });
    const taskArn = `${ACCOUNT_PREFIX}:task/jobs/${taskId}`;
    const eniDetails = task.attachments[0]?.details ?? [];
    // Issue 13: no made-up address; it appears only once the engine reports the container's.
    assert.equal(
      eniDetails.find((d) => d.name === 'privateIPv4Address' || d.name === 'privateDnsName'),
      undefined,
    );
    assert.deepEqual(task, {
      taskArn,
      clusterArn: `${ACCOUNT_PREFIX}:cluster/jobs`,
      taskDefinitionArn: `${ACCOUNT_PREFIX}:task-definition/job:3`,
      launchType: 'FARGATE',
      platformVersion: '1.4.0',
      platformFamily: 'Linux',
      cpu: '256',
      memory: '512',
      availabilityZone: 'us-east-1a',
      group: 'family:job',
      startedBy: 'events-rule/nightly',
      desiredStatus: 'RUNNING',
      lastStatus: 'PROVISIONING',
      createdAt: T0,
      overrides: {
        containerOverrides: [{ name: 'app', command: ['python', 'job.py'] }],
        inferenceAcceleratorOverrides: [],
      },
      attributes: [{ name: 'ecs.cpu-architecture', value: 'x86_64' }],
      attachments: [
        {
          id: '9718ed7e-0000-4000-8000-000000000001',
          type: 'ElasticNetworkInterface',
          status: 'PRECREATED',
          details: [
            { name: 'subnetId', value: 'subnet-0123' },
            { name: 'networkInterfaceId', value: eniDetails[1]?.value },
            { name: 'macAddress', value: eniDetails[2]?.value },
          ],
        },
      ],
      containers: [
        {
          containerArn: `${ACCOUNT_PREFIX}:container/jobs/${taskId}/c0ffee00-0000-4000-8000-000000000002`,
          taskArn,
          name: 'app',
          image: 'busybox:latest',
          lastStatus: 'PENDING',
          cpu: '0',
          networkInterfaces: [{ attachmentId: '9718ed7e-0000-4000-8000-000000000001' }],
        },
      ],
      tags: [],
      enableExecuteCommand: false,
      ephemeralStorage: { sizeInGiB: 20 },
      version: 1,
    });
    assert.match(eniDetails[1]?.value ?? '', /^eni-[0-9a-f]{17}$/);
    assert.match(eniDetails[2]?.value ?? '', /^02(:[0-9a-f]{2}){5}$/);
    // Deterministic: the same task id gives the same network record.
    const again = buildTask({
      context: DEFAULT_CONTEXT,
      cluster,
      taskDefinition,
      taskDefinitionTags: [],
      input: capturedRequest,
      tags: [],
      launch: { launchType: 'FARGATE', fargate: true, platformVersion: '1.4.0' },
      now: T0,
      ids: { taskId, attachmentId: 'x', containerIds: ['y'] },
    });
    assert.deepEqual(again.attachments[0]?.details, eniDetails);
  });

  it('commits the captured request before launching, and describes it back', async () => {
    await f.ecs.createCluster(DEFAULT_CONTEXT, { clusterName: 'jobs' });
    await f.ecs.registerTaskDefinition(DEFAULT_CONTEXT, fargateDefinition({ family: 'job' }));
    await f.ecs.registerTaskDefinition(DEFAULT_CONTEXT, fargateDefinition({ family: 'job' }));
    await f.ecs.registerTaskDefinition(DEFAULT_CONTEXT, fargateDefinition({ family: 'job' }));
    let seenInStore = false;
    f.ecs.tasks.setLauncher({
      launch: (plan) => {
        f.launched.push(plan);
        // The launcher runs after the commit: the row is already there.
        void f.store.db
          .selectFrom('ecs_tasks')
          .select('arn')
          .where('arn', '=', plan.taskArn)
          .executeTakeFirst()
          .then((row) => {
            seenInStore = row !== undefined;
          });
      },
      requestStop: () => true,
    });
    const out = await f.ecs.runTask(DEFAULT_CONTEXT, capturedRequest);
    assert.deepEqual(out.failures, []);
    const task = out.tasks[0]!;
    assert.match(task.taskArn, /^arn:aws:ecs:us-east-1:000000000000:task\/jobs\/[0-9a-f]{32}$/);
    assert.equal(f.launched.length, 1);
    assert.equal(f.launched[0]?.taskArn, task.taskArn);
    assert.deepEqual(f.launched[0]?.containers[0]?.command, ['python', 'job.py']);
    await new Promise((resolve) => setImmediate(resolve));
    assert.ok(seenInStore);
    const described = await f.ecs.describeTasks(DEFAULT_CONTEXT, {
      cluster: 'jobs',
      tasks: [task.taskArn],
    });
    assert.deepEqual(described.tasks[0], task);
  });

  it('defaults: cluster `default`, family group, FARGATE for a Fargate definition, LATEST = 1.4.0', async () => {
    const { tasks } = await f.ecs.runTask(DEFAULT_CONTEXT, {
      taskDefinition: `${ACCOUNT_PREFIX}:task-definition/nightly:1`,
      networkConfiguration: network,
    });
    const t = tasks[0]!;
    assert.deepEqual(
      [t.clusterArn, t.group, t.launchType, t.platformVersion, t.startedBy, t.tags],
      [`${ACCOUNT_PREFIX}:cluster/default`, 'family:nightly', 'FARGATE', '1.4.0', undefined, []],
    );
    const { tasks: grouped } = await f.ecs.runTask(
      DEFAULT_CONTEXT,
      {
        taskDefinition: 'nightly:1',
        networkConfiguration: network,
        group: 'batch',
        startedBy: 'client',
      },
      { startedBy: 'events-rule/nightly' },
    );
    assert.deepEqual([grouped[0]?.group, grouped[0]?.startedBy], ['batch', 'events-rule/nightly']);
  });

  it('propagates definition tags, adds request and managed tags, and applies overrides', async () => {
    const { tasks } = await f.ecs.runTask(DEFAULT_CONTEXT, {
      taskDefinition: 'nightly',
      count: 2,
      networkConfiguration: network,
      propagateTags: 'TASK_DEFINITION',
      enableECSManagedTags: true,
      tags: [
        { key: 'run', value: 'one' },
        { key: 'team', value: 'ops' },
      ],
      overrides: {
        cpu: '512',
        memory: '1024',
        containerOverrides: [
          { name: 'app', environment: [{ name: 'MODE', value: 'x' }], memory: 256 },
        ],
      },
    });
    assert.equal(tasks.length, 2);
    assert.notEqual(tasks[0]?.taskArn, tasks[1]?.taskArn);
    assert.deepEqual(tasks[0]?.tags, [
      { key: 'team', value: 'ops' },
      { key: 'run', value: 'one' },
      { key: 'aws:ecs:clusterName', value: 'default' },
    ]);
    assert.deepEqual([tasks[0]?.cpu, tasks[0]?.memory], ['512', '1024']);
    assert.deepEqual(f.launched[0]?.containers[0]?.environment, { MODE: 'x' });
    assert.equal(f.launched[0]?.containers[0]?.memoryMiB, 256);
    const none = await f.ecs.runTask(DEFAULT_CONTEXT, {
      taskDefinition: 'nightly',
      networkConfiguration: network,
      propagateTags: 'NONE',
    });
    assert.deepEqual(none.tasks[0]?.tags, []);
  });

  it('uses a capacity provider strategy (given or the cluster default) instead of a launch type', async () => {
    await f.ecs.putClusterCapacityProviders(DEFAULT_CONTEXT, {
      cluster: 'default',
      capacityProviders: ['FARGATE', 'FARGATE_SPOT'],
      defaultCapacityProviderStrategy: [
        { capacityProvider: 'FARGATE', weight: 1 },
        { capacityProvider: 'FARGATE_SPOT', weight: 4 },
      ],
    });
    const byDefault = await f.ecs.runTask(DEFAULT_CONTEXT, {
      taskDefinition: 'nightly',
      networkConfiguration: network,
    });
    assert.deepEqual(
      [
        byDefault.tasks[0]?.capacityProviderName,
        byDefault.tasks[0]?.launchType,
        byDefault.tasks[0]?.platformVersion,
      ],
      ['FARGATE_SPOT', undefined, '1.4.0'],
    );
    const given = await f.ecs.runTask(DEFAULT_CONTEXT, {
      taskDefinition: 'nightly',
      networkConfiguration: network,
      capacityProviderStrategy: [{ capacityProvider: 'FARGATE', base: 1 }],
    });
    assert.equal(given.tasks[0]?.capacityProviderName, 'FARGATE');
    assert.deepEqual(
      (await f.ecs.listTasks(DEFAULT_CONTEXT, { launchType: 'FARGATE' })).taskArns.length,
      2,
      'capacity-provider tasks list as FARGATE',
    );
  });

  it('rejects bad requests with ECS errors and stores nothing', async () => {
    await f.ecs.registerTaskDefinition(DEFAULT_CONTEXT, {
      family: 'bridge',
      containerDefinitions: [{ name: 'a', image: 'x', memory: 64 }],
    });
    const cases: [Record<string, unknown>, string, string | RegExp][] = [
      [{}, 'InvalidParameterException', 'TaskDefinition cannot be empty.'],
      [
        { taskDefinition: 'nightly' },
        'InvalidParameterException',
        "Network Configuration must be provided when networkMode 'awsvpc' is specified.",
      ],
      [
        { taskDefinition: 'bridge', networkConfiguration: network },
        'InvalidParameterException',
        'Network Configuration is not valid for the given networkMode of this task definition.',
      ],
      [
        {
          taskDefinition: 'nightly',
          networkConfiguration: { awsvpcConfiguration: { subnets: [] } },
        },
        'InvalidParameterException',
        'subnets can not be empty.',
      ],
      [
        {
          taskDefinition: 'nightly',
          networkConfiguration: { awsvpcConfiguration: { subnets: ['s'], assignPublicIp: 'YES' } },
        },
        'InvalidParameterException',
        /at 'networkConfiguration.awsvpcConfiguration.assignPublicIp'/,
      ],
      [
        { cluster: 'ghost', taskDefinition: 'nightly', networkConfiguration: network },
        'ClusterNotFoundException',
        'Cluster not found.',
      ],
      [
        { taskDefinition: 'missing', networkConfiguration: network },
        'ClientException',
        'TaskDefinition not found.',
      ],
      [
        { taskDefinition: 'nightly:9', networkConfiguration: network },
        'ClientException',
        'TaskDefinition not found.',
      ],
      [
        { taskDefinition: 'nightly', count: 0, networkConfiguration: network },
        'InvalidParameterException',
        'Count must be between 1 and 10.',
      ],
      [
        { taskDefinition: 'nightly', count: 11, networkConfiguration: network },
        'InvalidParameterException',
        'Count must be between 1 and 10.',
      ],
      [
        { taskDefinition: 'nightly', launchType: 'LAMBDA', networkConfiguration: network },
        'InvalidParameterException',
        /at 'launchType'/,
      ],
      [
        {
          taskDefinition: 'nightly',
          launchType: 'FARGATE',
          capacityProviderStrategy: [{ capacityProvider: 'FARGATE' }],
          networkConfiguration: network,
        },
        'InvalidParameterException',
        'Specifying both a launch type and capacity provider strategy is not supported. Remove one and try again.',
      ],
      [
        {
          taskDefinition: 'nightly',
          capacityProviderStrategy: [{ capacityProvider: 'FARGATE' }],
          networkConfiguration: network,
        },
        'InvalidParameterException',
        /not associated with the cluster/,
      ],
      [
        { taskDefinition: 'bridge', launchType: 'FARGATE' },
        'InvalidParameterException',
        'Task definition does not support launch_type FARGATE.',
      ],
      [
        { taskDefinition: 'nightly', platformVersion: '9.9.9', networkConfiguration: network },
        'PlatformUnknownException',
        /9\.9\.9/,
      ],
      [
        {
          taskDefinition: 'nightly',
          networkConfiguration: network,
          overrides: { containerOverrides: [{ name: 'ghost' }] },
        },
        'InvalidParameterException',
        'Override for container named ghost is not a container in the TaskDefinition.',
      ],
      [
        {
          taskDefinition: 'nightly',
          networkConfiguration: network,
          overrides: { cpu: '256', memory: '4096' },
        },
        'InvalidParameterException',
        /No Fargate configuration exists for given values: 256 CPU, 4096 memory/,
      ],
      [
        {
          taskDefinition: 'nightly',
          networkConfiguration: network,
          overrides: { containerOverrides: [{ name: 'app', command: ['x'.repeat(9000)] }] },
        },
        'InvalidParameterException',
        /8192 characters/,
      ],
      [
        { taskDefinition: 'nightly', networkConfiguration: network, startedBy: 'has space' },
        'InvalidParameterException',
        /^startedBy may contain up to 128/,
      ],
      [
        { taskDefinition: 'nightly', networkConfiguration: network, startedBy: 'x'.repeat(129) },
        'InvalidParameterException',
        /^startedBy/,
      ],
      [
        { taskDefinition: 'nightly', networkConfiguration: network, propagateTags: 'SERVICE' },
        'InvalidParameterException',
        /SERVICE is not supported/,
      ],
      [
        {
          taskDefinition: 'nightly',
          networkConfiguration: network,
          tags: [{ key: 'aws:x', value: '' }],
        },
        'InvalidParameterException',
        /reserved/,
      ],
    ];
    for (const [input, code, message] of cases) {
      await rejects(f.ecs.runTask(DEFAULT_CONTEXT, input), code, message);
    }
    await f.ecs.deregisterTaskDefinition(DEFAULT_CONTEXT, { taskDefinition: 'nightly:1' });
    await rejects(
      f.ecs.runTask(DEFAULT_CONTEXT, {
        taskDefinition: 'nightly:1',
        networkConfiguration: network,
      }),
      'InvalidParameterException',
      'TaskDefinition is inactive',
    );
    // A bare family has no ACTIVE revision left: ECS cannot find one.
    await rejects(
      f.ecs.runTask(DEFAULT_CONTEXT, { taskDefinition: 'nightly', networkConfiguration: network }),
      'ClientException',
      'TaskDefinition not found.',
    );
    assert.deepEqual((await f.ecs.listTasks(DEFAULT_CONTEXT)).taskArns, []);
    assert.equal(f.launched.length, 0);
  });

  it('keeps a committed task when the launcher throws (recovery picks it up)', async () => {
    f.ecs.tasks.setLauncher({
      launch: () => {
        throw new Error('supervisor down');
      },
      requestStop: () => false,
    });
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on('warning', onWarning);
    try {
      const { tasks } = await f.ecs.runTask(DEFAULT_CONTEXT, {
        taskDefinition: 'nightly',
        networkConfiguration: network,
      });
      const unfinished = await f.ecs.tasks.unfinishedTasks();
      assert.deepEqual(
        unfinished.map((u) => u.plan.taskArn),
        [tasks[0]?.taskArn],
      );
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(warnings, ['task launcher failed: Error: supervisor down']);
    } finally {
      process.off('warning', onWarning);
    }
  });
});
