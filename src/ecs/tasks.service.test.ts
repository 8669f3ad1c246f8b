import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';

import {
  ACCOUNT_PREFIX,
  T0,
  type EcsFixture,
  ecsFixture,
  fargateDefinition,
  network,
  rejects,
} from './ecs.test-support.ts';
import { IllegalTransitionError } from './task-lifecycle.ts';
import { DEFAULT_CONTEXT } from '../platform/ids.ts';

const HOUR = 3_600_000;

describe('tasks after RunTask', () => {
  let f: EcsFixture;
  let run: (extra?: Record<string, unknown>) => Promise<string>;

  beforeEach(async () => {
    f = await ecsFixture();
    await f.ecs.createCluster(DEFAULT_CONTEXT);
    await f.ecs.createCluster(DEFAULT_CONTEXT, { clusterName: 'other' });
    await f.ecs.registerTaskDefinition(DEFAULT_CONTEXT, fargateDefinition());
    await f.ecs.registerTaskDefinition(DEFAULT_CONTEXT, fargateDefinition({ family: 'web' }));
    run = async (extra = {}) =>
      (
        await f.ecs.runTask(DEFAULT_CONTEXT, {
          taskDefinition: 'nightly',
          networkConfiguration: network,
          ...extra,
        })
      ).tasks[0]!.taskArn;
  });
  afterEach(() => f.store.close());

  it('records supervisor progress through legal transitions only', async () => {
    const arn = await run();
    await f.ecs.tasks.updateTaskState(arn, {
      lastStatus: 'PENDING',
      at: T0 + 1000,
      pullStartedAt: T0 + 1000,
    });
    await f.ecs.tasks.updateContainerState(arn, 'app', { lastStatus: 'PENDING', runtimeId: 'r1' });
    await f.ecs.tasks.updateContainerState(arn, 'app', { lastStatus: 'RUNNING' });
    const running = await f.ecs.tasks.updateTaskState(arn, {
      lastStatus: 'RUNNING',
      at: T0 + 3000,
    });
    assert.deepEqual(
      [
        running.lastStatus,
        running.startedAt,
        running.connectivityAt,
        running.attachments[0]?.status,
        running.version,
      ],
      ['RUNNING', T0 + 3000, T0 + 1000, 'ATTACHED', 5],
    );
    await assert.rejects(
      f.ecs.tasks.updateTaskState(arn, { lastStatus: 'PROVISIONING', at: T0 + 4000 }),
      IllegalTransitionError,
    );
    await assert.rejects(
      f.ecs.tasks.updateContainerState(arn, 'app', { lastStatus: 'PENDING' }),
      /cannot move from RUNNING to PENDING/,
    );
    // A refused move leaves the record as it was.
    const { tasks } = await f.ecs.describeTasks(DEFAULT_CONTEXT, { tasks: [arn] });
    assert.equal(tasks[0]?.version, 5);
    await rejects(
      f.ecs.tasks.updateTaskState(`${ACCOUNT_PREFIX}:task/default/${'0'.repeat(32)}`, {
        lastStatus: 'PENDING',
        at: 1,
      }),
      'InvalidParameterException',
      'The referenced task was not found',
    );
  });

  it('StopTask: desired STOPPED, stoppingAt, UserInitiated, default reason, tags removed, launcher told', async () => {
    const arn = await run({ tags: [{ key: 'run', value: '1' }] });
    await f.ecs.tasks.updateTaskState(arn, { lastStatus: 'PENDING', at: T0 });
    await f.ecs.tasks.updateTaskState(arn, { lastStatus: 'RUNNING', at: T0 });
    await f.clock.advance(2000);
    const taskId = arn.split('/').pop()!;
    const { task } = await f.ecs.stopTask(DEFAULT_CONTEXT, { task: taskId });
    assert.deepEqual(
      [
        task.desiredStatus,
        task.lastStatus,
        task.stoppingAt,
        task.stopCode,
        task.stoppedReason,
        task.tags,
      ],
      ['STOPPED', 'RUNNING', T0 + 2000, 'UserInitiated', 'Task stopped by user', []],
    );
    assert.deepEqual(f.stops, [`${arn}|UserInitiated|Task stopped by user`]);
    // Stopping again keeps the first reason and time.
    await f.clock.advance(1000);
    const again = await f.ecs.stopTask(DEFAULT_CONTEXT, { task: arn, reason: 'second' });
    assert.deepEqual(
      [again.task.stoppedReason, again.task.stoppingAt],
      ['Task stopped by user', T0 + 2000],
    );
    assert.deepEqual(await f.ecs.listTasks(DEFAULT_CONTEXT), { taskArns: [] });
    assert.deepEqual(
      (await f.ecs.listTasks(DEFAULT_CONTEXT, { desiredStatus: 'STOPPED' })).taskArns,
      [arn],
    );
    // Once STOPPED, StopTask returns the task and does not bother the launcher.
    await f.ecs.tasks.updateTaskState(arn, { lastStatus: 'STOPPED', at: T0 + 5000 });
    const stoppedAgain = await f.ecs.stopTask(DEFAULT_CONTEXT, { task: arn });
    assert.equal(stoppedAgain.task.lastStatus, 'STOPPED');
    assert.equal(f.stops.length, 2);
  });

  it('StopTask errors', async () => {
    const arn = await run();
    await rejects(
      f.ecs.stopTask(DEFAULT_CONTEXT, { task: 'not-a-task-id' }),
      'InvalidParameterException',
      'Task Identifier is invalid',
    );
    await rejects(
      f.ecs.stopTask(DEFAULT_CONTEXT, { task: 'f'.repeat(32) }),
      'InvalidParameterException',
      'The referenced task was not found',
    );
    await rejects(
      f.ecs.stopTask(DEFAULT_CONTEXT, { cluster: 'other', task: arn }),
      'InvalidParameterException',
      'The referenced task was not found',
    );
    await rejects(
      f.ecs.stopTask(DEFAULT_CONTEXT, { cluster: 'ghost', task: arn }),
      'ClusterNotFoundException',
      'Cluster not found.',
    );
    await rejects(
      f.ecs.stopTask(DEFAULT_CONTEXT, { task: arn, reason: 'r'.repeat(256) }),
      'InvalidParameterException',
      /255/,
    );
    assert.deepEqual(f.stops, []);
  });

  it('DescribeTasks: ids or ARNs, MISSING failures, tags only with include TAGS', async () => {
    const arn = await run({ tags: [{ key: 'k', value: 'v' }] });
    const id = arn.split('/').pop()!;
    const ghost = `${ACCOUNT_PREFIX}:task/default/${'a'.repeat(32)}`;
    const out = await f.ecs.describeTasks(DEFAULT_CONTEXT, { tasks: [id, ghost, 'junk'] });
    assert.deepEqual(
      out.tasks.map((t) => [t.taskArn, t.tags]),
      [[arn, []]],
    );
    assert.deepEqual(out.failures, [
      { arn: ghost, reason: 'MISSING' },
      { arn: 'junk', reason: 'MISSING' },
    ]);
    const tagged = await f.ecs.describeTasks(DEFAULT_CONTEXT, { tasks: [arn], include: ['TAGS'] });
    assert.deepEqual(tagged.tasks[0]?.tags, [{ key: 'k', value: 'v' }]);
    // The task belongs to `default`: asked in another cluster it is missing.
    const elsewhere = await f.ecs.describeTasks(DEFAULT_CONTEXT, {
      cluster: 'other',
      tasks: [arn],
    });
    assert.deepEqual([elsewhere.tasks, elsewhere.failures.length], [[], 1]);
    await rejects(
      f.ecs.describeTasks(DEFAULT_CONTEXT, { tasks: [] }),
      'InvalidParameterException',
      'Tasks cannot be empty.',
    );
    await rejects(
      f.ecs.describeTasks(DEFAULT_CONTEXT, { cluster: 'ghost', tasks: [arn] }),
      'ClusterNotFoundException',
      'Cluster not found.',
    );
  });

  it('ListTasks filters by family, startedBy, desiredStatus, launchType and cluster, in pages', async () => {
    const a = await run({ startedBy: 'events-rule/a' });
    const b = await run({ startedBy: 'events-rule/b' });
    const w = (
      await f.ecs.runTask(DEFAULT_CONTEXT, { taskDefinition: 'web', networkConfiguration: network })
    ).tasks[0]!.taskArn;
    const o = (
      await f.ecs.runTask(DEFAULT_CONTEXT, {
        cluster: 'other',
        taskDefinition: 'web',
        networkConfiguration: network,
      })
    ).tasks[0]!.taskArn;
    await f.ecs.tasks.updateTaskState(b, { lastStatus: 'STOPPED', at: T0 });
    const list = async (input: Record<string, unknown>) =>
      (await f.ecs.listTasks(DEFAULT_CONTEXT, input)).taskArns.sort();
    assert.deepEqual(await list({}), [a, w].sort());
    assert.deepEqual(await list({ family: 'nightly' }), [a]);
    assert.deepEqual(await list({ startedBy: 'events-rule/a' }), [a]);
    assert.deepEqual(await list({ desiredStatus: 'STOPPED' }), [b]);
    assert.deepEqual(await list({ desiredStatus: 'PENDING' }), []);
    assert.deepEqual(await list({ launchType: 'EC2' }), []);
    assert.deepEqual(await list({ launchType: 'FARGATE' }), [a, w].sort());
    assert.deepEqual(await list({ cluster: 'other' }), [o]);
    assert.deepEqual(await list({ serviceName: 'svc' }), []);
    assert.deepEqual(await list({ containerInstance: 'ci' }), []);
    const first = await f.ecs.listTasks(DEFAULT_CONTEXT, { maxResults: 1 });
    assert.equal(first.taskArns.length, 1);
    const second = await f.ecs.listTasks(DEFAULT_CONTEXT, {
      maxResults: 1,
      nextToken: first.nextToken ?? '',
    });
    assert.deepEqual([second.taskArns.length, second.nextToken], [1, undefined]);
    await rejects(
      f.ecs.listTasks(DEFAULT_CONTEXT, { desiredStatus: 'DONE' }),
      'InvalidParameterException',
      /at 'desiredStatus'/,
    );
    await rejects(
      f.ecs.listTasks(DEFAULT_CONTEXT, { maxResults: 101 }),
      'InvalidParameterException',
      /maxResults/,
    );
    await rejects(
      f.ecs.listTasks(DEFAULT_CONTEXT, { cluster: 'ghost' }),
      'ClusterNotFoundException',
      'Cluster not found.',
    );
  });

  it('keeps STOPPED tasks describable for the retention, then purges them with their stats', async () => {
    const arn = await run();
    const live = await run();
    await f.ecs.tasks.recordStats(arn, [
      { containerName: 'app', timestamp: T0, cpuUsageNs: 5, memoryBytes: 7 },
    ]);
    await f.ecs.tasks.updateTaskState(arn, { lastStatus: 'STOPPED', at: T0 });
    assert.equal(await f.ecs.tasks.purgeExpiredTasks(T0 + HOUR), 0, 'exactly one hour: kept');
    assert.equal(await f.ecs.tasks.purgeExpiredTasks(T0 + HOUR + 1), 1);
    assert.deepEqual(
      (await f.ecs.describeTasks(DEFAULT_CONTEXT, { tasks: [arn, live] })).failures,
      [{ arn, reason: 'MISSING' }],
    );
    assert.deepEqual(await f.ecs.tasks.taskStats(arn), []);
    assert.equal(
      await f.ecs.tasks.purgeExpiredTasks(T0 + 100 * HOUR),
      0,
      'unfinished tasks are never purged',
    );
  });

  it('honours a configured retention', async () => {
    const short = await ecsFixture({ stoppedTaskRetentionMs: 60_000 });
    try {
      await short.ecs.createCluster(DEFAULT_CONTEXT);
      await short.ecs.registerTaskDefinition(DEFAULT_CONTEXT, fargateDefinition());
      const { tasks } = await short.ecs.runTask(DEFAULT_CONTEXT, {
        taskDefinition: 'nightly',
        networkConfiguration: network,
      });
      await short.ecs.tasks.updateTaskState(tasks[0]!.taskArn, { lastStatus: 'STOPPED', at: T0 });
      await short.clock.advance(60_001);
      assert.equal(await short.ecs.tasks.purgeExpiredTasks(), 1);
    } finally {
      await short.store.close();
    }
  });

  it('tags tasks and task definitions by ARN', async () => {
    const arn = await run();
    await f.ecs.tagResource(DEFAULT_CONTEXT, {
      resourceArn: arn,
      tags: [{ key: 'a', value: '1' }],
    });
    await f.ecs.tagResource(DEFAULT_CONTEXT, {
      resourceArn: arn,
      tags: [
        { key: 'a', value: '2' },
        { key: 'b', value: '' },
      ],
    });
    assert.deepEqual(
      (await f.ecs.listTagsForResource(DEFAULT_CONTEXT, { resourceArn: arn })).tags,
      [
        { key: 'a', value: '2' },
        { key: 'b', value: '' },
      ],
    );
    await f.ecs.untagResource(DEFAULT_CONTEXT, { resourceArn: arn, tagKeys: ['a'] });
    assert.deepEqual(
      (await f.ecs.listTagsForResource(DEFAULT_CONTEXT, { resourceArn: arn })).tags,
      [{ key: 'b', value: '' }],
    );
    await rejects(
      f.ecs.listTagsForResource(DEFAULT_CONTEXT, {
        resourceArn: `${ACCOUNT_PREFIX}:task/default/${'b'.repeat(32)}`,
      }),
      'ResourceNotFoundException',
      'The specified task does not exist.',
    );
    await rejects(
      f.ecs.tagResource(DEFAULT_CONTEXT, {
        resourceArn: `${ACCOUNT_PREFIX}:task-definition/nightly:9`,
        tags: [{ key: 'a', value: '' }],
      }),
      'ResourceNotFoundException',
      'The specified task definition does not exist.',
    );
    await rejects(
      f.ecs.tagResource(DEFAULT_CONTEXT, {
        resourceArn: `${ACCOUNT_PREFIX}:service/x`,
        tags: [{ key: 'a', value: '' }],
      }),
      'InvalidParameterException',
      'The ARN provided is not valid for tagging.',
    );
    await rejects(
      f.ecs.tagResource(DEFAULT_CONTEXT, {
        resourceArn: arn,
        tags: Array.from({ length: 50 }, (_, i) => ({ key: `k${i}`, value: '' })),
      }),
      'InvalidParameterException',
      /at most 50 tags; this request would leave 51/,
    );
  });
});
