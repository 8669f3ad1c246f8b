/**
 * ECS over HTTP through the AWS SDK v3 client, on an engine with an in-memory container runtime:
 * RunTask's client token (the SDK fills one in itself when the caller gives none).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
  ConflictException,
  ECSClient,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
} from '@aws-sdk/client-ecs';

import {
  JOB_IMAGE,
  memoryEngine,
  type MemoryEngine,
} from '../../cli/client/client.test-support.ts';

describe('ECS API: RunTask clientToken through the SDK', () => {
  let fx: MemoryEngine;
  let ecs: ECSClient;
  const run = (extra: { clientToken?: string; count?: number } = {}) =>
    ecs.send(new RunTaskCommand({ cluster: 'jobs', taskDefinition: 'job', ...extra }));
  const taskCount = async () =>
    (await ecs.send(new ListTasksCommand({ cluster: 'jobs' }))).taskArns?.length;

  before(async () => {
    fx = await memoryEngine();
    ecs = new ECSClient({
      endpoint: fx.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    await fx.engine.ecs.createCluster({ clusterName: 'jobs' });
    await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'job',
        containerDefinitions: [{ name: 'app', image: JOB_IMAGE, memory: 64 }],
      }),
    );
  });

  after(async () => {
    ecs.destroy();
    await fx[Symbol.asyncDispose]();
  });

  it('without a token of ours, the SDK makes a new one per call: two tasks', async () => {
    await run();
    await run();
    assert.equal(await taskCount(), 2);
  });

  it('the same token twice: the first call’s task, none started', async () => {
    const first = await run({ clientToken: 'nightly-2026-07-01' });
    const again = await run({ clientToken: 'nightly-2026-07-01' });
    assert.equal(again.tasks?.length, 1);
    assert.equal(again.tasks?.[0]?.taskArn, first.tasks?.[0]?.taskArn);
    assert.equal(await taskCount(), 3);
  });

  it('the same token with another request: ConflictException naming its tasks', async () => {
    const first = await run({ clientToken: 'once' });
    await assert.rejects(run({ clientToken: 'once', count: 2 }), (e: Error) => {
      assert.ok(e instanceof ConflictException, String(e));
      assert.deepEqual(e.resourceIds, [first.tasks?.[0]?.taskArn]);
      assert.match(e.message, /clientToken is already in use/);
      return true;
    });
    assert.equal(await taskCount(), 4);
  });
});
