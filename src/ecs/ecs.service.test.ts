import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';

import type { ManualClock } from '../platform/clock.ts';
import type { Store } from '../store/store.ts';
import type { TaskLaunchPlan } from '../supervisor/task-plan.ts';
import type { EcsService } from './ecs.service.ts';
import { T0, ecsFixture, fargateDefinition, network, rejects } from './ecs.test-support.ts';
import { DEFAULT_CONTEXT } from '../platform/ids.ts';

describe('EcsService', () => {
  let store: Store;
  let clock: ManualClock;
  let ecs: EcsService;
  let launched: TaskLaunchPlan[];
  let stops: string[];

  beforeEach(async () => {
    ({ store, clock, ecs, launched, stops } = await ecsFixture());
  });

  afterEach(() => store.close());

  describe('clusters', () => {
    it('creates idempotently, describes with settings and reads back INACTIVE after delete', async () => {
      const { cluster } = await ecs.createCluster(DEFAULT_CONTEXT, {
        clusterName: 'batch',
        settings: [{ name: 'containerInsights', value: 'enabled' }],
        capacityProviders: ['FARGATE'],
      });
      assert.equal(cluster.clusterArn, 'arn:aws:ecs:us-east-1:000000000000:cluster/batch');
      assert.equal(cluster.status, 'ACTIVE');
      const again = await ecs.createCluster(DEFAULT_CONTEXT, { clusterName: 'batch' });
      assert.deepEqual(again.cluster.settings, [{ name: 'containerInsights', value: 'enabled' }]);
      const described = await ecs.describeClusters(DEFAULT_CONTEXT, {
        clusters: ['batch', 'nope'],
        include: ['SETTINGS'],
      });
      assert.equal(described.clusters[0]?.settings?.[0]?.value, 'enabled');
      assert.deepEqual(described.failures, [
        { arn: 'arn:aws:ecs:us-east-1:000000000000:cluster/nope', reason: 'MISSING' },
      ]);
      await ecs.deleteCluster(DEFAULT_CONTEXT, { cluster: 'batch' });
      const after = await ecs.describeClusters(DEFAULT_CONTEXT, { clusters: ['batch'] });
      assert.equal(after.clusters[0]?.status, 'INACTIVE');
      assert.deepEqual((await ecs.listClusters(DEFAULT_CONTEXT)).clusterArns, []);
    });

    it('refuses to delete a cluster with active tasks', async () => {
      await ecs.createCluster(DEFAULT_CONTEXT, { clusterName: 'batch' });
      await ecs.registerTaskDefinition(DEFAULT_CONTEXT, fargateDefinition());
      await ecs.runTask(DEFAULT_CONTEXT, {
        cluster: 'batch',
        taskDefinition: 'nightly',
        networkConfiguration: network,
      });
      await rejects(
        ecs.deleteCluster(DEFAULT_CONTEXT, { cluster: 'batch' }),
        'ClusterContainsTasksException',
        'The Cluster cannot be deleted while Tasks are active.',
      );
    });
  });

  it('tags clusters, task definitions and tasks', async () => {
    const { cluster } = await ecs.createCluster(DEFAULT_CONTEXT, {
      clusterName: 'tagged',
      tags: [{ key: 'a', value: '1' }],
    });
    await ecs.tagResource(DEFAULT_CONTEXT, {
      resourceArn: cluster.clusterArn,
      tags: [
        { key: 'b', value: '2' },
        { key: 'a', value: '9' },
      ],
    });
    assert.deepEqual(
      (await ecs.listTagsForResource(DEFAULT_CONTEXT, { resourceArn: cluster.clusterArn })).tags,
      [
        { key: 'a', value: '9' },
        { key: 'b', value: '2' },
      ],
    );
    await ecs.untagResource(DEFAULT_CONTEXT, { resourceArn: cluster.clusterArn, tagKeys: ['b'] });
    assert.deepEqual(
      (await ecs.listTagsForResource(DEFAULT_CONTEXT, { resourceArn: cluster.clusterArn })).tags,
      [{ key: 'a', value: '9' }],
    );
    const { taskDefinition } = await ecs.registerTaskDefinition(
      DEFAULT_CONTEXT,
      fargateDefinition(),
    );
    await ecs.tagResource(DEFAULT_CONTEXT, {
      resourceArn: taskDefinition.taskDefinitionArn,
      tags: [{ key: 'x', value: 'y' }],
    });
    assert.deepEqual(
      (
        await ecs.listTagsForResource(DEFAULT_CONTEXT, {
          resourceArn: taskDefinition.taskDefinitionArn,
        })
      ).tags,
      [
        { key: 'team', value: 'data' },
        { key: 'x', value: 'y' },
      ],
    );
    await rejects(
      ecs.listTagsForResource(DEFAULT_CONTEXT, {
        resourceArn: 'arn:aws:ecs:us-east-1:000000000000:cluster/ghost',
      }),
      'ClusterNotFoundException',
      'Cluster not found.',
    );
  });

  describe('task definitions', () => {
    it('registers revisions per family and resolves family, family:revision and ARN', async () => {
      const first = await ecs.registerTaskDefinition(DEFAULT_CONTEXT, fargateDefinition());
      const second = await ecs.registerTaskDefinition(
        DEFAULT_CONTEXT,
        fargateDefinition({ cpu: '0.5 vCPU', memory: '1 GB' }),
      );
      assert.equal(first.taskDefinition.revision, 1);
      assert.equal(second.taskDefinition.revision, 2);
      assert.equal(second.taskDefinition.cpu, '512');
      assert.equal(second.taskDefinition.memory, '1024');
      assert.equal(
        second.taskDefinition.taskDefinitionArn,
        'arn:aws:ecs:us-east-1:000000000000:task-definition/nightly:2',
      );
      assert.deepEqual(second.taskDefinition.compatibilities, ['EC2', 'FARGATE']);
      assert.equal(second.taskDefinition.containerDefinitions[0]?.essential, true);
      for (const ref of ['nightly', 'nightly:2', second.taskDefinition.taskDefinitionArn]) {
        const { taskDefinition } = await ecs.describeTaskDefinition(DEFAULT_CONTEXT, {
          taskDefinition: ref,
        });
        assert.equal(taskDefinition.revision, 2, ref);
      }
      const tagged = await ecs.describeTaskDefinition(DEFAULT_CONTEXT, {
        taskDefinition: 'nightly:1',
        include: ['TAGS'],
      });
      assert.deepEqual(tagged.tags, [{ key: 'team', value: 'data' }]);
    });

    it('deregisters to INACTIVE, still describable, and falls back to the latest ACTIVE', async () => {
      await ecs.registerTaskDefinition(DEFAULT_CONTEXT, fargateDefinition());
      await ecs.registerTaskDefinition(DEFAULT_CONTEXT, fargateDefinition());
      const { taskDefinition } = await ecs.deregisterTaskDefinition(DEFAULT_CONTEXT, {
        taskDefinition: 'nightly:2',
      });
      assert.equal(taskDefinition.status, 'INACTIVE');
      assert.equal(taskDefinition.deregisteredAt, T0);
      assert.equal(
        (await ecs.describeTaskDefinition(DEFAULT_CONTEXT, { taskDefinition: 'nightly:2' }))
          .taskDefinition.status,
        'INACTIVE',
      );
      assert.equal(
        (await ecs.describeTaskDefinition(DEFAULT_CONTEXT, { taskDefinition: 'nightly' }))
          .taskDefinition.revision,
        1,
      );
      assert.deepEqual((await ecs.listTaskDefinitions(DEFAULT_CONTEXT, {})).taskDefinitionArns, [
        'arn:aws:ecs:us-east-1:000000000000:task-definition/nightly:1',
      ]);
      assert.deepEqual((await ecs.listTaskDefinitionFamilies(DEFAULT_CONTEXT, {})).families, [
        'nightly',
      ]);
    });

    it('validates like ECS, Fargate sizes included', async () => {
      await rejects(
        ecs.registerTaskDefinition(
          DEFAULT_CONTEXT,
          fargateDefinition({ cpu: '256', memory: '4096' }),
        ),
        'ClientException',
        'No Fargate configuration exists for given values: 256 CPU, 4096 memory. See the Amazon ECS documentation for the valid values.',
      );
      await rejects(
        ecs.registerTaskDefinition(DEFAULT_CONTEXT, fargateDefinition({ networkMode: 'bridge' })),
        'ClientException',
        'Fargate only supports network mode ‘awsvpc’.',
      );
      await rejects(
        ecs.registerTaskDefinition(DEFAULT_CONTEXT, fargateDefinition({ cpu: undefined })),
        'ClientException',
        "Fargate requires that 'cpu' be defined at the task level.",
      );
      await rejects(
        ecs.registerTaskDefinition(
          DEFAULT_CONTEXT,
          fargateDefinition({ executionRoleArn: undefined }),
        ),
        'ClientException',
        'Fargate requires task definition to have execution role ARN to support log driver awslogs.',
      );
      await rejects(
        ecs.registerTaskDefinition(
          DEFAULT_CONTEXT,
          fargateDefinition({ containerDefinitions: [] }),
        ),
        'ClientException',
        'Container list cannot be empty.',
      );
      await rejects(
        ecs.registerTaskDefinition(
          DEFAULT_CONTEXT,
          fargateDefinition({
            containerDefinitions: [{ name: 'a', image: 'x', essential: false }],
          }),
        ),
        'ClientException',
        'A task definition must have at least one essential container.',
      );
      await rejects(
        ecs.registerTaskDefinition(
          DEFAULT_CONTEXT,
          fargateDefinition({
            containerDefinitions: [
              { name: 'a', image: 'x', dependsOn: [{ containerName: 'b', condition: 'START' }] },
              { name: 'b', image: 'x', dependsOn: [{ containerName: 'a', condition: 'START' }] },
            ],
          }),
        ),
        'ClientException',
        /cycle/,
      );
      await rejects(
        ecs.registerTaskDefinition(
          DEFAULT_CONTEXT,
          fargateDefinition({
            containerDefinitions: [
              { name: 'a', image: 'x', dependsOn: [{ containerName: 'b', condition: 'SUCCESS' }] },
              { name: 'b', image: 'x' },
            ],
          }),
        ),
        'ClientException',
        /can't be set on an essential container/,
      );
      await rejects(
        ecs.registerTaskDefinition(DEFAULT_CONTEXT, fargateDefinition({ family: 'bad family' })),
        'ClientException',
        /Family/,
      );
      assert.deepEqual(
        (await ecs.listTaskDefinitionFamilies(DEFAULT_CONTEXT, {})).families,
        [],
        'nothing was stored',
      );
    });

    it('accepts every Fargate size of the table and rejects its neighbours', async () => {
      const valid: [string, string][] = [
        ['256', '512'],
        ['256', '2048'],
        ['512', '4096'],
        ['1024', '8192'],
        ['2048', '16384'],
        ['4096', '30720'],
        ['8192', '61440'],
        ['16384', '122880'],
      ];
      for (const [cpu, memory] of valid) {
        await ecs.registerTaskDefinition(DEFAULT_CONTEXT, fargateDefinition({ cpu, memory }));
      }
      const invalid: [string, string][] = [
        ['256', '3072'],
        ['4096', '31744'],
        ['8192', '18432'],
        ['16384', '36864'],
        ['128', '512'],
      ];
      for (const [cpu, memory] of invalid) {
        await rejects(
          ecs.registerTaskDefinition(DEFAULT_CONTEXT, fargateDefinition({ cpu, memory })),
          'ClientException',
          /No Fargate configuration/,
        );
      }
    });
  });

  describe('RunTask', () => {
    beforeEach(async () => {
      await ecs.createCluster(DEFAULT_CONTEXT, { clusterName: 'default' });
      await ecs.registerTaskDefinition(DEFAULT_CONTEXT, fargateDefinition());
    });

    it('creates PROVISIONING tasks shaped like ECS, stored before the launcher sees them', async () => {
      const out = await ecs.runTask(DEFAULT_CONTEXT, {
        taskDefinition: 'nightly',
        count: 2,
        launchType: 'FARGATE',
        platformVersion: 'LATEST',
        networkConfiguration: network,
        startedBy: 'events-rule/nightly',
        propagateTags: 'TASK_DEFINITION',
        tags: [{ key: 'run', value: 'one' }],
      });
      assert.equal(out.tasks.length, 2);
      assert.deepEqual(out.failures, []);
      const task = out.tasks[0];
      assert.match(
        task?.taskArn ?? '',
        /^arn:aws:ecs:us-east-1:000000000000:task\/default\/[0-9a-f]{32}$/,
      );
      assert.equal(task?.lastStatus, 'PROVISIONING');
      assert.equal(task?.desiredStatus, 'RUNNING');
      assert.equal(task?.launchType, 'FARGATE');
      assert.equal(task?.platformVersion, '1.4.0');
      assert.equal(task?.group, 'family:nightly');
      assert.equal(task?.cpu, '256');
      assert.equal(task?.memory, '512');
      assert.equal(task?.createdAt, T0);
      assert.deepEqual(task?.overrides.containerOverrides, [{ name: 'app' }]);
      assert.deepEqual(task?.tags, [
        { key: 'team', value: 'data' },
        { key: 'run', value: 'one' },
      ]);
      assert.equal(task?.attachments[0]?.type, 'ElasticNetworkInterface');
      assert.equal(task?.attachments[0]?.details[0]?.value, 'subnet-1');
      assert.equal(task?.containers[0]?.lastStatus, 'PENDING');
      assert.equal(launched.length, 2);
      assert.equal(launched[0]?.networkMode, 'none');
      const described = await ecs.describeTasks(DEFAULT_CONTEXT, { tasks: [task?.taskArn ?? ''] });
      assert.equal(described.tasks[0]?.taskArn, task?.taskArn);
      assert.deepEqual(
        (await ecs.listTasks(DEFAULT_CONTEXT, { startedBy: 'events-rule/nightly' })).taskArns
          .length,
        2,
      );
    });

    it('rejects bad requests with ECS errors and stores nothing', async () => {
      await rejects(
        ecs.runTask(DEFAULT_CONTEXT, { taskDefinition: 'nightly' }),
        'InvalidParameterException',
        "Network Configuration must be provided when networkMode 'awsvpc' is specified.",
      );
      await rejects(
        ecs.runTask(DEFAULT_CONTEXT, {
          cluster: 'ghost',
          taskDefinition: 'nightly',
          networkConfiguration: network,
        }),
        'ClusterNotFoundException',
        'Cluster not found.',
      );
      await rejects(
        ecs.runTask(DEFAULT_CONTEXT, { taskDefinition: 'missing', networkConfiguration: network }),
        'ClientException',
        'TaskDefinition not found.',
      );
      await rejects(
        ecs.runTask(DEFAULT_CONTEXT, {
          taskDefinition: 'nightly',
          count: 11,
          networkConfiguration: network,
        }),
        'InvalidParameterException',
        /Count/,
      );
      await rejects(
        ecs.runTask(DEFAULT_CONTEXT, {
          taskDefinition: 'nightly',
          launchType: 'FARGATE',
          capacityProviderStrategy: [{ capacityProvider: 'FARGATE' }],
          networkConfiguration: network,
        }),
        'InvalidParameterException',
        /launch type and capacity provider strategy/,
      );
      await rejects(
        ecs.runTask(DEFAULT_CONTEXT, {
          taskDefinition: 'nightly',
          networkConfiguration: network,
          overrides: { containerOverrides: [{ name: 'ghost' }] },
        }),
        'InvalidParameterException',
        'Override for container named ghost is not a container in the TaskDefinition.',
      );
      await ecs.deregisterTaskDefinition(DEFAULT_CONTEXT, { taskDefinition: 'nightly:1' });
      await rejects(
        ecs.runTask(DEFAULT_CONTEXT, {
          taskDefinition: 'nightly:1',
          networkConfiguration: network,
        }),
        'InvalidParameterException',
        'TaskDefinition is inactive',
      );
      assert.deepEqual((await ecs.listTasks(DEFAULT_CONTEXT, {})).taskArns, []);
      assert.equal(launched.length, 0);
    });

    it('records the lifecycle the supervisor reports, with ECS timestamps, and StopTask', async () => {
      const { tasks } = await ecs.runTask(DEFAULT_CONTEXT, {
        taskDefinition: 'nightly',
        networkConfiguration: network,
      });
      const arn = tasks[0]?.taskArn ?? '';
      const step = async (
        lastStatus: Parameters<typeof ecs.tasks.taskProgress>[1]['lastStatus'],
        extra = {},
      ) => {
        await clock.advance(1000);
        await ecs.tasks.taskProgress(arn, { lastStatus, at: clock.now(), ...extra });
      };
      await step('PENDING', { pullStartedAt: T0 + 1000 });
      await step('PENDING', { pullStoppedAt: T0 + 2000 });
      await step('ACTIVATING');
      await ecs.tasks.containerProgress(arn, 'app', { lastStatus: 'RUNNING', runtimeId: 'abc' });
      await step('RUNNING');
      const { task: stopping } = await ecs.stopTask(DEFAULT_CONTEXT, {
        task: arn,
        reason: 'enough',
      });
      assert.equal(stopping.desiredStatus, 'STOPPED');
      assert.deepEqual(stops, [`${arn}|UserInitiated|enough`]);
      await step('DEACTIVATING');
      await step('STOPPING');
      await ecs.tasks.containerProgress(arn, 'app', { lastStatus: 'STOPPED', exitCode: 143 });
      await step('DEPROVISIONING', { executionStoppedAt: T0 + 7000 });
      await step('STOPPED', {
        stopCode: 'EssentialContainerExited',
        stoppedReason: 'Essential container in task exited',
      });
      const {
        tasks: [task],
      } = await ecs.describeTasks(DEFAULT_CONTEXT, { tasks: [arn] });
      assert.equal(task?.lastStatus, 'STOPPED');
      assert.equal(task?.pullStartedAt, T0 + 1000);
      assert.equal(task?.pullStoppedAt, T0 + 2000);
      assert.equal(task?.startedAt, T0 + 4000);
      assert.equal(task?.stoppingAt, T0 + 4000, 'StopTask marks the start of stopping');
      assert.equal(task?.executionStoppedAt, T0 + 7000);
      assert.equal(task?.stoppedAt, T0 + 8000);
      assert.equal(task?.stopCode, 'UserInitiated', 'the StopTask reason wins');
      assert.equal(task?.stoppedReason, 'enough');
      assert.equal(task?.containers[0]?.exitCode, 143);
      assert.equal(task?.containers[0]?.runtimeId, 'abc');
      assert.equal(task?.attachments[0]?.status, 'DELETED');
      assert.ok((task?.version ?? 0) > 5);
      assert.deepEqual(
        (await ecs.listTasks(DEFAULT_CONTEXT, { desiredStatus: 'STOPPED' })).taskArns,
        [arn],
      );
      await assert.rejects(
        ecs.tasks.taskProgress(arn, { lastStatus: 'RUNNING', at: clock.now() }),
        /cannot move from STOPPED to RUNNING/,
      );
    });

    it('keeps stopped tasks for the retention, then forgets them', async () => {
      const { tasks } = await ecs.runTask(DEFAULT_CONTEXT, {
        taskDefinition: 'nightly',
        networkConfiguration: network,
      });
      const arn = tasks[0]?.taskArn ?? '';
      await ecs.tasks.taskProgress(arn, { lastStatus: 'STOPPED', at: clock.now() });
      await clock.advance(59 * 60_000);
      assert.equal(await ecs.tasks.purgeExpiredTasks(), 0);
      await clock.advance(2 * 60_000);
      assert.equal(await ecs.tasks.purgeExpiredTasks(), 1);
      const { failures } = await ecs.describeTasks(DEFAULT_CONTEXT, { tasks: [arn] });
      assert.deepEqual(failures, [{ arn, reason: 'MISSING' }]);
    });

    it('lists unfinished tasks with their plans for recovery', async () => {
      const { tasks } = await ecs.runTask(DEFAULT_CONTEXT, {
        taskDefinition: 'nightly',
        networkConfiguration: network,
      });
      const unfinished = await ecs.tasks.unfinishedTasks();
      assert.equal(unfinished.length, 1);
      assert.equal(unfinished[0]?.plan.taskArn, tasks[0]?.taskArn);
      assert.equal(unfinished[0]?.plan.containers[0]?.awslogs?.group, '/ecs/nightly');
      assert.equal(unfinished[0]?.lastStatus, 'PROVISIONING');
    });
  });
});
