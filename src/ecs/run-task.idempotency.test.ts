import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';

import { ServiceError } from '../platform/errors.ts';
import {
  type EcsFixture,
  ecsFixture,
  fargateDefinition,
  network,
  rejects,
} from './ecs.test-support.ts';
import { CLIENT_TOKEN_TTL_MS, requestDigest } from './run-task.idempotency.ts';
import { DEFAULT_CONTEXT } from '../platform/ids.ts';

const HOUR = 3_600_000;

describe('RunTask clientToken', () => {
  let f: EcsFixture;
  const request = (extra: Record<string, unknown> = {}) => ({
    taskDefinition: 'nightly',
    networkConfiguration: network,
    clientToken: 'token-1',
    ...extra,
  });
  beforeEach(async () => {
    f = await ecsFixture({ stoppedTaskRetentionMs: 48 * HOUR });
    await f.ecs.createCluster(DEFAULT_CONTEXT);
    await f.ecs.createCluster(DEFAULT_CONTEXT, { clusterName: 'other' });
    await f.ecs.registerTaskDefinition(DEFAULT_CONTEXT, fargateDefinition());
  });
  afterEach(() => f.store.close());

  it('a retry with the same token and request returns the first tasks and starts none', async () => {
    const first = await f.ecs.runTask(DEFAULT_CONTEXT, request({ count: 2 }));
    assert.equal(first.tasks.length, 2);
    assert.equal(f.launched.length, 2);
    await f.clock.advance(HOUR);
    const again = await f.ecs.runTask(DEFAULT_CONTEXT, request({ count: 2 }));
    assert.deepEqual(
      again.tasks.map((t) => t.taskArn),
      first.tasks.map((t) => t.taskArn),
    );
    assert.deepEqual(again.failures, []);
    assert.equal(f.launched.length, 2, 'nothing launched by the retry');
    // The tasks as they are now, not as they were.
    await f.ecs.tasks.updateTaskState(first.tasks[0]!.taskArn, { lastStatus: 'PENDING', at: 1 });
    const third = await f.ecs.runTask(DEFAULT_CONTEXT, request({ count: 2 }));
    assert.equal(third.tasks[0]?.lastStatus, 'PENDING');
    assert.equal((await f.ecs.listTasks(DEFAULT_CONTEXT, {})).taskArns.length, 2);
  });

  it('member order does not matter; any other difference is a ConflictException', async () => {
    const { tasks } = await f.ecs.runTask(
      DEFAULT_CONTEXT,
      request({ group: 'g', startedBy: 'me' }),
    );
    const arn = tasks[0]!.taskArn;
    // Same members in another order: the same request.
    const reordered = await f.ecs.runTask(DEFAULT_CONTEXT, {
      startedBy: 'me',
      clientToken: 'token-1',
      group: 'g',
      networkConfiguration: network,
      taskDefinition: 'nightly',
    });
    assert.deepEqual(
      reordered.tasks.map((t) => t.taskArn),
      [arn],
    );
    await rejects(
      f.ecs.runTask(DEFAULT_CONTEXT, request({ group: 'g', startedBy: 'someone-else' })),
      'ConflictException',
      /clientToken is already in use with a different RunTask request/,
    );
    // The error carries the token's tasks in `resourceIds`, as ECS's model has it.
    const error = await f.ecs
      .runTask(DEFAULT_CONTEXT, request({ group: 'h', startedBy: 'me' }))
      .catch((e) => e);
    assert.ok(error instanceof ServiceError);
    assert.equal(error.httpStatus, 400);
    assert.deepEqual(error.members, { resourceIds: [arn] });
    // startedBy from an internal caller counts as part of the request.
    await rejects(
      f.ecs.runTask(DEFAULT_CONTEXT, request({ group: 'g', startedBy: 'me' }), {
        startedBy: 'events-rule/x',
      }),
      'ConflictException',
      /clientToken/,
    );
    assert.equal(f.launched.length, 1);
  });

  it('is scoped to its cluster', async () => {
    const a = await f.ecs.runTask(DEFAULT_CONTEXT, request());
    const b = await f.ecs.runTask(DEFAULT_CONTEXT, request({ cluster: 'other' }));
    assert.notEqual(a.tasks[0]!.taskArn, b.tasks[0]!.taskArn);
    assert.equal(f.launched.length, 2);
    // And a conflict in one cluster says nothing of the other.
    await rejects(
      f.ecs.runTask(DEFAULT_CONTEXT, request({ count: 2 })),
      'ConflictException',
      /clientToken/,
    );
  });

  it('lives 24 hours, then starts new tasks and binds to them', async () => {
    const first = await f.ecs.runTask(DEFAULT_CONTEXT, request());
    await f.clock.advance(CLIENT_TOKEN_TTL_MS - 1);
    assert.equal(
      (await f.ecs.runTask(DEFAULT_CONTEXT, request())).tasks[0]!.taskArn,
      first.tasks[0]!.taskArn,
    );
    await f.clock.advance(1);
    const fresh = await f.ecs.runTask(DEFAULT_CONTEXT, request({ group: 'changed' }));
    assert.notEqual(fresh.tasks[0]!.taskArn, first.tasks[0]!.taskArn);
    assert.equal(f.launched.length, 2);
    // Now bound to the new request.
    assert.equal(
      (await f.ecs.runTask(DEFAULT_CONTEXT, request({ group: 'changed' }))).tasks[0]!.taskArn,
      fresh.tasks[0]!.taskArn,
    );
    await rejects(f.ecs.runTask(DEFAULT_CONTEXT, request()), 'ConflictException', /clientToken/);
  });

  it('ends early when its tasks are purged, and the purge forgets expired tokens', async () => {
    const short = await ecsFixture({ stoppedTaskRetentionMs: HOUR });
    try {
      await short.ecs.createCluster(DEFAULT_CONTEXT);
      await short.ecs.registerTaskDefinition(DEFAULT_CONTEXT, fargateDefinition());
      const first = await short.ecs.runTask(DEFAULT_CONTEXT, request());
      const arn = first.tasks[0]!.taskArn;
      await short.ecs.tasks.updateTaskState(arn, { lastStatus: 'STOPPED', at: short.clock.now() });
      await short.clock.advance(HOUR + 1);
      assert.equal(await short.ecs.tasks.purgeExpiredTasks(), 1);
      const again = await short.ecs.runTask(DEFAULT_CONTEXT, request());
      assert.notEqual(again.tasks[0]!.taskArn, arn, 'nothing left to return: a new task');
      const tokens = () => short.store.db.selectFrom('ecs_client_tokens').selectAll().execute();
      assert.equal((await tokens()).length, 1);
      await short.clock.advance(CLIENT_TOKEN_TTL_MS);
      await short.ecs.tasks.purgeExpiredTasks();
      assert.deepEqual(await tokens(), []);
    } finally {
      await short.store.close();
    }
  });

  it('without a token every call starts tasks', async () => {
    await f.ecs.runTask(DEFAULT_CONTEXT, {
      taskDefinition: 'nightly',
      networkConfiguration: network,
    });
    await f.ecs.runTask(DEFAULT_CONTEXT, {
      taskDefinition: 'nightly',
      networkConfiguration: network,
    });
    assert.equal(f.launched.length, 2);
    assert.deepEqual(await f.store.db.selectFrom('ecs_client_tokens').selectAll().execute(), []);
  });

  it('digests the request without the token, keys sorted', () => {
    assert.equal(
      requestDigest({ taskDefinition: 'a', count: 1, clientToken: 'x' }),
      requestDigest({ count: 1, taskDefinition: 'a', clientToken: 'y' }),
    );
    assert.notEqual(
      requestDigest({ taskDefinition: 'a', count: 1 }),
      requestDigest({ taskDefinition: 'a', count: 2 }),
    );
  });
});
