import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';

import {
  ACCOUNT_PREFIX,
  type EcsFixture,
  ecsFixture,
  fargateDefinition,
  network,
  rejects,
} from './ecs.test-support.ts';
import { DEFAULT_CONTEXT } from '../platform/ids.ts';

const clusterArn = (name: string) => `${ACCOUNT_PREFIX}:cluster/${name}`;

describe('clusters', () => {
  let f: EcsFixture;
  beforeEach(async () => {
    f = await ecsFixture();
  });
  afterEach(() => f.store.close());

  it('creates the default cluster with ECS fields, and creating it again returns it unchanged', async () => {
    const { cluster } = await f.ecs.createCluster(DEFAULT_CONTEXT);
    assert.deepEqual(cluster, {
      clusterArn: clusterArn('default'),
      clusterName: 'default',
      status: 'ACTIVE',
      registeredContainerInstancesCount: 0,
      runningTasksCount: 0,
      pendingTasksCount: 0,
      activeServicesCount: 0,
      statistics: [],
      tags: [],
      settings: [{ name: 'containerInsights', value: 'disabled' }],
      capacityProviders: [],
      defaultCapacityProviderStrategy: [],
    });
    const again = await f.ecs.createCluster(DEFAULT_CONTEXT, {
      clusterName: 'default',
      settings: [{ name: 'containerInsights', value: 'enabled' }],
    });
    assert.deepEqual(again.cluster, cluster);
  });

  it('validates names, settings, tags, capacity providers and strategies', async () => {
    const cases: [Record<string, unknown>, RegExp | string][] = [
      [{ clusterName: 'has space' }, /^Cluster name can only contain/],
      [{ clusterName: 'x'.repeat(256) }, /^Cluster name can only contain/],
      [
        { settings: [{ name: 'insights', value: 'enabled' }] },
        /Invalid cluster setting name 'insights'/,
      ],
      [
        { settings: [{ name: 'containerInsights', value: 'on' }] },
        /Invalid value 'on' for containerInsights/,
      ],
      [{ tags: [{ key: 'aws:owner', value: 'x' }] }, /reserved for AWS use/],
      [
        { tags: Array.from({ length: 51 }, (_, i) => ({ key: `k${i}`, value: '' })) },
        /at most 50 tags/,
      ],
      [{ tags: [{ key: 'k'.repeat(129), value: '' }] }, /Invalid tag key/],
      [{ capacityProviders: ['MY_ASG'] }, /capacity provider 'MY_ASG' does not exist/],
      [
        {
          capacityProviders: ['FARGATE'],
          defaultCapacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT' }],
        },
        'The specified capacity provider strategy cannot contain a capacity provider that is not associated with the cluster. Associate the capacity provider with the cluster or specify a valid capacity provider and try again.',
      ],
      [
        {
          capacityProviders: ['FARGATE', 'FARGATE_SPOT'],
          defaultCapacityProviderStrategy: [
            { capacityProvider: 'FARGATE', base: 1 },
            { capacityProvider: 'FARGATE_SPOT', base: 1 },
          ],
        },
        /Only one capacity provider/,
      ],
    ];
    for (const [input, message] of cases) {
      await rejects(
        f.ecs.createCluster(DEFAULT_CONTEXT, { clusterName: 'c', ...input }),
        'InvalidParameterException',
        message,
      );
    }
    assert.deepEqual((await f.ecs.listClusters(DEFAULT_CONTEXT)).clusterArns, []);
  });

  it('describes clusters with include gates, MISSING failures and live task counts', async () => {
    await f.ecs.createCluster(DEFAULT_CONTEXT, {
      clusterName: 'batch',
      tags: [{ key: 'team', value: 'data' }],
      settings: [{ name: 'containerInsights', value: 'enabled' }],
      capacityProviders: ['FARGATE', 'FARGATE_SPOT'],
      defaultCapacityProviderStrategy: [{ capacityProvider: 'FARGATE', weight: 1 }],
    });
    await f.ecs.registerTaskDefinition(DEFAULT_CONTEXT, fargateDefinition());
    const { tasks } = await f.ecs.runTask(DEFAULT_CONTEXT, {
      cluster: 'batch',
      taskDefinition: 'nightly',
      count: 3,
      launchType: 'FARGATE',
      networkConfiguration: network,
    });
    const [a, b] = tasks.map((t) => t.taskArn);
    await f.ecs.tasks.updateTaskState(a!, { lastStatus: 'PENDING', at: 1 });
    await f.ecs.tasks.updateTaskState(a!, { lastStatus: 'RUNNING', at: 2 });
    await f.ecs.tasks.updateTaskState(b!, { lastStatus: 'STOPPED', at: 2 });

    const plain = await f.ecs.describeClusters(DEFAULT_CONTEXT, {
      clusters: ['batch', clusterArn('nope'), 'ghost'],
    });
    assert.equal(plain.clusters.length, 1);
    assert.deepEqual(
      [plain.clusters[0]?.runningTasksCount, plain.clusters[0]?.pendingTasksCount],
      [1, 1],
    );
    assert.deepEqual(
      [plain.clusters[0]?.tags, plain.clusters[0]?.settings, plain.clusters[0]?.statistics],
      [[], [], []],
    );
    assert.deepEqual(plain.failures, [
      { arn: clusterArn('nope'), reason: 'MISSING' },
      { arn: clusterArn('ghost'), reason: 'MISSING' },
    ]);

    const full = await f.ecs.describeClusters(DEFAULT_CONTEXT, {
      clusters: [clusterArn('batch')],
      include: ['TAGS', 'SETTINGS', 'STATISTICS', 'CONFIGURATIONS'],
    });
    const c = full.clusters[0];
    assert.deepEqual(c?.tags, [{ key: 'team', value: 'data' }]);
    assert.deepEqual(c?.settings, [{ name: 'containerInsights', value: 'enabled' }]);
    assert.deepEqual(c?.capacityProviders, ['FARGATE', 'FARGATE_SPOT']);
    const stats = Object.fromEntries((c?.statistics ?? []).map((s) => [s.name, s.value]));
    assert.equal(stats['runningFargateTasksCount'], '1');
    assert.equal(stats['pendingFargateTasksCount'], '1');
    assert.equal(stats['runningEC2TasksCount'], '0');
    assert.equal(Object.keys(stats).length, 12);
    await rejects(
      f.ecs.describeClusters(DEFAULT_CONTEXT, { include: ['EVERYTHING'] }),
      'InvalidParameterException',
      /enum value set: \[ATTACHMENTS, CONFIGURATIONS, SETTINGS, STATISTICS, TAGS\]/,
    );
    // With no names, DescribeClusters looks for `default`.
    assert.deepEqual((await f.ecs.describeClusters(DEFAULT_CONTEXT)).failures, [
      { arn: clusterArn('default'), reason: 'MISSING' },
    ]);
  });

  it('refuses to delete with active tasks, then reads back INACTIVE and can be recreated', async () => {
    await f.ecs.createCluster(DEFAULT_CONTEXT, {
      clusterName: 'batch',
      tags: [{ key: 'a', value: '1' }],
    });
    await f.ecs.registerTaskDefinition(DEFAULT_CONTEXT, fargateDefinition());
    const { tasks } = await f.ecs.runTask(DEFAULT_CONTEXT, {
      cluster: 'batch',
      taskDefinition: 'nightly',
      networkConfiguration: network,
    });
    await rejects(
      f.ecs.deleteCluster(DEFAULT_CONTEXT, { cluster: 'batch' }),
      'ClusterContainsTasksException',
      'The Cluster cannot be deleted while Tasks are active.',
    );
    await f.ecs.tasks.updateTaskState(tasks[0]!.taskArn, { lastStatus: 'STOPPED', at: 5 });
    const { cluster } = await f.ecs.deleteCluster(DEFAULT_CONTEXT, {
      cluster: clusterArn('batch'),
    });
    assert.equal(cluster.status, 'INACTIVE');
    const after = await f.ecs.describeClusters(DEFAULT_CONTEXT, {
      clusters: ['batch'],
      include: ['TAGS'],
    });
    assert.deepEqual(
      [after.clusters[0]?.status, after.clusters[0]?.tags, after.failures],
      ['INACTIVE', [{ key: 'a', value: '1' }], []],
    );
    assert.deepEqual((await f.ecs.listClusters(DEFAULT_CONTEXT)).clusterArns, []);
    await rejects(
      f.ecs.deleteCluster(DEFAULT_CONTEXT, { cluster: 'batch' }),
      'ClusterNotFoundException',
      'Cluster not found.',
    );
    await rejects(
      f.ecs.runTask(DEFAULT_CONTEXT, {
        cluster: 'batch',
        taskDefinition: 'nightly',
        networkConfiguration: network,
      }),
      'ClusterNotFoundException',
      'Cluster not found.',
    );
    const revived = await f.ecs.createCluster(DEFAULT_CONTEXT, { clusterName: 'batch' });
    assert.deepEqual([revived.cluster.status, revived.cluster.tags], ['ACTIVE', []]);
  });

  it('updates settings and capacity providers of ACTIVE clusters only', async () => {
    await f.ecs.createCluster(DEFAULT_CONTEXT, { clusterName: 'c' });
    const { cluster } = await f.ecs.updateClusterSettings(DEFAULT_CONTEXT, {
      cluster: 'c',
      settings: [{ name: 'containerInsights', value: 'enhanced' }],
    });
    assert.deepEqual(cluster.settings, [{ name: 'containerInsights', value: 'enhanced' }]);
    const put = await f.ecs.putClusterCapacityProviders(DEFAULT_CONTEXT, {
      cluster: 'c',
      capacityProviders: ['FARGATE_SPOT'],
      defaultCapacityProviderStrategy: [{ capacityProvider: 'FARGATE_SPOT', weight: 2, base: 1 }],
    });
    assert.deepEqual(put.cluster.capacityProviders, ['FARGATE_SPOT']);
    assert.deepEqual(put.cluster.defaultCapacityProviderStrategy, [
      { capacityProvider: 'FARGATE_SPOT', weight: 2, base: 1 },
    ]);
    await rejects(
      f.ecs.putClusterCapacityProviders(DEFAULT_CONTEXT, {
        cluster: 'c',
        capacityProviders: ['FARGATE'],
        defaultCapacityProviderStrategy: [{ capacityProvider: 'FARGATE', weight: 1001 }],
      }),
      'InvalidParameterException',
      'The capacity provider weight must be between 0 and 1000.',
    );
    await rejects(
      f.ecs.updateClusterSettings(DEFAULT_CONTEXT, { cluster: 'ghost', settings: [] }),
      'ClusterNotFoundException',
      'Cluster not found.',
    );
  });

  it('lists ACTIVE clusters in pages', async () => {
    for (const name of ['c', 'a', 'b']) {
      await f.ecs.createCluster(DEFAULT_CONTEXT, { clusterName: name });
    }
    const first = await f.ecs.listClusters(DEFAULT_CONTEXT, { maxResults: 2 });
    assert.deepEqual(first.clusterArns, [clusterArn('a'), clusterArn('b')]);
    const second = await f.ecs.listClusters(DEFAULT_CONTEXT, {
      maxResults: 2,
      nextToken: first.nextToken ?? '',
    });
    assert.deepEqual(second, { clusterArns: [clusterArn('c')] });
    await rejects(
      f.ecs.listClusters(DEFAULT_CONTEXT, { nextToken: '!!' }),
      'InvalidParameterException',
      'Invalid nextToken.',
    );
  });

  it('refuses a page token of another operation, or one older than 24 hours', async () => {
    for (const name of ['a', 'b']) {
      await f.ecs.createCluster(DEFAULT_CONTEXT, { clusterName: name });
    }
    const { nextToken } = await f.ecs.listClusters(DEFAULT_CONTEXT, { maxResults: 1 });
    assert.ok(nextToken);
    await rejects(
      f.ecs.listTasks(DEFAULT_CONTEXT, { cluster: 'a', nextToken }),
      'InvalidParameterException',
      'Invalid nextToken.',
    );
    await f.clock.advance(24 * 60 * 60 * 1000);
    await rejects(
      f.ecs.listClusters(DEFAULT_CONTEXT, { nextToken }),
      'InvalidParameterException',
      'Invalid nextToken.',
    );
  });
});
