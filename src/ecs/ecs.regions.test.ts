/**
 * Issue 13 item 4 for ECS: resources belong to the region of the request that made them. A
 * cluster, task definition or task made in ap-northeast-1 is invisible from us-east-1, even by
 * its ARN, and the same names live side by side in both.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';

import {
  CTX,
  type EcsFixture,
  TOKYO,
  ecsFixture,
  fargateDefinition,
  network,
  rejects,
} from './ecs.test-support.ts';

const TOKYO_PREFIX = 'arn:aws:ecs:ap-northeast-1:000000000000';

describe('ECS regions', () => {
  let f: EcsFixture;

  beforeEach(async () => {
    f = await ecsFixture();
  });
  afterEach(() => f.store.close());

  it('keeps clusters, the default one too, to the region that made them', async () => {
    const { cluster } = await f.ecs.createCluster(TOKYO, { clusterName: 'jobs' });
    assert.equal(cluster.clusterArn, `${TOKYO_PREFIX}:cluster/jobs`);
    await f.ecs.createCluster(TOKYO);

    assert.deepEqual((await f.ecs.listClusters(TOKYO)).clusterArns, [
      `${TOKYO_PREFIX}:cluster/default`,
      `${TOKYO_PREFIX}:cluster/jobs`,
    ]);
    assert.deepEqual((await f.ecs.listClusters(CTX)).clusterArns, []);
    const seen = await f.ecs.describeClusters(CTX, {
      clusters: ['jobs', `${TOKYO_PREFIX}:cluster/jobs`],
    });
    assert.deepEqual(seen.clusters, []);
    assert.deepEqual(
      seen.failures.map((x) => x.reason),
      ['MISSING', 'MISSING'],
    );
    assert.deepEqual((await f.ecs.describeClusters(CTX)).failures[0]?.reason, 'MISSING');
    await rejects(
      f.ecs.deleteCluster(CTX, { cluster: `${TOKYO_PREFIX}:cluster/jobs` }),
      'ClusterNotFoundException',
      'Cluster not found.',
    );
    await rejects(
      f.ecs.updateCluster(CTX, { cluster: `${TOKYO_PREFIX}:cluster/jobs`, settings: [] }),
      'ClusterNotFoundException',
      'Cluster not found.',
    );

    // The same name in us-east-1 is another cluster.
    const here = await f.ecs.createCluster(CTX, {
      clusterName: 'jobs',
      settings: [{ name: 'containerInsights', value: 'enabled' }],
    });
    assert.equal(here.cluster.clusterArn, 'arn:aws:ecs:us-east-1:000000000000:cluster/jobs');
    const tokyo = await f.ecs.describeClusters(TOKYO, {
      clusters: ['jobs'],
      include: ['SETTINGS'],
    });
    assert.deepEqual(tokyo.clusters[0]?.settings, [
      { name: 'containerInsights', value: 'disabled' },
    ]);
  });

  it('numbers task definition revisions per region and finds them only there', async () => {
    const a = await f.ecs.registerTaskDefinition(TOKYO, fargateDefinition());
    await f.ecs.registerTaskDefinition(TOKYO, fargateDefinition());
    const b = await f.ecs.registerTaskDefinition(CTX, fargateDefinition());
    assert.equal(a.taskDefinition.taskDefinitionArn, `${TOKYO_PREFIX}:task-definition/nightly:1`);
    assert.equal(b.taskDefinition.revision, 1);

    assert.deepEqual((await f.ecs.listTaskDefinitions(TOKYO)).taskDefinitionArns, [
      `${TOKYO_PREFIX}:task-definition/nightly:1`,
      `${TOKYO_PREFIX}:task-definition/nightly:2`,
    ]);
    assert.deepEqual((await f.ecs.listTaskDefinitions(CTX)).taskDefinitionArns, [
      'arn:aws:ecs:us-east-1:000000000000:task-definition/nightly:1',
    ]);
    await f.ecs.registerTaskDefinition(TOKYO, fargateDefinition({ family: 'tokyo-only' }));
    assert.deepEqual((await f.ecs.listTaskDefinitionFamilies(CTX)).families, ['nightly']);
    assert.deepEqual((await f.ecs.listTaskDefinitionFamilies(TOKYO)).families, [
      'nightly',
      'tokyo-only',
    ]);
    assert.equal(
      (await f.ecs.describeTaskDefinition(TOKYO, { taskDefinition: 'nightly' })).taskDefinition
        .revision,
      2,
    );
    await rejects(
      f.ecs.describeTaskDefinition(CTX, {
        taskDefinition: `${TOKYO_PREFIX}:task-definition/nightly:2`,
      }),
      'ClientException',
      'Unable to describe task definition.',
    );
    await rejects(
      f.ecs.describeTaskDefinition(CTX, { taskDefinition: 'tokyo-only' }),
      'ClientException',
      'Unable to describe task definition.',
    );
  });

  it('runs, lists, describes and stops tasks in their own region only', async () => {
    for (const ctx of [TOKYO, CTX]) {
      await f.ecs.createCluster(ctx, { clusterName: 'jobs' });
      await f.ecs.registerTaskDefinition(ctx, fargateDefinition());
    }
    const run = await f.ecs.runTask(TOKYO, {
      cluster: 'jobs',
      taskDefinition: 'nightly',
      networkConfiguration: network,
    });
    const task = run.tasks[0]!;
    assert.ok(task.taskArn.startsWith(`${TOKYO_PREFIX}:task/jobs/`));
    assert.equal(task.taskDefinitionArn, `${TOKYO_PREFIX}:task-definition/nightly:1`);
    assert.equal(task.availabilityZone, 'ap-northeast-1a');
    assert.equal(f.launched[0]?.taskArn, task.taskArn);

    assert.deepEqual((await f.ecs.listTasks(TOKYO, { cluster: 'jobs' })).taskArns, [task.taskArn]);
    assert.deepEqual((await f.ecs.listTasks(CTX, { cluster: 'jobs' })).taskArns, []);
    const fromHere = await f.ecs.describeTasks(CTX, { cluster: 'jobs', tasks: [task.taskArn] });
    assert.deepEqual(fromHere.tasks, []);
    assert.equal(fromHere.failures[0]?.reason, 'MISSING');
    const there = await f.ecs.describeTasks(TOKYO, { tasks: [task.taskArn] });
    assert.equal(there.tasks[0]?.taskArn, task.taskArn);
    await rejects(
      f.ecs.stopTask(CTX, { cluster: 'jobs', task: task.taskArn }),
      'InvalidParameterException',
      'The referenced task was not found',
    );
    await rejects(
      f.ecs.runTask(CTX, {
        cluster: `${TOKYO_PREFIX}:cluster/jobs`,
        taskDefinition: 'nightly',
        networkConfiguration: network,
      }),
      'ClusterNotFoundException',
      'Cluster not found.',
    );

    // After a restart the supervisor finds the task by its ARN and reports on it.
    const unfinished = await f.ecs.tasks.unfinishedTasks();
    assert.deepEqual(
      unfinished.map((u) => u.plan.taskArn),
      [task.taskArn],
    );
    await f.ecs.tasks.updateTaskState(task.taskArn, { lastStatus: 'PENDING', at: 1 });
    const stopped = await f.ecs.stopTask(TOKYO, { task: task.taskArn });
    assert.equal(stopped.task.desiredStatus, 'STOPPED');
  });

  it('tags only the region’s own resources', async () => {
    const { cluster } = await f.ecs.createCluster(TOKYO, { clusterName: 'jobs' });
    await rejects(
      f.ecs.listTagsForResource(CTX, { resourceArn: cluster.clusterArn }),
      'ClusterNotFoundException',
      'Cluster not found.',
    );
    await f.ecs.tagResource(TOKYO, {
      resourceArn: cluster.clusterArn,
      tags: [{ key: 'env', value: 'prod' }],
    });
    assert.deepEqual(
      (await f.ecs.listTagsForResource(TOKYO, { resourceArn: cluster.clusterArn })).tags,
      [{ key: 'env', value: 'prod' }],
    );
  });
});
