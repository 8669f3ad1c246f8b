/**
 * ECS over HTTP through the AWS SDK v3 client, on an engine with an in-memory container runtime:
 * RunTask's client token (the SDK fills one in itself when the caller gives none), and the two
 * operations served for Terraform and clean-up (PutClusterCapacityProviders,
 * DeleteTaskDefinitions).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import {
  ConflictException,
  CreateClusterCommand,
  DeleteTaskDefinitionsCommand,
  DeregisterTaskDefinitionCommand,
  ECSClient,
  InvalidParameterException,
  ListTasksCommand,
  PutClusterCapacityProvidersCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
} from '@aws-sdk/client-ecs';

import {
  JOB_IMAGE,
  memoryEngine,
  T0,
  type MemoryEngine,
} from '../../cli/client/client.test-support.ts';
import { DEFAULT_CONTEXT } from '../../platform/ids.ts';

function sdkClient(url: string): ECSClient {
  return new ECSClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
}

describe('ECS API: RunTask clientToken through the SDK', () => {
  let fx: MemoryEngine;
  let ecs: ECSClient;
  const run = (extra: { clientToken?: string; count?: number } = {}) =>
    ecs.send(new RunTaskCommand({ cluster: 'jobs', taskDefinition: 'job', ...extra }));
  const taskCount = async () =>
    (await ecs.send(new ListTasksCommand({ cluster: 'jobs' }))).taskArns?.length;

  before(async () => {
    fx = await memoryEngine();
    ecs = sdkClient(fx.url);
    await fx.engine.ecs.createCluster(DEFAULT_CONTEXT, { clusterName: 'jobs' });
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

describe('ECS API: PutClusterCapacityProviders and DeleteTaskDefinitions through the SDK', () => {
  let fx: MemoryEngine;
  let ecs: ECSClient;

  before(async () => {
    fx = await memoryEngine();
    ecs = sdkClient(fx.url);
  });

  after(async () => {
    ecs.destroy();
    await fx[Symbol.asyncDispose]();
  });

  it('PutClusterCapacityProviders sets providers and the default strategy', async () => {
    await ecs.send(new CreateClusterCommand({ clusterName: 'tf' }));
    const put = await ecs.send(
      new PutClusterCapacityProvidersCommand({
        cluster: 'tf',
        capacityProviders: ['FARGATE', 'FARGATE_SPOT'],
        defaultCapacityProviderStrategy: [{ capacityProvider: 'FARGATE', weight: 1, base: 1 }],
      }),
    );
    assert.equal(put.cluster?.clusterName, 'tf');
    assert.deepEqual(put.cluster?.capacityProviders, ['FARGATE', 'FARGATE_SPOT']);
    assert.deepEqual(put.cluster?.defaultCapacityProviderStrategy, [
      { capacityProvider: 'FARGATE', weight: 1, base: 1 },
    ]);
    const stored = await fx.engine.ecs.describeClusters(DEFAULT_CONTEXT, { clusters: ['tf'] });
    assert.deepEqual(stored.clusters[0]?.capacityProviders, ['FARGATE', 'FARGATE_SPOT']);

    await assert.rejects(
      ecs.send(
        new PutClusterCapacityProvidersCommand({
          cluster: 'tf',
          capacityProviders: ['FARGATE'],
          defaultCapacityProviderStrategy: [{ capacityProvider: 'FARGATE', weight: 1001 }],
        }),
      ),
      (e: Error) => {
        assert.ok(e instanceof InvalidParameterException, String(e));
        assert.equal(e.message, 'The capacity provider weight must be between 0 and 1000.');
        return true;
      },
    );
  });

  it('DeleteTaskDefinitions marks INACTIVE revisions DELETE_IN_PROGRESS, failures per item', async () => {
    const register = () =>
      ecs.send(
        new RegisterTaskDefinitionCommand({
          family: 'old',
          containerDefinitions: [{ name: 'app', image: JOB_IMAGE, memory: 64 }],
        }),
      );
    const first = (await register()).taskDefinition?.taskDefinitionArn ?? '';
    const second = (await register()).taskDefinition?.taskDefinitionArn ?? '';
    await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: 'old:1' }));

    const deleted = await ecs.send(
      new DeleteTaskDefinitionsCommand({ taskDefinitions: ['old:1', 'old:2', 'old:9'] }),
    );
    assert.deepEqual(
      deleted.taskDefinitions?.map((t) => [t.taskDefinitionArn, t.status]),
      [[first, 'DELETE_IN_PROGRESS']],
    );
    // Timestamps travel as epoch seconds, so the SDK reads back the engine's instant.
    assert.equal(deleted.taskDefinitions?.[0]?.deregisteredAt?.getTime(), T0);
    assert.equal(deleted.taskDefinitions?.[0]?.registeredAt?.getTime(), T0);
    assert.deepEqual(
      deleted.failures?.map((f) => f.arn),
      [second, 'old:9'],
    );
  });
});
